/** 老年人档案 and 能力评估: the roster and the due list as tabs, the detail drawer, and the
 * assessment form (full screen, `?assess=<elderId>` so that Back closes it). */
import { Alert, Tabs } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useMe } from '../../kernel/auth';
import { PageHeader } from '../../kernel/components/PageHeader';
import { useModule } from '../../kernel/meta';
import { DueTab } from './DueTab';
import { ElderDrawer } from './ElderDrawer';
import { RosterTab } from './RosterTab';

const AssessmentForm = lazy(() => import('../assessments/AssessmentForm'));

type TabKey = 'roster' | 'due';

export default function EldersPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const mod = useModule('elders');
  const [params, setParams] = useSearchParams();
  const [openId, setOpenId] = useState<string | null>(null);
  const tab: TabKey = params.get('tab') === 'due' ? 'due' : 'roster';
  const assessId = params.get('assess');

  const setParam = (key: string, value: string | null, replace = false) =>
    setParams(
      (p) => {
        const n = new URLSearchParams(p);
        if (value) n.set(key, value);
        else n.delete(key);
        return n;
      },
      { replace },
    );
  const openAssessment = (elderId: string, immediate = false) =>
    setParams((p) => {
      const n = new URLSearchParams(p);
      n.set('assess', elderId);
      if (immediate) n.set('why', 'immediate');
      else n.delete('why');
      return n;
    });
  const closeAssessment = () =>
    setParams(
      (p) => {
        const n = new URLSearchParams(p);
        n.delete('assess');
        n.delete('why');
        return n;
      },
      { replace: true },
    );
  const note = i18n.language === 'en' ? null : mod?.note;

  return (
    <div data-testid="elders-page">
      <PageHeader title={t('elders.title')} sub={t('elders.sub', { region: me.regionName })} />
      {note && <Alert type="info" showIcon message={note} style={{ marginBottom: 16 }} closable />}
      <Tabs
        activeKey={tab}
        onChange={(k) => setParam('tab', k === 'due' ? 'due' : null, true)}
        items={[
          { key: 'roster', label: <span data-testid="tab-roster">{t('elders.tabRoster')}</span>, children: <RosterTab onOpen={setOpenId} /> },
          { key: 'due', label: <span data-testid="tab-due">{t('elders.tabDue')}</span>, children: <DueTab onOpen={setOpenId} onAssess={openAssessment} /> },
        ]}
      />
      <ElderDrawer id={openId} onClose={() => setOpenId(null)} onAssess={(id) => openAssessment(id)} />
      {assessId && (
        <Suspense fallback={null}>
          <AssessmentForm elderId={assessId} immediate={params.get('why') === 'immediate'} onClose={closeAssessment} />
        </Suspense>
      )}
    </div>
  );
}
