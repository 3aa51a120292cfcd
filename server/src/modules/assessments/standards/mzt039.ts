/** MZ/T 039-2013 老年人能力评估 (legacy, still used by many counties): dimension grades (B.1–B.4),
 * overall preliminary level 0–3 and the change clauses of C.3, per docs/STANDARDS.md §2. Its
 * levels are never converted to GB/T 42195 levels. Pure: no I/O, no clock. */
import { badRequest } from '../../../kernel/errors.js';
import {
  assertAnswers,
  assertBandsCover,
  bandOf,
  dimensionMaxima,
  MZT039,
  optionOf,
  type AppliedRule,
  type Band,
  type Bilingual,
  type Provenance,
} from './common.js';
import { MZT039_DIMENSIONS, MZT039_ITEMS } from './mzt039.items.js';
import {
  MZT039_DEMENTIA,
  MZT039_MENTAL_ILLNESS,
  MZT039_RISK_EVENT_CODES,
  MZT039_RISK_EVENTS,
  type Mzt039Dementia,
  type Mzt039MentalIllness,
  type Mzt039Reason,
  type Mzt039RiskEvent,
} from './mzt039.annexA.js';

export type Mzt039Level = 0 | 1 | 2 | 3;
export const MZT039_LEVEL_VALUES = [0, 1, 2, 3] as const;

/** Overall level names (§2.5). */
export const MZT039_LEVELS: Record<Mzt039Level, Bilingual> = {
  0: { zh: '能力完好', en: 'Ability intact' },
  1: { zh: '轻度失能', en: 'Mild disability' },
  2: { zh: '中度失能', en: 'Moderate disability' },
  3: { zh: '重度失能', en: 'Severe disability' },
};

/** Grade names of each dimension (一级指标分级). */
export const MZT039_GRADES: Record<Mzt039Level, Bilingual> = {
  0: { zh: '能力完好', en: 'Intact' },
  1: { zh: '轻度受损', en: 'Mildly impaired' },
  2: { zh: '中度受损', en: 'Moderately impaired' },
  3: { zh: '重度受损', en: 'Severely impaired' },
};

const MAXIMA = dimensionMaxima(MZT039_ITEMS);
/** Derived from the option tables. B.3 is graded by rule, not summed, so it has no maximum. */
export const MZT039_MAXIMA: Readonly<Record<string, number | null>> = { 'B.1': MAXIMA['B.1'], 'B.2': MAXIMA['B.2'], 'B.3': null, 'B.4': MAXIMA['B.4'] };

export const MZT039_COMA_ITEM = 'B.3.1';
export const MZT039_COMA_OPTION = '3';

export interface Mzt039Rules {
  id: string;
  /** B.1 Barthel total → A grade (scores are multiples of 5). */
  adlBands: readonly Band<Mzt039Level>[];
  /** B.2 total → M grade. */
  mentalBands: readonly Band<Mzt039Level>[];
  /** B.4 total → P grade. */
  socialBands: readonly Band<Mzt039Level>[];
  /** Cells of the A×M×S×P matrix a county resolves differently, keyed 'A-M-S-P' (e.g. '1-0-3-0'). */
  overallLevelOverrides: Readonly<Record<string, Mzt039Level>>;
  /** Whether clauses 1 and 2 add one level each (capped at 3) or at most one together. */
  stackChangeRules: boolean;
  /** Clause 2: 'total' sums all event types; 'perType' needs one type to reach the threshold. */
  riskEventCounting: 'total' | 'perType';
  riskEventThreshold: number;
  /** Whether B.2.1 认知功能 = 2 (已确诊认知障碍) is evidence for clause 1. */
  cognitionDiagnosisCountsForClause1: boolean;
  /** Whether items after B.3.1 may be left out when B.3.1 is 昏迷 (the B.3.1 note). */
  comaAllowsSkippingLaterItems: boolean;
  /** “每6个月定期评估一次”. Not read by the scoring. */
  reassessmentIntervalMonths: number | null;
}

