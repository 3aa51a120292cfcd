/**
 * 工作台 work list: each role's counts are the totals of the lists they link to, within the
 * user's scope — a neighbouring township's (or provider's, or caregiver's) items never count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../kernel/db.js';
import { agentFor, buildCounty, buildElder, testApp, type TestApp, type TestCounty } from '../../test/harness.js';

let t: TestApp;
let c: TestCounty;
beforeAll(async () => {
  t = await testApp();
  c = await buildCounty(t.db);
});
afterAll(async () => t?.close());

type A = Awaited<ReturnType<typeof agentFor>>;

/** The API list behind each work link, and how to read its total. */
const LIST: Record<string, (a: A) => Promise<number>> = {
  applications_review: async (a) => (await a.get('/api/v1/benefits/applications?status=submitted')).json().total,
  applications_decide: async (a) => (await a.get('/api/v1/benefits/applications?status=township_approved')).json().total,
  assessments_immediate: async (a) => (await a.get('/api/v1/assessments/due?kind=immediate')).json().total,
  assessments_overdue: async (a) => (await a.get('/api/v1/assessments/due?kind=overdue')).json().total,
  orders_escalated: async (a) => (await a.get('/api/v1/services/orders?escalated=true')).json().total,
  orders_to_accept: async (a) => (await a.get('/api/v1/services/orders?status=dispatched')).json().total,
  orders_unaccepted: async (a) => (await a.get('/api/v1/services/orders?overdue=unaccepted')).json().total,
  orders_late: async (a) => (await a.get('/api/v1/services/orders?overdue=late')).json().total,
  complaints_open: async (a) => (await a.get('/api/v1/services/complaints?status=open')).json().items.length,
};

let seq = 0;
async function order(
  village: string,
  provider: string,
  o: { status: string; caregiverId?: string; late?: boolean; unaccepted?: boolean; escalated?: boolean },
) {
  const e = await buildElder(t.db, { regionCode: village });
  const county = c.county.slice(0, 6);
  const item = await t.db.root.one<{
    id: string;
  }>(sql`insert into service_items (county_code, region_code, code, category, name, unit, price_cents, duration_min, skill)
    values (${county}, ${c.county}, ${'W' + ++seq}, 'bath', '助浴', '次', 8000, 60, 'bath') returning id::text as id`);
  const r = await t.db.root.one<{
    id: string;
  }>(sql`insert into service_orders (no, county_code, region_code, elder_id, elder_name, item_id, item_code, item_name,
      category, unit, skill, quantity, duration_min, price_cents, amount_cents, gov_cents, copay_cents, entitlement, service_date, service_time, channel,
      status, provider_id, caregiver_id, caregiver_name, dispatched_at, accept_deadline, escalated_at, escalation)
    values (${'FWWORK' + seq}, ${county}, ${village}, ${e.id}, '老人', ${item!.id}, 'W', '助浴', 'bath', '次', 'bath', 1, 60, 8000, 8000, 0, 8000, '{}',
      ${o.late ? '2020-01-01' : '2099-01-01'}, '09:00', 'staff', ${o.status}, ${o.status === 'pending' ? null : provider}, ${o.caregiverId ?? null},
      ${o.caregiverId ? '护理员' : null}, ${o.status === 'dispatched' ? new Date().toISOString() : null},
      ${o.status === 'dispatched' ? (o.unaccepted ? '2020-01-01T00:00:00Z' : '2099-01-01T00:00:00Z') : null},
      ${o.escalated ? new Date().toISOString() : null}, ${o.escalated ? 'timeout' : null}) returning id::text as id`);
  return { orderId: r!.id, elderId: e.id };
}

