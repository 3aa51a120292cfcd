/** Shapes and helpers shared by the assessment standards. Nothing here knows a standard's
 * content; the tables live in the per-standard files. */
import { badRequest } from '../../../kernel/errors.js';

export const GB42195 = 'GB/T 42195-2022' as const;
export const MZT039 = 'MZ/T 039-2013' as const;
export const STANDARD_CODES = [GB42195, MZT039] as const;
export type StandardCode = (typeof STANDARD_CODES)[number];

/** Confidence tags of docs/STANDARDS.md: [A] verbatim/confirmed, [B] one credible source or an
 * interpretation, [C] memory — verify, [GAP] not found — must stay configurable. */
export type Confidence = 'A' | 'B' | 'C' | 'GAP';

export interface Provenance {
  /** Where the value comes from (STANDARDS.md section and its source ids). */
  source: string;
  confidence: Confidence;
  note?: string;
}

export interface Bilingual {
  zh: string;
  en: string;
}

export interface ItemOption {
  /** What is stored as the answer. */
  code: string;
  score: number;
  zh: string;
}

export interface Item {
  code: string;
  /** Code of the dimension (一级指标) the item belongs to, e.g. 'B.1'. */
  dimension: string;
  zh: string;
  en: string;
  definition?: string;
  options: readonly ItemOption[];
  /** Only where it differs from the table's provenance. */
  meta?: Provenance;
}

export interface Dimension {
  code: string;
  zh: string;
  en: string;
}

/** One band of a score-to-grade table; bounds inclusive. */
export interface Band<L extends number = number> {
  min: number;
  max: number;
  level: L;
}

/** A change rule that fired, with the level before and after it acted. */
export interface AppliedRule {
  code: string;
  zh: string;
  en: string;
  levelBefore: number;
  levelAfter: number;
}

export interface AnswerProblem {
  /** Relative to the answers object: [itemCode], or [] for the set as a whole. */
  path: string[];
  zh: string;
  en: string;
  missing?: string[];
}

export const itemMax = (item: Item): number => Math.max(...item.options.map((o) => o.score));
export const itemMin = (item: Item): number => Math.min(...item.options.map((o) => o.score));

/** Maxima per dimension, derived from the option tables so that they can never drift from them. */
export function dimensionMaxima(items: readonly Item[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[i.dimension] = (out[i.dimension] ?? 0) + itemMax(i);
  return out;
}

/**
 * What is wrong with a set of answers (item code → option code): unknown items, unknown
 * options, missing items. `mayOmit` lists items the standard lets the assessor skip here.
 */
export function answerProblems(items: readonly Item[], answers: Readonly<Record<string, string>>, mayOmit: ReadonlySet<string> = new Set()): AnswerProblem[] {
  const byCode = new Map(items.map((i) => [i.code, i]));
  const problems: AnswerProblem[] = [];
  for (const [code, option] of Object.entries(answers)) {
    const item = byCode.get(code);
    if (!item) {
      problems.push({ path: [code], zh: `未知的评估项目“${code}”`, en: `unknown assessment item "${code}"` });
      continue;
    }
    if (!item.options.some((o) => o.code === option)) {
      const allowed = item.options.map((o) => o.code);
      problems.push({
        path: [code],
        zh: `项目 ${code}（${item.zh}）没有选项“${option}”，可选：${allowed.join('、')}`,
        en: `item ${code} (${item.en}) has no option "${option}"; allowed: ${allowed.join(', ')}`,
      });
    }
  }
  const missing = items.filter((i) => !(i.code in answers) && !mayOmit.has(i.code)).map((i) => i.code);
  if (missing.length) {
    problems.push({
      path: [],
      zh: `评估项目未填写完整，缺少：${missing.join('、')}`,
      en: `assessment is incomplete; missing items: ${missing.join(', ')}`,
      missing,
    });
  }
  return problems;
}

/** The engines are also callable without the zod schema; they refuse bad answers the same way. */
export function assertAnswers(items: readonly Item[], answers: Readonly<Record<string, string>>, mayOmit?: ReadonlySet<string>): void {
  const problems = answerProblems(items, answers, mayOmit);
  if (problems.length) {
    throw badRequest('ASSESSMENT_ANSWERS', problems.map((p) => p.zh).join('；'), problems.map((p) => p.en).join('; '), problems);
  }
}

export function optionOf(item: Item, answers: Readonly<Record<string, string>>): ItemOption | undefined {
  const code = answers[item.code];
  return code === undefined ? undefined : item.options.find((o) => o.code === code);
}

export function bandOf<L extends number>(bands: readonly Band<L>[], value: number): L {
  const b = bands.find((x) => value >= x.min && value <= x.max);
  if (!b) throw new Error(`no band covers ${value}`);
  return b.level;
}

/** A band table must cover every reachable score from min to max (in steps of `step`) exactly
 * once; checked whenever a county overrides one, because a gap would make a score ungradable. */
export function assertBandsCover(name: string, bands: readonly Band[], min: number, max: number, step = 1): void {
  for (let v = min; v <= max; v += step) {
    const n = bands.filter((b) => v >= b.min && v <= b.max).length;
    if (n !== 1) {
      throw badRequest(
        'ASSESSMENT_RULES',
        `分级表 ${name} 对分数 ${v} 的覆盖有误（${n} 个区间）`,
        `band table ${name} covers score ${v} ${n} times; expected exactly once`,
      );
    }
  }
}

/** ICD-10 category (first three characters, e.g. 'F02.1' → 'F02') for range checks. */
export function icd10Category(code: string): string {
  return code
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .slice(0, 3);
}

export const inIcdRange = (code: string, range: readonly [string, string]): boolean => {
  const k = icd10Category(code);
  return k >= range[0] && k <= range[1];
};
