import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from '../../kernel/db.js';
import ExcelJS from '../../kernel/excel.js';
import { countyToday } from '../../kernel/dates.js';
import { agentFor, buildCounty, buildElder, testApp, type TestApp, type TestCounty } from '../../test/harness.js';
import { monthlySubsidy, spreadDates, visitsToGenerate } from './beds.plan.js';
import { monthRange } from './split.js';

// The benefits engine is built elsewhere; here each elder's monthly budget is set by the test.
const budgets = new Map<string, number>();
vi.mock('../benefits/entitlement.js', () => ({
  serviceEntitlement: async (_tx: unknown, elderId: string, date: string) => {
    const b = budgets.get(elderId) ?? 0;
    return {
      month: date.slice(0, 7),
      budgetCents: b,
      sources: b ? [{ benefitCode: 'service_subsidy', name: '居家服务补贴', amountCents: b, explanation: '测试：失能老人' }] : [],
    };
  },
}));

describe('plan visits of a month (pure)', () => {
  it('spreads n visits evenly from the first day', () => {
    expect(spreadDates(4, '2026-11-01', '2026-11-30')).toEqual(['2026-11-01', '2026-11-08', '2026-11-16', '2026-11-23']);
    expect(spreadDates(2, '2026-12-01', '2026-12-31')).toEqual(['2026-12-01', '2026-12-16']);
    expect(spreadDates(3, '2026-11-10', '2026-11-30')).toEqual(['2026-11-10', '2026-11-17', '2026-11-24']);
    // More visits than days: two on a day.
    expect(spreadDates(4, '2026-11-29', '2026-11-30')).toEqual(['2026-11-29', '2026-11-29', '2026-11-30', '2026-11-30']);
    expect(spreadDates(0, '2026-11-01', '2026-11-30')).toEqual([]);
  });

  it('dates each missing slot from the later of month start and enrolment; past ones move to today onwards; generated ones are left alone', () => {
    const lines = [
      { itemId: 'a', timesPerMonth: 4 },
      { itemId: 'b', timesPerMonth: 2 },
    ];
    const full = visitsToGenerate({ month: '2026-11', enrolledOn: '2026-01-01', today: '2026-10-28', lines, existing: new Set() });
    expect(full.map((v) => `${v.itemId}${v.seq} ${v.date}`)).toEqual([
      'a1 2026-11-01',
      'b1 2026-11-01',
      'a2 2026-11-08',
      'a3 2026-11-16',
      'b2 2026-11-16',
      'a4 2026-11-23',
    ]);
    expect(full[0].slot).toBe('2026-11:a:1');
    // Enrolled on the 10th: spread from then.
    const late = visitsToGenerate({ month: '2026-11', enrolledOn: '2026-11-10', today: '2026-11-01', lines: [lines[0]], existing: new Set() });
    expect(late.map((v) => v.date)).toEqual(['2026-11-10', '2026-11-15', '2026-11-20', '2026-11-25']);
    // Generated on the 20th: the four visits spread over the 20th … 30th, none in the past.
    const mid = visitsToGenerate({ month: '2026-11', enrolledOn: '2026-01-01', today: '2026-11-20', lines: [lines[0]], existing: new Set() });
    expect(mid.map((v) => `${v.seq} ${v.date}`)).toEqual(['1 2026-11-20', '2 2026-11-22', '3 2026-11-25', '4 2026-11-28']);
    // The plan raised from 4 to 6 on the 20th, slots 1–4 generated: 5 and 6 keep their days (21st, 26th).
    const more = visitsToGenerate({
      month: '2026-11',
      enrolledOn: '2026-01-01',
      today: '2026-11-20',
      lines: [{ itemId: 'a', timesPerMonth: 6 }],
      existing: new Set([1, 2, 3, 4].map((k) => `2026-11:a:${k}`)),
    });
    expect(more.map((v) => `${v.seq} ${v.date}`)).toEqual(['5 2026-11-21', '6 2026-11-26']);
    // Raised to 8 on the 27th: 5 … 8 (due from the 16th) all go to the 27th … 30th.
    const late8 = visitsToGenerate({
      month: '2026-11',
      enrolledOn: '2026-01-01',
      today: '2026-11-27',
      lines: [{ itemId: 'a', timesPerMonth: 8 }],
      existing: new Set([1, 2, 3, 4].map((k) => `2026-11:a:${k}`)),
    });
    expect(late8.map((v) => v.date)).toEqual(['2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30']);
    // Slot 2 generated already.
    const rest = visitsToGenerate({ month: '2026-11', enrolledOn: '2026-01-01', today: '2026-10-01', lines: [lines[0]], existing: new Set(['2026-11:a:2']) });
    expect(rest.map((v) => v.seq)).toEqual([1, 3, 4]);
    // A month over, or not yet enrolled: nothing.
    expect(visitsToGenerate({ month: '2026-10', enrolledOn: '2026-01-01', today: '2026-11-01', lines, existing: new Set() })).toEqual([]);
    expect(visitsToGenerate({ month: '2026-11', enrolledOn: '2026-12-05', today: '2026-11-01', lines, existing: new Set() })).toEqual([]);
  });

  it('operating subsidy: the monthly amount for the days the bed was open', () => {
    expect(monthlySubsidy({ month: '2026-11', monthlyCents: 30_000, enrolledOn: '2026-01-01', endedOn: null })).toEqual({
      monthlyCents: 30_000,
      activeDays: 30,
      daysInMonth: 30,
      cents: 30_000,
    });
    expect(monthlySubsidy({ month: '2026-11', monthlyCents: 30_000, enrolledOn: '2026-11-16', endedOn: null }).cents).toBe(15_000);
    // Ended on the 11th: open the 1st … 10th.
    expect(monthlySubsidy({ month: '2026-11', monthlyCents: 30_000, enrolledOn: '2026-10-01', endedOn: '2026-11-11' })).toMatchObject({
      activeDays: 10,
      cents: 10_000,
    });
    expect(monthlySubsidy({ month: '2026-12', monthlyCents: 10_000, enrolledOn: '2026-12-31', endedOn: null }).cents).toBe(323);
    expect(monthlySubsidy({ month: '2026-11', monthlyCents: 0, enrolledOn: '2026-01-01', endedOn: null }).cents).toBe(0);
  });
});

