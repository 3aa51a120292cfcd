/**
 * Monthly runs end to end over HTTP: policy versions, preview, compute, township review,
 * approval by a second admin, bank file and result, reissue, back-pay, recovery, and a run
 * killed midway then resumed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../kernel/db.js';
import ExcelJS, { cellText } from '../../kernel/excel.js';
import type { Principal } from '../../kernel/principal.js';
import { agentFor, buildCounty, buildElder, multipartFile, testApp, type TestApp, type TestCounty } from '../../test/harness.js';
import { linesQuery, regionCohort } from './engine.js';
import { getPolicy } from './policies.js';
import { computeRun, createRun, resumeStuckRuns } from './runs.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => t?.close());

type A = Awaited<ReturnType<typeof agentFor>>;

const RULES = (amount80: number) => ({
  backpayMonths: 6,
  benefits: [
    {
      code: 'old_age',
      name: '高龄津贴',
      payment: 'cash',
      eligibility: { minAge: 80 },
      tiers: [{ label: '80周岁以上', when: {}, amountCents: amount80 }],
    },
    {
      code: 'poor',
      name: '困难补贴',
      payment: 'cash',
      eligibility: { categoriesAny: ['dibao'] },
      tiers: [{ label: '低保', when: {}, amountCents: 30000 }],
    },
    {
      code: 'svc',
      name: '服务补贴',
      payment: 'service',
      eligibility: { minAge: 80 },
      tiers: [{ label: '80+', when: {}, amountCents: 6000 }],
    },
  ],
});

async function setup() {
  const c = await buildCounty(t.db);
  const admin = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
  const admin2 = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
  const staffA = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipA });
  const staffB = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipB });
  return { c, admin, admin2, staffA, staffB };
}

async function publishPolicy(admin: A, o: { key?: string; effectiveFrom: string; amount80?: number; activate?: boolean }) {
  const r = await admin.post('/api/v1/benefits/policies', {
    policyKey: o.key ?? 'local',
    name: '本县政策',
    effectiveFrom: o.effectiveFrom,
    rules: RULES(o.amount80 ?? 10000),
  });
  expect(r.statusCode, r.body).toBe(200);
  const id = r.json().id as string;
  expect((await admin.post(`/api/v1/benefits/policies/${id}/publish`)).statusCode).toBe(200);
  if (o.activate !== false) expect((await admin.post(`/api/v1/benefits/policies/${id}/activate`)).statusCode).toBe(200);
  return id;
}

async function waitRun(a: A, id: string) {
  for (let i = 0; i < 200; i++) {
    const r = await a.get(`/api/v1/benefits/runs/${id}`);
    expect(r.statusCode, r.body).toBe(200);
    if (r.json().run.status !== 'computing') return r.json();
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('run did not finish');
}

/** Computes, has both townships confirm, and approves with the second admin. */
async function runMonth(s: Awaited<ReturnType<typeof setup>>, month: string) {
  const r = await s.admin.post('/api/v1/benefits/runs', { month });
  expect(r.statusCode, r.body).toBe(200);
  const id = r.json().id as string;
  const view = await waitRun(s.admin, id);
  expect(view.run.status).toBe('computed');
  for (const st of [s.staffA, s.staffB]) expect((await st.post(`/api/v1/benefits/runs/${id}/reviews`, { status: 'confirmed' })).statusCode).toBe(200);
  const ok = await s.admin2.post(`/api/v1/benefits/runs/${id}/approve`);
  expect(ok.statusCode, ok.body).toBe(200);
  return id;
}

const linesOfRun = (runId: string) =>
  t.db.root.rows<{ elder_id: string; benefit_code: string; for_month: string; kind: string; amount_cents: number }>(
    sql`select elder_id::text as elder_id, benefit_code, for_month::text as for_month, kind, amount_cents from benefit_lines where run_id = ${runId} order by 1, 2, 3`,
  );

