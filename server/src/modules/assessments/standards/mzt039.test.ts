import { describe, expect, it } from 'vitest';
import { AppError } from '../../../kernel/errors.js';
import { ValidationFailed } from '../../../kernel/validation.js';
import {
  AssessmentResult,
  MZT039_DEFAULT_RULES,
  MZT039_ITEMS,
  MZT039_LEVELS,
  MZT039_MAXIMA,
  MZT039_RULES_META,
  Mzt039ResultSchema,
  itemMax,
  mzt039OverallLevel,
  mzt039PerceptionGrade,
  scoreAssessment,
  scoreMzt039,
  type Item,
  type Mzt039Info,
  type Mzt039Input,
  type Mzt039Level,
  type Mzt039Result,
  type Mzt039Rules,
} from './index.js';

const itemsOf = (dim: string) => MZT039_ITEMS.filter((i) => i.dimension === dim);

/** Options of `items` summing to exactly `total`, filling items in the given order from their
 * best answer towards the worst. `better` is the score of the best answer of each item. */
function fill(items: readonly Item[], total: number, better: 'high' | 'low'): Record<string, string> {
  const out: Record<string, string> = {};
  let left = better === 'high' ? items.reduce((a, i) => a + itemMax(i), 0) - total : total;
  for (const item of items) {
    const scores = item.options.map((o) => o.score);
    const target = better === 'high' ? itemMax(item) - Math.min(left, itemMax(item)) : Math.min(left, itemMax(item));
    const opt = item.options.find((o) => o.score === target) ?? item.options.find((o) => o.score === Math.max(...scores.filter((s) => s <= target)))!;
    left -= better === 'high' ? itemMax(item) - opt.score : opt.score;
    out[item.code] = opt.code;
  }
  if (left !== 0) throw new Error(`cannot reach ${total}`);
  return out;
}
/** Barthel total (multiple of 5). */
const adl = (total: number) => fill(itemsOf('B.1'), total, 'high');
/** Mental total; B.2.1 is filled last so that 已确诊认知障碍 (2) appears only when a total needs it. */
const mental = (total: number) => fill([...itemsOf('B.2')].reverse(), total, 'low');
const social = (total: number) => fill(itemsOf('B.4'), total, 'low');
const perception = (c: number, v = 0, h = 0, k = 0) => ({ 'B.3.1': String(c), 'B.3.2': String(v), 'B.3.3': String(h), 'B.3.4': String(k) });

/** Totals that give each dimension grade 0..3. */
const A = [100, 80, 50, 30];
const M = [0, 1, 2, 4];
const S: [number, number, number, number][] = [
  [0, 0, 0, 0],
  [0, 2, 0, 0],
  [0, 3, 0, 0],
  [0, 4, 0, 0],
];
const P = [0, 5, 10, 15];

const NO_EVENTS = { fall: 0, choke: 0, wander: 0, suicide: 0 };
const buildInfo = (over: Partial<Mzt039Info> = {}): Mzt039Info => ({
  reason: 'initial',
  dementia: 'none',
  mentalIllness: 'none',
  riskEvents30d: NO_EVENTS,
  ...over,
});
const byGrades = (a: number, m: number, s: number, p: number, info: Partial<Mzt039Info> = {}): Mzt039Input => ({
  standard: 'MZ/T 039-2013',
  answers: { ...adl(A[a]), ...mental(M[m]), ...perception(...S[s]), ...social(P[p]) },
  info: buildInfo(info),
});
const score = (input: Mzt039Input, rules?: Partial<Mzt039Rules>) => scoreAssessment(input, { mzt039: rules }) as Mzt039Result;
const grades = (r: Mzt039Result) => r.dimensions.map((d) => d.grade);
const events = (e: Partial<typeof NO_EVENTS>) => ({ riskEvents30d: { ...NO_EVENTS, ...e } });

function validationProblems(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationFailed) return e.problems;
    throw e;
  }
  throw new Error('expected a validation failure');
}

