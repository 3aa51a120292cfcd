import { describe, expect, it } from 'vitest';
import { AppError } from '../../../kernel/errors.js';
import { ValidationFailed } from '../../../kernel/validation.js';
import {
  AssessmentResult,
  GB42195_DEFAULT_RULES,
  GB42195_DIMENSIONS,
  GB42195_ITEMS,
  GB42195_ITEMS_META,
  GB42195_LEVELS,
  GB42195_MAXIMA,
  GB42195_RULES_META,
  diagnosisGroupOf,
  itemMax,
  scoreAssessment,
  scoreGb42195,
  type Gb42195Diagnosis,
  type Gb42195Info,
  type Gb42195Input,
  type Gb42195Result,
  type Gb42195Rules,
} from './index.js';

/** Options summing to exactly `n`: start from the best answer to every item and lower items in
 * form order. A 0 on B.3.9 is 昏睡 (stupor), never 昏迷, so no coma rule fires by accident. */
function answersWithTotal(n: number): Record<string, string> {
  let deficit = GB42195_MAXIMA.total - n;
  if (deficit < 0 || n < 0) throw new Error(`total ${n} out of range`);
  const out: Record<string, string> = {};
  for (const item of GB42195_ITEMS) {
    const max = itemMax(item);
    const cut = Math.min(deficit, max);
    deficit -= cut;
    out[item.code] = item.options.find((o) => o.score === max - cut && o.code !== 'coma')!.code;
  }
  return out;
}

const NO_EVENTS = { fall: 0, wander: 0, choke: 0, suicide_self_harm: 0, other: 0 };
const buildInfo = (over: Partial<Gb42195Info> = {}): Gb42195Info => ({ reason: 'first', diagnoses: [], riskEvents30d: NO_EVENTS, comaA511: false, ...over });
const buildInput = (total: number, info: Partial<Gb42195Info> = {}, answers: Record<string, string> = {}): Gb42195Input => ({
  standard: 'GB/T 42195-2022',
  answers: { ...answersWithTotal(total), ...answers },
  info: buildInfo(info),
});
const score = (total: number, info: Partial<Gb42195Info> = {}, rules?: Partial<Gb42195Rules>, answers: Record<string, string> = {}) =>
  scoreAssessment(buildInput(total, info, answers), { gb42195: rules }) as Gb42195Result;
const dx = (...d: Gb42195Diagnosis[]) => ({ diagnoses: d });
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

describe('GB/T 42195-2022 item table', () => {
  it('holds the 26 items B.1.1 … B.4.5 in four dimensions with the standard’s item counts', () => {
    expect(GB42195_ITEMS).toHaveLength(26);
    const counts = GB42195_DIMENSIONS.map((d) => GB42195_ITEMS.filter((i) => i.dimension === d.code).length);
    expect(counts).toEqual([8, 4, 9, 5]);
    expect(GB42195_ITEMS.map((i) => i.code).slice(0, 3)).toEqual(['B.1.1', 'B.1.2', 'B.1.3']);
    expect(GB42195_ITEMS.at(-1)).toMatchObject({ code: 'B.4.5', zh: '社会交往能力' });
    for (const item of GB42195_ITEMS) expect(new Set(item.options.map((o) => o.code)).size).toBe(item.options.length);
  });

  it('derives the maxima from the option tables: 32 / 15 / 28 / 15, total 90', () => {
    expect(GB42195_MAXIMA.dimensions).toEqual({ 'B.1': 32, 'B.2': 15, 'B.3': 28, 'B.4': 15 });
    expect(GB42195_MAXIMA.total).toBe(90);
    expect(itemMax(GB42195_ITEMS.find((i) => i.code === 'B.2.4')!)).toBe(3);
    expect(score(90).dimensions.map((d) => [d.code, d.score, d.max])).toEqual([
      ['B.1', 32, 32],
      ['B.2', 15, 15],
      ['B.3', 28, 28],
      ['B.4', 15, 15],
    ]);
  });

  it('scores B.3.7/B.3.8 with 1 = absent and keeps 昏睡 and 昏迷 apart on B.3.9, both scoring 0', () => {
    const b37 = GB42195_ITEMS.find((i) => i.code === 'B.3.7')!;
    expect(b37.options.find((o) => o.score === 1)!.zh).toBe('未出现');
    const b39 = GB42195_ITEMS.find((i) => i.code === 'B.3.9')!;
    expect(b39.options.map((o) => [o.code, o.score])).toEqual([
      ['clear', 2],
      ['drowsy_confused', 1],
      ['stupor', 0],
      ['coma', 0],
    ]);
  });

  it('carries source and confidence for the tables and every rule setting, [C]/[GAP] ones included', () => {
    expect(GB42195_ITEMS_META).toMatchObject({ confidence: 'A' });
    expect(GB42195_ITEMS.find((i) => i.code === 'B.1.7')!.meta).toMatchObject({ confidence: 'B' });
    const keys = Object.keys(GB42195_DEFAULT_RULES).filter((k) => k !== 'id');
    expect(Object.keys(GB42195_RULES_META).sort()).toEqual(keys.sort());
    expect(GB42195_RULES_META.effectiveFrom.confidence).toBe('C');
    expect(GB42195_RULES_META.reassessmentIntervalMonths.confidence).toBe('GAP');
    expect(GB42195_DEFAULT_RULES.reassessmentIntervalMonths).toBeNull();
  });
});

