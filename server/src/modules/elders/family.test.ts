import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../kernel/db.js';
import { countyToday } from '../../kernel/dates.js';
import { Agent, agentFor, buildCounty, buildElder, testApp, type TestApp, type TestCounty } from '../../test/harness.js';

describe('family members', () => {
  let t: TestApp;
  let c: TestCounty;
  beforeAll(async () => {
    t = await testApp();
    c = await buildCounty(t.db);
  });
  afterAll(() => t.close());

  it('get an account from a contact and see only the elder they are linked to', async () => {
    const staff = await agentFor(t.app, t.db, { role: 'village_worker', regionCode: c.villageA });
    const father = await buildElder(t.db, { regionCode: c.villageA, name: '王父', birthDate: '1940-02-02', categories: ['empty_nest'] });
    const neighbour = await buildElder(t.db, { regionCode: c.villageA, name: '李邻' });
    const contact = await t.db.root.one<{ id: string }>(sql`insert into elder_contacts (elder_id, county_code, region_code, name, relation, phone)
      values (${father.id}, ${c.county.slice(0, 6)}, ${c.villageA}, '王女', '女儿', '13700002222') returning id::text as id`);
    const r = await staff.post(`/api/v1/elders/${father.id}/contacts/${contact!.id}/account`, { username: 'wang_daughter', password: 'Meihua2026' });
    expect(r.statusCode).toBe(200);
    expect(
      (await staff.post(`/api/v1/elders/${father.id}/contacts/${contact!.id}/account`, { username: 'wang_daughter2', password: 'Meihua2026' })).json().error
        .code,
    ).toBe('HAS_ACCOUNT');

    const daughter = new Agent(t.app);
    expect((await daughter.login('wang_daughter', 'Meihua2026')).statusCode).toBe(200);
    expect((await daughter.post('/api/v1/auth/password', { currentPassword: 'Meihua2026', newPassword: 'Mine2026ok' })).statusCode).toBe(200);
    const mine = (await daughter.get('/api/v1/family/elders')).json();
    expect(mine.items.map((x: { id: string }) => x.id)).toEqual([father.id]);
    expect(mine.items[0]).toMatchObject({ name: '王父', regionName: '甲一社区居民委员会', categories: ['empty_nest'], self: false });
    expect(mine.items[0]).toHaveProperty('address');
    expect(JSON.stringify(mine)).not.toContain(neighbour.id);
    // The registry itself stays closed to family members, and regions give them nothing.
    expect((await daughter.get('/api/v1/elders')).statusCode).toBe(403);
    expect((await daughter.get(`/api/v1/elders/${father.id}`)).statusCode).toBe(403);
    // Another family member, of another elder, sees nobody else's parent.
    const other = await agentFor(t.app, t.db, { role: 'family', regionCode: c.villageA });
    expect((await other.get('/api/v1/family/elders')).json().items).toEqual([]);
  });

  it('gives the elder an account of their own, which sees only the elder; once per elder, staff of the region only', async () => {
    const staff = await agentFor(t.app, t.db, { role: 'village_worker', regionCode: c.villageA });
    const me = await buildElder(t.db, { regionCode: c.villageA, name: '赵本人', birthDate: '1942-03-03' });
    await buildElder(t.db, { regionCode: c.villageA, name: '钱邻居' });
    const r = await staff.post(`/api/v1/elders/${me.id}/account`, { username: 'zhao_self', password: 'Qiuyue2026' });
    expect(r.statusCode).toBe(200);
    // A second account for the same elder is refused; the contact "本人" shows the account.
    expect((await staff.post(`/api/v1/elders/${me.id}/account`, { username: 'zhao_self2', password: 'Qiuyue2026' })).json().error.code).toBe('HAS_ACCOUNT');
    const detail = (await staff.get(`/api/v1/elders/${me.id}`)).json();
    expect(detail.contacts).toEqual([expect.objectContaining({ id: r.json().contactId, relation: '本人', name: '赵*人', hasAccount: true })]);
    const u = await t.db.root.one<{ role: string; display_name: string }>(sql`select role, display_name from users where username = 'zhao_self'`);
    expect(u).toEqual({ role: 'family', display_name: '赵本人（本人）' });

    const self = new Agent(t.app);
    expect((await self.login('zhao_self', 'Qiuyue2026')).statusCode).toBe(200);
    expect((await self.post('/api/v1/auth/password', { currentPassword: 'Qiuyue2026', newPassword: 'Zhao2026ok' })).statusCode).toBe(200);
    // The account knows it is the elder's own: the page greets the elder by name.
    expect((await self.get('/api/v1/family/elders')).json().items).toEqual([expect.objectContaining({ id: me.id, name: '赵本人', self: true })]);
    expect((await self.get('/api/v1/elders')).statusCode).toBe(403);
    // What the elder orders on the account is recorded as the elder's own order (channel elder).
    const admin = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
    const item = await admin.post('/api/v1/services/items', { code: 'ZJ01', category: 'clean', name: '助洁', unit: '次', priceCents: 3000, durationMin: 60 });
    expect(item.statusCode).toBe(200);
    const o = await self.post('/api/v1/services/orders', { elderId: me.id, itemId: item.json().id, quantity: 1, date: countyToday(), time: '15:00' });
    expect(o.statusCode).toBe(200);
    expect(o.json()).toMatchObject({ channel: 'elder', createdByName: '赵本人（本人）' });
    // A weak password is refused with the reason, and nothing is left behind.
    const other = await buildElder(t.db, { regionCode: c.villageA, name: '孙某' });
    const weak = await staff.post(`/api/v1/elders/${other.id}/account`, { username: 'sun_self', password: 'short' });
    expect(weak.statusCode).toBe(400);
    expect((await t.db.root.one<{ n: number }>(sql`select count(*)::int as n from elder_contacts where elder_id = ${other.id}`))!.n).toBe(0);
    // Staff of another township cannot open one.
    const staffB = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipB });
    expect((await staffB.post(`/api/v1/elders/${other.id}/account`, { username: 'sun_self', password: 'Qiuyue2026' })).statusCode).toBe(404);
  });

  it('cannot be given to a contact of an elder in another township', async () => {
    const staffB = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipB });
    const e = await buildElder(t.db, { regionCode: c.villageA });
    const k = await t.db.root.one<{ id: string }>(sql`insert into elder_contacts (elder_id, county_code, region_code, name, relation)
      values (${e.id}, ${c.county.slice(0, 6)}, ${c.villageA}, '某', '儿子') returning id::text as id`);
    expect((await staffB.post(`/api/v1/elders/${e.id}/contacts/${k!.id}/account`, { username: 'x_family', password: 'Family2026x' })).statusCode).toBe(404);
  });
});