describe('MZ/T 039-2013 item table and maxima', () => {
  it('holds 22 items: 10 ADL, 3 mental, 4 perception, 5 social', () => {
    expect(MZT039_ITEMS).toHaveLength(22);
    expect(['B.1', 'B.2', 'B.3', 'B.4'].map((d) => itemsOf(d).length)).toEqual([10, 3, 4, 5]);
  });

  it('derives maxima from the options (Barthel 100, mental 6, social 20) and gives perception none', () => {
    expect(MZT039_MAXIMA).toEqual({ 'B.1': 100, 'B.2': 6, 'B.3': null, 'B.4': 20 });
    const r = score(byGrades(0, 0, 0, 0));
    expect(r.dimensions.map((d) => [d.code, d.score, d.max])).toEqual([
      ['B.1', 100, 100],
      ['B.2', 0, 6],
      ['B.3', null, null],
      ['B.4', 0, 20],
    ]);
  });

  it('carries provenance for every rule setting; the reassessment interval is [C] and the matrix resolution [B]', () => {
    const keys = Object.keys(MZT039_DEFAULT_RULES).filter((k) => k !== 'id');
    expect(Object.keys(MZT039_RULES_META).sort()).toEqual(keys.sort());
    expect(MZT039_RULES_META.reassessmentIntervalMonths).toMatchObject({ confidence: 'C' });
    expect(MZT039_RULES_META.overallLevelOverrides).toMatchObject({ confidence: 'B' });
  });
});

describe('MZ/T 039-2013 dimension grades', () => {
  const gradeOf = (answers: Record<string, string>, dim: string) => {
    const input = byGrades(0, 0, 0, 0);
    return score({ ...input, answers: { ...input.answers, ...answers } }).dimensions.find((d) => d.code === dim)!;
  };

  it.each([
    [100, 0],
    [95, 1],
    [65, 1],
    [60, 2],
    [45, 2],
    [40, 3],
    [0, 3],
  ])('ADL (Barthel) %i → grade %i', (total, grade) => {
    const d = gradeOf(adl(total), 'B.1');
    expect(d.score).toBe(total);
    expect(d.grade).toBe(grade);
  });

  it.each([
    [0, 0],
    [1, 1],
    [2, 2],
    [3, 2],
    [4, 3],
    [6, 3],
  ])('mental state %i → grade %i', (total, grade) => {
    const d = gradeOf(mental(total), 'B.2');
    expect([d.score, d.grade]).toEqual([total, grade]);
  });

  it.each([
    [2, 0],
    [3, 1],
    [7, 1],
    [8, 2],
    [13, 2],
    [14, 3],
    [20, 3],
  ])('social participation %i → grade %i', (total, grade) => {
    const d = gradeOf(social(total), 'B.4');
    expect([d.score, d.grade, d.gradeName?.zh]).toEqual([total, grade, ['能力完好', '轻度受损', '中度受损', '重度受损'][grade]]);
  });

  it.each([
    [[0, 1, 1, 0], 0],
    [[0, 2, 0, 0], 1],
    [[0, 0, 2, 0], 1],
    [[0, 0, 0, 1], 1],
    [[0, 3, 0, 0], 2],
    [[0, 0, 0, 2], 2],
    [[1, 0, 0, 0], 2],
    [[1, 3, 3, 2], 2],
    [[0, 4, 0, 0], 3],
    [[0, 0, 4, 0], 3],
    [[0, 0, 0, 3], 3],
    [[1, 0, 4, 0], 3],
    [[2, 0, 0, 0], 3],
  ] as [[number, number, number, number], number][])('perception & communication (C, V, H, K) = %j → grade %i, by rule not by sum', (cvhk, grade) => {
    expect(mzt039PerceptionGrade(...cvhk)).toBe(grade);
    expect(gradeOf(perception(...cvhk), 'B.3').grade).toBe(grade);
  });
});

describe('MZ/T 039-2013 overall preliminary level (§2.5)', () => {
  it.each([
    [[0, 0, 0, 0], 0],
    [[0, 0, 0, 1], 0],
    [[0, 0, 0, 2], 1],
    [[0, 1, 0, 0], 1],
    [[0, 0, 3, 3], 1],
    [[0, 3, 3, 3], 1],
    [[1, 0, 0, 0], 1],
    [[1, 1, 1, 1], 1],
    [[1, 2, 2, 1], 1],
    [[1, 2, 2, 2], 2],
    [[1, 0, 3, 0], 2],
    [[2, 0, 0, 0], 2],
    [[2, 1, 1, 1], 2],
    [[2, 2, 1, 2], 2],
    [[2, 0, 0, 3], 3],
    [[2, 2, 2, 2], 3],
    [[3, 0, 0, 0], 3],
  ] as [[number, number, number, number], Mzt039Level][])('A, M, S, P = %j → level %i', ([a, m, s, p], level) => {
    const r = score(byGrades(a, m, s, p));
    expect(grades(r)).toEqual([a, m, s, p]);
    expect(r.preliminaryLevel).toBe(level);
    expect(r.finalLevel).toBe(level);
    expect(r.levelName).toEqual(MZT039_LEVELS[level]);
  });

  it('lets a county resolve a cell of the matrix differently', () => {
    expect(score(byGrades(1, 0, 3, 0), { overallLevelOverrides: { '1-0-3-0': 1 } }).preliminaryLevel).toBe(1);
    expect(mzt039OverallLevel({ a: 1, m: 0, s: 3, p: 1 }, { '1-0-3-0': 1 })).toBe(2);
    expect(() => score(byGrades(0, 0, 0, 0), { overallLevelOverrides: { '1-0-3': 1 } })).toThrow(AppError);
  });

  it('refuses a county band table with a gap', () => {
    const adlBands = MZT039_DEFAULT_RULES.adlBands.filter((b) => b.level !== 2);
    expect(() => score(byGrades(0, 0, 0, 0), { adlBands })).toThrow(/45/);
  });
});