const nextMonth = (m: string) => {
  const [y, mo] = m.split('-').map(Number);
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
};

describe('family care beds: plan orders and the month statement', () => {
  let t: TestApp;
  let c: TestCounty;
  let admin: Awaited<ReturnType<typeof agentFor>>;
  let staff: Awaited<ReturnType<typeof agentFor>>;
  let staffB: Awaited<ReturnType<typeof agentFor>>;
  let provA: Awaited<ReturnType<typeof agentFor>>;
  let provB: Awaited<ReturnType<typeof agentFor>>;
  let rehab: string; // 70.00, needs a rehab caregiver (provider A has one)
  let care: string; // 30.00, any caregiver
  let bath: string; // 80.00, needs a bath caregiver (provider A has none)
  const today = countyToday();
  const thisMonth = today.slice(0, 7);
  const next = nextMonth(thisMonth);
  const county = () => c.county.slice(0, 6);

  const assessedElder = async (regionCode: string, name: string, level = 3) => {
    const id = (await buildElder(t.db, { regionCode, name })).id;
    await t.db.root
      .exec(sql`insert into assessments (elder_id, county_code, region_code, standard, reason, reference_date, answers, preliminary_level, final_level,
        level_name, assessors, valid_until)
      values (${id}, ${county()}, ${regionCode}, 'GB/T 42195-2022', 'first', '2026-01-01', '{}', ${level}, ${level}, '测试', '{甲}', '2099-01-01')`);
    return id;
  };
  const enrol = async (elderId: string, plan: { itemId: string; timesPerMonth: number }[], by = staff, providerId = c.providerA) => {
    const r = await by.post('/api/v1/services/family-beds', { elderId, providerId, enrolledOn: '2026-01-01', plan });
    expect(r.statusCode, r.body).toBe(200);
    return r.json().id as string;
  };
  const planOrders = (bedId: string) =>
    t.db.root.rows<{
      id: string;
      no: string;
      item_id: string;
      date: string;
      status: string;
      gov: number;
      copay: number;
      slot: string | null;
      provider: string | null;
    }>(
      sql`select id::text as id, no, item_id::text as item_id, to_char(service_date, 'YYYY-MM-DD') as date, status, gov_cents as gov, copay_cents as copay,
          plan_slot as slot, provider_id::text as provider from service_orders where family_bed_id = ${bedId} order by service_date, item_code, plan_slot`,
    );

  beforeAll(async () => {
    t = await testApp();
    c = await buildCounty(t.db);
    admin = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
    staff = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipA });
    staffB = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipB });
    provA = await agentFor(t.app, t.db, { role: 'provider_admin', regionCode: c.townshipA, providerId: c.providerA });
    provB = await agentFor(t.app, t.db, { role: 'provider_admin', regionCode: c.townshipB, providerId: c.providerB });
    const item = async (code: string, name: string, priceCents: number, skill?: string) => {
      const r = await admin.post('/api/v1/services/items', {
        code,
        category: 'care',
        name,
        unit: '次',
        priceCents,
        durationMin: 60,
        ...(skill ? { skill } : {}),
      });
      expect(r.statusCode, r.body).toBe(200);
      return r.json().id as string;
    };
    rehab = await item('ZK01', '康复护理', 7000, 'rehab');
    care = await item('ZK02', '生活照料', 3000);
    bath = await item('ZY01', '上门助浴', 8000, 'bath');
    expect((await provA.post(`/api/v1/services/providers/${c.providerA}/caregivers`, { name: '甲康复师', skills: ['rehab', 'nursing'] })).statusCode).toBe(200);
    // Provider A also serves township B (a bed there is run from A's township).
    await t.db.root.exec(sql`update providers set service_regions = ${`{${c.townshipA},${c.townshipB}}`}::text[] where id = ${c.providerA}`);
  });
  afterAll(() => t.close());

  it("generates next month's visits from the plan: right count and days, split at order time, dispatched to the running provider; twice creates nothing", async () => {
    const elder = await assessedElder(c.villageA, '计划老人');
    budgets.set(elder, 10_000);
    const bed = await enrol(elder, [
      { itemId: rehab, timesPerMonth: 4 },
      { itemId: care, timesPerMonth: 2 },
    ]);
    const r = await staff.post(`/api/v1/services/family-beds/${bed}/plan-orders`, { month: next });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ month: next, planned: 6, existing: 0, created: 6, dispatched: 6, undispatched: [] });

    const { from, to } = monthRange(next);
    const days = Number(to.slice(8));
    const day = (n: number) => `${next}-${String(n).padStart(2, '0')}`;
    const rows = await planOrders(bed);
    expect(rows).toHaveLength(6);
    expect(rows.filter((o) => o.item_id === rehab).map((o) => o.date)).toEqual([0, 1, 2, 3].map((k) => day(1 + Math.floor((k * days) / 4))));
    expect(rows.filter((o) => o.item_id === care).map((o) => o.date)).toEqual([from, day(1 + Math.floor(days / 2))]);
    expect(rows.every((o) => o.status === 'dispatched' && o.provider === c.providerA && o.slot?.startsWith(`${next}:`))).toBe(true);
    // The split, in date order: 70 + 30 fit the 100.00 budget of the month, the rest is co-pay.
    const bySlot = (item: string, k: number) => rows.find((o) => o.slot === `${next}:${item}:${k}`)!;
    expect(bySlot(rehab, 1)).toMatchObject({ gov: 7000, copay: 0 });
    expect(bySlot(care, 1)).toMatchObject({ gov: 3000, copay: 0 });
    expect(bySlot(rehab, 2)).toMatchObject({ gov: 0, copay: 7000 });
    expect(rows.reduce((a, o) => a + o.gov, 0)).toBe(10_000);
    // The provider has until the day before a visit to accept it (not 30 minutes).
    const d = await t.db.root.one<{
      ok: boolean;
    }>(sql`select bool_and(accept_deadline >= (service_date - 1)::timestamp at time zone current_setting('TimeZone')) as ok
      from service_orders where family_bed_id = ${bed} and service_date > current_date + 1`);
    expect(d!.ok).not.toBe(false);
    // Each order has its events and an audit entry for the generation.
    const ev = await t.db.root.one<{ n: number }>(sql`select count(*)::int as n from service_order_events e join service_orders o on o.id = e.order_id
      where o.family_bed_id = ${bed} and e.kind in ('created', 'dispatched')`);
    expect(ev!.n).toBe(12);
    const au = await t.db.root.one<{ n: number }>(
      sql`select count(*)::int as n from audit_log where entity = 'family_bed' and entity_id = ${bed} and action = 'generate_plan_orders'`,
    );
    expect(au!.n).toBe(1);

    const again = await staff.post(`/api/v1/services/family-beds/${bed}/plan-orders`, { month: next });
    expect(again.json()).toMatchObject({ existing: 6, created: 0 });
    expect(await planOrders(bed)).toHaveLength(6);
    const view = (await staff.get(`/api/v1/services/family-beds/${bed}?month=${next}`)).json();
    expect(view).toMatchObject({ planned: 6, generated: 6, done: 0, adherence: 0 });
  });

  it('two people generating at once create exactly one set', async () => {
    const elder = await assessedElder(c.villageA2, '并发老人');
    const bed = await enrol(elder, [
      { itemId: rehab, timesPerMonth: 5 },
      { itemId: care, timesPerMonth: 3 },
    ]);
    const [a, b] = await Promise.all([
      staff.post(`/api/v1/services/family-beds/${bed}/plan-orders`, { month: next }),
      provA.post(`/api/v1/services/family-beds/${bed}/plan-orders`, { month: next }),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect([a.json().created, b.json().created].sort()).toEqual([0, 8]);
    const rows = await planOrders(bed);
    expect(rows).toHaveLength(8);
    expect(new Set(rows.map((o) => o.slot)).size).toBe(8);
    // The region at once, twice concurrently: nothing more for this bed.
    const [r1, r2] = await Promise.all([
      staff.post('/api/v1/services/family-beds/plan-orders', { month: next }),
      staff.post('/api/v1/services/family-beds/plan-orders', { month: next }),
    ]);
    expect([r1.statusCode, r2.statusCode]).toEqual([200, 200]);
    expect(await planOrders(bed)).toHaveLength(8);
    // And the database refuses a second order on a slot, whoever writes it.
    await expect(
      t.db.root
        .exec(sql`insert into service_orders (no, county_code, region_code, elder_id, elder_name, item_id, item_code, item_name, category, unit, quantity,
          duration_min, price_cents, amount_cents, gov_cents, copay_cents, entitlement, service_date, service_time, channel, family_bed_id, plan_slot)
        select 'FWDUP' || no, county_code, region_code, elder_id, elder_name, item_id, item_code, item_name, category, unit, quantity, duration_min, price_cents,
          amount_cents, gov_cents, copay_cents, entitlement, service_date, service_time, channel, family_bed_id, plan_slot
          from service_orders where family_bed_id = ${bed} limit 1`),
    ).rejects.toThrow();
  });

  it('generates for every active bed of the region in one call; a bed that fails does not stop the others', async () => {
    const e1 = await assessedElder(c.villageA, '区域一');
    const e2 = await assessedElder(c.villageA, '区域二');
    const b1 = await enrol(e1, [{ itemId: care, timesPerMonth: 2 }]);
    const b2 = await enrol(e2, [{ itemId: rehab, timesPerMonth: 1 }]);
    // The second elder has died since: the bed is still active, its orders cannot be placed.
    await t.db.root.exec(sql`update elders set status = 'deceased', death_date = '2026-01-02' where id = ${e2}`);
    const r = await staff.post('/api/v1/services/family-beds/plan-orders', { month: next, regionCode: c.villageA });
    expect(r.statusCode, r.body).toBe(200);
    const res = r.json();
    expect(res.results.find((x: { bedId: string }) => x.bedId === b1)).toMatchObject({ created: 2, error: null });
    expect(res.results.find((x: { bedId: string }) => x.bedId === b2)).toMatchObject({ created: 0, error: { code: 'ELDER_INACTIVE' } });
    expect(res.failed).toBe(1);
    expect(await planOrders(b1)).toHaveLength(2);
    expect(await planOrders(b2)).toHaveLength(0);
    // Township B sees none of these beds.
    const rb = await staffB.post('/api/v1/services/family-beds/plan-orders', { month: next });
    expect(rb.json()).toMatchObject({ beds: 0, created: 0 });
  });

  it('keeps neighbours out and refuses past months and ended beds', async () => {
    const elder = await assessedElder(c.villageA, '邻居不见');
    const bed = await enrol(elder, [{ itemId: care, timesPerMonth: 1 }]);
    for (const a of [staffB, provB]) {
      const r = await a.post(`/api/v1/services/family-beds/${bed}/plan-orders`, { month: next });
      expect(r.statusCode).toBe(404);
      expect(r.body).not.toContain('邻居不见');
      expect((await a.get(`/api/v1/services/family-beds/${bed}/statement?month=${next}`)).statusCode).toBe(404);
      expect((await a.get(`/api/v1/services/family-beds/${bed}/statement/export?month=${next}`)).statusCode).toBe(404);
    }
    expect(await planOrders(bed)).toHaveLength(0);
    const past = await staff.post(`/api/v1/services/family-beds/${bed}/plan-orders`, { month: '2026-01' });
    expect(past.json().error.code).toBe(thisMonth > '2026-01' ? 'PAST_MONTH' : 'NOT_ENROLLED');
    expect((await staff.post(`/api/v1/services/family-beds/${bed}/plan-orders`, { month: '2026-13' })).statusCode).toBe(400);
    expect((await staff.patch(`/api/v1/services/family-beds/${bed}`, { end: { date: today, reason: '入住养老机构' } })).statusCode).toBe(200);
    expect((await staff.post(`/api/v1/services/family-beds/${bed}/plan-orders`, { month: next })).json().error.code).toBe('ENDED');
    // Village workers read beds but do not generate.
    const village = await agentFor(t.app, t.db, { role: 'village_worker', regionCode: c.villageA });
    expect((await village.post(`/api/v1/services/family-beds/${bed}/plan-orders`, { month: next })).statusCode).toBe(403);
  });

  it("the running provider generates for a bed in another township it serves, with that elder's entitlement", async () => {
    const elder = await assessedElder(c.villageB, '乙地床位老人');
    budgets.set(elder, 5_000);
    const bed = await enrol(elder, [{ itemId: rehab, timesPerMonth: 2 }], admin);
    // Provider A's users are bound to township A: the elder's record is not theirs to read.
    expect([403, 404]).toContain((await provA.get(`/api/v1/elders/${elder}`)).statusCode);
    const r = await provA.post(`/api/v1/services/family-beds/${bed}/plan-orders`, { month: next });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ created: 2, dispatched: 2 });
    expect(r.json().orders.map((o: { govCents: number; copayCents: number }) => [o.govCents, o.copayCents])).toEqual([
      [5000, 2000],
      [0, 7000],
    ]);
    const au = await t.db.root.one<{ actor: string; region: string }>(sql`select actor_id::text as actor, region_code as region from audit_log
      where entity = 'family_bed' and entity_id = ${bed} and action = 'generate_plan_orders'`);
    expect(au).toEqual({ actor: provA.user.id, region: c.villageB });
    // Its own beds, all at once: nothing left to create; provider B has none of A's beds.
    const all = await provA.post('/api/v1/services/family-beds/plan-orders', { month: next });
    expect(all.statusCode, all.body).toBe(200);
    expect(all.json().beds).toBeGreaterThan(1);
    expect(all.json().results.find((x: { bedId: string }) => x.bedId === bed)).toMatchObject({ created: 0, existing: 2 });
    expect((await provB.post('/api/v1/services/family-beds/plan-orders', { month: next })).json()).toMatchObject({ beds: 0 });
  });

  it('leaves the order pending for staff when the running provider cannot take it', async () => {
    const elder = await assessedElder(c.villageA, '助浴床位');
    const bed = await enrol(elder, [{ itemId: bath, timesPerMonth: 1 }]);
    const r = await staff.post(`/api/v1/services/family-beds/${bed}/plan-orders`, { month: next });
    expect(r.json()).toMatchObject({ created: 1, dispatched: 0, undispatched: [{ code: 'PROVIDER_NOT_ELIGIBLE' }] });
    expect((await planOrders(bed))[0]).toMatchObject({ status: 'pending', slot: `${next}:${bath}:1` });
  });

  it('a plan changed mid-month changes only visits not yet generated or started', async () => {
    const elder = await assessedElder(c.villageA, '改计划老人');
    const bed = await enrol(elder, [{ itemId: care, timesPerMonth: 4 }]);
    expect((await staff.post(`/api/v1/services/family-beds/${bed}/plan-orders`, { month: thisMonth })).json()).toMatchObject({ created: 4 });
    let rows = await planOrders(bed);
    expect(rows.every((o) => o.date >= today && o.date <= monthRange(thisMonth).to)).toBe(true);
    // Visit 4 has started.
    const started = rows.find((o) => o.slot === `${thisMonth}:${care}:4`)!;
    await t.db.root.exec(sql`update service_orders set status = 'in_service', checkin_at = now() where id = ${started.id}`);
    const cut = await staff.patch(`/api/v1/services/family-beds/${bed}`, { plan: [{ itemId: care, timesPerMonth: 1 }] });
    expect(cut.statusCode, cut.body).toBe(200);
    expect(cut.json().cancelledOrders).toHaveLength(2);
    rows = await planOrders(bed);
    expect(rows.filter((o) => o.status === 'cancelled').map((o) => o.slot)).toEqual([null, null]);
    expect(
      rows
        .filter((o) => o.status !== 'cancelled')
        .map((o) => o.slot?.split(':')[2])
        .sort(),
    ).toEqual(['1', '4']);
    let view = (await staff.get(`/api/v1/services/family-beds/${bed}?month=${thisMonth}`)).json();
    expect(view.plan[0]).toMatchObject({ timesPerMonth: 1, generated: 2, planned: 2 });
    expect((await staff.post(`/api/v1/services/family-beds/${bed}/plan-orders`, { month: thisMonth })).json()).toMatchObject({ created: 0 });
    // Back up to three: slots 2 and 3 are free again.
    await staff.patch(`/api/v1/services/family-beds/${bed}`, { plan: [{ itemId: care, timesPerMonth: 3 }] });
    expect((await staff.post(`/api/v1/services/family-beds/${bed}/plan-orders`, { month: thisMonth })).json()).toMatchObject({ created: 2 });
    view = (await staff.get(`/api/v1/services/family-beds/${bed}?month=${thisMonth}`)).json();
    expect(view).toMatchObject({ planned: 4, generated: 4 });
    // Ending the bed cancels the visits not started from its end day on.
    const end = await staff.patch(`/api/v1/services/family-beds/${bed}`, { end: { date: today, reason: '入住养老机构' } });
    expect(end.json().cancelledOrders).toHaveLength(3);
    rows = await planOrders(bed);
    expect(rows.filter((o) => o.status !== 'cancelled')).toHaveLength(1);
  });

  it('the month statement: adherence, government part and co-pay, anomalies held, subsidy; reconciles to the cent with the settlement lines', async () => {
    await t.db.root.exec(
      sql`insert into county_settings (county_code, key, value, valid_from) values (${county()}, 'services.familyBedMonthlySubsidyCents', '30000', '2026-01-01')`,
    );
    const elder = await assessedElder(c.villageA, '结算老人');
    budgets.set(elder, 12_000);
    const bed = await enrol(elder, [
      { itemId: rehab, timesPerMonth: 3 },
      { itemId: care, timesPerMonth: 2 },
    ]);
    await staff.post(`/api/v1/services/family-beds/${bed}/plan-orders`, { month: next });
    const rows = await planOrders(bed);
    expect(rows).toHaveLength(5);
    // Three visits done; one of them checked in far from home (held back); one cancelled; one still open.
    const [d1, d2, d3, x, open] = rows;
    await t.db.root.exec(sql`update service_orders set status = 'completed', checkin_at = now() - interval '1 hour', checkout_at = now(),
        elder_confirmed_at = now(), flags = case when id = ${d3.id} then '{far_checkin}'::text[] else '{}' end
      where id in (${d1.id}, ${d2.id}, ${d3.id})`);
    await t.db.root.exec(sql`update service_orders set status = 'cancelled', cancelled_at = now() where id = ${x.id}`);

    let s = await staff.get(`/api/v1/services/family-beds/${bed}/statement?month=${next}`);
    expect(s.statusCode, s.body).toBe(200);
    let st = s.json();
    expect(st.bed).toMatchObject({ planned: 5, generated: 5, done: 3, adherence: 60 });
    expect(st.orders).toHaveLength(5);
    expect(st.orders.find((o: { id: string }) => o.id === d3.id)).toMatchObject({ held: true, holdReasons: [{ code: 'far_checkin' }], settlement: null });
    const done = [d1, d2, d3].map((id) => rows.find((o) => o.id === id.id)!);
    const paidGov = done.filter((o) => o.id !== d3.id).reduce((a, o) => a + o.gov, 0);
    expect(st.totals).toMatchObject({
      completed: 3,
      payable: 2,
      payableGovCents: paidGov,
      held: 1,
      heldGovCents: d3.gov,
      open: 1,
      cancelled: 1,
      subsidyCents: 30_000,
      governmentCents: paidGov + 30_000,
    });
    expect(st.reconciliation).toMatchObject({ ok: true, settledOrders: 0 });
    expect(open.status).toBe('dispatched');

    // The county settles provider A's month; the bed's statement agrees with the lines, to the cent.
    const settle = await admin.post('/api/v1/services/settlements', { providerId: c.providerA, month: next });
    expect(settle.statusCode, settle.body).toBe(200);
    st = (await staff.get(`/api/v1/services/family-beds/${bed}/statement?month=${next}`)).json();
    const lines = await t.db.root.one<{ gov: number; copay: number; held_gov: number; n: number }>(sql`select
        coalesce(sum(l.gov_cents) filter (where not l.held), 0)::int as gov, coalesce(sum(l.copay_cents) filter (where not l.held), 0)::int as copay,
        coalesce(sum(l.gov_cents) filter (where l.held), 0)::int as held_gov, count(*)::int as n
      from settlement_lines l join service_orders o on o.id = l.order_id where o.family_bed_id = ${bed} and l.settlement_id = ${settle.json().id}`);
    expect(lines!.n).toBe(3);
    expect(st.reconciliation).toMatchObject({
      ok: true,
      settledOrders: 3,
      lineGovCents: lines!.gov,
      orderGovCents: lines!.gov,
      lineCopayCents: lines!.copay,
      differing: [],
    });
    expect(st.totals.payableGovCents).toBe(lines!.gov);
    expect(st.totals.payableCopayCents).toBe(lines!.copay);
    expect(st.totals.heldGovCents).toBe(lines!.held_gov);
    expect(st.orders.find((o: { id: string }) => o.id === d1.id).settlement).toMatchObject({ id: settle.json().id, month: next, held: false });

    // The provider sees the same statement.
    const ps = await provA.get(`/api/v1/services/family-beds/${bed}/statement?month=${next}`);
    expect(ps.statusCode).toBe(200);
    expect(ps.json().totals).toEqual(st.totals);

    // Excel, with the same figures.
    const x1 = await staff.get(`/api/v1/services/family-beds/${bed}/statement/export?month=${next}`);
    expect(x1.statusCode).toBe(200);
    expect(x1.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x1.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('床位月结')!;
    const cells = ws.getSheetValues().flatMap((r) => (Array.isArray(r) ? r : []));
    expect(cells).toContain('结算老人');
    expect(cells).toContain(Number(((paidGov + 30_000) / 100).toFixed(2)));
    expect(cells).toContain('一致');
    expect(cells.filter((v) => typeof v === 'string' && v.startsWith('FW'))).toHaveLength(5);

    // An order changed behind the statement's back no longer matches its line.
    await t.db.root.exec(sql`update service_orders set gov_cents = gov_cents - 1, copay_cents = copay_cents + 1 where id = ${d1.id}`);
    s = await staff.get(`/api/v1/services/family-beds/${bed}/statement?month=${next}`);
    expect(s.json().reconciliation).toMatchObject({ ok: false, differing: [d1.no] });
  });
});
