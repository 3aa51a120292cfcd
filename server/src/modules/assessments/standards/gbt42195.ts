/** GB/T 42195-2022 老年人能力评估规范: scores (Annex B), preliminary level (C.2/C.3), change
 * rules R1–R3 (C.4) and final level (C.5), per docs/STANDARDS.md §1. Pure: no I/O, no clock. */
import { badRequest } from '../../../kernel/errors.js';
import {
  assertAnswers,
  assertBandsCover,
  bandOf,
  dimensionMaxima,
  GB42195,
  icd10Category,
  optionOf,
  type AppliedRule,
  type Band,
  type Bilingual,
  type Provenance,
} from './common.js';
import { GB42195_DIMENSIONS, GB42195_ITEMS } from './gbt42195.items.js';
import {
  GB42195_RISK_EVENT_CODES,
  GB42195_RISK_EVENTS,
  R2_DEMENTIA_GROUP,
  R2_PSYCHIATRIC_GROUP,
  RISK_EVENT_COUNT_MAX,
  resolveDiagnosis,
  type Gb42195Diagnosis,
  type Gb42195Reason,
  type Gb42195RiskEvent,
} from './gbt42195.annexA.js';

export type Gb42195Level = 0 | 1 | 2 | 3 | 4;
export const GB42195_LEVEL_VALUES = [0, 1, 2, 3, 4] as const;

/** Level names as the standard gives them (§1.3; S7 confirms the five names). */
export const GB42195_LEVELS: Record<Gb42195Level, Bilingual> = {
  0: { zh: '能力完好', en: 'Ability intact' },
  1: { zh: '能力轻度受损（轻度失能）', en: 'Ability mildly impaired (mild disability)' },
  2: { zh: '能力中度受损（中度失能）', en: 'Ability moderately impaired (moderate disability)' },
  3: { zh: '能力重度受损（重度失能）', en: 'Ability severely impaired (severe disability)' },
  4: { zh: '能力完全丧失（完全失能）', en: 'Ability completely lost (total disability)' },
};

const MAXIMA = dimensionMaxima(GB42195_ITEMS);
/** Derived from the option tables: B.1 32, B.2 15, B.3 28, B.4 15, total 90. */
export const GB42195_MAXIMA: { dimensions: Readonly<Record<string, number>>; total: number } = {
  dimensions: MAXIMA,
  total: Object.values(MAXIMA).reduce((a, b) => a + b, 0),
};

/** The county-overridable part of the standard. Defaults follow STANDARDS.md; see the metadata
 * for the confidence of each value. */
export interface Gb42195Rules {
  /** Version id of this rule set, stored with every result. */
  id: string;
  /** When the standard took effect in this county; STANDARDS has no verified date [C]. */
  effectiveFrom: string | null;
  /** Total score → preliminary level (C.2/C.3). Must cover 0..90 exactly once. */
  levelBands: readonly Band<Gb42195Level>[];
  /** Whether R2 and R3 add one level each (true) or at most one together (false). */
  stackChangeRules: boolean;
  /** Level set by R1 (昏迷). C.4 says 完全失能; S1's B.3.9 note says 重度失能. */
  comaLevel: Gb42195Level;
  /** Care-risk events in 30 days, summed over all types, that trigger R3. */
  riskEventThreshold: number;
  /** Routine reassessment interval; not in the sources. Not read by the scoring. */
  reassessmentIntervalMonths: number | null;
}

export const GB42195_DEFAULT_RULES: Gb42195Rules = {
  id: 'GB/T 42195-2022#default-1',
  effectiveFrom: null,
  levelBands: [
    { min: 90, max: 90, level: 0 },
    { min: 66, max: 89, level: 1 },
    { min: 46, max: 65, level: 2 },
    { min: 30, max: 45, level: 3 },
    { min: 0, max: 29, level: 4 },
  ],
  stackChangeRules: false,
  comaLevel: 4,
  riskEventThreshold: 2,
  reassessmentIntervalMonths: null,
};

export const GB42195_RULES_META: Record<Exclude<keyof Gb42195Rules, 'id'>, Provenance> = {
  effectiveFrom: { source: 'STANDARDS.md §1 (issue/effective dates)', confidence: 'C', note: 'Check the official record; set per county.' },
  levelBands: { source: 'STANDARDS.md §1.3 (S2 defaultAbilityLevelRules, S3, S7)', confidence: 'A' },
  stackChangeRules: {
    source: 'STANDARDS.md §1.4 implementation notes (S6 “满足以下任一条件…上调一个能力等级”; S2, S5 apply max +1)',
    confidence: 'B',
    note: 'Default false: R2 and R3 together raise one level.',
  },
  comaLevel: {
    source: 'STANDARDS.md §1.4 R1 (S2, S3, S4, S6) vs §1.2 B.3.9 note (S1)',
    confidence: 'B',
    note: 'Sources conflict (完全失能 4 vs 重度失能 3); 4 implemented, confirm against the PDF.',
  },
  riskEventThreshold: { source: 'STANDARDS.md §1.4 R3 (S2, S3, S4, S6); sum over types per S2', confidence: 'A' },
  reassessmentIntervalMonths: { source: 'STANDARDS.md §1.6', confidence: 'GAP', note: 'Not found for GB/T 42195; configure per county.' },
};