describe('MZ/T 039-2013 change clauses (§2.6)', () => {
  it('clause 1 raises one level for dementia, mental illness or a diagnosed cognitive impairment on B.2.1', () => {
    expect(score(byGrades(1, 0, 0, 0, { dementia: 'mild' })).finalLevel).toBe(2);
    const r = score(byGrades(1, 0, 0, 0, { mentalIllness: 'schizophrenia' }));
    expect(r.appliedRules).toEqual([expect.objectContaining({ code: 'R1', levelBefore: 1, levelAfter: 2 })]);
    expect(r.appliedRules[0].zh).toContain('精神分裂症');
    const input = byGrades(1, 0, 0, 0);
    const b21 = { ...input, answers: { ...input.answers, 'B.2.1': '2', 'B.2.3': '0' } };
    expect(score(b21).finalLevel).toBe(2);
    expect(score(b21, { cognitionDiagnosisCountsForClause1: false }).finalLevel).toBe(1);
  });

  it('clause 2 counts events in total by default; per type when the county says so', () => {
    const two = byGrades(0, 1, 0, 0, events({ fall: 1, choke: 1 }));
    expect(score(two).preliminaryLevel).toBe(1);
    expect(score(two).finalLevel).toBe(2);
    expect(score(two, { riskEventCounting: 'perType' }).finalLevel).toBe(1);
    expect(score(byGrades(0, 1, 0, 0, events({ wander: 2 })), { riskEventCounting: 'perType' }).finalLevel).toBe(2);
    expect(score(byGrades(0, 1, 0, 0, events({ suicide: 1 }))).finalLevel).toBe(1);
  });

  it('clauses 1 and 2 do not stack by default; they stack up to 3 when configured', () => {
    const both = byGrades(1, 0, 0, 0, { dementia: 'moderate', ...events({ fall: 3 }) });
    expect(score(both).finalLevel).toBe(2);
    expect(score(both).appliedRules.map((a) => [a.code, a.levelBefore, a.levelAfter])).toEqual([
      ['R1', 1, 2],
      ['R2', 2, 2],
    ]);
    expect(score(both, { stackChangeRules: true }).finalLevel).toBe(3);
    const fromTwo = score(byGrades(2, 0, 0, 0, { dementia: 'severe', ...events({ fall: 2 }) }), { stackChangeRules: true });
    expect(fromTwo.finalLevel).toBe(3);
    expect(fromTwo.appliedRules.map((a) => a.levelAfter)).toEqual([3, 3]);
  });

  it('clause 4: a preliminary 重度失能 is not raised and the other clauses are set aside', () => {
    const r = score(byGrades(3, 0, 0, 0, { dementia: 'mild', ...events({ fall: 2 }) }), { stackChangeRules: true });
    expect(r.finalLevel).toBe(3);
    expect(r.appliedRules).toEqual([expect.objectContaining({ code: 'R4', levelBefore: 3, levelAfter: 3 })]);
    expect(r.appliedRules[0].en).toContain('R1, R2');
    expect(score(byGrades(3, 0, 0, 0)).appliedRules).toEqual([]);
  });

  it('clause 3: coma sets 重度失能, and the items after B.3.1 may be left out', () => {
    const full = byGrades(0, 0, 0, 0, { dementia: 'mild' });
    const answers = Object.fromEntries(Object.entries(full.answers).filter(([k]) => k < 'B.3.2' || k === 'B.3.1'));
    answers['B.3.1'] = '3';
    const r = score({ ...full, answers });
    expect(r.skippedItems).toEqual(['B.3.2', 'B.3.3', 'B.3.4', 'B.4.1', 'B.4.2', 'B.4.3', 'B.4.4', 'B.4.5']);
    expect(grades(r)).toEqual([0, 0, 3, null]);
    expect(r.preliminaryLevel).toBe(1);
    expect(r.finalLevel).toBe(3);
    expect(r.appliedRules).toEqual([expect.objectContaining({ code: 'R3', levelBefore: 1, levelAfter: 3 })]);
    expect(Mzt039ResultSchema.parse(r)).toEqual(r);
  });

  it('clause 3 also applies with every item answered; 昏睡 alone does not allow skipping', () => {
    const input = byGrades(0, 0, 0, 0);
    expect(score({ ...input, answers: { ...input.answers, 'B.3.1': '3' } }).finalLevel).toBe(3);
    const stupor = Object.fromEntries(Object.entries({ ...input.answers, 'B.3.1': '2' }).filter(([k]) => !k.startsWith('B.4')));
    expect(validationProblems(() => scoreAssessment({ ...input, answers: stupor }))[0].messageEn).toBe(
      'assessment is incomplete; missing items: B.4.1, B.4.2, B.4.3, B.4.4, B.4.5',
    );
  });

  it('coma does not excuse items before B.3.1, and a county can require every item', () => {
    const input = byGrades(0, 0, 0, 0);
    const noMental = Object.fromEntries(Object.entries({ ...input.answers, 'B.3.1': '3' }).filter(([k]) => !k.startsWith('B.2') && !k.startsWith('B.4')));
    expect(validationProblems(() => scoreAssessment({ ...input, answers: noMental }))[0].messageEn).toBe(
      'assessment is incomplete; missing items: B.2.1, B.2.2, B.2.3',
    );
    const noSocial = Object.fromEntries(Object.entries({ ...input.answers, 'B.3.1': '3' }).filter(([k]) => !k.startsWith('B.4')));
    expect(score({ ...input, answers: noSocial }).finalLevel).toBe(3);
    expect(() => scoreAssessment({ ...input, answers: noSocial }, { mzt039: { comaAllowsSkippingLaterItems: false } })).toThrow(ValidationFailed);
  });
});

