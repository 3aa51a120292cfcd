import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../kernel/db.js';
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
    const r = await staff.post(`/api/v1/elders/${father.id}/contacts/${contact!.id}/account`, { username: 'wang_daughter', password: 'Daughter2026' });
    expect(r.statusCode).toBe(200);
    expect(
      (await staff.post(`/api/v1/elders/${father.id}/contacts/${contact!.id}/account`, { username: 'wang_daughter2', password: 'Daughter2026' })).json().error
        .code,
    ).toBe('HAS_ACCOUNT');

    const daughter = new Agent(t.app);
    expect((await daughter.login('wang_daughter', 'Daughter2026')).statusCode).toBe(200);
    expect((await daughter.post('/api/v1/auth/password', { currentPassword: 'Daughter2026', newPassword: 'Mine2026ok' })).statusCode).toBe(200);
    const mine = (await daughter.get('/api/v1/family/elders')).json();
    expect(mine.items.map((x: { id: string }) => x.id)).toEqual([father.id]);
    expect(mine.items[0]).toMatchObject({ name: '王父', regionName: '甲一社区居民委员会', categories: ['empty_nest'] });
    expect(JSON.stringify(mine)).not.toContain(neighbour.id);
    // The registry itself stays closed to family members, and regions give them nothing.
    expect((await daughter.get('/api/v1/elders')).statusCode).toBe(403);
    expect((await daughter.get(`/api/v1/elders/${father.id}`)).statusCode).toBe(403);
    // Another family member, of another elder, sees nobody else's parent.
    const other = await agentFor(t.app, t.db, { role: 'family', regionCode: c.villageA });
    expect((await other.get('/api/v1/family/elders')).json().items).toEqual([]);
  });

  it('cannot be given to a contact of an elder in another township', async () => {
    const staffB = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipB });
    const e = await buildElder(t.db, { regionCode: c.villageA });
    const k = await t.db.root.one<{ id: string }>(sql`insert into elder_contacts (elder_id, county_code, region_code, name, relation)
      values (${e.id}, ${c.county.slice(0, 6)}, ${c.villageA}, '某', '儿子') returning id::text as id`);
    expect((await staffB.post(`/api/v1/elders/${e.id}/contacts/${k!.id}/account`, { username: 'x_family', password: 'Family2026x' })).statusCode).toBe(404);
  });
});
