/** The platform's modules as users see them in the navigation: the eleven capabilities of
 * DOMAIN.md plus administration. `ready` flips when a module lands; the web shows the others
 * as "under construction" pages rather than dead links. */
export interface ModuleEntry {
  key: string;
  zh: string;
  en: string;
  group: 'work' | 'admin';
  status: 'ready' | 'planned';
  /** Roles that see it in the navigation. */
  roles: string[] | 'all-staff';
  note?: string;
  noteEn?: string;
}

export const MODULES: ModuleEntry[] = [
  {
    key: 'overview',
    zh: '工作台',
    en: 'Overview',
    group: 'work',
    status: 'ready',
    roles: ['county_admin', 'township_staff', 'village_worker', 'assessor', 'inspector', 'provider_admin'],
  },
  {
    key: 'elders',
    zh: '老年人档案与能力评估',
    en: 'Elders & assessment',
    group: 'work',
    status: 'ready',
    roles: ['county_admin', 'township_staff', 'village_worker', 'assessor', 'inspector'],
  },
  {
    key: 'benefits',
    zh: '基本养老服务清单与补贴',
    en: 'Service list & benefits',
    group: 'work',
    status: 'ready',
    roles: ['county_admin', 'township_staff', 'village_worker'],
  },
  {
    key: 'services',
    zh: '居家社区服务',
    en: 'Home & community services',
    group: 'work',
    status: 'ready',
    roles: ['county_admin', 'township_staff', 'village_worker', 'provider_admin', 'caregiver', 'inspector', 'family'],
  },
  { key: 'facilities', zh: '机构床位与入住轮候', en: 'Facilities, beds & admissions', group: 'work', status: 'ready', roles: 'all-staff' },
  { key: 'visits', zh: '探访关爱与安全监测', en: 'Visits & safety', group: 'work', status: 'planned', roles: 'all-staff' },
  { key: 'meals', zh: '老年助餐', en: 'Meal assistance', group: 'work', status: 'planned', roles: 'all-staff' },
  { key: 'timebank', zh: '时间银行', en: 'Volunteer time bank', group: 'work', status: 'planned', roles: 'all-staff' },
  { key: 'supervision', zh: '综合监管', en: 'Supervision', group: 'work', status: 'planned', roles: ['county_admin', 'township_staff', 'inspector'] },
  { key: 'workforce', zh: '养老人才队伍', en: 'Workforce', group: 'work', status: 'planned', roles: ['county_admin', 'township_staff', 'provider_admin'] },
  {
    key: 'indicators',
    zh: '规划指标与评估报告',
    en: 'Plan indicators & reports',
    group: 'work',
    status: 'ready',
    roles: ['county_admin', 'township_staff'],
    note: '规划指标实时值、监测看板、大屏与年度/中期/终期评估报告已上线；各业务模块的指标随模块上线',
    noteEn: 'Live plan indicators, dashboard, big screen and annual/mid-term/final reports are in; each module adds its metrics as it lands',
  },
  { key: 'more', zh: '适老化改造等其他服务', en: 'Adaptations & other services', group: 'work', status: 'planned', roles: 'all-staff' },
  { key: 'family', zh: '我的家人', en: 'My family', group: 'work', status: 'ready', roles: ['family'] },
  { key: 'regions', zh: '行政区划', en: 'Regions', group: 'admin', status: 'ready', roles: ['county_admin', 'township_staff', 'village_worker'] },
  { key: 'users', zh: '用户与权限', en: 'Users & roles', group: 'admin', status: 'ready', roles: ['county_admin'] },
  { key: 'audit', zh: '审计日志', en: 'Audit log', group: 'admin', status: 'ready', roles: ['county_admin'] },
];