async function readXlsx(buf: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as never);
  const ws = wb.worksheets[0]!;
  const rows: string[][] = [];
  ws.eachRow((row) => rows.push((row.values as import('../../kernel/excel.js').CellValue[]).slice(1).map(cellText)));
  return rows;
}

describe('a monthly run', () => {
  it('previews, computes, is reviewed by townships, approved by a second admin, and pays through the bank file', async () => {
    const s = await setup();
    const { c } = s;
    const old = await buildElder(t.db, { regionCode: c.villageA, birthDate: '1940-01-01', name: '甲高龄' });
    await buildElder(t.db, { regionCode: c.villageB, birthDate: '1950-01-01', name: '乙低保', categories: ['dibao'] });
    await buildElder(t.db, { regionCode: c.villageB, birthDate: '1960-01-01', name: '乙年轻' });
    await publishPolicy(s.admin, { effectiveFrom: '2026-01-01' });
    await t.db.root.exec(sql`insert into elder_bank_accounts (elder_id, county_code, region_code, bank_code, bank_name, account_no, holder_name)
      values (${old.id}, ${c.county.slice(0, 6)}, ${c.villageA}, 'RCB', '农商银行', '6230000000000000011', '甲高龄')`);

    const pv = await s.admin.get('/api/v1/benefits/preview?month=2026-10');
    expect(pv.statusCode, pv.body).toBe(200);
    const p = pv.json();
    expect(p.totals).toMatchObject({ lines: 3, elders: 2, totalCents: 10000 + 6000 + 30000, cashCents: 40000, serviceCents: 6000 });
    expect(p.byTownship.map((x: { code: string; totalCents: number }) => [x.code, x.totalCents])).toEqual([
      [c.townshipA, 16000],
      [c.townshipB, 30000],
    ]);
    expect(p.changes.counts).toEqual({ added: 3, stopped: 0, changed: 0 });
    // A township sees its own part only.
    const pvA = (await s.staffA.get('/api/v1/benefits/preview?month=2026-10')).json();
    expect(pvA.totals.totalCents).toBe(16000);
    expect((await s.staffA.get(`/api/v1/benefits/preview?month=2026-10&regionCode=${c.townshipB}`)).statusCode).toBe(403);

    const created = await s.admin.post('/api/v1/benefits/runs', { month: '2026-10' });
    expect(created.statusCode, created.body).toBe(200);
    const runId = created.json().id;
    const view = await waitRun(s.admin, runId);
    expect(view.run).toMatchObject({ status: 'computed', progress: 100 });
    expect(view.run.summary).toMatchObject({ lines: 3, totalCents: 46000, payments: 2 });

    // The person who computed cannot approve; nor can anyone before the townships confirm.
    const self = await s.admin.post(`/api/v1/benefits/runs/${runId}/approve`);
    expect(self.statusCode).toBe(403);
    expect(self.json().error.message).toMatch(/计算.*不能审批/);
    const early = await s.admin2.post(`/api/v1/benefits/runs/${runId}/approve`);
    expect(early.statusCode).toBe(409);
    expect(early.json().error.details.townships).toEqual([c.townshipA, c.townshipB]);
    // A township reviews only its own township.
    expect((await s.staffA.post(`/api/v1/benefits/runs/${runId}/reviews`, { status: 'confirmed', township: c.townshipB })).statusCode).toBe(403);
    expect((await s.staffA.post(`/api/v1/benefits/runs/${runId}/reviews`, { status: 'returned' })).statusCode).toBe(400);
    expect((await s.staffA.post(`/api/v1/benefits/runs/${runId}/reviews`, { status: 'confirmed' })).statusCode).toBe(200);
    expect((await s.staffB.post(`/api/v1/benefits/runs/${runId}/reviews`, { status: 'confirmed' })).statusCode).toBe(200);
    // Township A's staff sees only its lines.
    const linesA = (await s.staffA.get(`/api/v1/benefits/runs/${runId}/lines`)).json();
    expect(linesA.total).toBe(2);
    expect(linesA.items.every((l: { elderName: string }) => l.elderName.includes('*'))).toBe(true);

    expect((await s.admin2.post(`/api/v1/benefits/runs/${runId}/approve`)).statusCode).toBe(200);
    // Approved runs are locked.
    expect((await s.admin.request('DELETE', `/api/v1/benefits/runs/${runId}`)).statusCode).toBe(409);
    const del = await t.db
      .scoped({ lo: c.county, hi: c.county.slice(0, 6) + '999999' }, (tx) => tx.exec(sql`delete from benefit_lines where run_id = ${runId}`))
      .catch((e) => e);
    expect(String(del?.cause?.message ?? del)).toMatch(/locked|锁定/);
    expect((await s.admin.post('/api/v1/benefits/runs', { month: '2026-10' })).statusCode).toBe(409);

    // Every amount explained.
    const line = linesA.items.find((l: { benefitCode: string }) => l.benefitCode === 'old_age');
    const ex = (await s.staffA.get(`/api/v1/benefits/lines/${line.id}`)).json();
    expect(ex.explanation).toMatch(/年龄86周岁（2026-10-31）/);
    expect(ex.explanation).toMatch(/本县政策》第1版/);

    // Bank files: one per bank, and the elders without an account listed apart.
    const banks = (await s.admin.get(`/api/v1/benefits/runs/${runId}`)).json().banks;
    expect(banks).toEqual([
      { bankCode: 'NONE', bankName: '未登记账户', payments: 1, totalCents: 30000 },
      { bankCode: 'RCB', bankName: '农商银行', payments: 1, totalCents: 10000 },
    ]);
    const file = await s.admin.get(`/api/v1/benefits/runs/${runId}/bank-file?bank=RCB`);
    expect(file.statusCode).toBe(200);
    const rows = await readXlsx(file.rawPayload);
    expect(rows[0]).toContain('身份证号');
    expect(rows[1]).toContain('6230000000000000011');
    expect(rows[1]).toContain('100');
    const csv = await s.admin.get(`/api/v1/benefits/runs/${runId}/bank-file?bank=NONE&format=csv`);
    expect(csv.body).toContain('乙低保');
    const audit = await t.db.root.one<{ n: number }>(sql`select count(*)::int as n from audit_log where entity = 'benefit_bank_file' and entity_id = ${runId}`);
    expect(audit!.n).toBe(2);

    // The bank's result: one payment failed → reissued in the next run.
    const result = new ExcelJS.Workbook();
    const ws = result.addWorksheet('回盘');
    const paymentId = rows[1]![0];
    ws.addRow(['业务编号', '金额（元）', '结果', '失败原因', '银行流水号']);
    ws.addRow([paymentId, 100, '失败', '账户已冻结', '']);
    const bad = new ExcelJS.Workbook();
    bad.addWorksheet('x').addRow(['业务编号', '结果']);
    bad.worksheets[0]!.addRow(['00000000-0000-0000-0000-000000000000', '也许']);
    const badUp = multipartFile(Buffer.from(await bad.xlsx.writeBuffer()), '回盘.xlsx');
    const badRes = await s.admin.request('POST', `/api/v1/benefits/runs/${runId}/bank-result`, badUp.payload, badUp.headers);
    expect(badRes.statusCode).toBe(400);
    expect(badRes.json().error.details.errors.map((e: { column: string }) => e.column)).toEqual(['业务编号', '结果']);
    const up = multipartFile(Buffer.from(await result.xlsx.writeBuffer()), '回盘.xlsx');
    const res = await s.admin.request('POST', `/api/v1/benefits/runs/${runId}/bank-result`, up.payload, up.headers);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ paid: 0, failed: 1 });

    const nov = await runMonth(s, '2026-11');
    const reissued = await t.db.root.rows<{ attempt: number; month: string }>(sql`select bp.attempt, l.for_month::text as month from benefit_payments bp
      join benefit_lines l on l.id = bp.line_id where bp.run_id = ${nov} and l.elder_id = ${old.id} and l.benefit_code = 'old_age' order by l.for_month`);
    expect(reissued).toEqual([
      { attempt: 2, month: '2026-10-01' },
      { attempt: 1, month: '2026-11-01' },
    ]);
    // History of the elder, each line explained.
    const hist = (await s.staffA.get(`/api/v1/elders/${old.id}/benefits`)).json().items;
    expect(hist.map((h: { forMonth: string; benefitCode: string }) => `${h.forMonth}:${h.benefitCode}`)).toEqual([
      '2026-11-01:old_age',
      '2026-11-01:svc',
      '2026-10-01:old_age',
      '2026-10-01:svc',
    ]);
    expect(hist[0].explanation).toMatch(/高龄津贴/);
    // The neighbour township cannot read it.
    expect((await s.staffB.get(`/api/v1/elders/${old.id}/benefits`)).statusCode).toBe(404);
  });

  it("shows a township user the run's figures of their own township, in the run detail and the run list", async () => {
    const s = await setup();
    const { c } = s;
    await buildElder(t.db, { regionCode: c.villageA, birthDate: '1940-01-01' });
    await buildElder(t.db, { regionCode: c.villageB, birthDate: '1941-01-01', categories: ['dibao'] });
    await buildElder(t.db, { regionCode: c.villageB, birthDate: '1942-01-01', categories: ['dibao'] });
    await publishPolicy(s.admin, { effectiveFrom: '2026-01-01' });
    const created = await s.admin.post('/api/v1/benefits/runs', { month: '2026-10' });
    const runId = created.json().id as string;
    const county = (await waitRun(s.admin, runId)).run.summary;
    expect(county).toMatchObject({ lines: 2 + 2 * 3, totalCents: 16000 + 2 * 46000 });

    const own = (township: string) =>
      t.db.root.one<{ n: number; c: string }>(
        sql`select count(*)::int as n, sum(amount_cents)::text as c from benefit_lines
          where run_id = ${runId} and kind = 'regular' and left(region_code, 9) = ${township.slice(0, 9)}`,
      );
    for (const [staff, township] of [
      [s.staffA, c.townshipA],
      [s.staffB, c.townshipB],
    ] as const) {
      const mine = (await own(township))!;
      const detail = (await staff.get(`/api/v1/benefits/runs/${runId}`)).json();
      expect(detail.run.summary).toMatchObject({ lines: mine.n, totalCents: Number(mine.c) });
      expect(detail.run.summary.totalCents).toBe(detail.townships.reduce((a: number, x: { totalCents: number }) => a + x.totalCents, 0));
      const listed = (await staff.get('/api/v1/benefits/runs')).json().items.find((r: { id: string }) => r.id === runId);
      expect(listed.summary).toMatchObject({ lines: mine.n, totalCents: Number(mine.c) });
    }
    // The county keeps the county's totals.
    expect((await s.admin.get(`/api/v1/benefits/runs/${runId}`)).json().run.summary).toMatchObject({ lines: 8, totalCents: 108000 });
    expect((await s.admin.get('/api/v1/benefits/runs')).json().items[0].summary).toMatchObject({ lines: 8, totalCents: 108000 });
  });

  it('a new policy version applies from its month and never rewrites a month already paid', async () => {
    const s = await setup();
    const e = await buildElder(t.db, { regionCode: s.c.villageA, birthDate: '1940-01-01' });
    await publishPolicy(s.admin, { effectiveFrom: '2026-01-01', amount80: 10000 });
    const oct = await runMonth(s, '2026-10');
    // Taking effect in (or before) an approved month is refused.
    const early = await s.admin.post('/api/v1/benefits/policies', { policyKey: 'local', name: '本县政策', effectiveFrom: '2026-10-01', rules: RULES(15000) });
    const refused = await s.admin.post(`/api/v1/benefits/policies/${early.json().id}/publish`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toMatch(/已审批/);
    // Published versions cannot be edited.
    const v1 = (await s.admin.get('/api/v1/benefits/policies')).json().items.find((p: { version: number }) => p.version === 1);
    expect((await s.admin.request('PUT', `/api/v1/benefits/policies/${v1.id}`, { name: 'x', effectiveFrom: '2026-01-01', rules: RULES(1) })).statusCode).toBe(
      409,
    );
    await publishPolicy(s.admin, { effectiveFrom: '2026-11-01', amount80: 15000 });
    const pv = (await s.admin.get('/api/v1/benefits/preview?month=2026-11')).json();
    expect(pv.policy.version).toBe(3);
    expect(pv.changes.counts).toEqual({ added: 0, stopped: 0, changed: 1 });
    expect(pv.changes.items[0]).toMatchObject({ kind: 'changed', before: 10000, after: 15000 });
    const nov = await runMonth(s, '2026-11');
    const all = await t.db.root.rows<{ m: string; a: number; v: number }>(sql`select l.for_month::text as m, l.amount_cents as a, p.version as v
      from benefit_lines l join benefit_policies p on p.id = l.policy_id where l.elder_id = ${e.id} and l.benefit_code = 'old_age' order by 1`);
    expect(all).toEqual([
      { m: '2026-10-01', a: 10000, v: 1 },
      { m: '2026-11-01', a: 15000, v: 3 },
    ]);
    expect((await linesOfRun(oct)).length).toBe(2);
    expect((await linesOfRun(nov)).length).toBe(2);
  });

  it('back-pays a late-discovered eligibility and recovers months paid after a death reported late', async () => {
    const s = await setup();
    const { c } = s;
    const late = await buildElder(t.db, { regionCode: c.villageA, birthDate: '1950-01-01', name: '迟认定' });
    const dead = await buildElder(t.db, { regionCode: c.villageB, birthDate: '1940-01-01', name: '迟报死亡' });
    await publishPolicy(s.admin, { effectiveFrom: '2026-01-01' });
    const sep = await runMonth(s, '2026-09');
    const oct = await runMonth(s, '2026-10');
    // Bank says October was paid.
    await t.db.root.exec(sql`update benefit_payments set status = 'paid' where run_id in (${sep}, ${oct})`);
    // Found out in November: 低保 since August; and the death on 2026-09-20.
    await t.db.root.exec(sql`insert into elder_categories (elder_id, county_code, region_code, category, valid_from)
      values (${late.id}, ${c.county.slice(0, 6)}, ${c.villageA}, 'dibao', '2026-08-01')`);
    await t.db.root.exec(sql`update elders set status = 'deceased', death_date = '2026-09-20' where id = ${dead.id}`);
    const nov = await runMonth(s, '2026-11');
    const lines = await linesOfRun(nov);
    // Back-pay covers the months that had runs (Sep, Oct) — under their own versions — plus November itself.
    expect(lines.filter((l) => l.elder_id === late.id).map((l) => `${l.for_month}:${l.kind}:${l.amount_cents}`)).toEqual([
      '2026-09-01:backpay:30000',
      '2026-10-01:backpay:30000',
      '2026-11-01:regular:30000',
    ]);
    // Died in September: September stays paid (stops the month after), October is recovered.
    const rec = (await s.staffB.get('/api/v1/benefits/recoveries')).json();
    expect(rec.items.map((r: { forMonth: string; amountCents: number; reason: string }) => `${r.forMonth}:${r.amountCents}:${r.reason}`)).toEqual([
      '2026-10-01:10000:死亡（2026-09-20）后发放',
    ]);
    expect(rec.totalCents).toBe(10000);
    expect((await s.staffA.get('/api/v1/benefits/recoveries')).json().items).toEqual([]);
    // Shown until settled.
    const settle = await s.staffB.post(`/api/v1/benefits/recoveries/${rec.items[0].id}/settle`, { status: 'settled', note: '家属已退回' });
    expect(settle.statusCode).toBe(200);
    expect((await s.staffB.get('/api/v1/benefits/recoveries')).json().items).toEqual([]);
    expect(lines.some((l) => l.elder_id === dead.id)).toBe(false);
  });
});

