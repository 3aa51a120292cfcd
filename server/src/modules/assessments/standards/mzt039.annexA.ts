/** MZ/T 039-2013 Annex A fields read by the change clauses (STANDARDS.md §2.6): A.1.3 评估原因,
 * A.2 痴呆 / 精神疾病 / 近30天内意外事件. Form codes kept for import/export of paper forms. */
import type { Provenance } from './common.js';

export const MZT039_ANNEX_A_META: Provenance = {
  source: 'STANDARDS.md §2.6 (MZ/T 039-2013 A.1.3, A.2; S8, S10)',
  confidence: 'A',
};

/** A.1.3 评估原因. */
export const MZT039_REASONS = {
  initial: { form: 1, zh: '接受服务前初评', en: 'Initial assessment before services' },
  routine: { form: 2, zh: '接受服务后的常规评估', en: 'Routine assessment while receiving services' },
  status_change: { form: 3, zh: '状况发生变化后的即时评估', en: 'Immediate assessment after a change of condition' },
  review: { form: 4, zh: '因评估结果有疑问进行的复评', en: 'Review because the result was disputed' },
} as const;
export type Mzt039Reason = keyof typeof MZT039_REASONS;
export const MZT039_REASON_CODES = Object.keys(MZT039_REASONS) as [Mzt039Reason, ...Mzt039Reason[]];

/** A.2 痴呆. */
export const MZT039_DEMENTIA = {
  none: { form: 0, zh: '无', en: 'None' },
  mild: { form: 1, zh: '轻度', en: 'Mild' },
  moderate: { form: 2, zh: '中度', en: 'Moderate' },
  severe: { form: 3, zh: '重度', en: 'Severe' },
} as const;
export type Mzt039Dementia = keyof typeof MZT039_DEMENTIA;
export const MZT039_DEMENTIA_CODES = Object.keys(MZT039_DEMENTIA) as [Mzt039Dementia, ...Mzt039Dementia[]];

/** A.2 精神疾病. */
export const MZT039_MENTAL_ILLNESS = {
  none: { form: 0, zh: '无', en: 'None' },
  schizophrenia: { form: 1, zh: '精神分裂症', en: 'Schizophrenia' },
  bipolar: { form: 2, zh: '双相情感障碍', en: 'Bipolar disorder' },
  paranoid: { form: 3, zh: '偏执性精神障碍', en: 'Paranoid disorder' },
  schizoaffective: { form: 4, zh: '分裂情感性障碍', en: 'Schizoaffective disorder' },
  epilepsy_related: { form: 5, zh: '癫痫所致精神障碍', en: 'Mental disorder due to epilepsy' },
  retardation_related: { form: 6, zh: '精神发育迟滞伴发精神障碍', en: 'Mental disorder with intellectual disability' },
} as const;
export type Mzt039MentalIllness = keyof typeof MZT039_MENTAL_ILLNESS;
export const MZT039_MENTAL_ILLNESS_CODES = Object.keys(MZT039_MENTAL_ILLNESS) as [Mzt039MentalIllness, ...Mzt039MentalIllness[]];

/** A.2 近30天内意外事件: per type 0 无 / 1 发生过1次 / 2 发生过2次 / 3 发生过3次及以上. */
export const MZT039_RISK_EVENTS = {
  fall: { zh: '跌倒', en: 'Fall' },
  choke: { zh: '噎食', en: 'Choking' },
  wander: { zh: '走失', en: 'Wandering (getting lost)' },
  suicide: { zh: '自杀', en: 'Suicide attempt' },
} as const;
export type Mzt039RiskEvent = keyof typeof MZT039_RISK_EVENTS;
export const MZT039_RISK_EVENT_CODES = Object.keys(MZT039_RISK_EVENTS) as [Mzt039RiskEvent, ...Mzt039RiskEvent[]];
