/** Strings of the phone pages of home services: the caregiver's tasks, the elder's own page and
 * the family's quote. Merged under `services.phone` (deep), beside ./locale. */
import i18n from '../../kernel/i18n';
import type { Shape } from '../../kernel/locale';

export const zh = {
  farTitle: '签到位置异常',
  farHint: '如确实在老人身边（例如老人临时住在子女家、在卫生室），请写明原因后签到；原因会随签到记录交服务机构和工作人员核实。',
  farReason: '原因（必填）',
  farSubmit: '说明原因并签到',
  farCancel: '暂不签到',
  flagged: '本单有异常，服务机构和工作人员会核实',
  map: '地图导航',
  photoCount: '已上传照片 {{n}} 张',
  week: '本周安排',
  weekNone: '未来 7 天没有其他安排',
  today: '今天',
  weekdays: '周日,周一,周二,周三,周四,周五,周六',
  // The elder's own page (老人本人账号).
  hello: '{{name}}，您好',
  elderSub: '这是您自己的服务页面',
  booked: '我约的服务',
  noBooked: '目前没有约好的服务',
  comes: '{{date}} {{time}} 上门',
  carer: '护理员：{{name}}',
  noCarer: '正在安排护理员',
  orderMore: '再约一次服务',
  elderOrderTitle: '给自己约服务',
  // The family's order form.
  forWhom: '为 {{name}} 下单',
  address: '上门地址：{{address}}',
  noAddress: '上门地址：未登记，请联系村（社区）工作人员',
  // The quote in one plain sentence.
  quoteAll: '{{name}}本月还有政府服务额度 {{left}}，这次服务全部由政府支付。',
  quotePart: '{{name}}本月政府服务额度只剩 {{left}}，不够的部分由您自付。',
  quoteUsed: '{{name}}本月政府服务额度 {{budget}} 已经用完，这次由您自付。',
  quoteNone: '{{name}}本月没有政府服务补贴，费用由您自付。',
  quoteMore: '查看补贴依据',
  quoteLess: '收起',
  subsidy: '政府补贴',
  selfPay: '自付',
  fee: '服务费 {{amount}}',
  you: '您',
};

export const en: Shape<typeof zh> = {
  farTitle: 'Check-in location is unusual',
  farHint:
    'If you really are with the elder (e.g. staying with a child, at the clinic), give the reason and check in; the reason goes with the check-in to the provider and staff.',
  farReason: 'Reason (required)',
  farSubmit: 'Give the reason and check in',
  farCancel: 'Not now',
  flagged: 'This order is flagged; the provider and staff will check it',
  map: 'Open in maps',
  photoCount: '{{n}} photo(s) added',
  week: 'This week',
  weekNone: 'Nothing else in the next 7 days',
  today: 'Today',
  weekdays: 'Sun,Mon,Tue,Wed,Thu,Fri,Sat',
  hello: 'Hello, {{name}}',
  elderSub: 'Your own services page',
  booked: 'My booked services',
  noBooked: 'Nothing booked at the moment',
  comes: 'Visit on {{date}} at {{time}}',
  carer: 'Caregiver: {{name}}',
  noCarer: 'A caregiver is being arranged',
  orderMore: 'Book a service',
  elderOrderTitle: 'Book a service for myself',
  forWhom: 'Order for {{name}}',
  address: 'Visit address: {{address}}',
  noAddress: 'Visit address: not on record; ask the village or community worker',
  quoteAll: 'Government service budget left this month ({{name}}): {{left}}, so the government pays all of this service.',
  quotePart: 'Government service budget left this month ({{name}}): only {{left}}, so you pay the rest.',
  quoteUsed: 'Government service budget this month ({{name}}): {{budget}}, all used, so you pay this one.',
  quoteNone: 'No government service subsidy this month ({{name}}), so you pay.',
  quoteMore: 'Why (the subsidy rules)',
  quoteLess: 'Hide',
  subsidy: 'Government subsidy',
  selfPay: 'You pay',
  fee: 'Service fee {{amount}}',
  you: 'You',
};

i18n.addResourceBundle('zh', 'translation', { services: { phone: zh } }, true, true);
i18n.addResourceBundle('en', 'translation', { services: { phone: en } }, true, true);
