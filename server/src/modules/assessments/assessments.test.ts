import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../kernel/db.js';
import { agentFor, buildCounty, buildElder, testApp, type TestApp, type TestCounty } from '../../test/harness.js';
import {
  GB42195,
  GB42195_ITEMS,
  MZT039,
  MZT039_DEMENTIA_CODES,
  MZT039_ITEMS,
  MZT039_MENTAL_ILLNESS_CODES,
  MZT039_REASON_CODES,
  MZT039_RISK_EVENT_CODES,
} from './standards/index.js';
import { validUntil } from './assessments.service.js';

/** Answers whose scores sum to `total` (greedy from the highest options). */
function answersWithTotal(total: number) {
  let left = total;
  const out: Record<string, string> = {};
  for (const item of GB42195_ITEMS) {
    const opts = [...item.options].sort((a, b) => b.score - a.score);
    const pick = opts.find((o) => o.score <= left) ?? opts[opts.length - 1];
    out[item.code] = pick.code;
    left -= pick.score;
  }
  expect(left).toBe(0);
  return out;
}
/** The PDF rendered by poppler (pdftoppm, as a reader would see it: PNGs in /tmp to look at)
 * and its text (pdftotext, layout kept). */
function renderedPdf(pdf: Buffer, name: string): { pages: number; text: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pdf-'));
  const file = path.join(dir, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  execFileSync('pdftoppm', ['-r', '60', '-png', file, path.join(os.tmpdir(), name)]);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
  fs.rmSync(dir, { recursive: true, force: true });
  return { pages, text };
}

const info = (o: Partial<{ comaA511: boolean; riskEvents30d: Record<string, number> }> = {}) => ({
  reason: 'first',
  diagnoses: [],
  riskEvents30d: { fall: 0, wander: 0, choke: 0, suicide_self_harm: 0, other: 0, ...o.riskEvents30d },
  comaA511: o.comaA511 ?? false,
});

describe('ability assessments', () => {
  let t: TestApp;
  let c: TestCounty;
  let staff: Awaited<ReturnType<typeof agentFor>>;
  beforeAll(async () => {
    t = await testApp();
    c = await buildCounty(t.db);
    staff = await agentFor(t.app, t.db, { role: 'village_worker', regionCode: c.villageA });
  });
  afterAll(() => t.close());

  it('scores statelessly without a session, with bilingual errors for incomplete answers', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/assessments/score',
      payload: { standard: GB42195, answers: answersWithTotal(70), info: info() },
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ standard: GB42195, total: 70, preliminaryLevel: 1, finalLevel: 1, maxTotal: 90 });
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/assessments/score',
      payload: { standard: GB42195, answers: { 'B.1.1': '4' }, info: info() },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('缺少');
    expect(bad.json().error.messageEn).toContain('missing');
  });

  it('records an assessment: final level, validity from the county setting, answers kept as options', async () => {
    const e = await buildElder(t.db, { regionCode: c.villageA, birthDate: '1940-01-01' });
    const r = await staff.post(`/api/v1/elders/${e.id}/assessments`, {
      input: { standard: GB42195, answers: answersWithTotal(50), info: info({ riskEvents30d: { fall: 1, choke: 1 } }) },
      referenceDate: '2026-03-31',
      assessors: ['评估员甲', '评估员乙'],
    });
    expect(r.statusCode).toBe(200);
    const a = r.json();
    // 50 → level 2; two risk events across types → R3 raises to 3.
    expect(a).toMatchObject({ total: 50, preliminaryLevel: 2, finalLevel: 3, validUntil: '2027-03-30', status: 'completed' });
    expect(a.appliedRules.map((x: { code: string }) => x.code)).toContain('R3');
    expect(a.answers['B.1.1']).toBe(answersWithTotal(50)['B.1.1']);
    const list = (await staff.get(`/api/v1/elders?q=`)).json();
    expect(list.items.find((x: { id: string }) => x.id === e.id).ability).toMatchObject({ standard: GB42195, level: 3 });
    const byLevel = (await staff.get('/api/v1/elders?abilityLevel=3')).json();
    expect(byLevel.items.map((x: { id: string }) => x.id)).toEqual([e.id]);
    const pdf = await staff.get(`/api/v1/assessments/${a.id}/report.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    // Laid out as Annex C: rendered with poppler, it has every item with its answer and score by
    // dimension, the dimension totals, the levels, the organisation, signature lines and the seal.
    const { pages, text } = renderedPdf(pdf.rawPayload, 'assessment-report');
    expect(pages).toBeGreaterThanOrEqual(2);
    for (const item of GB42195_ITEMS) expect(text).toContain(item.zh);
    const chosen = GB42195_ITEMS.find((i) => i.code === 'B.1.1')!.options.find((o) => o.code === answersWithTotal(50)['B.1.1'])!;
    expect(text).toContain(chosen.zh.slice(0, 12));
    for (const d of a.dimensions as { zh: string; score: number }[]) expect(text).toMatch(new RegExp(`${d.zh}得分\\s+${d.score}`));
    expect(text).toMatch(/总得分\s+50 分（满分 90）/);
    expect(text).toMatch(/初步等级\s+2\s*级\s+能力中度受损（中度失能）/);
    expect(text).toMatch(/最终等级\s+3\s*级\s+能力重度受损（重度失能）/);
    expect(text).toContain('R3');
    expect(text).toContain('跌倒 1次');
    expect(text).toContain('评估机构：甲一社区居民委员会');
    expect(text).toMatch(/评估员1：评估员甲\s+签名：_+/);
    expect(text).toContain('评估员2：评估员乙');
    expect(text).toContain('信息提供者');
    expect(text).toContain('评估机构（盖章）');
    const reveal = await t.db.root.one<{ n: number }>(sql`select count(*)::int as n from audit_log where action = 'reveal' and entity_id = ${e.id}`);
    expect(reveal!.n).toBe(1);
  });

  it('keeps the due lists: never, immediate after a health change, overdue, 80+ without a valid assessment', async () => {
    const old = await buildElder(t.db, { regionCode: c.villageA, birthDate: '1938-05-05', name: '老甲' });
    const young = await buildElder(t.db, { regionCode: c.villageA, birthDate: '1958-05-05', name: '少乙' });
    const kinds = async (kind: string) =>
      (await staff.get(`/api/v1/assessments/due?kind=${kind}&pageSize=200`)).json().items.map((x: { elderId: string }) => x.elderId);
    expect(await kinds('never')).toEqual(expect.arrayContaining([old.id, young.id]));
    expect(await kinds('no_valid_80')).toContain(old.id);
    expect(await kinds('no_valid_80')).not.toContain(young.id);
    // An old assessment has lapsed: overdue.
    await staff.post(`/api/v1/elders/${old.id}/assessments`, {
      input: { standard: GB42195, answers: answersWithTotal(80), info: info() },
      referenceDate: '2024-01-10',
      assessors: ['甲'],
    });
    expect(await kinds('overdue')).toContain(old.id);
    expect(await kinds('no_valid_80')).toContain(old.id);
    // A fresh one makes it valid; a health change then asks for an immediate one.
    await staff.post(`/api/v1/elders/${old.id}/assessments`, {
      input: { standard: GB42195, answers: answersWithTotal(80), info: info() },
      referenceDate: '2026-01-10',
      assessors: ['甲'],
    });
    expect(await kinds('overdue')).not.toContain(old.id);
    await staff.post(`/api/v1/elders/${old.id}/events`, { kind: 'health_change', date: '2026-02-01', note: '骨折' });
    expect(await kinds('immediate')).toContain(old.id);
    await staff.post(`/api/v1/elders/${old.id}/assessments`, {
      input: { standard: GB42195, answers: answersWithTotal(40), info: { ...info(), reason: 'immediate' } },
      referenceDate: '2026-02-03',
      assessors: ['甲'],
    });
    expect(await kinds('immediate')).not.toContain(old.id);
    // The neighbouring township never sees them.
    const other = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipB });
    const theirs = (await other.get('/api/v1/assessments/due?pageSize=200')).json().items.map((x: { elderId: string }) => x.elderId);
    expect(theirs).not.toContain(old.id);
  });

  it('refuses assessing the deceased, future dates, and keeps MZ/T 039 levels as MZ/T 039', async () => {
    const e = await buildElder(t.db, { regionCode: c.villageA });
    const future = await staff.post(`/api/v1/elders/${e.id}/assessments`, {
      input: { standard: GB42195, answers: answersWithTotal(90), info: info() },
      referenceDate: '2099-01-01',
      assessors: ['甲'],
    });
    expect(future.json().error.code).toBe('FUTURE_DATE');
    await staff.post(`/api/v1/elders/${e.id}/events`, { kind: 'death', date: '2026-01-01' });
    const dead = await staff.post(`/api/v1/elders/${e.id}/assessments`, {
      input: { standard: GB42195, answers: answersWithTotal(90), info: info() },
      referenceDate: '2026-01-02',
      assessors: ['甲'],
    });
    expect(dead.statusCode).toBe(409);
  });

  it('prints an MZ/T 039 report with every dimension graded', async () => {
    const e = await buildElder(t.db, { regionCode: c.villageA, birthDate: '1938-05-05' });
    const best = (i: (typeof MZT039_ITEMS)[number]) => [...i.options].sort((x, y) => y.score - x.score)[0].code;
    const r = await staff.post(`/api/v1/elders/${e.id}/assessments`, {
      input: {
        standard: MZT039,
        answers: Object.fromEntries(MZT039_ITEMS.map((i) => [i.code, best(i)])),
        info: {
          reason: MZT039_REASON_CODES[0],
          dementia: MZT039_DEMENTIA_CODES[0],
          mentalIllness: MZT039_MENTAL_ILLNESS_CODES[0],
          riskEvents30d: Object.fromEntries(MZT039_RISK_EVENT_CODES.map((k) => [k, 0])),
        },
      },
      referenceDate: '2026-03-31',
      assessors: ['评估员丙', '评估员丁'],
    });
    expect(r.statusCode).toBe(200);
    const { pages, text } = renderedPdf((await staff.get(`/api/v1/assessments/${r.json().id}/report.pdf`)).rawPayload, 'assessment-report-mzt');
    expect(pages).toBeGreaterThanOrEqual(2);
    for (const item of MZT039_ITEMS) expect(text).toContain(item.zh);
    // The 分级 column is filled: each dimension's grade beside its score.
    for (const d of r.json().dimensions as { zh: string; gradeName: { zh: string } }[]) {
      expect(d.gradeName.zh).toBeTruthy();
      expect(text).toMatch(new RegExp(`${d.zh}得分（分级：${d.gradeName.zh}）\\s+(\\d+|—)`));
      expect(text).toMatch(new RegExp(`${d.zh}\\s+(\\d+|—)\\s+(\\d+|—)\\s+${d.gradeName.zh}`));
    }
  });

  it('computes validity across month ends', () => {
    expect(validUntil('2026-01-31', 1)).toBe('2026-02-27');
    expect(validUntil('2026-03-31', 12)).toBe('2027-03-30');
    expect(validUntil('2024-02-29', 12)).toBe('2025-02-27');
    expect(validUntil('2026-06-15', 6)).toBe('2026-12-14');
  });
});