describe('GB/T 42195-2022 preliminary level from the total', () => {
  it('the answer builder hits every total from 0 to 90 exactly', () => {
    for (let n = 0; n <= 90; n++) expect(score(n).total).toBe(n);
  });

  it.each([
    [0, 4],
    [29, 4],
    [30, 3],
    [45, 3],
    [46, 2],
    [65, 2],
    [66, 1],
    [89, 1],
    [90, 0],
  ])('total %i → preliminary level %i, unchanged without change rules', (total, level) => {
    const r = score(total);
    expect(r.preliminaryLevel).toBe(level);
    expect(r.finalLevel).toBe(level);
    expect(r.appliedRules).toEqual([]);
  });

  it('names the levels as the standard does', () => {
    expect([90, 66, 46, 30, 29].map((t) => score(t).levelName.zh)).toEqual([
      '能力完好',
      '能力轻度受损（轻度失能）',
      '能力中度受损（中度失能）',
      '能力重度受损（重度失能）',
      '能力完全丧失（完全失能）',
    ]);
    expect(GB42195_LEVELS[4].en).toMatch(/completely lost/);
  });

  it('accepts a county band table that covers 0..90 and refuses one with a gap', () => {
    const bands = GB42195_DEFAULT_RULES.levelBands.map((b) => (b.level === 1 ? { ...b, min: 70 } : b.level === 2 ? { ...b, max: 69 } : b));
    expect(score(68, {}, { levelBands: bands }).preliminaryLevel).toBe(2);
    const gap = GB42195_DEFAULT_RULES.levelBands.filter((b) => b.level !== 2);
    expect(() => score(50, {}, { levelBands: gap })).toThrow(AppError);
    expect(() => score(50, {}, { levelBands: gap })).toThrow(/46/);
  });

  it('returns a result that matches the output schema', () => {
    const r = score(70, events({ fall: 2 }));
    expect(AssessmentResult.parse(r)).toEqual(r);
    expect(r).toMatchObject({ standard: 'GB/T 42195-2022', maxTotal: 90, rulesId: GB42195_DEFAULT_RULES.id });
  });
});

describe('GB/T 42195-2022 R1: coma', () => {
  it('sets level 4 when B.3.9 is 昏迷, whatever the score', () => {
    const r = score(90, {}, undefined, { 'B.3.9': 'coma' });
    expect(r.total).toBe(88);
    expect(r.preliminaryLevel).toBe(1);
    expect(r.finalLevel).toBe(4);
    expect(r.appliedRules).toEqual([expect.objectContaining({ code: 'R1', levelBefore: 1, levelAfter: 4 })]);
    expect(r.appliedRules[0].zh).toContain('B.3.9');
    expect(r.appliedRules[0].en).toContain('coma');
  });

  it('sets level 4 when A.5.11 昏迷 is 有, even with a full score', () => {
    const r = score(90, { comaA511: true });
    expect(r.preliminaryLevel).toBe(0);
    expect(r.finalLevel).toBe(4);
    expect(r.levelName.zh).toBe('能力完全丧失（完全失能）');
    expect(r.appliedRules[0].zh).toContain('A.5.11');
    expect(r.appliedRules[0].zh).not.toContain('B.3.9');
  });

  it('names both routes when both hold and leaves R2/R3 out', () => {
    const r = score(60, { comaA511: true, ...dx({ group: 'dementia' }), ...events({ fall: 3 }) }, undefined, { 'B.3.9': 'coma' });
    expect(r.appliedRules.map((a) => a.code)).toEqual(['R1']);
    expect(r.appliedRules[0].zh).toMatch(/A\.5\.11.*B\.3\.9/);
  });

  it('does not treat 昏睡 (stupor, also 0 points) as coma', () => {
    const r = score(90, {}, undefined, { 'B.3.9': 'stupor' });
    expect(r.total).toBe(88);
    expect(r.finalLevel).toBe(1);
    expect(r.appliedRules).toEqual([]);
  });

  it('uses the county’s coma level when overridden (sources conflict: 完全失能 vs 重度失能)', () => {
    expect(score(90, { comaA511: true }, { comaLevel: 3 }).finalLevel).toBe(3);
  });

  it('still requires every item when in a coma (STANDARDS gives no exception for GB/T 42195)', () => {
    const input = buildInput(40, { comaA511: true }, { 'B.3.9': 'coma' });
    const answers: Record<string, string> = { ...input.answers };
    delete answers['B.4.5'];
    const p = validationProblems(() => scoreAssessment({ ...input, answers }));
    expect(p).toEqual([expect.objectContaining({ path: 'answers', messageEn: 'assessment is incomplete; missing items: B.4.5' })]);
  });
});

