/**
 * The month's draft equals a computation from scratch after every kind of write: registry
 * facts (new elder, category from mid-month, category ended, death, birth date corrected,
 * deletion), a new policy version, and last month's run being computed; a preview reads the
 * draft only while it is current and otherwise computes live, with the same answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../kernel/db.js';
import { scopeOf } from '../../kernel/scope.js';
import { agentFor, buildCounty, buildElder, testApp, type TestApp } from '../../test/harness.js';
import { linesQuery, regionCohort } from './engine.js';
import { draftParts, refreshDraft } from './drafts.js';
import { getPolicy } from './policies.js';
import { computeRun, createRun } from './runs.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => t?.close());

const RULES = (amount80: number) => ({
  backpayMonths: 0,
  benefits: [
    { code: 'old_age', name: '高龄津贴', payment: 'cash', eligibility: { minAge: 80 }, tiers: [{ label: '80+', when: {}, amountCents: amount80 }] },
    {
      code: 'poor',
      name: '困难补贴',
      payment: 'cash',
      eligibility: { categoriesAny: ['dibao'] },
      startsFrom: 'same_month',
      tiers: [
        { label: '低保80+', when: { minAge: 80 }, amountCents: 40000 },
        { label: '低保', when: {}, amountCents: 30000 },
      ],
    },
    { code: 'svc', name: '服务补贴', payment: 'service', eligibility: { minAge: 80 }, tiers: [{ label: '80+', when: {}, amountCents: 6000 }] },
  ],
});

describe('benefit drafts', () => {
  it('stay equal to a computation from scratch through registry writes, a new policy version and last month’s run', async () => {
    const c = await buildCounty(t.db);
    const county = c.county.slice(0, 6);
    const admin = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
    const admin2 = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
    const staffA = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipA });
    const staffB = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipB });
    const publish = async (amount80: number, effectiveFrom: string) => {
      const r = await admin.post('/api/v1/benefits/policies', { policyKey: 'local', name: '本县政策', effectiveFrom, rules: RULES(amount80) });
      expect(r.statusCode, r.body).toBe(200);
      const id = r.json().id as string;
      expect((await admin.post(`/api/v1/benefits/policies/${id}/publish`)).statusCode).toBe(200);
      expect((await admin.post(`/api/v1/benefits/policies/${id}/activate`)).statusCode).toBe(200);
      return id;
    };
    let policyId = await publish(10000, '2026-01-01');
    const e = [
      await buildElder(t.db, { regionCode: c.villageA, birthDate: '1940-01-01' }),
      await buildElder(t.db, { regionCode: c.villageA, birthDate: '1946-11-30' }), // turns 80 on the month's last day
      await buildElder(t.db, { regionCode: c.villageB, birthDate: '1950-01-01', categories: ['dibao'] }),
      await buildElder(t.db, { regionCode: c.villageB, birthDate: '1935-05-05', categories: ['dibao'] }),
      await buildElder(t.db, { regionCode: c.villageB, birthDate: '1960-01-01' }),
    ];
    const month = '2026-11-01';

    type Line = { elder_id: string; benefit_code: string; amount_cents: number; tier: string; region_code: string };
    const draftLines = () =>
      t.db.root.rows<Line>(sql`select elder_id::text as elder_id, benefit_code, amount_cents, tier, region_code from benefit_draft_lines
        where county_code = ${county} and for_month = ${month}::date order by 1, 2`);
    const liveLines = async () => {
      const pol = await getPolicy(t.db.root, policyId);
      return t.db.system((tx) =>
        tx.rows<Line>(sql`select elder_id::text as elder_id, benefit_code, amount_cents, tier, region_code
          from (${linesQuery(pol.rules, month, regionCohort(c.county))}) q order by 1, 2`),
      );
    };
    /** The preview as users get it (from the draft) and computed live (policyId given), for the county and a township. */
    const previews = async () => {
      const out = [];
      for (const [a, region] of [
        [admin, c.county],
        [staffB, c.townshipB],
      ] as const) {
        const fromDraft = await a.get(`/api/v1/benefits/preview?month=2026-11&regionCode=${region}`);
        const live = await a.get(`/api/v1/benefits/preview?month=2026-11&regionCode=${region}&policyId=${policyId}`);
        expect(fromDraft.statusCode, fromDraft.body).toBe(200);
        expect(live.statusCode, live.body).toBe(200);
        out.push([fromDraft.json(), live.json()]);
      }
      return out;
    };
    const expectCurrent = async (action: string, count?: number) => {
      const r = await refreshDraft(t.db, county, month);
      expect(r.action).toBe(action);
      if (count != null) expect(r.count).toBe(count);
      expect(await draftLines()).toEqual(await liveLines());
      for (const [d, l] of await previews()) expect(d).toEqual(l);
    };

    await expectCurrent('rebuilt', 8);
    await expectCurrent('none', 0);
    expect((await previews())[0]![0].totals).toMatchObject({ lines: 8, elders: 4 });

    // Registry writes, each picked up for just the elders written.
    await buildElder(t.db, { regionCode: c.villageA, birthDate: '1930-02-02' });
    await expectCurrent('incremental', 1);
    await t.db.root.exec(sql`insert into elder_categories (elder_id, county_code, region_code, category, valid_from)
      values (${e[0]!.id}, ${county}, ${c.villageA}, 'dibao', '2026-11-15')`);
    await expectCurrent('incremental', 1);
    await t.db.root.exec(sql`update elder_categories set valid_to = '2026-10-31' where elder_id = ${e[2]!.id}`);
    await t.db.root.exec(sql`update elders set status = 'deceased', death_date = '2026-10-20' where id = ${e[3]!.id}`);
    await expectCurrent('incremental', 2);
    await t.db.root.exec(sql`update elders set birth_date = '1946-12-01' where id = ${e[1]!.id}`); // corrected: not 80 yet
    await t.db.root.exec(sql`delete from elder_categories where elder_id = ${e[0]!.id}`);
    await t.db.root.exec(sql`delete from elders where id = ${e[4]!.id}`);
    await expectCurrent('incremental', 3);

    // A write the draft has not seen: the preview does not use it, and still answers right.
    await buildElder(t.db, { regionCode: c.villageB, birthDate: '1931-03-03', categories: ['dibao'] });
    const stale = await t.db.scoped(scopeOf(c.county), (tx) => draftParts(tx, { regionCode: c.county, month, policyId, limit: 100 }));
    expect(stale).toBeNull();
    await expectCurrent('incremental', 1);
    const current = await t.db.scoped(scopeOf(c.county), (tx) => draftParts(tx, { regionCode: c.county, month, policyId, limit: 100 }));
    expect(current).not.toBeNull();
    // A village is computed live.
    expect(await t.db.scoped(scopeOf(c.county), (tx) => draftParts(tx, { regionCode: c.villageA, month, policyId, limit: 100 }))).toBeNull();

    // Last month's run gives the changes something to compare with.
    const run = await admin.post('/api/v1/benefits/runs', { month: '2026-10' });
    expect(run.statusCode, run.body).toBe(200);
    for (let i = 0; i < 200; i++) {
      const r = await admin.get(`/api/v1/benefits/runs/${run.json().id}`);
      if (r.json().run.status !== 'computing') break;
      await new Promise((res) => setTimeout(res, 50));
    }
    await expectCurrent('incremental', 0);
    const [[county1]] = (await previews()) as [[{ changes: { counts: Record<string, number>; items: { kind: string }[] } }]];
    expect(county1.changes.counts.added + county1.changes.counts.stopped + county1.changes.counts.changed).toBeGreaterThan(0);
    for (const st of [staffA, staffB]) expect((await st.post(`/api/v1/benefits/runs/${run.json().id}/reviews`, { status: 'confirmed' })).statusCode).toBe(200);
    expect((await admin2.post(`/api/v1/benefits/runs/${run.json().id}/approve`)).statusCode).toBe(200);

    // A new policy version for the month rebuilds the draft.
    policyId = await publish(12000, '2026-11-01');
    await expectCurrent('rebuilt');
    expect((await draftLines()).filter((l) => l.benefit_code === 'old_age').every((l) => l.amount_cents === 12000)).toBe(true);

    // The month's run copies its lines from the current draft — killed after one township and
    // resumed, it has exactly the lines of a computation from scratch, each cash line paid once.
    const p = {
      userId: admin.user.id,
      username: admin.user.username,
      displayName: 'x',
      role: 'county_admin' as const,
      regionCode: c.county,
      countyCode: county,
      providerId: null,
      sessionId: '',
      csrfToken: '',
      mustChangePassword: false,
    };
    await buildElder(t.db, { regionCode: c.villageA, birthDate: '1929-09-09' }); // written after the last refresh
    const runId = await t.db.scoped(scopeOf(c.county), (tx) => createRun(tx, p, month));
    const steps: string[] = [];
    await expect(computeRun(t.db, p, runId, { crashAfter: 1, onStep: (s) => steps.push(s) })).rejects.toThrow(/simulated crash/);
    expect(steps[0]).toBe('draft (incremental)');
    await computeRun(t.db, p, runId);
    const runLines = await t.db.root.rows<Line>(sql`select elder_id::text as elder_id, benefit_code, amount_cents, tier, region_code from benefit_lines
      where run_id = ${runId} order by 1, 2`);
    expect(runLines).toEqual(await liveLines());
    const pays = await t.db.root.one<{ n: number; d: number }>(
      sql`select count(*)::int as n, count(distinct line_id)::int as d from benefit_payments where run_id = ${runId}`,
    );
    expect(pays).toEqual({ n: runLines.filter((l) => l.benefit_code !== 'svc').length, d: runLines.filter((l) => l.benefit_code !== 'svc').length });
  });

  it('is brought up to date once when two refreshes run at once', async () => {
    const c = await buildCounty(t.db);
    const county = c.county.slice(0, 6);
    const admin = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
    const r = await admin.post('/api/v1/benefits/policies', { policyKey: 'local', name: '本县政策', effectiveFrom: '2026-01-01', rules: RULES(10000) });
    const id = r.json().id as string;
    await admin.post(`/api/v1/benefits/policies/${id}/publish`);
    await admin.post(`/api/v1/benefits/policies/${id}/activate`);
    for (let i = 0; i < 5; i++) await buildElder(t.db, { regionCode: c.villageA, birthDate: '1940-01-01' });
    const both = await Promise.all([refreshDraft(t.db, county, '2026-11'), refreshDraft(t.db, county, '2026-11')]);
    expect(both.map((x) => x.action).sort()).toEqual(['none', 'rebuilt']);
    const n = await t.db.root.one<{ n: number }>(sql`select count(*)::int as n from benefit_draft_lines where county_code = ${county}`);
    expect(n!.n).toBe(10);
  });
});