export const MZT039_DEFAULT_RULES: Mzt039Rules = {
  id: 'MZ/T 039-2013#default-1',
  adlBands: [
    { min: 100, max: 100, level: 0 },
    { min: 65, max: 95, level: 1 },
    { min: 45, max: 60, level: 2 },
    { min: 0, max: 40, level: 3 },
  ],
  mentalBands: [
    { min: 0, max: 0, level: 0 },
    { min: 1, max: 1, level: 1 },
    { min: 2, max: 3, level: 2 },
    { min: 4, max: 6, level: 3 },
  ],
  socialBands: [
    { min: 0, max: 2, level: 0 },
    { min: 3, max: 7, level: 1 },
    { min: 8, max: 13, level: 2 },
    { min: 14, max: 20, level: 3 },
  ],
  overallLevelOverrides: {},
  stackChangeRules: false,
  riskEventCounting: 'total',
  riskEventThreshold: 2,
  cognitionDiagnosisCountsForClause1: true,
  comaAllowsSkippingLaterItems: true,
  reassessmentIntervalMonths: 6,
};

export const MZT039_RULES_META: Record<Exclude<keyof Mzt039Rules, 'id'>, Provenance> = {
  adlBands: { source: 'STANDARDS.md §2.1 (S8, S10, z03.net)', confidence: 'A' },
  mentalBands: { source: 'STANDARDS.md §2.2 (S8, S10)', confidence: 'A' },
  socialBands: { source: 'STANDARDS.md §2.4 (S8, S10)', confidence: 'A' },
  overallLevelOverrides: {
    source: 'STANDARDS.md §2.5 (S9, szshuncheng.com); severity-first resolution of overlaps and gaps',
    confidence: 'B',
    note: 'The literal table overlaps and has gaps; the default resolution is an interpretation — confirm with the county.',
  },
  stackChangeRules: { source: 'STANDARDS.md §2.6 ambiguities (S8 stacks)', confidence: 'B', note: 'Default false: no stacking.' },
  riskEventCounting: { source: 'STANDARDS.md §2.6 ambiguities', confidence: 'B', note: 'Default total ≥ 2 over all types.' },
  riskEventThreshold: { source: 'STANDARDS.md §2.6 clause 2', confidence: 'A' },
  cognitionDiagnosisCountsForClause1: { source: 'STANDARDS.md §2.6', confidence: 'B' },
  comaAllowsSkippingLaterItems: {
    source: 'STANDARDS.md §2.3 B.3.1 option 3 note “可不进行以下项目的评估”',
    confidence: 'B',
    note: 'The note is [A]; reading “以下项目” as every item after B.3.1 in form order (B.3.2–B.4.5) is an interpretation.',
  },
  reassessmentIntervalMonths: { source: 'STANDARDS.md §2.6 (reassessment)', confidence: 'C', note: 'Commonly cited, not verified.' },
};

export interface Mzt039Info {
  reason: Mzt039Reason;
  dementia: Mzt039Dementia;
  mentalIllness: Mzt039MentalIllness;
  /** Per type 0..3, 3 meaning “3次及以上”. */
  riskEvents30d: Readonly<Record<Mzt039RiskEvent, number>>;
}

export interface Mzt039Input {
  standard: typeof MZT039;
  answers: Readonly<Record<string, string>>;
  info: Mzt039Info;
}

export interface Mzt039DimensionResult {
  code: string;
  zh: string;
  en: string;
  /** Sum of item scores; null for B.3 (graded by rule) and for a dimension skipped under coma. */
  score: number | null;
  max: number | null;
  grade: Mzt039Level | null;
  gradeName: Bilingual | null;
}

export interface Mzt039Result {
  standard: typeof MZT039;
  rulesId: string;
  itemScores: Record<string, number>;
  skippedItems: string[];
  dimensions: Mzt039DimensionResult[];
  preliminaryLevel: Mzt039Level;
  preliminaryLevelName: Bilingual;
  appliedRules: AppliedRule[];
  finalLevel: Mzt039Level;
  levelName: Bilingual;
}