describe('the 工作台 work list', () => {
  it("counts each role's pending items in scope, equal to the lists they link to", async () => {
    const county = c.county.slice(0, 6);
    // Caregivers: one of provider A with an account, one of provider A without.
    const carerA = await agentFor(t.app, t.db, { role: 'caregiver', regionCode: c.townshipA, providerId: c.providerA });
    const cg = await t.db.root.one<{ id: string }>(sql`insert into caregivers (provider_id, county_code, region_code, name, skills, user_id)
      values (${c.providerA}, ${county}, ${c.townshipA}, '甲护理员', '{bath}', ${carerA.user.id}) returning id::text as id`);
    const cg2 = await t.db.root.one<{ id: string }>(sql`insert into caregivers (provider_id, county_code, region_code, name, skills)
      values (${c.providerA}, ${county}, ${c.townshipA}, '甲护理员二', '{bath}') returning id::text as id`);

    // Township A: 1 application to review, 1 to decide; township B: 2 to review.
    for (const [v, status] of [
      [c.villageA, 'submitted'],
      [c.villageA, 'township_approved'],
      [c.villageB, 'submitted'],
      [c.villageB, 'submitted'],
    ] as const) {
      const e = await buildElder(t.db, { regionCode: v });
      await t.db.root.exec(sql`insert into benefit_applications (county_code, region_code, elder_id, benefit_code, applied_on, status)
        values (${county}, ${v}, ${e.id}, 'old_age', '2026-01-01', ${status})`);
    }
    // Assessments: an immediate one in A, an overdue one in A and two in B.
    const imm = await buildElder(t.db, { regionCode: c.villageA });
    await t.db.root.exec(sql`update elders set reassess_requested_at = now() where id = ${imm.id}`);
    for (const v of [c.villageA, c.villageB, c.villageB]) {
      const e = await buildElder(t.db, { regionCode: v });
      await t.db.root
        .exec(sql`insert into assessments (elder_id, county_code, region_code, standard, reason, reference_date, answers, preliminary_level, final_level, level_name, valid_until)
        values (${e.id}, ${county}, ${v}, 'GB/T 42195-2022', 'first', '2023-01-01', '{}', 1, 1, 'x', '2024-01-01')`);
    }
    // Orders: A has one dispatched to provider A in time and one past its deadline, one escalated,
    // one late for caregiver A and one late for the other caregiver; B has one of each kind for provider B.
    await order(c.villageA, c.providerA, { status: 'dispatched' });
    const unacc = await order(c.villageA, c.providerA, { status: 'dispatched', unaccepted: true });
    await order(c.villageA, c.providerA, { status: 'pending', escalated: true });
    await order(c.villageA, c.providerA, { status: 'accepted', caregiverId: cg!.id, late: true });
    await order(c.villageA2, c.providerA, { status: 'accepted', caregiverId: cg2!.id, late: true });
    await order(c.villageB, c.providerB, { status: 'dispatched', unaccepted: true });
    await order(c.villageB, c.providerB, { status: 'pending', escalated: true });
    const lateB = await order(c.villageB, c.providerB, { status: 'accepted', late: true });
    // Complaints: one open in A (provider A), one open and one closed in B (provider B).
    for (const [o, v, p, status] of [
      [unacc, c.villageA, c.providerA, 'open'],
      [lateB, c.villageB, c.providerB, 'open'],
      [lateB, c.villageB, c.providerB, 'closed'],
    ] as const)
      await t.db.root.exec(sql`insert into service_complaints (order_id, county_code, region_code, provider_id, elder_id, kind, content, status)
        values (${o.orderId}, ${county}, ${v}, ${p}, ${o.elderId}, 'late', '投诉', ${status})`);

    const agents: Record<string, A> = {
      county: await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county }),
      township: await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipA }),
      village: await agentFor(t.app, t.db, { role: 'village_worker', regionCode: c.villageA }),
      provider: await agentFor(t.app, t.db, { role: 'provider_admin', regionCode: c.townshipA, providerId: c.providerA }),
      caregiver: carerA,
    };
    const expected: Record<string, Record<string, number>> = {
      county: {
        applications_decide: 1,
        runs_approve: 0,
        assessments_immediate: 1,
        assessments_overdue: 3,
        orders_escalated: 2,
        orders_unaccepted: 2,
        complaints_open: 2,
      },
      // Township B's applications, assessments, orders and complaints do not count for A.
      township: {
        applications_review: 1,
        runs_review: 0,
        assessments_immediate: 1,
        assessments_overdue: 1,
        orders_escalated: 1,
        orders_unaccepted: 1,
        complaints_open: 1,
      },
      // The village sees its own village only (the other caregiver's late order is in 甲二村).
      village: { assessments_immediate: 1, assessments_overdue: 1, orders_late: 1, complaints_open: 1 },
      provider: { orders_to_accept: 2, orders_unaccepted: 1, orders_late: 2, complaints_open: 1 },
      // A caregiver counts only their own late visits, not a colleague's of the same provider.
      caregiver: { orders_late: 1 },
    };
    for (const [who, a] of Object.entries(agents)) {
      const r = await a.get('/api/v1/overview/work');
      expect(r.statusCode, `${who}: ${r.body}`).toBe(200);
      const items = r.json().items as { key: string; count: number; link: string }[];
      expect(Object.fromEntries(items.map((i) => [i.key, i.count])), who).toEqual(expected[who]);
      for (const i of items) {
        expect(i.link).toMatch(/^\/m\/\w+\?/);
        // The linked list, with the same filter, shows the same number.
        if (LIST[i.key]) expect(await LIST[i.key]!(a), `${who} ${i.key}`).toBe(i.count);
      }
    }
  });

  it('counts computed runs for the county to approve and for a township to review until it confirms', async () => {
    const county = c.county.slice(0, 6);
    const admin = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
    const staffA = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipA });
    const staffB = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipB });
    const e = await buildElder(t.db, { regionCode: c.villageA, birthDate: '1940-01-01' });
    const run = await t.db.root.one<{ id: string }>(sql`with p as (
        insert into benefit_policies (county_code, region_code, policy_key, name, version, status, effective_from, rules)
        values (${county}, ${c.county}, 'w', 'w', 1, 'published', '2026-01-01', '{"benefits":[]}') returning id)
      insert into benefit_runs (county_code, region_code, month, policy_id, status, progress) select ${county}, ${c.county}, '2026-10-01', id, 'computed', 100 from p
      returning id::text as id`);
    await t.db.root
      .exec(sql`insert into benefit_lines (county_code, region_code, elder_id, benefit_code, for_month, kind, tier, amount_cents, payment, run_id, policy_id, facts)
      select ${county}, ${c.villageA}, ${e.id}, 'old_age', '2026-10-01', 'regular', 't', 100, 'cash', r.id, r.policy_id, '{}' from benefit_runs r where r.id = ${run!.id}`);
    const count = async (a: A, key: string) =>
      ((await a.get('/api/v1/overview/work')).json().items as { key: string; count: number }[]).find((i) => i.key === key)?.count;
    expect(await count(admin, 'runs_approve')).toBe(1);
    expect(await count(staffA, 'runs_review')).toBe(1);
    expect(await count(staffB, 'runs_review')).toBe(0); // no lines in B
    expect((await staffA.post(`/api/v1/benefits/runs/${run!.id}/reviews`, { status: 'confirmed' })).statusCode).toBe(200);
    expect(await count(staffA, 'runs_review')).toBe(0);
  });
});
