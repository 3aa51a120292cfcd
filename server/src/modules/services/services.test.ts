import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from '../../kernel/db.js';
import { countyToday } from '../../kernel/dates.js';
import { agentFor, buildCounty, buildElder, buildUser, multipartFile, testApp, type TestApp, type TestCounty } from '../../test/harness.js';
import { holdReasons, monthRange, splitOrder } from './split.js';

/** Great-circle distance in metres on the mean Earth radius: the test's own reference. */
function haversine(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const r = Math.PI / 180;
  const h = Math.sin(((b.lat - a.lat) * r) / 2) ** 2 + Math.cos(a.lat * r) * Math.cos(b.lat * r) * Math.sin(((b.lng - a.lng) * r) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
}

// The benefits engine is built elsewhere; here each elder's monthly budget is set by the test.
const budgets = new Map<string, number>();
vi.mock('../benefits/entitlement.js', () => ({
  serviceEntitlement: async (_tx: unknown, elderId: string, date: string) => {
    const b = budgets.get(elderId) ?? 0;
    return {
      month: date.slice(0, 7),
      budgetCents: b,
      sources: b ? [{ benefitCode: 'purchased_services_80', name: '80周岁以上政府购买服务', amountCents: b, explanation: '测试：年满80周岁' }] : [],
    };
  },
}));

describe('entitlement split (pure)', () => {
  it('pays from the budget left, up to the amount; the crossing order is paid partly by each', () => {
    expect(splitOrder({ budgetCents: 10_000, usedCents: 0, amountCents: 8_000 })).toEqual({ availableCents: 10_000, govCents: 8_000, copayCents: 0 });
    expect(splitOrder({ budgetCents: 10_000, usedCents: 8_000, amountCents: 8_000 })).toEqual({ availableCents: 2_000, govCents: 2_000, copayCents: 6_000 });
    expect(splitOrder({ budgetCents: 10_000, usedCents: 10_000, amountCents: 8_000 })).toEqual({ availableCents: 0, govCents: 0, copayCents: 8_000 });
    expect(splitOrder({ budgetCents: 0, usedCents: 0, amountCents: 3_500 })).toEqual({ availableCents: 0, govCents: 0, copayCents: 3_500 });
    // More used than budgeted (budget lowered mid-month): nothing left, never negative.
    expect(splitOrder({ budgetCents: 5_000, usedCents: 6_000, amountCents: 1_000 })).toEqual({ availableCents: 0, govCents: 0, copayCents: 1_000 });
    expect(() => splitOrder({ budgetCents: 1.5, usedCents: 0, amountCents: 1 })).toThrow();
  });

  it('always adds up to the amount, whatever the month looked like', () => {
    for (let i = 0; i < 500; i++) {
      const o = { budgetCents: (i * 7919) % 20_000, usedCents: (i * 104_729) % 25_000, amountCents: (i * 31) % 9_000 };
      const s = splitOrder(o);
      expect(s.govCents + s.copayCents).toBe(o.amountCents);
      expect(s.govCents).toBeLessThanOrEqual(Math.max(0, o.budgetCents - o.usedCents));
    }
  });

  it('hold reasons, months', () => {
    expect(holdReasons({ flags: [], openComplaints: 0, confirmed: true, rated: false, callbackDenied: false })).toEqual([]);
    expect(holdReasons({ flags: ['far_checkin', 'no_location'], openComplaints: 1, confirmed: false, rated: false, callbackDenied: true })).toEqual([
      'far_checkin',
      'open_complaint',
      'not_confirmed',
      'callback_denied',
    ]);
    expect(monthRange('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
  });
});

describe('home services: order → dispatch → accept → check-in/out → rate → settle', () => {
  let t: TestApp;
  let c: TestCounty;
  let admin: Awaited<ReturnType<typeof agentFor>>;
  let staffA: Awaited<ReturnType<typeof agentFor>>;
  let staffA2: Awaited<ReturnType<typeof agentFor>>;
  let staffB: Awaited<ReturnType<typeof agentFor>>;
  let provA: Awaited<ReturnType<typeof agentFor>>;
  let provB: Awaited<ReturnType<typeof agentFor>>;
  let carer: Awaited<ReturnType<typeof agentFor>>;
  let family: Awaited<ReturnType<typeof agentFor>>;
  let elder: string;
  let bath: string;
  const home = { lat: 36.3, lng: 116.45 };
  const month = countyToday().slice(0, 7);
  const date = countyToday();

  beforeAll(async () => {
    t = await testApp();
    c = await buildCounty(t.db);
    admin = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
    staffA = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipA });
    staffA2 = await agentFor(t.app, t.db, { role: 'village_worker', regionCode: c.villageA });
    staffB = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipB });
    provA = await agentFor(t.app, t.db, { role: 'provider_admin', regionCode: c.townshipA, providerId: c.providerA });
    provB = await agentFor(t.app, t.db, { role: 'provider_admin', regionCode: c.townshipB, providerId: c.providerB });
    // Provider B is in township B but also serves township A; A is nearer the elder.
    await t.db.root.exec(sql`update providers set lat = 36.301, lng = 116.451, rating = 4.5 where id = ${c.providerA}`);
    await t.db.root.exec(
      sql`update providers set lat = 36.4, lng = 116.6, rating = 4.5, service_regions = ${`{${c.townshipA},${c.townshipB}}`}::text[] where id = ${c.providerB}`,
    );
    const item = await admin.post('/api/v1/services/items', {
      code: 'ZY01',
      category: 'bath',
      name: '上门助浴',
      unit: '次',
      priceCents: 8000,
      durationMin: 60,
      skill: 'bath',
    });
    expect(item.statusCode).toBe(200);
    bath = item.json().id;
    const cg = await provA.post(`/api/v1/services/providers/${c.providerA}/caregivers`, { name: '周护理员', skills: ['bath', 'nursing'] });
    expect(cg.statusCode).toBe(200);
    const cgB = await provB.post(`/api/v1/services/providers/${c.providerB}/caregivers`, { name: '乙护理员', skills: ['bath'] });
    expect(cgB.statusCode).toBe(200);
    const u = await buildUser(t.db, { role: 'caregiver', regionCode: c.townshipA, providerId: c.providerA });
    await t.db.root.exec(sql`update caregivers set user_id = ${u.id} where id = ${cg.json().id}`);
    carer = Object.assign(new (await import('../../test/harness.js')).Agent(t.app), { user: u });
    expect((await carer.login(u.username)).statusCode).toBe(200);
    elder = (await buildElder(t.db, { regionCode: c.villageA, name: '甲助浴老人', birthDate: '1940-05-05', sex: 'M' })).id;
    await t.db.root.exec(sql`update elders set lat = ${home.lat}, lng = ${home.lng} where id = ${elder}`);
    family = await agentFor(t.app, t.db, { role: 'family', regionCode: c.villageA });
    await t.db.root.exec(sql`insert into elder_contacts (elder_id, county_code, region_code, name, relation, phone, user_id)
      values (${elder}, ${c.county.slice(0, 6)}, ${c.villageA}, '甲女儿', '女儿', '13700001111', ${family.user.id})`);
    budgets.set(elder, 10_000);
  });
  afterAll(() => t.close());

  const order = (a: typeof family, o: Partial<{ date: string; time: string; elderId: string }> = {}) =>
    a.post('/api/v1/services/orders', { elderId: o.elderId ?? elder, itemId: bath, quantity: 1, date: o.date ?? date, time: o.time ?? '09:00' });

  it('splits each order at order time; the quota runs out mid-month and a cancelled order frees its part', async () => {
    const q = await family.post('/api/v1/services/orders/quote', { elderId: elder, itemId: bath, quantity: 1, date, time: '09:00' });
    expect(q.statusCode).toBe(200);
    expect(q.json()).toMatchObject({ amountCents: 8000, govCents: 8000, copayCents: 0, availableCents: 10_000 });

    const o1 = await order(family);
    expect(o1.statusCode).toBe(200);
    expect(o1.json()).toMatchObject({ status: 'pending', govCents: 8000, copayCents: 0, channel: 'family' });
    expect(o1.json().entitlement).toMatchObject({ budgetCents: 10_000, usedBeforeCents: 0, sources: [{ benefitCode: 'purchased_services_80' }] });
    // Staff order on the elder's behalf: crosses the budget, partly paid.
    const o2 = await order(staffA2, { time: '14:00' });
    expect(o2.json()).toMatchObject({ govCents: 2000, copayCents: 6000, channel: 'staff' });
    const o3 = await order(family, { time: '16:00' });
    expect(o3.json()).toMatchObject({ govCents: 0, copayCents: 8000 });
    // Cancelling the first frees 80 yuan for the next order.
    expect((await family.post(`/api/v1/services/orders/${o1.json().id}/cancel`, { reason: '老人临时住院' })).statusCode).toBe(200);
    const o4 = await order(family, { time: '18:00' });
    expect(o4.json()).toMatchObject({ govCents: 8000, copayCents: 0 });
    // Rules: no past dates, no second cancel, no rating before the service.
    expect((await order(family, { date: '2020-01-01' })).json().error.code).toBe('PAST_DATE');
    expect((await family.post(`/api/v1/services/orders/${o1.json().id}/cancel`, { reason: '再次' })).statusCode).toBe(409);
    expect((await family.post(`/api/v1/services/orders/${o3.json().id}/rating`, { stars: 5 })).statusCode).toBe(409);
    // Clean up for the next tests.
    for (const o of [o2, o3, o4]) await staffA.post(`/api/v1/services/orders/${o.json().id}/cancel`, { reason: '测试' });
  });

  it('rescheduling into another month splits the order again against that month', async () => {
    const a = (await order(family, { time: '07:30' })).json();
    const b = (await order(family, { time: '08:30' })).json();
    expect(b).toMatchObject({ govCents: 2000, copayCents: 6000 });
    const [y, m] = date.split('-').map(Number);
    const next = `${m === 12 ? y + 1 : y}-${String((m % 12) + 1).padStart(2, '0')}-01`;
    expect((await family.post(`/api/v1/services/orders/${b.id}/reschedule`, { date: next, time: '09:00' })).statusCode).toBe(200);
    const moved = (await staffA.get(`/api/v1/services/orders/${b.id}`)).json();
    expect(moved).toMatchObject({ date: next, govCents: 8000, copayCents: 0 });
    expect(moved.events.map((e: { kind: string }) => e.kind)).toEqual(['created', 'rescheduled']);
    expect((await family.post(`/api/v1/services/orders/${b.id}/reschedule`, { date: '2020-01-01', time: '09:00' })).json().error.code).toBe('PAST_DATE');
    for (const o of [a, b]) await staffA.post(`/api/v1/services/orders/${o.id}/cancel`, { reason: '测试' });
  });

  it('a family member cannot order for an elder they are not linked to; the neighbour township sees nothing', async () => {
    const other = (await buildElder(t.db, { regionCode: c.villageA })).id;
    expect((await order(family, { elderId: other })).statusCode).toBe(404);
    const o = await order(family, { time: '08:00' });
    expect((await staffB.get(`/api/v1/services/orders/${o.json().id}`)).statusCode).toBe(404);
    expect((await staffB.get('/api/v1/services/orders')).json().items).toEqual([]);
    expect((await order(staffB)).statusCode).toBe(404);
    // Another family, linked to someone else: sees none of it and cannot act on it.
    const stranger = await agentFor(t.app, t.db, { role: 'family', regionCode: c.villageA });
    await t.db.root.exec(sql`insert into elder_contacts (elder_id, county_code, region_code, name, relation, user_id)
      values (${other}, ${c.county.slice(0, 6)}, ${c.villageA}, '别家儿子', '儿子', ${stranger.user.id})`);
    expect((await stranger.get('/api/v1/services/orders')).json().items).toEqual([]);
    expect((await stranger.post(`/api/v1/services/orders/${o.json().id}/cancel`, { reason: '冒充' })).statusCode).toBe(404);
    expect((await stranger.post(`/api/v1/services/orders/${o.json().id}/complaints`, { kind: 'other', content: '冒充' })).statusCode).toBe(404);
    expect((await family.get('/api/v1/services/orders')).json().items.map((x: { id: string }) => x.id)).toContain(o.json().id);
    await staffA.post(`/api/v1/services/orders/${o.json().id}/cancel`, { reason: '测试' });
  });

  it('two dispatchers take the same order at once: exactly one wins', async () => {
    const o = (await order(family, { time: '10:00' })).json();
    const [a, b] = await Promise.all([
      staffA.post(`/api/v1/services/orders/${o.id}/dispatch`, { mode: 'manual', providerId: c.providerA }),
      staffA2.post(`/api/v1/services/orders/${o.id}/dispatch`, { mode: 'manual', providerId: c.providerB }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.json().error.message).toMatch(/派单/);
    const events = (await staffA.get(`/api/v1/services/orders/${o.id}`)).json().events.filter((e: { kind: string }) => e.kind === 'dispatched');
    expect(events).toHaveLength(1);
    // The loser's audit entry went with its change: there is one, the winner's.
    const audits = await t.db.root.rows<{ actor: string }>(
      sql`select actor_id::text as actor from audit_log where entity = 'service_order' and entity_id = ${o.id} and action = 'dispatch'`,
    );
    expect(audits.map((x) => x.actor)).toEqual([(a.statusCode === 200 ? staffA : staffA2).user.id]);
    await staffA.post(`/api/v1/services/orders/${o.id}/cancel`, { reason: '测试' });
  });

  let done: string;
  it('auto-dispatch picks the nearer provider; a refusal with a reason sends it back; another provider sees none of it', async () => {
    const o = (await order(family, { time: '09:30' })).json();
    const cands = (await staffA.get(`/api/v1/services/orders/${o.id}/candidates`)).json().items;
    expect(cands.map((x: { providerId: string }) => x.providerId)).toEqual([c.providerA, c.providerB]);
    const d = await staffA.post(`/api/v1/services/orders/${o.id}/dispatch`, { mode: 'auto' });
    expect(d.json()).toMatchObject({ status: 'dispatched', providerId: c.providerA });
    // Provider B sees neither the order nor it in its list, and cannot accept it.
    expect((await provB.get(`/api/v1/services/orders/${o.id}`)).statusCode).toBe(404);
    expect((await provB.get('/api/v1/services/orders')).json().items).toEqual([]);
    expect((await provB.post(`/api/v1/services/orders/${o.id}/accept`, {})).statusCode).toBe(404);
    // A refuses; auto-dispatch then goes to B.
    expect((await provA.post(`/api/v1/services/orders/${o.id}/refuse`, { reason: '该时段人手不足' })).statusCode).toBe(200);
    const d2 = await staffA.post(`/api/v1/services/orders/${o.id}/dispatch`, { mode: 'auto' });
    expect(d2.json().providerId).toBe(c.providerB);
    expect((await provA.get(`/api/v1/services/orders/${o.id}`)).statusCode).toBe(404);
    expect((await provB.get(`/api/v1/services/orders/${o.id}`)).json().events.map((e: { kind: string }) => e.kind)).toEqual(['dispatched']);
    await staffA.post(`/api/v1/services/orders/${o.id}/cancel`, { reason: '测试' });

    // The order that goes all the way.
    const ok = (await order(family, { time: '07:00' })).json();
    done = ok.id;
    await staffA.post(`/api/v1/services/orders/${ok.id}/dispatch`, { mode: 'manual', providerId: c.providerA });
    const acc = await provA.post(`/api/v1/services/orders/${ok.id}/accept`, {});
    expect(acc.json()).toMatchObject({ status: 'accepted', caregiverName: '周护理员' });
    const tasks = (await carer.get(`/api/v1/services/caregiver/tasks?date=${date}`)).json();
    expect(tasks.items.map((x: { id: string }) => x.id)).toContain(ok.id);
  });

  it('check-in far from home is flagged; check-out records the work; photos are images only', async () => {
    // Far from the address, a check-in without a reason is refused (in both languages) and changes nothing.
    const noReason = await carer.post(`/api/v1/services/orders/${done}/check-in`, { lat: home.lat + 0.02, lng: home.lng, reason: '  ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error).toMatchObject({ code: 'CHECKIN_REASON_REQUIRED', details: { distanceM: 2224 } });
    expect(noReason.json().error.message).toContain('2,224 米');
    expect(noReason.json().error.messageEn).toContain('give a reason');
    expect((await staffA.get(`/api/v1/services/orders/${done}`)).json()).toMatchObject({ status: 'accepted', checkinAt: null });
    const far = await carer.post(`/api/v1/services/orders/${done}/check-in`, {
      lat: home.lat + 0.02,
      lng: home.lng,
      reason: '老人在女儿家，按约定到女儿家服务',
    });
    expect(far.statusCode).toBe(200);
    expect(far.json().flags).toEqual(['far_checkin']);
    expect(far.json().distanceM).toBeGreaterThan(2000);
    // The reason is kept with the check-in event that the provider and staff read.
    const ev = (await provA.get(`/api/v1/services/orders/${done}`)).json().events.find((e: { kind: string }) => e.kind === 'checkin');
    expect(ev).toMatchObject({ reason: '老人在女儿家，按约定到女儿家服务', data: { flags: ['far_checkin'], reason: '老人在女儿家，按约定到女儿家服务' } });
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
    const mp = multipartFile(png, 'a.png');
    const up2 = await carer.request('POST', `/api/v1/services/orders/${done}/photos`, mp.payload, mp.headers);
    expect(up2.statusCode).toBe(200);
    const txt = multipartFile(Buffer.from('not an image at all'), 'a.txt');
    expect((await carer.request('POST', `/api/v1/services/orders/${done}/photos`, txt.payload, txt.headers)).json().error.code).toBe('NOT_IMAGE');
    const ph = await provA.get(`/api/v1/services/orders/${done}/photos/${up2.json().id}`);
    expect(ph.statusCode).toBe(200);
    expect(ph.headers['content-type']).toBe('image/png');
    await t.db.root.exec(sql`update service_orders set checkin_at = now() - interval '70 minutes' where id = ${done}`);
    const out = await carer.post(`/api/v1/services/orders/${done}/check-out`, { ...home, workDone: '协助洗澡、更衣', elderConfirmed: true });
    expect(out.json()).toMatchObject({ status: 'completed', flags: [] });
    const o = (await staffA.get(`/api/v1/services/orders/${done}`)).json();
    expect(o.flags.map((f: { code: string }) => f.code)).toEqual(['far_checkin']);
    expect(o.photoIds).toHaveLength(1);
    expect(o.checkoutDistanceM).toBe(0);
  });

  it('visits are measured by the statement that records them: no coordinates, far check-out, the county’s distance, the wrong caregiver', async () => {
    // The SQL distance is the great-circle distance, to the metre; scores rank nearer, less loaded, better rated first.
    const one = async (q: ReturnType<typeof sql>) => (await t.db.root.one<{ v: number }>(sql`select ${q} as v`))!.v;
    expect(await one(sql`floor(yl_distance_m(36.3, 116.45, 36.31, 116.45) + 0.5)::int`)).toBe(1112);
    expect(await one(sql`floor(yl_distance_m(36.3, 116.45, 36.301, 116.45) + 0.5)::int`)).toBe(111);
    expect(await one(sql`yl_dispatch_score(1.234, 3, 2, 4.5)`)).toBe(5.73);
    expect(await one(sql`yl_dispatch_score(null, 0, 0, 5)`)).toBe(10);
    expect(
      await one(sql`yl_dispatch_score(1, 0, 2, 5) < yl_dispatch_score(1, 4, 2, 5) and yl_dispatch_score(1, 0, 2, 5) < yl_dispatch_score(2, 0, 2, 5)`),
    ).toBe(true);
    const pts = Array.from({ length: 40 }, (_, i) => ({
      a: { lat: 36 + i * 0.013, lng: 116 + i * 0.021 },
      b: { lat: 36.2 - i * 0.007, lng: 116.3 + i * 0.011 },
    }));
    for (const { a, b } of pts) {
      const r = await t.db.root.one<{ m: number }>(
        sql`select floor(yl_distance_m(${a.lat}::float8, ${a.lng}::float8, ${b.lat}::float8, ${b.lng}::float8) + 0.5)::int as m`,
      );
      expect(r!.m).toBe(Math.round(haversine(a, b)));
    }
    const accepted = async (elderId: string, time: string) => {
      const o = (await order(staffA, { elderId, time })).json();
      expect((await staffA.post(`/api/v1/services/orders/${o.id}/dispatch`, { mode: 'manual', providerId: c.providerA })).statusCode).toBe(200);
      expect((await provA.post(`/api/v1/services/orders/${o.id}/accept`, {})).statusCode).toBe(200);
      return o.id as string;
    };
    // An elder whose address has no coordinates: the visit cannot be verified, and says so.
    const nowhere = (await buildElder(t.db, { regionCode: c.villageA, name: '甲无坐标老人', birthDate: '1941-02-02', sex: 'F' })).id;
    const a = await accepted(nowhere, '05:00');
    const ci = await carer.post(`/api/v1/services/orders/${a}/check-in`, home);
    expect(ci.json()).toMatchObject({ status: 'in_service', distanceM: null, flags: ['no_location'] });
    // Only the order's own caregiver, only once.
    const other = await buildUser(t.db, { role: 'caregiver', regionCode: c.townshipA, providerId: c.providerA });
    const stranger = Object.assign(new (await import('../../test/harness.js')).Agent(t.app), { user: other });
    await stranger.login(other.username);
    expect((await stranger.post(`/api/v1/services/orders/${a}/check-out`, { ...home, workDone: '助浴' })).statusCode).toBe(403);
    await t.db.root.exec(sql`insert into caregivers (provider_id, county_code, region_code, name, skills, user_id)
      select provider_id, county_code, region_code, '乙护理员二', skills, ${other.id} from caregivers where user_id = ${carer.user.id}`);
    expect((await stranger.post(`/api/v1/services/orders/${a}/check-out`, { ...home, workDone: '助浴' })).statusCode).toBe(404);
    await t.db.root.exec(sql`update caregivers set status = 'inactive' where user_id = ${other.id}`);
    expect((await carer.post(`/api/v1/services/orders/${a}/check-in`, home)).json().error.code).toBe('WRONG_STATE');
    // Checked out too soon: flagged, and the earlier flag stays; no distance without coordinates.
    const co = await carer.post(`/api/v1/services/orders/${a}/check-out`, { lat: home.lat + 0.02, lng: home.lng, workDone: '助浴' });
    expect(co.json()).toMatchObject({ status: 'completed', distanceM: null, flags: ['too_short'] });
    const seen = (await staffA.get(`/api/v1/services/orders/${a}`)).json();
    expect(seen.flags.map((f: { code: string }) => f.code).sort()).toEqual(['no_location', 'too_short']);
    expect(seen.events.find((e: { kind: string }) => e.kind === 'checkout').data).toMatchObject({ flags: ['too_short'], elderConfirmed: false });
    // The county allows 5 km: a check-in 2.2 km away is not flagged. Back at 500 m, the
    // check-out there is, and so is its shortness.
    await t.db.root.exec(sql`insert into county_settings (county_code, key, value) values (${c.county.slice(0, 6)}, 'services.maxDistanceM', '5000')`);
    const b = await accepted(elder, '05:30');
    const far = { lat: home.lat + 0.02, lng: home.lng };
    expect((await carer.post(`/api/v1/services/orders/${b}/check-in`, far)).json()).toMatchObject({ flags: [], distanceM: 2224 });
    await t.db.root.exec(sql`delete from county_settings where county_code = ${c.county.slice(0, 6)} and key = 'services.maxDistanceM'`);
    const farOut = await carer.post(`/api/v1/services/orders/${b}/check-out`, { ...far, workDone: '助浴', elderConfirmed: true });
    expect(farOut.json()).toMatchObject({ distanceM: 2224, flags: ['far_checkout', 'too_short'] });
    const audit = await t.db.root.one<{ after: unknown }>(sql`select after from audit_log where entity_id = ${b} and action = 'checkout'`);
    expect(audit!.after).toEqual({ ...far, distanceM: 2224, flags: ['far_checkout', 'too_short'], elderConfirmed: true });
    await t.db.root.exec(sql`update service_orders set status = 'cancelled', cancelled_at = now(), cancel_reason = '测试' where id in (${a}, ${b})`);
  });

  it('timers: a dispatched order not accepted in time and an accepted order not started are overdue', async () => {
    const a = (await order(family, { time: '06:00' })).json();
    await staffA.post(`/api/v1/services/orders/${a.id}/dispatch`, { mode: 'manual', providerId: c.providerA });
    await t.db.root.exec(sql`update service_orders set accept_deadline = now() - interval '1 minute' where id = ${a.id}`);
    const b = (await order(family, { time: '06:30' })).json();
    await staffA.post(`/api/v1/services/orders/${b.id}/dispatch`, { mode: 'manual', providerId: c.providerA });
    await provA.post(`/api/v1/services/orders/${b.id}/accept`, {});
    await t.db.root.exec(sql`update service_orders set service_date = current_date - 1 where id = ${b.id}`);
    const list = (await staffA.get('/api/v1/services/orders?overdue=any&pageSize=50')).json().items;
    expect(Object.fromEntries(list.map((o: { id: string; overdue: string }) => [o.id, o.overdue]))).toMatchObject({ [a.id]: 'unaccepted', [b.id]: 'late' });
    expect((await staffA.get('/api/v1/services/orders?overdue=late')).json().items.map((o: { id: string }) => o.id)).toEqual([b.id]);
    for (const id of [a.id, b.id]) await staffA.post(`/api/v1/services/orders/${id}/cancel`, { reason: '测试' });
  });

  it('one order, one rating', async () => {
    expect((await family.post(`/api/v1/services/orders/${done}/rating`, { stars: 5, comment: '很好' })).statusCode).toBe(200);
    const again = await family.post(`/api/v1/services/orders/${done}/rating`, { stars: 1 });
    expect(again.json().error.code).toBe('ALREADY_RATED');
    // Each step of the order's life is in the audit log once, by whom it was done, in the
    // elder's region; the refused second rating left none. (Views are audited too: orders.privacy.test.ts.)
    const audits = await t.db.root.rows<{ action: string; actor: string; region: string; after: Record<string, unknown> | null }>(
      sql`select action, actor_id::text as actor, region_code as region, after from audit_log
        where entity = 'service_order' and entity_id = ${done} and action <> 'view' order by at`,
    );
    expect(audits.map((x) => [x.action, x.actor])).toEqual([
      ['order', family.user.id],
      ['dispatch', staffA.user.id],
      ['accept', provA.user.id],
      ['checkin', carer.user.id],
      ['photo', carer.user.id],
      ['checkout', carer.user.id],
      ['rate', family.user.id],
    ]);
    expect(new Set(audits.map((x) => x.region))).toEqual(new Set([c.villageA]));
    expect(audits.find((x) => x.action === 'order')!.after).toMatchObject({ elderId: elder, govCents: expect.any(Number), copayCents: expect.any(Number) });
    expect(audits.find((x) => x.action === 'checkin')!.after).toMatchObject({ flags: ['far_checkin'] });
    expect(audits.find((x) => x.action === 'rate')!.after).toEqual({ stars: 5, comment: '很好' });
  });

  it('monthly settlement pays clean orders, holds anomalous ones with the reason, and reconciles to the cent', async () => {
    // A clean order beside the flagged one.
    const clean = (await order(staffA2, { time: '11:00' })).json();
    await staffA.post(`/api/v1/services/orders/${clean.id}/dispatch`, { mode: 'manual', providerId: c.providerA });
    await provA.post(`/api/v1/services/orders/${clean.id}/accept`, {});
    await carer.post(`/api/v1/services/orders/${clean.id}/check-in`, { lat: home.lat + 0.001, lng: home.lng });
    await t.db.root.exec(sql`update service_orders set checkin_at = now() - interval '65 minutes' where id = ${clean.id}`);
    await carer.post(`/api/v1/services/orders/${clean.id}/check-out`, { ...home, workDone: '助浴', elderConfirmed: true });
    // A too-short one with an open complaint.
    const short = (await order(family, { time: '12:00' })).json();
    await staffA.post(`/api/v1/services/orders/${short.id}/dispatch`, { mode: 'manual', providerId: c.providerA });
    await provA.post(`/api/v1/services/orders/${short.id}/accept`, {});
    await carer.post(`/api/v1/services/orders/${short.id}/check-in`, home);
    const so = await carer.post(`/api/v1/services/orders/${short.id}/check-out`, { ...home, workDone: '助浴' });
    expect(so.json().flags).toEqual(['too_short']);
    expect((await family.post(`/api/v1/services/orders/${short.id}/complaints`, { kind: 'quality', content: '十分钟就走了' })).statusCode).toBe(200);

    const orders = await t.db.root.rows<{ id: string; gov: number; copay: number }>(
      sql`select id::text as id, gov_cents as gov, copay_cents as copay from service_orders where id in (${done}, ${clean.id}, ${short.id})`,
    );
    const by = new Map(orders.map((o) => [o.id, o]));
    const s = await admin.post('/api/v1/services/settlements', { providerId: c.providerA, month });
    expect(s.statusCode, s.body).toBe(200);
    const st = s.json();
    expect(st.orderCount).toBe(1);
    expect(st.heldCount).toBe(2);
    expect(st.govCents).toBe(by.get(clean.id)!.gov);
    expect(st.copayCents).toBe(by.get(clean.id)!.copay);
    expect(st.heldGovCents).toBe(by.get(done)!.gov + by.get(short.id)!.gov);
    const line = (id: string) => st.lines.find((l: { orderId: string }) => l.orderId === id);
    expect(line(clean.id).held).toBe(false);
    expect(line(done).holdReasons.map((r: { code: string }) => r.code)).toEqual(['far_checkin']);
    expect(line(short.id).holdReasons.map((r: { code: string }) => r.code)).toEqual(['too_short', 'open_complaint', 'not_confirmed']);

    const detail = (await provA.get(`/api/v1/services/settlements/${st.id}`)).json();
    expect(detail.reconciliation).toMatchObject({ ok: true, ordersDiffering: 0 });
    expect(detail.reconciliation.lineGovCents).toBe(st.govCents);
    // Provider B sees no statement of A; the neighbour township neither.
    expect((await provB.get(`/api/v1/services/settlements/${st.id}`)).statusCode).toBe(404);
    expect((await provB.get('/api/v1/services/settlements')).json().items).toEqual([]);
    const x = await admin.get(`/api/v1/services/settlements/${st.id}/export`);
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    const ap = await admin.post(`/api/v1/services/settlements/${st.id}/approve`, {});
    expect(ap.json()).toMatchObject({ status: 'approved' });
    expect((await admin.post('/api/v1/services/settlements', { providerId: c.providerA, month })).json().error.code).toBe('APPROVED');
    const p = await t.db.root.one<{ rating: string }>(sql`select rating::text as rating from providers where id = ${c.providerA}`);
    expect(Number(p!.rating)).toBe(5);
  });

  it('complaints are handled to closure; call-backs on a reproducible sample', async () => {
    const list = (await staffA.get('/api/v1/services/complaints?status=open')).json().items;
    expect(list).toHaveLength(1);
    expect((await provB.get('/api/v1/services/complaints')).json().items).toEqual([]);
    const h = await staffA.post(`/api/v1/services/complaints/${list[0].id}/handle`, { status: 'closed', resolution: '约谈机构，补足服务时长' });
    expect(h.statusCode).toBe(200);
    expect((await staffA.post(`/api/v1/services/complaints/${list[0].id}/handle`, { status: 'closed', resolution: 'x' })).statusCode).toBe(409);
    const s1 = (await staffA.get(`/api/v1/services/callbacks/sample?month=${month}`)).json();
    const s2 = (await staffA.get(`/api/v1/services/callbacks/sample?month=${month}`)).json();
    expect(s1.completed).toBe(3);
    expect(s1.items).toHaveLength(1);
    expect(s2.items).toEqual(s1.items);
    expect(
      (await staffA.post(`/api/v1/services/orders/${s1.items[0].id}/callback`, { reached: true, serviceHappened: true, satisfied: true })).statusCode,
    ).toBe(200);
  });

  it('manual dispatch checks only the provider named; accepting checks the caregiver named, else takes the least loaded', async () => {
    const o = (await order(family, { time: '16:00' })).json();
    const [cand] = (await staffA.get(`/api/v1/services/orders/${o.id}/candidates`)).json().items;
    // A black-listed provider is no candidate: refused, and the order stays pending.
    await t.db.root.exec(sql`update providers set credit_status = 'black' where id = ${c.providerB}`);
    const refused = await staffA.post(`/api/v1/services/orders/${o.id}/dispatch`, { mode: 'manual', providerId: c.providerB });
    await t.db.root.exec(sql`update providers set credit_status = 'good' where id = ${c.providerB}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('PROVIDER_NOT_ELIGIBLE');
    expect((await staffA.get(`/api/v1/services/orders/${o.id}`)).json()).toMatchObject({ status: 'pending', providerId: null });
    // The one provider counted gives the score the whole list gives.
    const d = await staffA.post(`/api/v1/services/orders/${o.id}/dispatch`, { mode: 'manual', providerId: c.providerA });
    expect(d.json()).toMatchObject({ status: 'dispatched', providerId: c.providerA });
    expect(cand.providerId).toBe(c.providerA);
    const ev = (await staffA.get(`/api/v1/services/orders/${o.id}`)).json().events.find((e: { kind: string }) => e.kind === 'dispatched');
    expect(ev.data).toMatchObject({ mode: 'manual', providerId: c.providerA, score: cand.score });
    // Another provider's caregiver cannot be named; a second caregiver of A with the skill can.
    const other = await t.db.root.one<{ id: string }>(sql`select id::text as id from caregivers where name = '乙护理员'`);
    const wrong = await provA.post(`/api/v1/services/orders/${o.id}/accept`, { caregiverId: other!.id });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe('CAREGIVER_NOT_ELIGIBLE');
    const second = (await provA.post(`/api/v1/services/providers/${c.providerA}/caregivers`, { name: '钱护理员', skills: ['bath'] })).json();
    // Both have no open visit today, and 周 comes first by name: named, 钱 is taken.
    const named = await provA.post(`/api/v1/services/orders/${o.id}/accept`, { caregiverId: second.id });
    expect(named.json()).toMatchObject({ status: 'accepted', caregiverId: second.id, caregiverName: '钱护理员' });
    // Not named: the least loaded of the day, now 周.
    const o2 = (await order(family, { time: '17:00' })).json();
    await staffA.post(`/api/v1/services/orders/${o2.id}/dispatch`, { mode: 'manual', providerId: c.providerA });
    expect((await provA.post(`/api/v1/services/orders/${o2.id}/accept`, {})).json()).toMatchObject({ caregiverName: '周护理员' });
    for (const id of [o.id, o2.id]) expect((await staffA.post(`/api/v1/services/orders/${id}/cancel`, { reason: '测试' })).statusCode).toBe(200);
    await t.db.root.exec(sql`update caregivers set status = 'inactive' where id = ${second.id}`);
  });
});

describe('family care beds', () => {
  let t: TestApp;
  let c: TestCounty;
  let admin: Awaited<ReturnType<typeof agentFor>>;
  let staff: Awaited<ReturnType<typeof agentFor>>;
  let staffB: Awaited<ReturnType<typeof agentFor>>;
  let provB: Awaited<ReturnType<typeof agentFor>>;
  let item: string;
  const assess = async (elderId: string, level: number) =>
    t.db.root.exec(sql`insert into assessments (elder_id, county_code, region_code, standard, reason, reference_date, answers, preliminary_level, final_level,
        level_name, assessors, valid_until)
      values (${elderId}, ${c.county.slice(0, 6)}, ${c.villageA}, 'GB/T 42195-2022', 'first', '2026-01-01', '{}', ${level}, ${level}, '测试', '{甲}', '2099-01-01')`);
  beforeAll(async () => {
    t = await testApp();
    c = await buildCounty(t.db);
    admin = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
    staff = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipA });
    staffB = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipB });
    provB = await agentFor(t.app, t.db, { role: 'provider_admin', regionCode: c.townshipB, providerId: c.providerB });
    item = (
      await admin.post('/api/v1/services/items', { code: 'ZK01', category: 'care', name: '康复护理', unit: '次', priceCents: 7000, durationMin: 60 })
    ).json().id;
  });
  afterAll(() => t.close());

  it('enrols only elders assessed at or above the county level; tracks the plan against completed orders; others see nothing', async () => {
    const light = (await buildElder(t.db, { regionCode: c.villageA, name: '轻度老人' })).id;
    await assess(light, 1);
    const plan = [{ itemId: item, timesPerMonth: 4 }];
    const refused = await staff.post('/api/v1/services/family-beds', { elderId: light, providerId: c.providerA, enrolledOn: '2026-11-01', plan });
    expect(refused.json().error.code).toBe('NOT_DISABLED');
    const none = (await buildElder(t.db, { regionCode: c.villageA })).id;
    expect(
      (await staff.post('/api/v1/services/family-beds', { elderId: none, providerId: c.providerA, enrolledOn: '2026-11-01', plan })).json().error.code,
    ).toBe('NO_ASSESSMENT');

    const heavy = (await buildElder(t.db, { regionCode: c.villageA, name: '失能老人' })).id;
    await assess(heavy, 3);
    const bed = await staff.post('/api/v1/services/family-beds', {
      elderId: heavy,
      providerId: c.providerA,
      enrolledOn: '2026-11-01',
      adaptation: { items: [{ name: '卫生间扶手', done: true, date: '2026-11-02' }] },
      plan,
    });
    expect(bed.statusCode).toBe(200);
    expect(bed.json()).toMatchObject({ abilityLevel: 3, planned: 4, done: 0, adherence: 0 });
    expect((await staff.post('/api/v1/services/family-beds', { elderId: heavy, providerId: c.providerA, enrolledOn: '2026-11-01', plan })).statusCode).toBe(
      409,
    );

    // Two of the plan's four visits done this month.
    const today = countyToday();
    for (const time of ['09:00', '10:00', '11:00']) {
      const o = await staff.post('/api/v1/services/orders', { elderId: heavy, itemId: item, quantity: 1, date: today, time, familyBedId: bed.json().id });
      expect(o.statusCode).toBe(200);
      if (time !== '11:00') await t.db.root.exec(sql`update service_orders set status = 'completed', provider_id = ${c.providerA} where id = ${o.json().id}`);
    }
    const month = today.slice(0, 7);
    const list = (await staff.get(`/api/v1/services/family-beds?month=${month}`)).json().items;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ planned: 4, done: 2, adherence: 50 });
    // A bed of another elder cannot carry this elder's orders.
    expect(
      (await staff.post('/api/v1/services/orders', { elderId: light, itemId: item, quantity: 1, date: today, time: '12:00', familyBedId: bed.json().id }))
        .statusCode,
    ).toBe(404);

    expect((await staffB.get('/api/v1/services/family-beds')).json().items).toEqual([]);
    expect((await provB.get(`/api/v1/services/family-beds/${bed.json().id}`)).statusCode).toBe(404);
    // The indicator 家庭养老床位 counts it, and drills down to it.
    const metric = await admin.get(`/api/v1/metrics/family_care_beds/records?regionCode=${c.county}&set=numerator&asOf=${today}`);
    expect(metric.json()).toMatchObject({ total: 1, items: [{ id: bed.json().id, name: '失能老人' }] });

    const end = await staff.patch(`/api/v1/services/family-beds/${bed.json().id}`, { end: { date: '2026-11-20', reason: '入住养老机构' } });
    expect(end.json()).toMatchObject({ status: 'ended' });
  });
});