export function resolveMzt039Rules(overrides: Partial<Mzt039Rules> = {}): Mzt039Rules {
  const rules = { ...MZT039_DEFAULT_RULES, ...overrides };
  assertBandsCover('MZ/T 039 adlBands', rules.adlBands, 0, MAXIMA['B.1'], 5);
  assertBandsCover('MZ/T 039 mentalBands', rules.mentalBands, 0, MAXIMA['B.2']);
  assertBandsCover('MZ/T 039 socialBands', rules.socialBands, 0, MAXIMA['B.4']);
  for (const key of Object.keys(rules.overallLevelOverrides)) {
    if (!/^[0-3]-[0-3]-[0-3]-[0-3]$/.test(key)) {
      throw badRequest(
        'ASSESSMENT_RULES',
        `总体等级覆盖项的键“${key}”应形如 A-M-S-P（各0~3）`,
        `overall level override key "${key}" must look like A-M-S-P (each 0..3)`,
      );
    }
  }
  if (!Number.isInteger(rules.riskEventThreshold) || rules.riskEventThreshold < 1) {
    throw badRequest('ASSESSMENT_RULES', '意外事件阈值须为正整数', 'riskEventThreshold must be a positive integer');
  }
  return rules;
}

/** B.3 grade from 意识 C, 视力 V, 听力 H, 沟通 K, most severe first (§2.3). V/H/K may be absent
 * only when C ≥ 2, where they cannot change the grade. */
export function mzt039PerceptionGrade(c: number, v: number | undefined, h: number | undefined, k: number | undefined): Mzt039Level {
  if (c >= 2) return 3;
  if (v === undefined || h === undefined || k === undefined) throw new Error('vision, hearing and communication are needed unless C ≥ 2');
  const vh = Math.max(v, h);
  if (vh === 4 || k === 3) return 3;
  if (c === 1 || vh === 3 || k === 2) return 2;
  if (vh === 2 || k === 1) return 1;
  return 0;
}

export interface Mzt039Grades {
  a: Mzt039Level;
  m: Mzt039Level;
  s: Mzt039Level;
  /** Null only when B.4 was skipped under coma, where S = 3 makes P irrelevant. */
  p: Mzt039Level | null;
}

/** §2.5 overall preliminary level, severity-first, then the county's cell overrides. */
export function mzt039OverallLevel({ a, m, s, p }: Mzt039Grades, overrides: Mzt039Rules['overallLevelOverrides'] = {}): Mzt039Level {
  if (p !== null) {
    const o = overrides[`${a}-${m}-${s}-${p}`];
    if (o !== undefined) return o;
  }
  const anyThree = m === 3 || s === 3 || p === 3;
  const allTwo = m === 2 && s === 2 && p === 2;
  if (a === 3) return 3;
  if (a === 2) return anyThree || allTwo ? 3 : 2;
  if (a === 1) return anyThree || allTwo ? 2 : 1;
  if (p === null && !anyThree) throw new Error('social participation grade needed');
  return m === 0 && s === 0 && p !== null && p <= 1 ? 0 : 1;
}

function checkInfo(info: Mzt039Info): void {
  const bad = MZT039_RISK_EVENT_CODES.filter((t) => !Number.isInteger(info.riskEvents30d[t]) || info.riskEvents30d[t] < 0 || info.riskEvents30d[t] > 3);
  if (bad.length) {
    throw badRequest(
      'ASSESSMENT_INFO',
      `近30天意外事件次数须为0~3（3表示3次及以上）：${bad.map((t) => MZT039_RISK_EVENTS[t].zh).join('、')}`,
      `30-day event counts must be 0..3 (3 meaning 3 or more): ${bad.join(', ')}`,
    );
  }
}

