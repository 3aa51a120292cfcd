import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../kernel/db.js';
import { agentFor, buildCounty, buildElder, testApp, type TestApp, type TestCounty } from '../../test/harness.js';

const AS_OF = '2026-06-30';

describe('plan indicators', () => {
  let t: TestApp;
  let c: TestCounty;
  let admin: Awaited<ReturnType<typeof agentFor>>;
  beforeAll(async () => {
    t = await testApp();
    c = await buildCounty(t.db);
    admin = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
  });
  afterAll(() => t.close());

  async function assess(elderId: string, regionCode: string, ref: string, until: string, level = 1, standard = 'GB/T 42195-2022') {
    await t.db.root
      .exec(sql`insert into assessments (elder_id, county_code, region_code, standard, reason, reference_date, answers, preliminary_level, final_level, level_name, valid_until)
      values (${elderId}, ${regionCode.slice(0, 6)}, ${regionCode}, ${standard}, 'first', ${ref}, '{}', ${level}, ${level}, 'x', ${until})`);
  }

  it('computes the 80+ assessment rate exactly, by county and township, as of a date, with drill-down', async () => {
    const a1 = await buildElder(t.db, { regionCode: c.villageA, birthDate: '1940-01-01' });
    const a2 = await buildElder(t.db, { regionCode: c.villageA2, birthDate: '1946-06-30' }); // turns 80 on the date: counts
    const a3 = await buildElder(t.db, { regionCode: c.villageA, birthDate: '1935-05-05' }); // assessment lapsed before the date
    const a4 = await buildElder(t.db, { regionCode: c.villageA, birthDate: '1938-02-02' }); // never assessed
    const young = await buildElder(t.db, { regionCode: c.villageA, birthDate: '1946-07-01' }); // 79 on the date: not counted
    const b1 = await buildElder(t.db, { regionCode: c.villageB, birthDate: '1941-01-01' });
    const deadBefore = await buildElder(t.db, { regionCode: c.villageB, birthDate: '1930-01-01' });
    const deadAfter = await buildElder(t.db, { regionCode: c.villageB, birthDate: '1931-01-01' });
    await t.db.root.exec(sql`update elders set status = 'deceased', death_date = '2026-05-01' where id = ${deadBefore.id}`);
    await t.db.root.exec(sql`update elders set status = 'deceased', death_date = '2026-07-15' where id = ${deadAfter.id}`);
    await assess(a1.id, c.villageA, '2026-01-01', '2026-12-31');
    await assess(a2.id, c.villageA2, '2026-06-30', '2027-06-29');
    await assess(a3.id, c.villageA, '2025-01-01', '2026-06-29');
    await assess(young.id, c.villageA, '2026-01-01', '2026-12-31');
    await assess(b1.id, c.villageB, '2026-06-01', '2027-05-31');
    await assess(deadAfter.id, c.villageB, '2026-07-01', '2027-06-30'); // after the date: not valid yet

    const plan = (await admin.post('/api/v1/plans', { template: 'tengzhou-2021-2025' })).json();
    const ind = (p: { indicators: { metric: string | null }[] }) => p.indicators.find((x) => x.metric === 'assessment_rate_80plus') as Record<string, unknown>;
    const county = (await admin.get(`/api/v1/plans/${plan.id}?asOf=${AS_OF}`)).json();
    // County: a1, a2, b1 assessed; a3, a4, deadAfter not → 3 / 6.
    expect(ind(county)).toMatchObject({ source: 'computed', numerator: 3, denominator: 6, value: 50, status: 'behind', target: 100 });
    const townA = (await admin.get(`/api/v1/plans/${plan.id}?asOf=${AS_OF}&regionCode=${c.townshipA}`)).json();
    expect(ind(townA)).toMatchObject({ numerator: 2, denominator: 4, value: 50 });
    const gap = (await admin.get(`/api/v1/metrics/assessment_rate_80plus/records?asOf=${AS_OF}&regionCode=${c.townshipA}&set=gap`)).json();
    expect(gap.items.map((x: { id: string }) => x.id).sort()).toEqual([a3.id, a4.id].sort());
    // A township user sees the county plan, computed for their own township only.
    const staffB = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipB });
    const asB = (await staffB.get(`/api/v1/plans/${plan.id}?asOf=${AS_OF}`)).json();
    expect(ind(asB)).toMatchObject({ numerator: 1, denominator: 2 });
    expect((await staffB.get(`/api/v1/plans/${plan.id}?asOf=${AS_OF}&regionCode=${c.townshipA}`)).statusCode).toBe(404);
  });

  it('computes the 特困 care rates from categories and ability', async () => {
    const c2 = await buildCounty(t.db);
    const admin2 = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c2.county });
    const willingHome = await buildElder(t.db, { regionCode: c2.villageA, categories: ['tekun_dispersed', 'willing_centralized'] });
    const inCare = await buildElder(t.db, { regionCode: c2.villageA, categories: ['tekun_centralized'] });
    await buildElder(t.db, { regionCode: c2.villageA, categories: ['tekun_dispersed'] }); // not willing: outside the first rate
    const disabledHome = await buildElder(t.db, { regionCode: c2.villageB, categories: ['tekun_dispersed'] });
    await assess(disabledHome.id, c2.villageB, '2026-01-01', '2026-12-31', 3);
    await assess(inCare.id, c2.villageA, '2026-01-01', '2026-12-31', 2);
    await assess(willingHome.id, c2.villageA, '2026-01-01', '2026-12-31', 1); // below the disability level
    const plan = (await admin2.post('/api/v1/plans', { template: 'tengzhou-2021-2025' })).json();
    const p = (await admin2.get(`/api/v1/plans/${plan.id}?asOf=${AS_OF}`)).json();
    const m = (id: string) => p.indicators.find((x: { metric: string }) => x.metric === id);
    expect(m('willing_tekun_centralized_rate')).toMatchObject({ numerator: 1, denominator: 2, value: 50 });
    expect(m('disabled_tekun_centralized_rate')).toMatchObject({ numerator: 1, denominator: 2, value: 50 });
  });

  it('makes plans from the five seed templates: binding first, unbuilt metrics said plainly, manual values with a source', async () => {
    const tpl = (await admin.get('/api/v1/plan-templates')).json();
    expect(tpl.items.map((x: { regionCode: string }) => x.regionCode).sort()).toEqual(['360735', '370124', '370481', '370902', '371623']);
    const plan = (await admin.post('/api/v1/plans', { template: 'pingyin-2021-2025' })).json();
    expect(plan.indicators).toHaveLength(tpl.items.find((x: { key: string }) => x.key === 'pingyin-2021-2025').indicators.length);
    const firstUnbound = plan.indicators.findIndex((x: { binding: boolean }) => !x.binding);
    expect(plan.indicators.slice(firstUnbound).every((x: { binding: boolean }) => !x.binding)).toBe(true);
    // Facilities registers its metrics: computed (no beds in this county yet, so no value).
    const nursing = plan.indicators.find((x: { metric: string }) => x.metric === 'nursing_bed_share');
    expect(nursing).toMatchObject({ name: '养老机构护理型床位占比', target: 65, binding: true, source: 'computed', value: null, status: 'unknown' });
    // A metric of a module not built yet names that module.
    const unbuilt = plan.indicators.find((x: { source: string }) => x.source === 'not_built');
    if (unbuilt) expect(unbuilt).toMatchObject({ value: null, status: 'unknown', note: expect.stringContaining('模块建设中') });
    const manual = plan.indicators.find((x: { source: string }) => x.source === 'not_computable') ?? unbuilt ?? nursing;
    const r = await admin.post(`/api/v1/plans/${plan.id}/indicators/${manual.id}/values`, { value: 70, asOf: '2026-01-01', sourceNote: '县民政局统计' });
    expect(r.statusCode).toBe(200);
    const again = (await admin.get(`/api/v1/plans/${plan.id}?asOf=${AS_OF}`)).json();
    expect(again.indicators.find((x: { id: string }) => x.id === manual.id)).toMatchObject({ source: 'manual', value: 70, note: '县民政局统计（2026-01-01）' });
    const noSource = await admin.post(`/api/v1/plans/${plan.id}/indicators/${manual.id}/values`, { value: 70, asOf: '2026-01-01', sourceNote: '' });
    expect(noSource.statusCode).toBe(400);
  });
});
