import type { Shape } from '../../kernel/locale';

export const zh = {
  title: '工作台',
  sub: '{{region}} · 在册老年人概况',
  elders: '老年人总数',
  over80: '80周岁以上',
  tekun: '特困人员',
  dibao: '低保对象',
  livingAlone: '独居老人',
  share: '占 {{pct}}',
  chartTitle: '按{{level}}分布',
  tableTitle: '各{{level}}统计',
  region: '区划',
  code: '区划代码',
  total: '合计',
  person: '人',
  noAccess: '工作台统计仅对民政工作人员、评估和监管人员开放，请从左侧菜单进入您的业务模块。',
  welcome: '欢迎，{{name}}',
};

export const en: Shape<typeof zh> = {
  title: 'Overview',
  sub: '{{region}} · registered older residents',
  elders: 'Older residents',
  over80: 'Aged 80+',
  tekun: 'Extreme poverty',
  dibao: 'Minimum allowance',
  livingAlone: 'Living alone',
  share: '{{pct}} of all',
  chartTitle: 'By {{level}}',
  tableTitle: 'Figures by {{level}}',
  region: 'Region',
  code: 'Code',
  total: 'Total',
  person: '',
  noAccess: 'The overview figures are for civil-affairs staff, assessors and inspectors; open your work module from the menu.',
  welcome: 'Welcome, {{name}}',
};