describe('exactly once', () => {
  it('a run killed midway and run again yields exactly the lines of an uninterrupted run, none twice', async () => {
    const c: TestCounty = await buildCounty(t.db);
    const admin = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
    for (let i = 0; i < 30; i++)
      await buildElder(t.db, {
        regionCode: [c.villageA, c.villageA2, c.villageB][i % 3]!,
        birthDate: `19${40 + (i % 25)}-0${1 + (i % 9)}-15`,
        categories: i % 4 ? [] : ['dibao'],
      });
    await publishPolicy(admin, { effectiveFrom: '2026-01-01' });
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
    const scope = { lo: c.county, hi: c.county.slice(0, 6) + '999999' };
    const runId = await t.db.scoped(scope, (tx) => createRun(tx, p, '2026-10-01'));
    await expect(computeRun(t.db, p, runId, { crashAfter: 1 })).rejects.toThrow(/simulated crash/);
    const partial = await linesOfRun(runId);
    const status = await t.db.root.one<{ status: string }>(sql`select status from benefit_runs where id = ${runId}`);
    expect(status!.status).toBe('computing');
    // The process that computed it stopped: its heartbeat goes stale. Resuming — as the server
    // does at start, and a compute under way at the same moment — completes it, each township once.
    await t.db.root.exec(sql`update benefit_runs set heartbeat_at = now() - interval '1 hour' where id = ${runId}`);
    const [resumed] = await Promise.all([resumeStuckRuns(t.db), computeRun(t.db, p, runId)]);
    const after = await t.db.root.one<{ status: string; progress: number; done: string[] }>(
      sql`select status, progress, summary->'done' as done from benefit_runs where id = ${runId}`,
    );
    expect(after).toEqual({ status: 'computed', progress: 100, done: [c.townshipA, c.townshipB] });
    expect(resumed).toContain(runId);
    const final = await linesOfRun(runId);
    const policy = await t.db.root.one<{ id: string }>(sql`select policy_id::text as id from benefit_runs where id = ${runId}`);
    const rules = (await t.db.system((tx) => getPolicy(tx, policy!.id))).rules;
    const expected = await t.db.system((tx) =>
      tx.rows<{ elder_id: string; benefit_code: string; amount_cents: number }>(
        sql`select elder_id::text as elder_id, benefit_code, amount_cents from (${linesQuery(rules, '2026-10-01', regionCohort(c.county))}) q order by 1, 2`,
      ),
    );
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(final.length);
    expect(final.map((l) => [l.elder_id, l.benefit_code, l.amount_cents])).toEqual(expected.map((l) => [l.elder_id, l.benefit_code, l.amount_cents]));
    const dupes = await t.db.root.one<{ n: number }>(
      sql`select count(*)::int as n from (select 1 from benefit_lines where run_id = ${runId} group by elder_id, benefit_code, for_month having count(*) > 1) d`,
    );
    expect(dupes!.n).toBe(0);
    const pays = await t.db.root.one<{ n: number; d: number }>(
      sql`select count(*)::int as n, count(distinct line_id)::int as d from benefit_payments where run_id = ${runId}`,
    );
    expect(pays!.n).toBe(pays!.d);
    expect(pays!.n).toBe(final.filter((l) => l.benefit_code !== 'svc').length);
  });
});

