import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../kernel/db.js';
import { loadDemo } from '../../demo/generate.js';
import { testDb, type TestDb } from '../../test/harness.js';

describe('demo home services', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await testDb();
    await loadDemo(t.db, { elders: 2000, seed: 3, today: '2026-06-30' });
  }, 120_000);
  afterAll(() => t.close());

  it('has providers with caregivers and accounts, a menu, months of orders, and the family account linked', async () => {
    const r = await t.db.root.one<{
      providers: number;
      caregivers: number;
      items: number;
      orders: number;
      months: number;
      accounts: number;
      family: number;
      self: number;
      beds: number;
    }>(
      sql`select (select count(*)::int from providers) as providers, (select count(*)::int from caregivers) as caregivers,
        (select count(*)::int from service_items) as items, (select count(*)::int from service_orders) as orders,
        (select count(distinct to_char(service_date, 'YYYY-MM'))::int from service_orders) as months,
        (select count(*)::int from caregivers c join users u on u.id = c.user_id where u.role = 'caregiver') as accounts,
        (select count(*)::int from elder_contacts c join users u on u.id = c.user_id where u.username = 'family') as family,
        (select count(*)::int from elder_contacts c join users u on u.id = c.user_id where u.username = 'laoren' and c.relation = '本人') as self,
        (select count(*)::int from family_beds) as beds`,
    );
    expect(r).toMatchObject({ providers: 5, items: 12, family: 1, self: 1, accounts: 5 });
    expect(r!.caregivers).toBeGreaterThan(25);
    expect(r!.orders).toBeGreaterThan(1000);
    expect(r!.months).toBeGreaterThanOrEqual(4);
    expect(r!.beds).toBeGreaterThan(0);
  });

  it('settles the past months: every statement reconciles to its lines and its orders to the cent', async () => {
    const s = await t.db.root.rows<{ month: string; ok: boolean }>(sql`select s.month,
        s.gov_cents = coalesce(sum(l.gov_cents) filter (where not l.held), 0) and s.copay_cents = coalesce(sum(l.copay_cents) filter (where not l.held), 0)
        and s.held_gov_cents = coalesce(sum(l.gov_cents) filter (where l.held), 0) and s.order_count = count(*) filter (where not l.held)
        and bool_and(l.gov_cents = o.gov_cents and l.copay_cents = o.copay_cents) as ok
      from settlements s join settlement_lines l on l.settlement_id = s.id join service_orders o on o.id = l.order_id
      group by s.id`);
    expect(s.length).toBeGreaterThan(5);
    expect(s.every((x) => x.ok)).toBe(true);
    const held = await t.db.root.one<{ n: number }>(sql`select count(*)::int as n from settlement_lines where held and cardinality(hold_reasons) = 0`);
    expect(held!.n).toBe(0);
  });
});
