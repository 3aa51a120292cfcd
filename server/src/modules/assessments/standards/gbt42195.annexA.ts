/** GB/T 42195-2022 Annex A 基本信息表: only the fields the level rules read (STANDARDS.md §1.4–§1.5):
 * A.1 评估原因, A.2.14 近30天内照护风险事件, A.4.1 疾病诊断 (ICD-10 groups), A.5.11 昏迷. */
import { icd10Category, inIcdRange, type Provenance } from './common.js';

export const GB42195_ANNEX_A_META: Provenance = {
  source: 'STANDARDS.md §1.5 (GB/T 42195-2022 附录A; S1, S2, S3, S5)',
  confidence: 'A',
};

/** A.1 评估原因. */
export const GB42195_REASONS = {
  first: { zh: '首次评估', en: 'First assessment' },
  routine: { zh: '常规评估', en: 'Routine reassessment' },
  immediate: { zh: '即时评估', en: 'Immediate assessment (status changed)' },
  review: { zh: '因对评估结果有疑问进行的复评', en: 'Review because the result was disputed' },
  other: { zh: '其他', en: 'Other' },
} as const;
export type Gb42195Reason = keyof typeof GB42195_REASONS;
export const GB42195_REASON_CODES = Object.keys(GB42195_REASONS) as [Gb42195Reason, ...Gb42195Reason[]];

/** A.2.14 近30天内照护风险事件: per type 0 无 / 1 发生过1次 / 2 发生过2次 / 3 发生过3次及以上. */
export const GB42195_RISK_EVENTS = {
  fall: { zh: '跌倒', en: 'Fall' },
  wander: { zh: '走失', en: 'Wandering (getting lost)' },
  choke: { zh: '噎食', en: 'Choking' },
  suicide_self_harm: { zh: '自杀、自伤', en: 'Suicide or self-harm' },
  other: { zh: '其他', en: 'Other' },
} as const;
export type Gb42195RiskEvent = keyof typeof GB42195_RISK_EVENTS;
export const GB42195_RISK_EVENT_CODES = Object.keys(GB42195_RISK_EVENTS) as [Gb42195RiskEvent, ...Gb42195RiskEvent[]];
/** 3 stands for “3次及以上”. */
export const RISK_EVENT_COUNT_MAX = 3;

export interface DiagnosisGroup {
  zh: string;
  en: string;
  /** ICD-10 category range, inclusive; absent where the form names no code. */
  icd10?: readonly [string, string];
}

/** A.4.1 疾病诊断 (multi-select). Order matters only for display. */
export const GB42195_DIAGNOSIS_GROUPS = {
  hypertension: { zh: '高血压病', en: 'Hypertension', icd10: ['I10', 'I15'] },
  coronary_heart_disease: { zh: '冠心病', en: 'Coronary heart disease', icd10: ['I25', 'I25'] },
  diabetes: { zh: '糖尿病', en: 'Diabetes', icd10: ['E10', 'E14'] },
  pneumonia: { zh: '肺炎', en: 'Pneumonia', icd10: ['J12', 'J18'] },
  copd: { zh: '慢性阻塞性肺疾病', en: 'COPD', icd10: ['J44', 'J44'] },
  cerebral_haemorrhage: { zh: '脑出血', en: 'Cerebral haemorrhage', icd10: ['I60', 'I62'] },
  cerebral_infarction: { zh: '脑梗塞', en: 'Cerebral infarction', icd10: ['I63', 'I63'] },
  urinary_tract_infection: { zh: '尿路感染（30天内）', en: 'Urinary tract infection (within 30 days)' },
  parkinsonism: { zh: '帕金森综合征', en: 'Parkinsonism', icd10: ['G20', 'G22'] },
  chronic_renal_failure: { zh: '慢性肾衰竭', en: 'Chronic renal failure', icd10: ['N18', 'N19'] },
  cirrhosis: { zh: '肝硬化', en: 'Liver cirrhosis', icd10: ['K74', 'K74'] },
  peptic_ulcer: { zh: '消化性溃疡', en: 'Peptic ulcer', icd10: ['K20', 'K31'] },
  tumour: { zh: '肿瘤', en: 'Neoplasm', icd10: ['C00', 'D48'] },
  amputation: { zh: '截肢（6个月内）', en: 'Amputation (within 6 months)' },
  fracture: { zh: '骨折（3个月内）', en: 'Fracture (within 3 months)', icd10: ['M84', 'M84'] },
  epilepsy: { zh: '癫痫', en: 'Epilepsy', icd10: ['G40', 'G40'] },
  hypothyroidism: { zh: '甲状腺功能减退症', en: 'Hypothyroidism', icd10: ['E01', 'E03'] },
  cataract: { zh: '白内障', en: 'Cataract', icd10: ['H25', 'H26'] },
  glaucoma: { zh: '青光眼', en: 'Glaucoma', icd10: ['H40', 'H42'] },
  osteoporosis: { zh: '骨质疏松症', en: 'Osteoporosis', icd10: ['M80', 'M82'] },
  dementia: { zh: '痴呆', en: 'Dementia', icd10: ['F00', 'F03'] },
  other_mental_behavioural: { zh: '其他精神和行为障碍', en: 'Other mental and behavioural disorders', icd10: ['F04', 'F99'] },
  other: { zh: '其他', en: 'Other' },
} as const satisfies Record<string, DiagnosisGroup>;
export type Gb42195DiagnosisGroup = keyof typeof GB42195_DIAGNOSIS_GROUPS;
export const GB42195_DIAGNOSIS_GROUP_CODES = Object.keys(GB42195_DIAGNOSIS_GROUPS) as [Gb42195DiagnosisGroup, ...Gb42195DiagnosisGroup[]];