describe('lines and payments name a run and a policy version that exist', () => {
  it('refuses a line or payment naming a missing run or policy version, and a delete of a run or version still named', async () => {
    const c = await buildCounty(t.db);
    const admin = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
    const e = await buildElder(t.db, { regionCode: c.villageA, birthDate: '1940-01-01' });
    const policyId = await publishPolicy(admin, { effectiveFrom: '2026-01-01' });
    const county = c.county.slice(0, 6);
    const run = await t.db.root.one<{ id: string }>(sql`insert into benefit_runs (county_code, region_code, month, policy_id, summary)
      values (${county}, ${c.county}, '2026-03-01', ${policyId}, '{"done":[]}') returning id::text as id`);
    const missing = '00000000-0000-4000-8000-00000000dead';
    const line = (runId: string, pol: string) =>
      t.db.system((tx) =>
        tx.one<{
          id: string;
        }>(sql`insert into benefit_lines (county_code, region_code, elder_id, benefit_code, for_month, run_id, kind, payment, amount_cents, policy_id, tier, facts)
          values (${county}, ${c.villageA}, ${e.id}, 'old_age', '2026-03-01', ${runId}, 'regular', 'cash', 10000, ${pol}, 't', '{}') returning id::text as id`),
      );
    await expect(line(missing, policyId)).rejects.toThrow();
    await expect(line(run!.id, missing)).rejects.toThrow();
    const ok = await line(run!.id, policyId);
    const pay = (runId: string) =>
      t.db.system((tx) =>
        tx.exec(sql`insert into benefit_payments (county_code, region_code, run_id, line_id, attempt, amount_cents)
          values (${county}, ${c.villageA}, ${runId}, ${ok!.id}, 1, 10000)`),
      );
    await expect(pay(missing)).rejects.toThrow();
    expect(await pay(run!.id)).toBe(1);
    await expect(t.db.system((tx) => tx.exec(sql`update benefit_lines set run_id = ${missing} where id = ${ok!.id}`))).rejects.toThrow();
    await expect(t.db.system((tx) => tx.exec(sql`delete from benefit_runs where id = ${run!.id}`))).rejects.toThrow();
    await expect(t.db.system((tx) => tx.exec(sql`delete from benefit_policies where id = ${policyId}`))).rejects.toThrow();
    // Once its payments and lines are gone, the run can go.
    await t.db.system(async (tx) => {
      await tx.exec(sql`delete from benefit_payments where run_id = ${run!.id}`);
      await tx.exec(sql`delete from benefit_lines where run_id = ${run!.id}`);
      expect(await tx.exec(sql`delete from benefit_runs where id = ${run!.id}`)).toBe(1);
    });
  });
});