/** Items the assessor may leave out for these answers (the B.3.1 coma note). */
export function mzt039OmittableItems(
  answers: Readonly<Record<string, string>>,
  rules: Pick<Mzt039Rules, 'comaAllowsSkippingLaterItems'> = MZT039_DEFAULT_RULES,
): Set<string> {
  if (!rules.comaAllowsSkippingLaterItems || answers[MZT039_COMA_ITEM] !== MZT039_COMA_OPTION) return new Set();
  const at = MZT039_ITEMS.findIndex((i) => i.code === MZT039_COMA_ITEM);
  return new Set(MZT039_ITEMS.slice(at + 1).map((i) => i.code));
}

export function scoreMzt039(input: Mzt039Input, overrides?: Partial<Mzt039Rules>): Mzt039Result {
  const rules = resolveMzt039Rules(overrides);
  const omittable = mzt039OmittableItems(input.answers, rules);
  assertAnswers(MZT039_ITEMS, input.answers, omittable);
  checkInfo(input.info);

  const itemScores: Record<string, number> = {};
  for (const item of MZT039_ITEMS) {
    const o = optionOf(item, input.answers);
    if (o) itemScores[item.code] = o.score;
  }
  const skippedItems = MZT039_ITEMS.filter((i) => !(i.code in itemScores)).map((i) => i.code);
  const sum = (dim: string): number | null => {
    const items = MZT039_ITEMS.filter((i) => i.dimension === dim);
    return items.every((i) => i.code in itemScores) ? items.reduce((t, i) => t + itemScores[i.code], 0) : null;
  };
  const adl = sum('B.1');
  const mental = sum('B.2');
  const social = sum('B.4');
  // B.1 and B.2 come before B.3.1 on the form, so they are always present.
  const grades: Mzt039Grades = {
    a: bandOf(rules.adlBands, adl!),
    m: bandOf(rules.mentalBands, mental!),
    s: mzt039PerceptionGrade(itemScores['B.3.1'], itemScores['B.3.2'], itemScores['B.3.3'], itemScores['B.3.4']),
    p: social === null ? null : bandOf(rules.socialBands, social),
  };
  const byDim: Record<string, [number | null, Mzt039Level | null]> = {
    'B.1': [adl, grades.a],
    'B.2': [mental, grades.m],
    'B.3': [null, grades.s],
    'B.4': [social, grades.p],
  };
  const dimensions = MZT039_DIMENSIONS.map((d) => {
    const [score, grade] = byDim[d.code];
    return { ...d, score, max: MZT039_MAXIMA[d.code], grade, gradeName: grade === null ? null : MZT039_GRADES[grade] };
  });
  const preliminaryLevel = mzt039OverallLevel(grades, rules.overallLevelOverrides);
  const { finalLevel, appliedRules } = applyClauses(preliminaryLevel, input, itemScores, rules);
  return {
    standard: MZT039,
    rulesId: rules.id,
    itemScores,
    skippedItems,
    dimensions,
    preliminaryLevel,
    preliminaryLevelName: MZT039_LEVELS[preliminaryLevel],
    appliedRules,
    finalLevel,
    levelName: MZT039_LEVELS[finalLevel],
  };
}