describe('MZ/T 039-2013 input validation and separation from GB/T 42195', () => {
  it('rejects unknown items and options with bilingual messages, and says which items are missing', () => {
    const input = byGrades(0, 0, 0, 0);
    const answers: Record<string, string> = { ...input.answers, 'B.1.1': '7', 'B.1.11': '10' };
    delete answers['B.4.5'];
    const p = validationProblems(() => scoreAssessment({ ...input, answers }));
    expect(p).toEqual([
      {
        path: 'answers.B.1.1',
        message: '项目 B.1.1（进食）没有选项“7”，可选：10、5、0',
        messageEn: 'item B.1.1 (Feeding) has no option "7"; allowed: 10, 5, 0',
      },
      { path: 'answers.B.1.11', message: '未知的评估项目“B.1.11”', messageEn: 'unknown assessment item "B.1.11"' },
      { path: 'answers', message: '评估项目未填写完整，缺少：B.4.5', messageEn: 'assessment is incomplete; missing items: B.4.5' },
    ]);
  });

  it('rejects GB/T 42195 answers under MZ/T 039 and bad A.2 fields', () => {
    const input = byGrades(0, 0, 0, 0);
    const p = validationProblems(() =>
      scoreAssessment({
        ...input,
        answers: { ...input.answers, 'B.3.9': 'clear' },
        info: { ...input.info, dementia: 'yes', riskEvents30d: { ...NO_EVENTS, other: 1 } },
      }),
    );
    expect(p.map((x) => x.path).sort()).toEqual(['answers.B.3.9', 'info.dementia', 'info.riskEvents30d']);
  });

  it('the engine refuses bad answers also when called without the schema', () => {
    const input = byGrades(0, 0, 0, 0);
    expect(() => scoreMzt039({ ...input, answers: { ...input.answers, 'B.3.2': '5' } })).toThrow(expect.objectContaining({ code: 'ASSESSMENT_ANSWERS' }));
  });

  it('labels results with its own standard and 4-level scale; a level 4 is not an MZ/T 039 level', () => {
    const r = score(byGrades(3, 3, 3, 3));
    expect(r.standard).toBe('MZ/T 039-2013');
    expect(r.levelName.zh).toBe('重度失能');
    expect(AssessmentResult.parse(r)).toEqual(r);
    expect(Mzt039ResultSchema.safeParse({ ...r, finalLevel: 4 }).success).toBe(false);
    expect(AssessmentResult.safeParse({ ...r, standard: 'GB/T 42195-2022' }).success).toBe(false);
  });
});
