/**
 * Races on a run's state changes (issue 20 item 3): N identical requests fired at once, through
 * the app. Exactly one succeeds, the rest get 409 with both languages, one audit entry is
 * written, and the run's summary stays consistent. On PGlite (one connection) the requests run
 * one after another; on PostgreSQL they really overlap — the assertions are the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from '../../kernel/db.js';
import ExcelJS from '../../kernel/excel.js';
import type { Principal } from '../../kernel/principal.js';
import { agentFor, buildCounty, buildElder, multipartFile, testApp, type TestApp } from '../../test/harness.js';
import { computeRun, createRun } from './runs.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => t?.close());

type A = Awaited<ReturnType<typeof agentFor>>;

const RULES = {
  backpayMonths: 0,
  benefits: [
    { code: 'old_age', name: '高龄津贴', payment: 'cash', eligibility: { minAge: 80 }, tiers: [{ label: '80+', when: {}, amountCents: 10000 }] },
    { code: 'poor', name: '困难补贴', payment: 'cash', eligibility: { categoriesAny: ['dibao'] }, tiers: [{ label: '低保', when: {}, amountCents: 30000 }] },
  ],
};

async function setup() {
  const c = await buildCounty(t.db);
  const admin = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
  const admin2 = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
  const staffA = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipA });
  const staffB = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipB });
  await buildElder(t.db, { regionCode: c.villageA, birthDate: '1940-01-01' });
  await buildElder(t.db, { regionCode: c.villageA2, birthDate: '1941-01-01', categories: ['dibao'] });
  await buildElder(t.db, { regionCode: c.villageB, birthDate: '1950-01-01', categories: ['dibao'] });
  const r = await admin.post('/api/v1/benefits/policies', { policyKey: 'local', name: '本县政策', effectiveFrom: '2026-01-01', rules: RULES });
  expect(r.statusCode, r.body).toBe(200);
  const id = r.json().id as string;
  expect((await admin.post(`/api/v1/benefits/policies/${id}/publish`)).statusCode).toBe(200);
  expect((await admin.post(`/api/v1/benefits/policies/${id}/activate`)).statusCode).toBe(200);
  const p: Principal = {
    userId: admin.user.id,
    username: admin.user.username,
    displayName: 'x',
    role: 'county_admin',
    regionCode: c.county,
    countyCode: c.county.slice(0, 6),
    providerId: null,
    sessionId: '',
    csrfToken: '',
    mustChangePassword: false,
  };
  return { c, admin, admin2, staffA, staffB, p, scope: { lo: c.county, hi: c.county.slice(0, 6) + '999999' } };
}

const fire = (n: number, f: () => Promise<LightMyRequestResponse>) => Promise.all(Array.from({ length: n }, f));

/** Exactly one 200; every other answer `loser` with the bilingual error shape. */
function oneWinner(rs: LightMyRequestResponse[], loser = 409) {
  const codes = rs.map((r) => r.statusCode);
  expect(codes.filter((c) => c === 200).length, rs.map((r) => r.body).join('\n')).toBe(1);
  expect(
    codes.filter((c) => c !== 200).every((c) => c === loser),
    codes.join(','),
  ).toBe(true);
  for (const r of rs.filter((x) => x.statusCode !== 200)) {
    const e = r.json().error;
    expect(e.message).toMatch(/[\u4e00-\u9fff]/);
    expect(e.messageEn).toMatch(/[a-z]/);
  }
  return rs.find((r) => r.statusCode === 200)!;
}

const audits = async (runId: string, action: string) =>
  (await t.db.root.one<{ n: number }>(sql`select count(*)::int as n from audit_log where entity_id = ${runId} and action = ${action}`))!.n;

const runRow = (id: string) =>
  t.db.root.one<{ status: string; progress: number; done: string[]; lines: number }>(
    sql`select status, progress, summary->'done' as done, (summary->>'lines')::int as lines from benefit_runs where id = ${id}`,
  );