describe('service entitlement at order time', () => {
  it('sums the service-type benefits the elder qualifies for this month, each explained', async () => {
    const { serviceEntitlement } = await import('./entitlement.js');
    const s = await setup();
    const old = await buildElder(t.db, { regionCode: s.c.villageA, birthDate: '1940-01-01' });
    const young = await buildElder(t.db, { regionCode: s.c.villageA, birthDate: '1960-01-01' });
    const scope = { lo: s.c.townshipA, hi: s.c.townshipA.slice(0, 9) + '999' };
    expect(await t.db.scoped(scope, (tx) => serviceEntitlement(tx, old.id, '2026-10-15'))).toEqual({ month: '2026-10', budgetCents: 0, sources: [] });
    await publishPolicy(s.admin, { effectiveFrom: '2026-01-01' });
    const e = await t.db.scoped(scope, (tx) => serviceEntitlement(tx, old.id, '2026-10-15'));
    expect(e).toMatchObject({ month: '2026-10', budgetCents: 6000, sources: [{ benefitCode: 'svc', name: '服务补贴', amountCents: 6000 }] });
    expect(e.sources[0]!.explanation).toMatch(/年龄86周岁/);
    expect((await t.db.scoped(scope, (tx) => serviceEntitlement(tx, young.id, '2026-10-15'))).budgetCents).toBe(0);
    // A neighbour township's user cannot learn it.
    const other = { lo: s.c.townshipB, hi: s.c.townshipB.slice(0, 9) + '999' };
    expect((await t.db.scoped(other, (tx) => serviceEntitlement(tx, old.id, '2026-10-15'))).budgetCents).toBe(0);
  });
});