/** Groups that R2 reads; the psychiatrist condition applies to the second only. */
export const R2_DEMENTIA_GROUP: Gb42195DiagnosisGroup = 'dementia';
export const R2_PSYCHIATRIC_GROUP: Gb42195DiagnosisGroup = 'other_mental_behavioural';

/** The A.4.1 group an ICD-10 code falls in; codes outside every named range are 'other'. */
export function diagnosisGroupOf(icd10: string): Gb42195DiagnosisGroup {
  for (const code of GB42195_DIAGNOSIS_GROUP_CODES) {
    const g: DiagnosisGroup = GB42195_DIAGNOSIS_GROUPS[code];
    if (g.icd10 && inIcdRange(icd10, g.icd10)) return code;
  }
  return 'other';
}

/** Letter + two digits, optionally a subdivision (F02, F02.1, f021, F03.90). */
export const ICD10_PATTERN = /^[A-Za-z][0-9]{2}(\.?[0-9A-Za-z]{1,4})?$/;

export interface Gb42195Diagnosis {
  /** The A.4.1 box ticked. May be left out when `icd10` is given: it is then derived. */
  group?: Gb42195DiagnosisGroup;
  icd10?: string;
  /** 精神科专科医生诊断; R2 needs it for F04~F99, not for dementia. */
  byPsychiatrist?: boolean;
}

/** The group a diagnosis counts under, or a bilingual reason why group and code disagree. */
export function resolveDiagnosis(d: Gb42195Diagnosis): { group: Gb42195DiagnosisGroup } | { zh: string; en: string } {
  if (!d.icd10) {
    return d.group ? { group: d.group } : { zh: '疾病诊断须填写类别或ICD-10编码', en: 'a diagnosis needs a group or an ICD-10 code' };
  }
  const derived = diagnosisGroupOf(d.icd10);
  if (!d.group || d.group === derived) return { group: derived };
  const named: DiagnosisGroup = GB42195_DIAGNOSIS_GROUPS[d.group];
  // A code outside every named range may sit under a box that names no range (e.g. 尿路感染).
  if (derived === 'other' && !named.icd10) return { group: d.group };
  const cat = icd10Category(d.icd10);
  const expected = GB42195_DIAGNOSIS_GROUPS[derived];
  return {
    zh: `ICD-10 编码 ${cat} 属于“${expected.zh}”，与所选类别“${named.zh}”不符`,
    en: `ICD-10 code ${cat} belongs to "${expected.en}", not to the chosen group "${named.en}"`,
  };
}
