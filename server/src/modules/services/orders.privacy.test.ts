import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../kernel/db.js';
import { countyToday } from '../../kernel/dates.js';
import { agentFor, buildCounty, buildElder, testApp, type TestApp, type TestCounty } from '../../test/harness.js';
import { commonRegion } from '../../kernel/scope.js';
import { orderUnmasked } from './orders.privacy.js';

type Agent = Awaited<ReturnType<typeof agentFor>>;

describe('order privacy: a caregiver sees only their own orders; every unmasked view is audited', () => {
  let t: TestApp;
  let c: TestCounty;
  let zhou: Agent; // caregiver 周 of provider A
  let wu: Agent; // caregiver 吴, the colleague at the same provider
  let provA: Agent;
  let staffA: Agent;
  let zhouId: string;
  let wuId: string;
  let elder: string;
  let item: string;
  const today = countyToday();
  const lastMonth = `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`;
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(16, 7)]);

  const caregiverAccount = async (name: string) => {
    const a = await agentFor(t.app, t.db, { role: 'caregiver', regionCode: c.townshipA, providerId: c.providerA });
    const cg = await t.db.root.one<{ id: string }>(sql`insert into caregivers (provider_id, county_code, region_code, name, skills, user_id)
      values (${c.providerA}, ${c.county.slice(0, 6)}, ${c.townshipA}, ${name}, '{bath}', ${a.user.id}) returning id::text as id`);
    // Signed in again: the session reads the caregiver record it is linked to.
    await a.login(a.user.username);
    return { a, id: cg!.id };
  };
  let seq = 0;
  const orderOf = async (caregiverId: string, name: string, status: string, date: string) => {
    const o = await t.db.root.one<{ id: string }>(sql`insert into service_orders (no, county_code, region_code, elder_id, elder_name, elder_phone, address,
        lat, lng, item_id, item_code, item_name, category, unit, skill, quantity, duration_min, price_cents, amount_cents, gov_cents, copay_cents,
        entitlement, service_date, service_time, channel, status, provider_id, caregiver_id, caregiver_name)
      values (${`FWPRIV${++seq}${Math.random().toString().slice(2, 8)}`}, ${c.county.slice(0, 6)}, ${c.villageA}, ${elder}, '甲隐私老人', '13812345678',
        '甲一社区幸福路8号院3单元', 36.3, 116.46, ${item}, 'P1', '上门助浴', 'bath', '次', 'bath', 1, 60, 8000, 8000, 0, 8000, '{}', ${date}, '09:00',
        'staff', ${status}, ${c.providerA}, ${caregiverId}, ${name}) returning id::text as id`);
    return o!.id;
  };
  const auditOf = (actor: string, since: string) =>
    t.db.root.rows<{
      action: string;
      entity: string;
      entity_id: string | null;
      region_code: string;
      after: { what: string; ids?: string[]; photoId?: string };
    }>(sql`select action, entity, entity_id, region_code, after from audit_log where actor_id = ${actor} and at >= ${since}::timestamptz order by at`);
  const now = async () => (await t.db.root.one<{ n: string }>(sql`select clock_timestamp()::text as n`))!.n;

  beforeAll(async () => {
    t = await testApp();
    c = await buildCounty(t.db);
    elder = (await buildElder(t.db, { regionCode: c.villageA, name: '甲隐私老人' })).id;
    item = (await t.db.root.one<{
      id: string;
    }>(sql`insert into service_items (county_code, region_code, code, category, name, unit, price_cents, duration_min, skill)
      values (${c.county.slice(0, 6)}, ${c.county}, 'P1', 'bath', '上门助浴', '次', 8000, 60, 'bath') returning id::text as id`))!.id;
    const z = await caregiverAccount('周护理员');
    zhou = z.a;
    zhouId = z.id;
    const w = await caregiverAccount('吴护理员');
    wu = w.a;
    wuId = w.id;
    provA = await agentFor(t.app, t.db, { role: 'provider_admin', regionCode: c.townshipA, providerId: c.providerA });
    staffA = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipA });
  });
  afterAll(() => t.close());

  it("a colleague caregiver of the same provider gets 404 for another caregiver's order, its photo and its visits", async () => {
    const o = await orderOf(zhouId, '周护理员', 'in_service', today);
    const ph = await t.db.root.one<{
      id: string;
    }>(sql`insert into service_order_photos (order_id, county_code, region_code, provider_id, elder_id, mime, size, data)
      values (${o}, ${c.county.slice(0, 6)}, ${c.villageA}, ${c.providerA}, ${elder}, 'image/png', ${png.length}, ${png}) returning id::text as id`);
    // The assigned caregiver and the provider's admin see it.
    expect((await zhou.get(`/api/v1/services/orders/${o}`)).json()).toMatchObject({ id: o, elderPhone: '13812345678' });
    expect((await provA.get(`/api/v1/services/orders/${o}`)).statusCode).toBe(200);
    expect((await zhou.get(`/api/v1/services/orders/${o}/photos/${ph!.id}`)).statusCode).toBe(200);
    // The colleague does not, not even that it exists.
    for (const url of [`/api/v1/services/orders/${o}`, `/api/v1/services/orders/${o}/photos/${ph!.id}`]) {
      const r = await wu.get(url);
      expect(r.statusCode).toBe(404);
      expect(r.body).not.toContain('甲隐私老人');
      expect(r.body).not.toContain('13812345678');
    }
    expect((await wu.post(`/api/v1/services/orders/${o}/check-out`, { lat: 36.3, lng: 116.46, workDone: '助浴' })).statusCode).toBe(404);
    const list = (await wu.get('/api/v1/services/orders?pageSize=100')).json();
    expect(list.items.map((x: { id: string }) => x.id)).not.toContain(o);
    // Nor at the database: the colleague's transaction reads no event or photo of it.
    const wuRows = await t.db.scoped(
      { lo: c.townshipA, hi: c.townshipA.slice(0, 9) + '999', userId: wu.user.id, providerId: c.providerA, caregiverId: wuId },
      (tx) =>
        tx.one<{ o: number; p: number }>(
          sql`select (select count(*)::int from service_orders where id = ${o}) as o, (select count(*)::int from service_order_photos where order_id = ${o}) as p`,
        ),
    );
    expect(wuRows).toEqual({ o: 0, p: 0 });
  });

  it("the caregiver's task list and order detail each write one audit entry naming the orders shown in full", async () => {
    const a = await orderOf(zhouId, '周护理员', 'accepted', today);
    const b = await orderOf(zhouId, '周护理员', 'accepted', today);
    const since = await now();
    const tasks = (await zhou.get(`/api/v1/services/caregiver/tasks?date=${today}`)).json();
    const mine = tasks.items.filter((x: { id: string }) => [a, b].includes(x.id));
    expect(mine).toHaveLength(2);
    expect(mine[0]).toMatchObject({ elderPhone: '13812345678', address: '甲一社区幸福路8号院3单元', lat: 36.3 });
    let rows = await auditOf(zhou.user.id, since);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'view', entity: 'service_order', region_code: c.villageA, after: { what: 'tasks' } });
    expect(rows[0].after.ids).toEqual(expect.arrayContaining([a, b]));

    const since2 = await now();
    expect((await zhou.get(`/api/v1/services/orders/${a}`)).statusCode).toBe(200);
    rows = await auditOf(zhou.user.id, since2);
    expect(rows).toEqual([
      expect.objectContaining({ action: 'view', entity: 'service_order', entity_id: a, after: expect.objectContaining({ what: 'detail' }) }),
    ]);
  });

  it('staff and providers see lists masked (no entry) and a detail in full (one entry); a caregiver sees past visits masked', async () => {
    const o = await orderOf(zhouId, '周护理员', 'accepted', today);
    const old = await orderOf(zhouId, '周护理员', 'completed', lastMonth);
    for (const who of [staffA, provA]) {
      const since = await now();
      const list = (await who.get(`/api/v1/services/orders?pageSize=100&from=${today}&to=${today}`)).json();
      const row = list.items.find((x: { id: string }) => x.id === o);
      expect(row.elderPhone).toBe('138****5678');
      expect(row.lat).toBeNull();
      expect(await auditOf(who.user.id, since)).toEqual([]);
      const d = (await who.get(`/api/v1/services/orders/${o}`)).json();
      expect(d).toMatchObject({ elderPhone: '13812345678', address: '甲一社区幸福路8号院3单元' });
      expect(await auditOf(who.user.id, since)).toEqual([expect.objectContaining({ action: 'view', entity_id: o })]);
    }
    // Last year's completed visit: the caregiver no longer needs the address.
    const since = await now();
    const d = (await zhou.get(`/api/v1/services/orders/${old}`)).json();
    expect(d).toMatchObject({ elderPhone: '138****5678', lat: null });
    expect(await auditOf(zhou.user.id, since)).toEqual([]);
  });

  it('viewing a photo of a visit is audited', async () => {
    const o = await orderOf(zhouId, '周护理员', 'completed', today);
    const ph = await t.db.root.one<{
      id: string;
    }>(sql`insert into service_order_photos (order_id, county_code, region_code, provider_id, elder_id, mime, size, data)
      values (${o}, ${c.county.slice(0, 6)}, ${c.villageA}, ${c.providerA}, ${elder}, 'image/png', ${png.length}, ${png}) returning id::text as id`);
    const since = await now();
    expect((await staffA.get(`/api/v1/services/orders/${o}/photos/${ph!.id}`)).statusCode).toBe(200);
    expect(await auditOf(staffA.user.id, since)).toEqual([
      expect.objectContaining({ action: 'view', entity: 'service_order', entity_id: o, after: { what: 'photo', photoId: ph!.id } }),
    ]);
  });

  it("a family member's pages with the elder's address and the orders in full are audited", async () => {
    const fam = await agentFor(t.app, t.db, { role: 'family', regionCode: c.villageA });
    await t.db.root.exec(sql`insert into elder_contacts (elder_id, county_code, region_code, name, relation, user_id)
      values (${elder}, ${c.county.slice(0, 6)}, ${c.villageA}, '甲儿子', '儿子', ${fam.user.id})`);
    const o = await orderOf(zhouId, '周护理员', 'accepted', today);
    const since = await now();
    const mine = (await fam.get('/api/v1/family/elders')).json();
    expect(mine.items).toEqual([expect.objectContaining({ id: elder, address: expect.any(String) })]);
    const orders = (await fam.get('/api/v1/services/orders?pageSize=100')).json();
    expect(orders.items.find((x: { id: string }) => x.id === o)).toMatchObject({ elderPhone: '13812345678' });
    const rows = await auditOf(fam.user.id, since);
    expect(rows.map((r) => [r.action, r.entity, r.after.what])).toEqual([
      ['view', 'elder', 'family'],
      ['view', 'service_order', 'list'],
    ]);
    expect(rows[0]).toMatchObject({ entity_id: elder, region_code: c.villageA });
    expect(rows[1].after.ids).toContain(o);
  });

  it('rules: who sees what; the region of an entry covers all the orders it names', () => {
    expect(orderUnmasked({ role: 'township_staff' }, { status: 'accepted', service_date: today }, false, today)).toBe(false);
    expect(orderUnmasked({ role: 'township_staff' }, { status: 'accepted', service_date: today }, true, today)).toBe(true);
    expect(orderUnmasked({ role: 'caregiver' }, { status: 'completed', service_date: '2020-01-01' }, true, today)).toBe(false);
    expect(orderUnmasked({ role: 'caregiver' }, { status: 'accepted', service_date: '2099-01-01' }, false, today)).toBe(true);
    expect(commonRegion(['370124001001', '370124001002'])).toBe('370124001000');
    expect(commonRegion(['370124001001', '370124102001'])).toBe('370124000000');
    expect(commonRegion(['370124001001'])).toBe('370124001001');
  });
});
