/**
 * Orders split against the real entitlement (benefits engine, no mock): an 80+ elder under a
 * policy with a monthly service budget; the daughter (family role) and village staff order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../kernel/db.js';
import { countyToday } from '../../kernel/dates.js';
import { agentFor, buildCounty, buildElder, testApp, type TestApp } from '../../test/harness.js';

describe('order split against the benefits engine', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t?.close());

  it('gives each order the budget left of the month from the policy in force; the crossing order is co-paid', async () => {
    const c = await buildCounty(t.db);
    const admin = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
    const village = await agentFor(t.app, t.db, { role: 'village_worker', regionCode: c.villageA });
    const family = await agentFor(t.app, t.db, { role: 'family', regionCode: c.villageA });
    const old = (await buildElder(t.db, { regionCode: c.villageA, name: '甲高龄老人', birthDate: '1940-05-05' })).id;
    const young = (await buildElder(t.db, { regionCode: c.villageA, name: '甲低龄老人', birthDate: '1960-05-05' })).id;
    await t.db.root.exec(sql`insert into elder_contacts (elder_id, county_code, region_code, name, relation, phone, user_id)
      values (${old}, ${c.county.slice(0, 6)}, ${c.villageA}, '甲女儿', '女儿', '13700001111', ${family.user.id})`);
    const item = await admin.post('/api/v1/services/items', {
      code: 'ZJ01',
      category: 'clean',
      name: '上门助洁',
      unit: '次',
      priceCents: 4000,
      durationMin: 60,
    });
    expect(item.statusCode, item.body).toBe(200);
    const rules = {
      benefits: [
        {
          code: 'purchased_services_80',
          name: '政府购买居家养老服务',
          payment: 'service',
          eligibility: { minAge: 80, inInstitution: false },
          tiers: [{ label: '80+', amountCents: 6000 }],
        },
        { code: 'old_age', name: '高龄津贴', payment: 'cash', eligibility: { minAge: 80 }, tiers: [{ label: '80+', amountCents: 10000 }] },
      ],
    };
    const p = await admin.post('/api/v1/benefits/policies', { policyKey: 'svc', name: '本县政策', effectiveFrom: '2020-01-01', rules });
    await admin.post(`/api/v1/benefits/policies/${p.json().id}/publish`);
    await admin.post(`/api/v1/benefits/policies/${p.json().id}/activate`);
    const date = countyToday();
    const order = (a: typeof admin, elderId: string, time: string) =>
      a.post('/api/v1/services/orders', { elderId, itemId: item.json().id, quantity: 1, date, time });

    const o1 = await order(family, old, '09:00');
    expect(o1.statusCode, o1.body).toBe(200);
    expect(o1.json()).toMatchObject({ govCents: 4000, copayCents: 0 });
    expect(o1.json().entitlement).toMatchObject({ budgetCents: 6000, sources: [{ benefitCode: 'purchased_services_80', amountCents: 6000 }] });
    expect(o1.json().entitlement.sources[0].explanation).toMatch(/政府购买居家养老服务/);
    const o2 = await order(village, old, '14:00');
    expect(o2.json()).toMatchObject({ govCents: 2000, copayCents: 2000 });
    const o3 = await order(family, old, '16:00');
    expect(o3.json()).toMatchObject({ govCents: 0, copayCents: 4000 });
    // Younger than 80: no budget; the cash benefit never counts toward services.
    const o4 = await order(village, young, '10:00');
    expect(o4.json()).toMatchObject({ govCents: 0, copayCents: 4000 });
    // Orders read the policy's rules from this process's memory once they have been read: any
    // change to the row is seen by the next order (here an owner's edit of the budget, which the
    // application itself never makes to a published version).
    await t.db.root.exec(sql`update benefit_policies set rules = jsonb_set(rules, '{benefits,0,tiers,0,amountCents}', '20000') where id = ${p.json().id}`);
    const o5 = await order(family, old, '17:00');
    expect(o5.json().entitlement).toMatchObject({ budgetCents: 20000, usedBeforeCents: 6000 });
    expect(o5.json()).toMatchObject({ govCents: 4000, copayCents: 0 });
    // Three orders at once for the same elder: 10000 of the budget is left, and they share
    // exactly that (each order reads the month's orders only once it holds the elder's lock).
    const three = await Promise.all([order(family, old, '18:00'), order(village, old, '18:30'), order(admin, old, '19:00')]);
    for (const x of three) expect(x.statusCode, x.body).toBe(200);
    expect(three.map((x) => x.json().govCents).sort()).toEqual([2000, 4000, 4000]);
    expect(three.reduce((a, x) => a + x.json().copayCents, 0)).toBe(2000);
  });
});
