/** Strings of the family pages (我的家人) and of opening a family account from a contact. */
import type { Shape } from '../../kernel/locale';

export const zh = {
  title: '我的家人',
  sub: '您作为家属关联的老年人',
  none: '您的账号还没有关联老年人，请联系村（社区）工作人员。',
  age: '{{age}} 岁',
  ability: '能力等级',
  noAbility: '无有效评估',
  validUntil: '有效期至 {{date}}',
  categories: '人员类别',
  open: '开通家属账号',
  hasAccount: '已开通',
  openTitle: '为 {{name}} 开通家属账号',
  openHint: '家属登录后只能查看与其关联的老年人；首次登录须修改密码。',
  username: '用户名',
  password: '初始密码',
  opened: '已开通家属账号 {{username}}',
  account: '家属账号',
};

export const en: Shape<typeof zh> = {
  title: 'My family',
  sub: 'The elders you are linked to as a family member',
  none: 'Your account is not linked to an elder yet; ask your village or community worker.',
  age: '{{age}} years',
  ability: 'Ability level',
  noAbility: 'No valid assessment',
  validUntil: 'valid until {{date}}',
  categories: 'Categories',
  open: 'Open a family account',
  hasAccount: 'Has an account',
  openTitle: 'Open a family account for {{name}}',
  openHint: 'The family member will see only the elders they are linked to, and must change the password at first sign-in.',
  username: 'Username',
  password: 'Initial password',
  opened: 'Family account {{username}} opened',
  account: 'Family account',
};