export interface Gb42195Info {
  reason: Gb42195Reason;
  diagnoses: readonly Gb42195Diagnosis[];
  /** Per type 0..3, 3 meaning “3次及以上”. Every type is answered (无 = 0). */
  riskEvents30d: Readonly<Record<Gb42195RiskEvent, number>>;
  /** A.5.11 昏迷 (无/有). */
  comaA511: boolean;
}

export interface Gb42195Input {
  standard: typeof GB42195;
  /** Item code → option code, all 26 items. */
  answers: Readonly<Record<string, string>>;
  info: Gb42195Info;
}

export interface DimensionScore {
  code: string;
  zh: string;
  en: string;
  score: number;
  max: number;
}

export interface Gb42195Result {
  standard: typeof GB42195;
  rulesId: string;
  itemScores: Record<string, number>;
  dimensions: DimensionScore[];
  total: number;
  maxTotal: number;
  preliminaryLevel: Gb42195Level;
  preliminaryLevelName: Bilingual;
  appliedRules: AppliedRule[];
  finalLevel: Gb42195Level;
  levelName: Bilingual;
}

/** Defaults with a county's overrides, checked: a band table with a gap or overlap is refused. */
export function resolveGb42195Rules(overrides: Partial<Gb42195Rules> = {}): Gb42195Rules {
  const rules = { ...GB42195_DEFAULT_RULES, ...overrides };
  assertBandsCover('GB/T 42195 levelBands', rules.levelBands, 0, GB42195_MAXIMA.total);
  if (!Number.isInteger(rules.riskEventThreshold) || rules.riskEventThreshold < 1) {
    throw badRequest('ASSESSMENT_RULES', '照护风险事件阈值须为正整数', 'riskEventThreshold must be a positive integer');
  }
  return rules;
}

export function gb42195PreliminaryLevel(total: number, rules: Pick<Gb42195Rules, 'levelBands'> = GB42195_DEFAULT_RULES): Gb42195Level {
  return bandOf(rules.levelBands, total);
}

const raise = (level: Gb42195Level): Gb42195Level => Math.min(4, level + 1) as Gb42195Level;

function checkInfo(info: Gb42195Info): void {
  const problems: string[][] = [];
  for (const d of info.diagnoses) {
    const r = resolveDiagnosis(d);
    if (!('group' in r)) problems.push([r.zh, r.en]);
  }
  for (const t of GB42195_RISK_EVENT_CODES) {
    const n = info.riskEvents30d[t];
    if (!Number.isInteger(n) || n < 0 || n > RISK_EVENT_COUNT_MAX) {
      problems.push([`近30天${GB42195_RISK_EVENTS[t].zh}次数须为0~3（3表示3次及以上）`, `30-day count of ${t} must be 0..3 (3 meaning 3 or more)`]);
    }
  }
  if (problems.length) {
    throw badRequest('ASSESSMENT_INFO', problems.map((p) => p[0]).join('；'), problems.map((p) => p[1]).join('; '));
  }
}

/** Scores a complete GB/T 42195-2022 assessment. */
export function scoreGb42195(input: Gb42195Input, overrides?: Partial<Gb42195Rules>): Gb42195Result {
  const rules = resolveGb42195Rules(overrides);
  assertAnswers(GB42195_ITEMS, input.answers);
  checkInfo(input.info);

  const itemScores: Record<string, number> = {};
  for (const item of GB42195_ITEMS) itemScores[item.code] = optionOf(item, input.answers)!.score;
  const dimensions = GB42195_DIMENSIONS.map((d) => ({
    ...d,
    score: GB42195_ITEMS.filter((i) => i.dimension === d.code).reduce((a, i) => a + itemScores[i.code], 0),
    max: GB42195_MAXIMA.dimensions[d.code],
  }));
  const total = dimensions.reduce((a, d) => a + d.score, 0);
  const preliminaryLevel = gb42195PreliminaryLevel(total, rules);
  const { finalLevel, appliedRules } = applyChangeRules(preliminaryLevel, input, rules);
  return {
    standard: GB42195,
    rulesId: rules.id,
    itemScores,
    dimensions,
    total,
    maxTotal: GB42195_MAXIMA.total,
    preliminaryLevel,
    preliminaryLevelName: GB42195_LEVELS[preliminaryLevel],
    appliedRules,
    finalLevel,
    levelName: GB42195_LEVELS[finalLevel],
  };
}