describe('GB/T 42195-2022 R2: dementia and psychiatric diagnoses', () => {
  it.each(['F00', 'F01.1', 'F02.1', 'F03'])('raises one level for dementia %s', (icd10) => {
    const r = score(70, dx({ icd10 }));
    expect(r.finalLevel).toBe(2);
    expect(r.appliedRules).toEqual([expect.objectContaining({ code: 'R2', levelBefore: 1, levelAfter: 2 })]);
    expect(r.appliedRules[0].zh).toContain(icd10.slice(0, 3));
  });

  it('counts dementia whoever diagnosed it, and by the A.4.1 box alone', () => {
    expect(score(70, dx({ group: 'dementia', byPsychiatrist: false })).finalLevel).toBe(2);
    expect(score(70, dx({ group: 'dementia', icd10: 'f03.9' })).finalLevel).toBe(2);
  });

  it.each(['F04', 'F20', 'F32.1', 'F99'])('raises for %s only when a psychiatrist diagnosed it', (icd10) => {
    expect(score(70, dx({ icd10, byPsychiatrist: true })).finalLevel).toBe(2);
    expect(score(70, dx({ icd10, byPsychiatrist: false })).finalLevel).toBe(1);
    expect(score(70, dx({ icd10 })).finalLevel).toBe(1);
  });

  it('counts the F04~F99 box with the psychiatrist flag, and ignores other diseases', () => {
    expect(score(70, dx({ group: 'other_mental_behavioural', byPsychiatrist: true })).finalLevel).toBe(2);
    const r = score(70, dx({ icd10: 'G30.1', byPsychiatrist: true }, { group: 'hypertension' }, { icd10: 'I63' }, { icd10: 'E11' }));
    expect(r.finalLevel).toBe(1);
    expect(r.appliedRules).toEqual([]);
  });

  it('maps ICD-10 codes to the A.4.1 groups by range', () => {
    expect(['F00', 'F03.9', 'F04', 'F99', 'I12', 'C50', 'D48', 'D50', 'Z99'].map(diagnosisGroupOf)).toEqual([
      'dementia',
      'dementia',
      'other_mental_behavioural',
      'other_mental_behavioural',
      'hypertension',
      'tumour',
      'tumour',
      'other',
      'other',
    ]);
  });
});

describe('GB/T 42195-2022 R3: care-risk events in 30 days', () => {
  it('sums events across types: one fall and one wandering raise a level', () => {
    const r = score(50, events({ fall: 1, wander: 1 }));
    expect(r.finalLevel).toBe(3);
    expect(r.appliedRules).toEqual([expect.objectContaining({ code: 'R3', levelBefore: 2, levelAfter: 3 })]);
    expect(r.appliedRules[0].zh).toContain('合计2次');
    expect(r.appliedRules[0].en).toContain('2 in total');
  });

  it('raises for two events of one type, not for a single event', () => {
    expect(score(50, events({ fall: 2 })).finalLevel).toBe(3);
    expect(score(50, events({ choke: 1, other: 1 })).finalLevel).toBe(3);
    expect(score(50, events({ suicide_self_harm: 1 })).finalLevel).toBe(2);
    expect(score(50, events({ other: 3 })).appliedRules[0].zh).toContain('其他3次及以上');
  });
});

describe('GB/T 42195-2022 stacking and the cap at level 4', () => {
  const both = { ...dx({ icd10: 'F02' }), ...events({ fall: 1, choke: 1 }) };

  it('by default R2 and R3 together raise one level; both are listed', () => {
    const r = score(50, both);
    expect(r.finalLevel).toBe(3);
    expect(r.appliedRules.map((a) => [a.code, a.levelBefore, a.levelAfter])).toEqual([
      ['R2', 2, 3],
      ['R3', 3, 3],
    ]);
    expect(r.appliedRules[1].en).toContain('not stacked');
  });

  it('with stackChangeRules each raises one level', () => {
    const r = score(50, both, { stackChangeRules: true });
    expect(r.finalLevel).toBe(4);
    expect(r.appliedRules.map((a) => [a.code, a.levelBefore, a.levelAfter])).toEqual([
      ['R2', 2, 3],
      ['R3', 3, 4],
    ]);
  });

  it('never goes past level 4', () => {
    const capped = score(20, dx({ group: 'dementia' }));
    expect(capped.preliminaryLevel).toBe(4);
    expect(capped.finalLevel).toBe(4);
    expect(capped.appliedRules[0]).toMatchObject({ levelBefore: 4, levelAfter: 4 });
    expect(capped.appliedRules[0].zh).toContain('已为最高等级');
    const stacked = score(35, both, { stackChangeRules: true });
    expect(stacked.finalLevel).toBe(4);
    expect(stacked.appliedRules.map((a) => a.levelAfter)).toEqual([4, 4]);
  });
});