async function waitRun(a: A, id: string) {
  for (let i = 0; i < 400; i++) {
    const r = await a.get(`/api/v1/benefits/runs/${id}`);
    expect(r.statusCode, r.body).toBe(200);
    if (r.json().run.status !== 'computing') return r.json();
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('run did not finish');
}

/** A computed run with both townships confirmed. */
async function computedRun(s: Awaited<ReturnType<typeof setup>>, month: string, confirm = true) {
  const r = await s.admin.post('/api/v1/benefits/runs', { month });
  expect(r.statusCode, r.body).toBe(200);
  const id = r.json().id as string;
  expect((await waitRun(s.admin, id)).run.status).toBe('computed');
  if (confirm)
    for (const st of [s.staffA, s.staffB]) expect((await st.post(`/api/v1/benefits/runs/${id}/reviews`, { status: 'confirmed' })).statusCode).toBe(200);
  return id;
}

describe('a run is computed once', () => {
  it('50 parallel POST /runs {month}: one creates and computes, the rest 409 naming the run; the summary lists each township once', async () => {
    const s = await setup();
    const rs = await fire(50, () => s.admin.post('/api/v1/benefits/runs', { month: '2026-10' }));
    const id = oneWinner(rs).json().id as string;
    for (const r of rs.filter((x) => x.statusCode === 409)) expect(r.json().error.details.id).toBe(id);
    await waitRun(s.admin, id);
    expect(await runRow(id)).toEqual({ status: 'computed', progress: 100, done: [s.c.townshipA, s.c.townshipB], lines: 4 });
    expect(await audits(id, 'create')).toBe(1);
    expect(await audits(id, 'compute')).toBe(1);
    const lines = await t.db.root.one<{ n: number }>(sql`select count(*)::int as n from benefit_lines where run_id = ${id}`);
    expect(lines!.n).toBe(4);
  });

  it('50 parallel "continue computing" of a run whose process stopped: one takes it over, the rest 409; a live compute is not taken over', async () => {
    const s = await setup();
    const id = await t.db.scoped(s.scope, (tx) => createRun(tx, s.p, '2026-10-01'));
    await expect(computeRun(t.db, s.p, id, { crashAfter: 1 })).rejects.toThrow(/simulated crash/);
    // Its heartbeat is fresh: another process may still be computing it.
    const live = await s.admin.post(`/api/v1/benefits/runs/${id}/compute`);
    expect(live.statusCode).toBe(409);
    expect(live.json().error.code).toBe('RUN_COMPUTING');
    // A minute without a heartbeat: the process is gone.
    await t.db.root.exec(sql`update benefit_runs set heartbeat_at = now() - interval '5 minutes' where id = ${id}`);
    oneWinner(await fire(50, () => s.admin.post(`/api/v1/benefits/runs/${id}/compute`)));
    await waitRun(s.admin, id);
    expect(await runRow(id)).toEqual({ status: 'computed', progress: 100, done: [s.c.townshipA, s.c.townshipB], lines: 4 });
    expect(await audits(id, 'resume')).toBe(1);
    expect(await audits(id, 'compute')).toBe(1);
    const again = await s.admin.post(`/api/v1/benefits/runs/${id}/compute`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('RUN_COMPUTED');
  });
});

describe('state changes of a computed run', () => {
  it('20 parallel confirmations of one township: one 200, the rest 409; one audit entry', async () => {
    const s = await setup();
    const id = await computedRun(s, '2026-10', false);
    oneWinner(await fire(20, () => s.staffA.post(`/api/v1/benefits/runs/${id}/reviews`, { status: 'confirmed' })));
    expect(await audits(id, 'review')).toBe(1);
    const reviews = await t.db.root.one<{ n: number }>(sql`select count(*)::int as n from benefit_run_reviews where run_id = ${id}`);
    expect(reviews!.n).toBe(1);
    // Returning it (a different review) is a change again.
    expect((await s.staffA.post(`/api/v1/benefits/runs/${id}/reviews`, { status: 'returned', note: '名单有误' })).statusCode).toBe(200);
  });

  it('50 parallel approvals: one 200, the rest 409; one audit entry', async () => {
    const s = await setup();
    const id = await computedRun(s, '2026-10');
    oneWinner(await fire(50, () => s.admin2.post(`/api/v1/benefits/runs/${id}/approve`)));
    expect(await audits(id, 'approve')).toBe(1);
    expect((await runRow(id))!.status).toBe('approved');
  });

  it('10 parallel uploads of the bank result: one records it, the rest 409; one audit entry, each payment settled once', async () => {
    const s = await setup();
    const id = await computedRun(s, '2026-10');
    expect((await s.admin2.post(`/api/v1/benefits/runs/${id}/approve`)).statusCode).toBe(200);
    const pays = await t.db.root.rows<{ id: string }>(sql`select id::text as id from benefit_payments where run_id = ${id} order by id`);
    expect(pays.length).toBe(4);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('回盘');
    ws.addRow(['业务编号', '结果', '失败原因', '银行流水号']);
    pays.forEach((p, i) => ws.addRow([p.id, i === 0 ? '失败' : '成功', i === 0 ? '账户已冻结' : '', `B${i}`]));
    const up = multipartFile(Buffer.from(await wb.xlsx.writeBuffer()), '回盘.xlsx');
    const win = oneWinner(await fire(10, () => s.admin.request('POST', `/api/v1/benefits/runs/${id}/bank-result`, up.payload, up.headers)));
    expect(win.json()).toEqual({ paid: 3, failed: 1 });
    expect(await audits(id, 'bank_result')).toBe(1);
    const st = await t.db.root.rows<{ status: string; n: number }>(
      sql`select status, count(*)::int as n from benefit_payments where run_id = ${id} group by status order by status`,
    );
    expect(st).toEqual([
      { status: 'failed', n: 1 },
      { status: 'paid', n: 3 },
    ]);
  });

  it('20 parallel discards: one 200, the rest find no run (404); one audit entry; a run being computed is not discarded', async () => {
    const s = await setup();
    const id = await computedRun(s, '2026-10', false);
    oneWinner(await fire(20, () => s.admin.request('DELETE', `/api/v1/benefits/runs/${id}`)), 404);
    expect(await audits(id, 'discard')).toBe(1);
    const live = await t.db.scoped(s.scope, (tx) => createRun(tx, s.p, '2026-11-01'));
    const r = await s.admin.request('DELETE', `/api/v1/benefits/runs/${live}`);
    expect(r.statusCode).toBe(409);
    expect(r.json().error.code).toBe('RUN_COMPUTING');
  });
});

describe('applications', () => {
  it('20 parallel township reviews and 20 parallel county decisions: one of each applies, the rest 409; one audit entry each', async () => {
    const c = await buildCounty(t.db);
    const admin = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
    const staffA = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipA });
    const village = await agentFor(t.app, t.db, { role: 'village_worker', regionCode: c.villageA });
    const e = await buildElder(t.db, { regionCode: c.villageA, birthDate: '1950-01-01', categories: ['dibao'] });
    const rules = { ...RULES, benefits: RULES.benefits.map((b) => (b.code === 'poor' ? { ...b, needsApplication: true } : b)) };
    const pol = await admin.post('/api/v1/benefits/policies', { policyKey: 'app', name: '需申请政策', effectiveFrom: '2026-01-01', rules });
    expect(pol.statusCode, pol.body).toBe(200);
    expect((await admin.post(`/api/v1/benefits/policies/${pol.json().id}/publish`)).statusCode).toBe(200);
    expect((await admin.post(`/api/v1/benefits/policies/${pol.json().id}/activate`)).statusCode).toBe(200);
    const filed = await village.post('/api/v1/benefits/applications', { elderId: e.id, benefitCode: 'poor', appliedOn: '2026-10-05' });
    expect(filed.statusCode, filed.body).toBe(200);
    const id = filed.json().id as string;
    oneWinner(await fire(20, () => staffA.post(`/api/v1/benefits/applications/${id}/review`, { approve: true })));
    expect(await audits(id, 'review')).toBe(1);
    oneWinner(await fire(20, () => admin.post(`/api/v1/benefits/applications/${id}/decide`, { approve: true })));
    expect(await audits(id, 'decide')).toBe(1);
    expect((await staffA.get(`/api/v1/benefits/applications/${id}`)).json().status).toBe('approved');
  });
});