/** C.3 clauses 1–4. Clause 4 first: a preliminary 重度失能 is final whatever else holds. */
function applyClauses(prelim: Mzt039Level, input: Mzt039Input, itemScores: Record<string, number>, rules: Mzt039Rules) {
  const { info } = input;
  const fired: { code: string; zh: string; en: string }[] = [];

  const evidence1: [string, string][] = [];
  if (info.dementia !== 'none')
    evidence1.push([`痴呆（${MZT039_DEMENTIA[info.dementia].zh}）`, `dementia (${MZT039_DEMENTIA[info.dementia].en.toLowerCase()})`]);
  if (info.mentalIllness !== 'none')
    evidence1.push([`精神疾病：${MZT039_MENTAL_ILLNESS[info.mentalIllness].zh}`, `mental illness: ${MZT039_MENTAL_ILLNESS[info.mentalIllness].en}`]);
  if (rules.cognitionDiagnosisCountsForClause1 && itemScores['B.2.1'] === 2) evidence1.push(['B.2.1 已确诊为认知障碍', 'B.2.1 diagnosed cognitive impairment']);
  if (evidence1.length) {
    fired.push({
      code: 'R1',
      zh: `有认知障碍/痴呆、精神疾病者，在原有能力级别上提高一个等级（本例：${evidence1.map((e) => e[0]).join('；')}）`,
      en: `Cognitive impairment/dementia or mental illness: raise one level (here: ${evidence1.map((e) => e[1]).join('; ')})`,
    });
  }

  const events = MZT039_RISK_EVENT_CODES.filter((t) => info.riskEvents30d[t] > 0);
  const total = events.reduce((a, t) => a + info.riskEvents30d[t], 0);
  const met = rules.riskEventCounting === 'total' ? total >= rules.riskEventThreshold : events.some((t) => info.riskEvents30d[t] >= rules.riskEventThreshold);
  if (met) {
    const n = (t: Mzt039RiskEvent) => (info.riskEvents30d[t] >= 3 ? '3+' : String(info.riskEvents30d[t]));
    const how = rules.riskEventCounting === 'total' ? ['合计', 'in total'] : ['单项', 'of one type'];
    fired.push({
      code: 'R2',
      zh: `近30天内发生过${rules.riskEventThreshold}次及以上跌倒、噎食、自杀、走失者（${how[0]}），在原有能力级别上提高一个等级（本例：${events.map((t) => `${MZT039_RISK_EVENTS[t].zh}${n(t) === '3+' ? '3次及以上' : `${n(t)}次`}`).join('、')}）`,
      en: `${rules.riskEventThreshold} or more falls, choking, suicide attempts or wandering in the last 30 days (${how[1]}): raise one level (here: ${events.map((t) => `${MZT039_RISK_EVENTS[t].en.toLowerCase()} ×${n(t)}`).join(', ')})`,
    });
  }

  const coma = input.answers[MZT039_COMA_ITEM] === MZT039_COMA_OPTION;
  if (coma)
    fired.push({
      code: 'R3',
      zh: '处于昏迷状态者，直接评定为重度失能（B.3.1 意识水平：昏迷）',
      en: 'In a coma (B.3.1 consciousness: coma): the level is set to 3 “severe disability”',
    });

  if (prelim === 3) {
    if (!fired.length) return { finalLevel: prelim, appliedRules: [] as AppliedRule[] };
    const rule: AppliedRule = {
      code: 'R4',
      zh: `初步等级为“重度失能”，不考虑第1~3条的影响，等级不再提高（已满足：${fired.map((f) => f.code).join('、')}）`,
      en: `Preliminary level is 3 “severe disability”: clauses 1–3 are not considered and the level is not raised (met: ${fired.map((f) => f.code).join(', ')})`,
      levelBefore: 3,
      levelAfter: 3,
    };
    return { finalLevel: prelim, appliedRules: [rule] };
  }
  if (coma) return { finalLevel: 3 as Mzt039Level, appliedRules: [{ ...fired[fired.length - 1], levelBefore: prelim, levelAfter: 3 }] };

  let level: Mzt039Level = prelim;
  const appliedRules: AppliedRule[] = fired.map((f, i) => {
    const before = level;
    const stacks = i === 0 || rules.stackChangeRules;
    if (stacks) level = Math.min(3, level + 1) as Mzt039Level;
    const suffix = !stacks
      ? ['；不叠加：已因其他条款提高一级', '; not stacked: the level was already raised by another clause']
      : before === 3
        ? ['；已为最高等级', '; already at the highest level']
        : ['', ''];
    return { code: f.code, zh: f.zh + suffix[0], en: f.en + suffix[1], levelBefore: before, levelAfter: level };
  });
  return { finalLevel: level, appliedRules };
}
