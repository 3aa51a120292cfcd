/** 机构床位与入住轮候: registry, coverage chart, admissions (waiting lists, offers), the published
 * lists and residential compounds, as tabs (`?tab=`). */
import { Tabs } from 'antd';
import i18n from 'i18next';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useMe } from '../../kernel/auth';
import { PageHeader } from '../../kernel/components/PageHeader';
import { AdmissionsTab } from './AdmissionsTab';
import { CoverageTab } from './CoverageTab';
import * as locale from './locale';
import { CompoundsTab, PublicTab } from './OtherTabs';
import { RegistryTab } from './RegistryTab';

// The module's strings, registered with the shell's i18next under `facilities`.
i18n.addResourceBundle('zh', 'translation', { facilities: locale.zh }, true, true);
i18n.addResourceBundle('en', 'translation', { facilities: locale.en }, true, true);

const TABS = ['registry', 'coverage', 'admissions', 'public', 'compounds'] as const;
type Tab = (typeof TABS)[number];

export default function FacilitiesPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'registry';
  const content: Record<Tab, React.ReactNode> = {
    registry: <RegistryTab />,
    coverage: <CoverageTab />,
    admissions: <AdmissionsTab />,
    public: <PublicTab />,
    compounds: <CompoundsTab />,
  };
  return (
    <div data-testid="facilities-page">
      <PageHeader title={t('facilities.title')} sub={t('facilities.sub', { region: me.regionName })} />
      <Tabs
        activeKey={tab}
        destroyOnHidden
        onChange={(k) => setParams({ tab: k }, { replace: true })}
        items={TABS.map((k) => ({ key: k, label: <span data-testid={`tab-${k}`}>{t(`facilities.tabs.${k}`)}</span>, children: content[k] }))}
      />
    </div>
  );
}
