/** Elder categories that drive benefits, visits and admissions (DOMAIN.md §1). */
export const CATEGORIES = {
  tekun_dispersed: { zh: '特困（分散供养）', en: 'Extreme poverty, living at home' },
  tekun_centralized: { zh: '特困（集中供养）', en: 'Extreme poverty, in a care home' },
  dibao: { zh: '低保', en: 'Minimum living allowance' },
  low_income: { zh: '低收入', en: 'Low income' },
  econ_hardship: { zh: '经济困难', en: 'Economic hardship' },
  empty_nest: { zh: '空巢', en: 'Empty nest' },
  living_alone: { zh: '独居', en: 'Living alone' },
  left_behind: { zh: '留守', en: 'Left behind' },
  severe_disability: { zh: '重残', en: 'Severe disability' },
  fp_special: { zh: '计划生育特殊家庭', en: 'Family-planning special family' },
  entitled_care: { zh: '优抚对象', en: 'Entitled group (veterans etc.)' },
  willing_centralized: { zh: '有集中供养意愿', en: 'Willing to live in a care home' },
} as const;
export type Category = keyof typeof CATEGORIES;
export const CATEGORY_CODES = Object.keys(CATEGORIES) as Category[];

export const LIVING = {
  alone: '独居',
  spouse: '与配偶同住',
  children: '与子女同住',
  spouse_children: '与配偶和子女同住',
  others: '与其他人同住',
  institution: '入住机构',
} as const;