describe('applications', () => {
  it('are filed with documents, reviewed by the township, decided by the county, refused only with a reason, and pay from the month applied', async () => {
    const s = await setup();
    const village = await agentFor(t.app, t.db, { role: 'village_worker', regionCode: s.c.villageA });
    const e = await buildElder(t.db, { regionCode: s.c.villageA, birthDate: '1950-01-01', categories: ['dibao'] });
    const rules = RULES(10000);
    (rules.benefits[1] as Record<string, unknown>).needsApplication = true;
    const pol = await s.admin.post('/api/v1/benefits/policies', { policyKey: 'app', name: '需申请政策', effectiveFrom: '2026-01-01', rules });
    await s.admin.post(`/api/v1/benefits/policies/${pol.json().id}/publish`);
    await s.admin.post(`/api/v1/benefits/policies/${pol.json().id}/activate`);
    expect((await village.post('/api/v1/benefits/applications', { elderId: e.id, benefitCode: 'old_age', appliedOn: '2026-10-05' })).statusCode).toBe(400);
    const filed = await village.post('/api/v1/benefits/applications', { elderId: e.id, benefitCode: 'poor', appliedOn: '2026-10-05', note: '低保证明已核' });
    expect(filed.statusCode, filed.body).toBe(200);
    const id = filed.json().id;
    expect((await village.post('/api/v1/benefits/applications', { elderId: e.id, benefitCode: 'poor', appliedOn: '2026-10-06' })).statusCode).toBe(409);
    const up = multipartFile(Buffer.from('%PDF-1.4 低保证明'), '低保证明.pdf', 'file', 'application/pdf');
    const doc = await village.request('POST', `/api/v1/benefits/applications/${id}/documents`, up.payload, up.headers);
    expect(doc.statusCode, doc.body).toBe(200);
    const got = await s.staffA.get(`/api/v1/benefits/application-documents/${doc.json().id}`);
    expect(got.statusCode).toBe(200);
    expect(got.body).toContain('%PDF-1.4');
    expect((await s.staffB.get(`/api/v1/benefits/application-documents/${doc.json().id}`)).statusCode).toBe(404);
    expect((await s.admin.post(`/api/v1/benefits/applications/${id}/decide`, { approve: true })).statusCode).toBe(409);
    expect((await s.staffA.post(`/api/v1/benefits/applications/${id}/review`, { approve: false })).statusCode).toBe(400);
    expect((await s.staffA.post(`/api/v1/benefits/applications/${id}/review`, { approve: true })).statusCode).toBe(200);
    expect((await s.admin.post(`/api/v1/benefits/applications/${id}/decide`, { approve: true })).statusCode).toBe(200);
    const view = (await s.staffA.get(`/api/v1/benefits/applications/${id}`)).json();
    expect(view).toMatchObject({ status: 'approved', benefit: '困难补贴', documents: [{ filename: '低保证明.pdf' }] });
    const pvSep = (await s.staffA.get('/api/v1/benefits/preview?month=2026-09')).json();
    const pvOct = (await s.staffA.get('/api/v1/benefits/preview?month=2026-10')).json();
    expect(pvSep.byBenefit.find((b: { code: string }) => b.code === 'poor')).toBeUndefined();
    expect(pvOct.byBenefit.find((b: { code: string }) => b.code === 'poor')).toMatchObject({ lines: 1, totalCents: 30000 });
    expect(pvOct.changes.items.find((i: { benefit: string }) => i.benefit === '困难补贴').reason).toMatch(/2026-10-05 申请获批/);
  });
});
