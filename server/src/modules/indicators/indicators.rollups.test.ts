/**
 * Rollups give the answer a computation from scratch gives: a county with random elders,
 * categories and assessments; plan values read (and cached) for the county and each township at
 * several dates; then rounds of random writes — as the owner and as the app role under row-level
 * security — after each of which every cached answer must equal the from-scratch one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../kernel/db.js';
import { scopeOf } from '../../kernel/scope.js';
import { agentFor, buildCounty, buildElder, testApp, type TestApp, type TestCounty } from '../../test/harness.js';
import { evaluatePlan } from './indicators.service.js';
import { registerMetrics } from './metrics.js';
import { versionToken } from './rollups.js';

const DATES = ['2024-12-31', '2025-06-30', '2026-03-31'];

function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('indicator rollups', () => {
  let t: TestApp;
  let c: TestCounty;
  let admin: Awaited<ReturnType<typeof agentFor>>;
  let planId: string;
  const elders: { id: string; region: string }[] = [];
  const r = rng(20261122);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const day = (from: number, to: number) =>
    `${from + Math.floor(r() * (to - from + 1))}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`;

  beforeAll(async () => {
    t = await testApp();
    c = await buildCounty(t.db);
    admin = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
    planId = (await admin.post('/api/v1/plans', { template: 'tengzhou-2021-2025' })).json().id;
    for (let i = 0; i < 40; i++) await addElder();
  });
  afterAll(() => t.close());

  // Elders live in villages, and a few are registered at township or county level (the county's own prefix is a part too).
  const villages = () => [c.villageA, c.villageA, c.villageA2, c.villageB, c.villageB, c.townshipB, c.county];

  async function addElder() {
    const region = pick(villages());
    const cats = [pick([[], ['tekun_centralized'], ['tekun_dispersed'], ['tekun_dispersed', 'willing_centralized'], ['dibao']])].flat();
    const e = await buildElder(t.db, { regionCode: region, birthDate: day(1925, 1950), categories: cats });
    elders.push({ id: e.id, region });
    if (r() < 0.6) await assess(e.id, region);
  }

  async function assess(elderId: string, region: string) {
    const ref = day(2023, 2026);
    await t.db.root
      .exec(sql`insert into assessments (elder_id, county_code, region_code, standard, reason, reference_date, answers, preliminary_level, final_level, level_name, valid_until)
      values (${elderId}, ${region.slice(0, 6)}, ${region}, ${pick(['GB/T 42195-2022', 'MZ/T 039-2013'])}, 'first', ${ref}, '{}', 1, ${Math.floor(r() * 5)}, 'x',
              (${ref}::date + interval '1 year' - interval '1 day')::date)`);
  }

  /** One random write; about a third run as the app role of the county (row-level security, triggers as definer). */
  async function randomWrite() {
    const e = pick(elders);
    const ops: (() => Promise<unknown>)[] = [
      () => addElder(),
      () => assess(e.id, e.region),
      () => t.db.root.exec(sql`update elders set status = 'deceased', death_date = ${day(2024, 2026)} where id = ${e.id} and status = 'active'`),
      () => t.db.root.exec(sql`update elders set status = 'moved_out', moved_out_date = ${day(2024, 2026)} where id = ${e.id} and status = 'active'`),
      () =>
        t.db.scoped(scopeOf(c.county), (tx) =>
          tx.exec(sql`insert into elder_categories (elder_id, county_code, region_code, category, valid_from)
            values (${e.id}, ${e.region.slice(0, 6)}, ${e.region}, ${pick(['tekun_centralized', 'tekun_dispersed', 'willing_centralized'])}, ${day(2023, 2026)})`),
        ),
      () => t.db.scoped(scopeOf(c.county), (tx) => tx.exec(sql`update elder_categories set valid_to = ${day(2024, 2026)} where elder_id = ${e.id}`)),
      () => t.db.scoped(scopeOf(c.county), (tx) => tx.exec(sql`update assessments set status = 'void' where elder_id = ${e.id}`)),
      () => t.db.scoped(scopeOf(c.county), (tx) => tx.exec(sql`delete from elder_categories where elder_id = ${e.id} and category = 'willing_centralized'`)),
      () =>
        t.db.root
          .exec(sql`insert into county_settings (county_code, key, value, valid_from) values (${c.county.slice(0, 6)}, 'disability.minLevel', ${String(1 + Math.floor(r() * 3))}::jsonb, ${day(2024, 2025)})
          on conflict (county_code, key, valid_from) do update set value = excluded.value`),
      async () => {
        // A move to the other township: the elder and their rows follow.
        const to = e.region === c.villageB ? c.villageA : c.villageB;
        await t.db.root.exec(sql`update elders set region_code = ${to} where id = ${e.id}`);
        await t.db.root.exec(sql`update elder_categories set region_code = ${to} where elder_id = ${e.id}`);
        await t.db.root.exec(sql`update assessments set region_code = ${to} where elder_id = ${e.id}`);
        e.region = to;
      },
    ];
    await pick(ops)();
  }

  const regions = () => [c.county, c.townshipA, c.townshipB, c.villageA];
  const computed = (p: Awaited<ReturnType<typeof evaluatePlan>>) =>
    p.indicators
      .filter((i) => i.source === 'computed')
      .map((i) => ({ metric: i.metric, value: i.value, numerator: i.numerator, denominator: i.denominator, status: i.status }));

  async function compareAll() {
    for (const regionCode of regions())
      for (const asOf of DATES) {
        const live = (await admin.get(`/api/v1/plans/${planId}?regionCode=${regionCode}&asOf=${asOf}`)).json();
        const fresh = await t.db.scoped(scopeOf(c.county), (tx) => evaluatePlan(tx, planId, { regionCode, asOf }, { cache: false }));
        expect(computed(live), `${regionCode} ${asOf}`).toEqual(computed(fresh));
      }
  }

  it('sums the versions of the units overlapping a region into its token', () => {
    const units = [
      { c: '370124', u: '', v: 2 },
      { c: '370124', u: '370124001', v: 5 },
      { c: '370124', u: '370124100', v: 7 },
      { c: '370125', u: '370125001', v: 100 },
    ];
    expect(versionToken(units, '370124000000')).toBe(14);
    expect(versionToken(units, '370124001000')).toBe(7);
    expect(versionToken(units, '370124001203')).toBe(7);
    expect(versionToken(units, '370124100000')).toBe(9);
    expect(versionToken(units, '370124200000')).toBe(2);
  });

  it('serves cached values, and only while the data they came from is unchanged', async () => {
    const url = `/api/v1/plans/${planId}?regionCode=${c.townshipA}&asOf=2025-06-30`;
    const first = (await admin.get(url)).json();
    const rate = first.indicators.find((i: { metric: string }) => i.metric === 'assessment_rate_80plus');
    expect(rate.source).toBe('computed');
    // Parts by township: township A's part is its figure.
    const cached = await t.db.root.rows(sql`select metric from indicator_parts where region_code = ${c.townshipA} and as_of = '2025-06-30'`);
    expect(cached.map((x) => x.metric).sort()).toEqual(['assessment_rate_80plus', 'disabled_tekun_centralized_rate', 'willing_tekun_centralized_rate']);
    // Proof the cache is read: a planted value comes back while nothing changes …
    await t.db.root.exec(
      sql`update indicator_parts set numerator = 1, denominator = 8 where region_code = ${c.townshipA} and metric = 'assessment_rate_80plus'`,
    );
    expect((await admin.get(url)).json().indicators.find((i: { metric: string }) => i.metric === 'assessment_rate_80plus').value).toBe(12.5);
    // … and is gone after a write in the township.
    await buildElder(t.db, { regionCode: c.villageA2, birthDate: '1980-01-01' });
    expect((await admin.get(url)).json().indicators.find((i: { metric: string }) => i.metric === 'assessment_rate_80plus').value).toBe(rate.value);
    // A write in the other township keeps township A's figures; a write in another county keeps them all.
    const token = async (unit: string) =>
      (
        await t.db.root.one<{ v: number }>(
          sql`select version::int as v from indicator_data_versions where county_code = ${c.county.slice(0, 6)} and unit = ${unit}`,
        )
      )?.v;
    const before = await token(c.townshipA.slice(0, 9));
    await buildElder(t.db, { regionCode: c.villageB, birthDate: '1930-01-01' });
    expect(await token(c.townshipA.slice(0, 9))).toBe(before);
    await t.db.root.exec(
      sql`update indicator_parts set numerator = 27, denominator = 200 where region_code = ${c.townshipA} and metric = 'assessment_rate_80plus'`,
    );
    expect((await admin.get(url)).json().indicators.find((i: { metric: string }) => i.metric === 'assessment_rate_80plus').value).toBe(13.5);
    const other = await buildCounty(t.db);
    await buildElder(t.db, { regionCode: other.villageA });
    expect(await token(c.townshipA.slice(0, 9))).toBe(before);
    // A county-wide change (a setting) reaches every township.
    await t.db.root.exec(
      sql`insert into county_settings (county_code, key, value, valid_from) values (${c.county.slice(0, 6)}, 'disability.minLevel', '2', '2019-01-01')`,
    );
    expect((await admin.get(url)).json().indicators.find((i: { metric: string }) => i.metric === 'assessment_rate_80plus').value).toBe(rate.value);
  });

  it('gives the from-scratch answer for every region and date after rounds of random writes', async () => {
    await compareAll();
    for (let round = 0; round < 8; round++) {
      for (let w = 0; w < 4; w++) await randomWrite();
      await compareAll();
      // Read twice: the second read is served from the cache and must agree too.
      await compareAll();
    }
  });

  it('caches a metric only when every table it reads is tracked', async () => {
    const calls = { tracked: 0, untracked: 0, undeclared: 0 };
    registerMetrics([
      { id: 'caregivers_total', reads: ['elders'], compute: async () => ({ value: ++calls.tracked }) },
      { id: 'caregiver_training_person_times', reads: ['elders', 'plans'], compute: async () => ({ value: ++calls.untracked }) },
      { id: 'social_workers_per_1000_elders', compute: async () => ({ value: ++calls.undeclared }) },
    ]);
    const p = (await admin.post('/api/v1/plans', { title: '测试规划', periodStart: 2021, periodEnd: 2025 })).json().id;
    for (const [i, m] of ['caregivers_total', 'caregiver_training_person_times', 'social_workers_per_1000_elders'].entries())
      await t.db.root.exec(sql`insert into plan_indicators (plan_id, county_code, region_code, sort, name, metric, comparator, target)
        values (${p}, ${c.county.slice(0, 6)}, ${c.county}, ${100 + i}, ${m}, ${m}, '>=', 1)`);
    for (let n = 0; n < 3; n++) expect((await admin.get(`/api/v1/plans/${p}?asOf=2025-06-30`)).statusCode).toBe(200);
    expect(calls).toEqual({ tracked: 1, untracked: 3, undeclared: 3 });
  });

  it('keeps cached figures to the regions a user may see', async () => {
    await admin.get(`/api/v1/plans/${planId}?regionCode=${c.county}&asOf=2025-06-30`);
    const staffB = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipB });
    const seen = await t.db.scoped(scopeOf(c.townshipB), (tx) =>
      tx.rows<{ region_code: string }>(sql`select region_code from indicator_parts union select region_code from indicator_cache`),
    );
    expect(seen.length).toBeGreaterThan(0);
    const all = await t.db.root.rows<{ region_code: string }>(
      sql`select distinct region_code from indicator_parts where county_code = ${c.county.slice(0, 6)}`,
    );
    expect(all.some((x) => x.region_code.startsWith(c.townshipA.slice(0, 9)))).toBe(true);
    expect(seen.every((x) => x.region_code.startsWith(c.townshipB.slice(0, 9)))).toBe(true);
    expect((await staffB.get(`/api/v1/plans/${planId}?regionCode=${c.county}&asOf=2025-06-30`)).statusCode).toBe(404);
    // The township user cannot plant a figure for the county either.
    await expect(
      t.db.scoped(scopeOf(c.townshipB), (tx) =>
        tx.exec(
          sql`insert into indicator_cache (county_code, region_code, metric, as_of, version, value) values (${c.county.slice(0, 6)}, ${c.county}, 'x', '2025-01-01', 1, 1)`,
        ),
      ),
    ).rejects.toThrow();
    await expect(
      t.db.scoped(scopeOf(c.townshipB), (tx) =>
        tx.exec(
          sql`insert into indicator_parts (county_code, region_code, metric, as_of, version, numerator, denominator) values (${c.county.slice(0, 6)}, ${c.townshipA}, 'x', '2025-01-01', 1, 1, 1)`,
        ),
      ),
    ).rejects.toThrow();
  });
});
