/** Lists stop counting past 10,000 ("10000+"); a reader who asks gets the exact figure. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../kernel/db.js';
import { agentFor, buildCounty, testApp, type TestApp, type TestCounty } from '../../test/harness.js';
import { COUNT_CAP } from './elders.repository.js';

describe('elder list counts', () => {
  let t: TestApp;
  let c: TestCounty;
  let staff: Awaited<ReturnType<typeof agentFor>>;
  const N = COUNT_CAP + 57;

  beforeAll(async () => {
    t = await testApp();
    c = await buildCounty(t.db);
    staff = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipA });
    const county = c.county.slice(0, 6);
    await t.db.root.exec(sql`insert into elders (county_code, region_code, id_number, name, name_pinyin, name_initials, sex, birth_date)
      select ${county}, ${c.villageA}, ${county} || lpad(i::text, 12, '0'), '计数' || i, 'jishu', 'js', 'F', date '1950-01-01'
        from generate_series(1, ${N}) i`);
  });
  afterAll(() => t.close());

  it('caps the count by default and counts every match with exact=1', async () => {
    const capped = await staff.get('/api/v1/elders?pageSize=5');
    expect(capped.statusCode, capped.body).toBe(200);
    expect(capped.json()).toMatchObject({ total: COUNT_CAP, totalCapped: true });
    expect(capped.json().items).toHaveLength(5);

    const exact = await staff.get('/api/v1/elders?pageSize=1&exact=1');
    expect(exact.statusCode, exact.body).toBe(200);
    expect(exact.json()).toMatchObject({ total: N, totalCapped: false });

    // The same filters apply to the exact count; and it stays within the caller's area.
    expect((await staff.get(`/api/v1/elders?pageSize=1&exact=1&regionCode=${c.villageA2}`)).json()).toMatchObject({ total: 0, totalCapped: false });
    const neighbour = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipB });
    expect((await neighbour.get('/api/v1/elders?pageSize=1&exact=1')).json()).toMatchObject({ total: 0, totalCapped: false });

    const bad = await staff.get('/api/v1/elders?exact=yes');
    expect(bad.statusCode).toBe(400);
  });
});
