/** Roles of DOMAIN.md "Who uses it". Staff roles see their region and below. */
export const ROLES = [
  'county_admin',
  'township_staff',
  'village_worker',
  'provider_admin',
  'caregiver',
  'assessor',
  'inspector',
  'volunteer',
  'family',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  county_admin: { zh: '民政局管理员', en: 'Civil-affairs admin' },
  township_staff: { zh: '乡镇（街道）工作人员', en: 'Township staff' },
  village_worker: { zh: '村（社区）工作人员', en: 'Village/community worker' },
  provider_admin: { zh: '服务机构管理员', en: 'Provider admin' },
  caregiver: { zh: '护理员', en: 'Caregiver' },
  assessor: { zh: '评估员', en: 'Assessor' },
  inspector: { zh: '监管人员', en: 'Inspector' },
  volunteer: { zh: '志愿者', en: 'Volunteer' },
  family: { zh: '老年人/家属', en: 'Elder or family' },
};

/** Government staff who work the registry of their region. */
export const STAFF: Role[] = ['county_admin', 'township_staff', 'village_worker'];
export const PROVIDER_ROLES: Role[] = ['provider_admin', 'caregiver'];