describe('GB/T 42195-2022 input validation', () => {
  it('rejects unknown items with a bilingual message naming the item', () => {
    const input = buildInput(80);
    const p = validationProblems(() => scoreAssessment({ ...input, answers: { ...input.answers, 'B.5.1': '4' } }));
    expect(p).toEqual([{ path: 'answers.B.5.1', message: '未知的评估项目“B.5.1”', messageEn: 'unknown assessment item "B.5.1"' }]);
  });

  it('rejects options an item does not have and lists the allowed ones; a score is not an option on B.3.9', () => {
    const input = buildInput(80);
    const p = validationProblems(() => scoreAssessment({ ...input, answers: { ...input.answers, 'B.2.4': '4', 'B.3.9': '0' } }));
    expect(p.map((x) => x.path)).toEqual(['answers.B.2.4', 'answers.B.3.9']);
    expect(p[0].message).toBe('项目 B.2.4（上下楼梯）没有选项“4”，可选：3、2、1、0');
    expect(p[1].messageEn).toBe('item B.3.9 (Level of consciousness) has no option "0"; allowed: clear, drowsy_confused, stupor, coma');
  });

  it('rejects incomplete answers and says which items are missing', () => {
    const { answers, ...rest } = buildInput(80);
    const partial = Object.fromEntries(Object.entries(answers).filter(([k]) => k !== 'B.1.1' && k !== 'B.3.9'));
    const p = validationProblems(() => scoreAssessment({ ...rest, answers: partial }));
    expect(p).toEqual([
      { path: 'answers', message: '评估项目未填写完整，缺少：B.1.1、B.3.9', messageEn: 'assessment is incomplete; missing items: B.1.1, B.3.9' },
    ]);
  });

  it('rejects an unknown standard, bad event counts and types, and a diagnosis whose code contradicts its box', () => {
    expect(validationProblems(() => scoreAssessment({ standard: 'GB/T 42195-2021', answers: {} }))[0].messageEn).toMatch(/unknown assessment standard/);
    const input = buildInput(80);
    const p = validationProblems(() =>
      scoreAssessment({
        ...input,
        info: { ...input.info, riskEvents30d: { ...NO_EVENTS, fall: 4, burn: 1 }, diagnoses: [{ group: 'dementia', icd10: 'F20' }, { icd10: 'X' }, {}] },
      }),
    );
    const byPath = Object.fromEntries(p.map((x) => [x.path, x.messageEn]));
    expect(byPath['info.riskEvents30d.fall']).toBe('a count is 0..3, 3 meaning 3 or more');
    expect(byPath['info.riskEvents30d']).toMatch(/unknown risk event type/);
    expect(byPath['info.diagnoses.0']).toBe('ICD-10 code F20 belongs to "Other mental and behavioural disorders", not to the chosen group "Dementia"');
    expect(byPath['info.diagnoses.1.icd10']).toMatch(/malformed ICD-10/);
    expect(byPath['info.diagnoses.2']).toBe('a diagnosis needs a group or an ICD-10 code');
  });

  it('requires A.5.11 and A.2.14 to be answered rather than assuming 无', () => {
    const input = buildInput(80);
    const { comaA511: _c, riskEvents30d: _r, ...info } = input.info;
    const p = validationProblems(() => scoreAssessment({ ...input, info }));
    expect(p.map((x) => x.path).sort()).toEqual(['info.comaA511', 'info.riskEvents30d']);
  });

  it('the engine refuses bad answers also when called without the schema', () => {
    const input = buildInput(80);
    expect(() => scoreGb42195({ ...input, answers: { ...input.answers, 'B.1.1': '9' } })).toThrow(
      expect.objectContaining({ code: 'ASSESSMENT_ANSWERS', status: 400 }),
    );
    expect(() => scoreGb42195({ ...input, info: buildInfo({ riskEvents30d: { ...NO_EVENTS, fall: 7 } }) })).toThrow(
      expect.objectContaining({ code: 'ASSESSMENT_INFO' }),
    );
  });
});
