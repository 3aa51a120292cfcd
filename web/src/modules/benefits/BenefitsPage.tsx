/** 基本养老服务清单与补贴: the service list, policies (data, versioned), monthly runs with township
 * review and county approval, applications, recoveries and charts — as tabs, by role. */
import { Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useMe } from '../../kernel/auth';
import { PageHeader } from '../../kernel/components/PageHeader';
import { ApplicationsTab } from './ApplicationsTab';
import { PoliciesTab } from './PoliciesTab';
import { RecoveriesTab } from './RecoveriesTab';
import { RunsTab } from './RunsTab';
import { ServiceListTab } from './ServiceListTab';
import { StatsTab } from './StatsTab';
import { STAFF } from './types';

const KEYS = ['list', 'policies', 'runs', 'applications', 'recoveries', 'stats'] as const;
type Key = (typeof KEYS)[number];

export default function BenefitsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const staff = STAFF.includes(me.role);
  const [params, setParams] = useSearchParams();
  const visible: Key[] = staff ? [...KEYS] : ['list', 'policies', 'applications', 'recoveries', 'stats'];
  const asked = params.get('tab') as Key | null;
  const tab: Key = asked && visible.includes(asked) ? asked : 'list';
  const body: Record<Key, React.ReactNode> = {
    list: <ServiceListTab />,
    policies: <PoliciesTab />,
    runs: <RunsTab />,
    applications: <ApplicationsTab />,
    recoveries: <RecoveriesTab />,
    stats: <StatsTab />,
  };
  return (
    <div data-testid="benefits-page">
      <PageHeader title={t('benefits.title')} sub={t('benefits.sub', { region: me.regionName })} />
      <Tabs
        activeKey={tab}
        destroyOnHidden
        onChange={(k) =>
          setParams(
            (p) => {
              const n = new URLSearchParams(p);
              if (k === 'list') n.delete('tab');
              else n.set('tab', k);
              return n;
            },
            { replace: true },
          )
        }
        items={visible.map((k) => ({ key: k, label: <span data-testid={`benefits-tab-${k}`}>{t(`benefits.tabs.${k}`)}</span>, children: body[k] }))}
      />
    </div>
  );
}