/** C.4: R1 decides alone; otherwise R2 and R3 raise, stacking only when the county says so. */
function applyChangeRules(prelim: Gb42195Level, input: Gb42195Input, rules: Gb42195Rules): { finalLevel: Gb42195Level; appliedRules: AppliedRule[] } {
  const { info, answers } = input;
  const comaByItem = answers['B.3.9'] === 'coma';
  if (info.comaA511 || comaByItem) {
    const to = GB42195_LEVELS[rules.comaLevel];
    const via = [
      info.comaA511 ? ['A.5.11 昏迷：有', 'A.5.11 coma: yes'] : null,
      comaByItem ? ['B.3.9 意识水平：昏迷', 'B.3.9 consciousness: coma'] : null,
    ].filter((x): x is string[] => x !== null);
    const rule: AppliedRule = {
      code: 'R1',
      zh: `处于昏迷状态者，直接评定为${to.zh}（依据：${via.map((v) => v[0]).join('；')}）`,
      en: `In a coma: the level is set to ${rules.comaLevel} “${to.en}” whatever the score (evidence: ${via.map((v) => v[1]).join('; ')})`,
      levelBefore: prelim,
      levelAfter: rules.comaLevel,
    };
    return { finalLevel: rules.comaLevel, appliedRules: [rule] };
  }

  const fired: { code: string; zh: string; en: string }[] = [];
  const groups = info.diagnoses.map((d) => {
    const r = resolveDiagnosis(d);
    return { d, group: 'group' in r ? r.group : undefined };
  });
  const dementia = groups.filter((g) => g.group === R2_DEMENTIA_GROUP);
  const psych = groups.filter((g) => g.group === R2_PSYCHIATRIC_GROUP && g.d.byPsychiatrist === true);
  if (dementia.length || psych.length) {
    const label = (g: (typeof groups)[number], zh: boolean) =>
      (g.group === R2_DEMENTIA_GROUP
        ? zh
          ? '痴呆'
          : 'dementia'
        : zh
          ? '精神科专科医生诊断的精神和行为障碍'
          : 'mental/behavioural disorder diagnosed by a psychiatrist') + (g.d.icd10 ? ` ${icd10Category(g.d.icd10)}` : '');
    const found = [...dementia, ...psych];
    fired.push({
      code: 'R2',
      zh: `确诊为痴呆（F00~F03）、精神科专科医生诊断的其他精神和行为障碍疾病（F04~F99），在原有能力级别上提高一个级别（本例：${found.map((g) => label(g, true)).join('、')}）`,
      en: `Diagnosed dementia (F00–F03) or another mental/behavioural disorder (F04–F99) diagnosed by a psychiatrist: raise one level (here: ${found.map((g) => label(g, false)).join(', ')})`,
    });
  }
  const events = GB42195_RISK_EVENT_CODES.filter((t) => info.riskEvents30d[t] > 0);
  const eventTotal = events.reduce((a, t) => a + info.riskEvents30d[t], 0);
  if (eventTotal >= rules.riskEventThreshold) {
    const n = (t: Gb42195RiskEvent) => (info.riskEvents30d[t] >= RISK_EVENT_COUNT_MAX ? `${RISK_EVENT_COUNT_MAX}+` : String(info.riskEvents30d[t]));
    fired.push({
      code: 'R3',
      zh: `近30天内发生过${rules.riskEventThreshold}次及以上照护风险事件（如跌倒、噎食、自杀、自伤、走失等），在原有能力级别上提高一个等级（本例合计${eventTotal}次：${events.map((t) => `${GB42195_RISK_EVENTS[t].zh}${n(t) === '3+' ? '3次及以上' : `${n(t)}次`}`).join('、')}）`,
      en: `${rules.riskEventThreshold} or more care-risk events in the last 30 days (falls, choking, suicide/self-harm, wandering, …): raise one level (here ${eventTotal} in total: ${events.map((t) => `${GB42195_RISK_EVENTS[t].en.toLowerCase()} ×${n(t)}`).join(', ')})`,
    });
  }

  let level = prelim;
  const appliedRules: AppliedRule[] = fired.map((f, i) => {
    const before = level;
    const stacks = i === 0 || rules.stackChangeRules;
    if (stacks) level = raise(level);
    let zh = f.zh;
    let en = f.en;
    if (!stacks) {
      zh += '；不叠加：已因其他变更依据提高一级';
      en += '; not stacked: the level was already raised by another rule';
    } else if (before === 4) {
      zh += '；已为最高等级，不再提高';
      en += '; already at the highest level, not raised further';
    }
    return { code: f.code, zh, en, levelBefore: before, levelAfter: level };
  });
  return { finalLevel: level, appliedRules };
}
