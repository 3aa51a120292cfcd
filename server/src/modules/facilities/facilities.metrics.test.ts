/** A small county built by hand where every facilities metric's value is known. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../kernel/db.js';
import { buildCounty, buildElder, testApp, type TestApp, type TestCounty } from '../../test/harness.js';
import { METRIC_CATALOG, metricDef, type MetricValue } from '../indicators/metrics.js';
import { facilityMetrics } from './facilities.metrics.js';

const AS_OF = '2026-06-30';

describe('facilities metrics', () => {
  let t: TestApp;
  let c: TestCounty;
  const ids: Record<string, string> = {};

  async function facility(
    key: string,
    o: { region: string; kind: string; ownership?: string; opened?: string | null; status?: string; since?: string; extra?: string },
  ) {
    const cc = c.county.slice(0, 6);
    const extra = o.extra ?? '';
    const flags = Object.fromEntries(
      extra
        .split(',')
        .filter(Boolean)
        .map((k) => [k, true]),
    );
    const r = await t.db.root.one<{ id: string }>(sql`insert into facilities (county_code, region_code, name, kind, ownership, opened_on, status, status_since,
        clinic, medical_licensed, smart_care_home, affordable)
      values (${cc}, ${o.region}, ${key}, ${o.kind}, ${o.ownership ?? 'public'}, ${o.opened === undefined ? '2020-01-01' : o.opened}, ${o.status ?? 'operating'},
              ${o.since ?? null}, ${!!flags.clinic}, ${!!flags.licensed}, ${!!flags.smart}, ${!!flags.affordable}) returning id::text as id`);
    ids[key] = r!.id;
    return r!.id;
  }
  async function beds(key: string, n: number, type: string, added = '2020-01-01', room = 'R') {
    const f = await t.db.root.one<{ region_code: string }>(sql`select region_code from facilities where id = ${ids[key]}`);
    await t.db.root.exec(sql`insert into beds (facility_id, county_code, region_code, room, label, type, added_on)
      select ${ids[key]}, ${c.county.slice(0, 6)}, ${f!.region_code}, ${room + added + type}, g::text, ${type}, ${added} from generate_series(1, ${n}) g`);
  }

  beforeAll(async () => {
    t = await testApp();
    c = await buildCounty(t.db);
    // Institutions.
    await facility('F1县中心', { region: c.county, kind: 'county_center', extra: 'clinic,licensed,smart' });
    await beds('F1县中心', 10, 'nursing');
    await beds('F1县中心', 10, 'general');
    await beds('F1县中心', 2, 'nursing', '2026-03-01');
    await beds('F1县中心', 3, 'nursing', '2026-07-10'); // after the date: not there yet
    await facility('F2民办院', { region: c.townshipA, kind: 'care_home', ownership: 'private', extra: 'affordable' });
    await t.db.root.exec(sql`update facilities set medical_partner = '县医院', medical_agreement_until = '2026-05-31' where id = ${ids['F2民办院']}`);
    await beds('F2民办院', 5, 'general');
    await beds('F2民办院', 5, 'dementia');
    await facility('F3敬老院', { region: c.townshipB, kind: 'township_home' });
    await t.db.root.exec(sql`update facilities set medical_partner = '镇卫生院', medical_agreement_until = '2027-12-31' where id = ${ids['F3敬老院']}`);
    await beds('F3敬老院', 10, 'nursing');
    await facility('F9嵌入式', { region: c.villageA, kind: 'embedded_home', ownership: 'private' });
    await beds('F9嵌入式', 4, 'general');
    // Residents of the township home: 6 on the date, one gone before it, one arriving after it.
    const bedIds = await t.db.root.rows<{ id: string }>(sql`select id::text as id from beds where facility_id = ${ids['F3敬老院']} order by label limit 8`);
    for (const [i, b] of bedIds.entries()) {
      const e = await buildElder(t.db, { regionCode: c.villageB });
      const [moveIn, moveOut] = i < 6 ? ['2025-01-01', null] : i === 6 ? ['2025-01-01', '2026-06-01'] : ['2026-07-05', null];
      await t.db.root.exec(sql`insert into facility_residents (elder_id, facility_id, bed_id, county_code, region_code, move_in, move_out)
        values (${e.id}, ${ids['F3敬老院']}, ${b.id}, ${c.county.slice(0, 6)}, ${c.townshipB}, ${moveIn}, ${moveOut})`);
    }
    // Centres and community sites.
    await facility('F4街道中心', { region: c.townshipA, kind: 'township_center' });
    await facility('F5镇中心规划', { region: c.townshipB, kind: 'township_center', opened: null, status: 'planned' });
    await facility('F12镇中心未开', { region: c.villageB, kind: 'township_center', opened: '2026-08-01' });
    await facility('F6日照', { region: c.villageA, kind: 'daycare', ownership: 'public_private' });
    await beds('F6日照', 2, 'general');
    await facility('F7幸福院', { region: c.villageB, kind: 'happiness_home' });
    await facility('F8幸福院停', { region: c.villageA2, kind: 'happiness_home', status: 'closed', since: '2026-01-01' });
    await facility('F10老年大学', { region: c.townshipA, kind: 'senior_university' });
    await facility('F11辅具停', { region: c.townshipB, kind: 'assistive_rental', status: 'suspended', since: '2026-06-01' });
    // Residential compounds.
    const cc = c.county.slice(0, 6);
    await t.db.root.exec(sql`insert into residential_compounds (county_code, region_code, name, kind, households, facility_area_m2, assessed_on) values
      (${cc}, ${c.villageA}, '新城一号', 'new', 1000, 200, '2026-01-01'),
      (${cc}, ${c.villageA}, '新城二号', 'new', 1000, 190, '2026-01-01'),
      (${cc}, ${c.villageA2}, '老街小区', 'old', 200, 30, '2026-01-01'),
      (${cc}, ${c.villageB}, '未评小区', 'new', 100, 0, '2026-08-01')`);
  });
  afterAll(() => t.close());

  const value = (id: string, regionCode = c.county): Promise<MetricValue> => t.db.system((tx) => metricDef(id)!.compute(tx, { regionCode, asOf: AS_OF }));

  it('registers every facilities metric of the catalogue', () => {
    const owned = Object.entries(METRIC_CATALOG)
      .filter(([, m]) => m.owner === 'facilities')
      .map(([id]) => id)
      .sort();
    expect(facilityMetrics.map((m) => m.id).sort()).toEqual(owned);
  });

  it('computes each metric exactly for the county on the date', async () => {
    const expected: Record<string, [number | null, number, number?]> = {
      // institutions: F1 22 beds (12 nursing), F2 10 (5 dementia), F3 10 nursing, F9 4 general
      nursing_bed_share: [(100 * 27) / 46, 27, 46],
      total_beds: [48, 48],
      new_nursing_beds: [2, 2],
      public_and_affordable_beds: [44, 44],
      affordable_beds: [10, 10],
      institution_medical_integration_rate: [50, 2, 4],
      medical_care_institutions: [1, 1],
      medical_care_institution_beds: [22, 22],
      community_embedded_homes: [1, 1],
      smart_care_homes: [1, 1],
      rural_regional_care_centers: [0, 0],
      township_public_home_occupancy: [60, 6, 10],
      township_center_coverage: [50, 1, 2],
      street_center_coverage: [100, 1, 1],
      town_center_coverage: [0, 0, 1],
      urban_community_facility_coverage: [100, 1, 1],
      urban_community_daycare_coverage: [100, 1, 1],
      community_facility_coverage: [(100 * 2) / 3, 2, 3],
      rural_happiness_home_coverage: [50, 1, 2],
      township_senior_university_coverage: [50, 1, 2],
      township_assistive_rental_coverage: [0, 0, 2],
      residential_facility_compliance_rate: [(100 * 2) / 3, 2, 3],
    };
    const got: Record<string, [number | null, number, number?]> = {};
    for (const id of Object.keys(expected)) {
      const v = await value(id);
      got[id] = expected[id].length === 3 ? [v.value, v.numerator!, v.denominator!] : [v.value, v.numerator!];
    }
    expect(got).toEqual(expected);
  });

  it('takes the date and the region into account, and drills down to the facilities', async () => {
    expect(await value('nursing_bed_share', c.townshipB)).toEqual({ value: 100, numerator: 10, denominator: 10 });
    expect((await value('total_beds', c.townshipA)).value).toBe(10 + 4 + 2);
    // After the township centre of B opens, towns are covered.
    const later = await t.db.system((tx) => metricDef('town_center_coverage')!.compute(tx, { regionCode: c.county, asOf: '2026-08-01' }));
    expect(later.value).toBe(100);
    const recs = await t.db.system((tx) =>
      metricDef('institution_medical_integration_rate')!.records!(tx, { regionCode: c.county, asOf: AS_OF }, 'gap', 10, 0),
    );
    expect(recs.items.map((r) => [r.kind, r.name]).sort()).toEqual([
      ['facility', 'F2民办院'],
      ['facility', 'F9嵌入式'],
    ]);
    const cov = await t.db.system((tx) => metricDef('rural_happiness_home_coverage')!.records!(tx, { regionCode: c.county, asOf: AS_OF }, 'numerator', 10, 0));
    expect(cov.items.map((r) => r.detail)).toEqual(['F7幸福院']);
  });
});
