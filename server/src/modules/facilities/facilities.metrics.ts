/**
 * Indicator metrics whose data the facilities module owns (DOMAIN.md "Indicators"). Each takes a
 * region and a date: a facility counts only while operating on that date, beds while in place,
 * residents between move-in and move-out. Every value drills down to the facilities behind it
 * (or, for coverage, to the townships/villages with the facilities found there).
 */
import { sql, type Executor, type SQL } from '../../kernel/db.js';
import { scopeOf } from '../../kernel/scope.js';
import type { MetricDef, MetricQuery, MetricRecord, RecordSet } from '../indicators/metrics.js';
import { COMMUNITY_KINDS, FACILITY_KINDS, INSTITUTION_KINDS, NURSING_TYPES } from './facilities.schema.js';
import { bedAt, operatingAt, residentAt } from './facilities.service.js';

const kinds = (ks: readonly string[]) => sql`${sql.param([...ks])}::text[]`;
const INST = kinds(INSTITUTION_KINDS);
const NURSING = kinds(NURSING_TYPES);

/** Operating facilities in the region (alias f) with bed counts on the date. */
function facilityRows(q: MetricQuery, where: SQL) {
  const s = scopeOf(q.regionCode);
  return sql`select f.id, f.name, f.kind, f.region_code,
      (select count(*) from beds b where b.facility_id = f.id and ${bedAt(q.asOf)})::int as beds,
      (select count(*) from beds b where b.facility_id = f.id and ${bedAt(q.asOf)} and b.type = any(${NURSING}))::int as nursing,
      (select count(*) from beds b where b.facility_id = f.id and ${bedAt(q.asOf)} and b.type = any(${NURSING})
          and b.added_on >= date_trunc('year', ${q.asOf}::date))::int as new_nursing,
      (select count(*) from facility_residents r where r.facility_id = f.id and ${residentAt(q.asOf)})::int as occupied,
      (f.clinic or (f.medical_partner is not null and (f.medical_agreement_until is null or f.medical_agreement_until >= ${q.asOf}::date))) as medical,
      f.ownership, f.affordable, f.medical_licensed, f.smart_care_home
    from facilities f where f.region_code between ${s.lo} and ${s.hi} and ${operatingAt(q.asOf)} and ${where}`;
}

interface Row {
  id: string;
  name: string;
  region_name: string | null;
  n: number;
  d: number;
  hit: boolean;
  total: number;
}

/**
 * A metric over facilities: `n` and `d` per facility (SQL over the columns of facilityRows,
 * alias x). kind 'count' reports the sum of n; 'rate' 100 × Σn / Σd. Records: the facilities with
 * n > 0 (numerator), all (denominator), or d > n (gap).
 */
function facilityMetric(id: string, type: 'count' | 'rate', where: SQL, n: SQL, d: SQL, detail: (r: Row) => string): MetricDef {
  const base = (q: MetricQuery) => sql`select x.id, x.name, x.region_code, (${n})::int as n, (${d})::int as d from (${facilityRows(q, where)}) x`;
  return {
    id,
    async compute(tx, q) {
      const r = await tx.one<{ n: number; d: number }>(sql`select coalesce(sum(n), 0)::int as n, coalesce(sum(d), 0)::int as d from (${base(q)}) c`);
      const N = r?.n ?? 0;
      const D = r?.d ?? 0;
      return type === 'count' ? { value: N, numerator: N } : { value: D > 0 ? (100 * N) / D : null, numerator: N, denominator: D };
    },
    records: (tx, q, set, limit, offset) => facilityRecords(tx, base(q), set, limit, offset, detail),
  };
}

async function facilityRecords(tx: Executor, base: SQL, set: RecordSet, limit: number, offset: number, detail: (r: Row) => string) {
  const which = set === 'numerator' ? sql`where c.n > 0` : set === 'gap' ? sql`where c.d > c.n` : sql``;
  const rows = await tx.rows<Row>(sql`select c.id::text as id, c.name, r.name as region_name, c.n, c.d, c.n > 0 as hit, count(*) over()::int as total
    from (${base}) c left join regions r on r.code = c.region_code ${which} order by c.region_code, c.name limit ${limit} offset ${offset}`);
  return {
    items: rows.map((x): MetricRecord => ({ id: x.id, kind: 'facility', name: x.name, regionName: x.region_name, detail: detail(x) })),
    total: rows[0]?.total ?? 0,
  };
}

/**
 * Coverage: areas (townships or villages in the region) with at least one operating facility
 * matching `match` (alias f) in them. Records are the areas, named with the facilities found.
 */
function coverageMetric(id: string, areas: (q: MetricQuery) => SQL, match: SQL): MetricDef {
  const cohort = (q: MetricQuery) => sql`select a.code as id, a.name, a.code as region_code,
      (select string_agg(f.name, '、' order by f.name) from facilities f
        where f.region_code between a.lo and a.hi and ${operatingAt(q.asOf)} and ${match}) as found
    from (${areas(q)}) a`;
  return {
    id,
    async compute(tx, q) {
      const r = await tx.one<{ n: number; d: number }>(
        sql`select count(*) filter (where found is not null)::int as n, count(*)::int as d from (${cohort(q)}) c`,
      );
      return { value: r && r.d > 0 ? (100 * r.n) / r.d : null, numerator: r?.n ?? 0, denominator: r?.d ?? 0 };
    },
    async records(tx, q, set, limit, offset) {
      const which = set === 'numerator' ? sql`where c.found is not null` : set === 'gap' ? sql`where c.found is null` : sql``;
      const rows = await tx.rows<{
        id: string;
        name: string;
        found: string | null;
        total: number;
      }>(sql`select c.id, c.name, c.found, count(*) over()::int as total
        from (${cohort(q)}) c ${which} order by c.id limit ${limit} offset ${offset}`);
      return {
        items: rows.map((x): MetricRecord => ({ id: x.id, kind: 'other', name: x.name, regionName: x.name, detail: x.found ?? '无' })),
        total: rows[0]?.total ?? 0,
      };
    },
  };
}

/** Townships (level 4) in the region; `which` narrows to streets (001-099) or towns (100-199). */
const townships =
  (which: 'all' | 'street' | 'town' = 'all') =>
  (q: MetricQuery) => {
    const s = scopeOf(q.regionCode);
    const t =
      which === 'street'
        ? sql`and substr(t.code, 7, 3) between '001' and '099'`
        : which === 'town'
          ? sql`and substr(t.code, 7, 3) between '100' and '199'`
          : sql``;
    return sql`select t.code, t.name, t.code as lo, left(t.code, 9) || '999' as hi from regions t
      where t.level = 4 and t.code between ${s.lo} and ${s.hi} ${t}`;
  };

/** Villages (level 5) in the region: communities (居委会, 001-199), administrative villages (200-399) or both. */
const villages = (which: 'all' | 'community' | 'village') => (q: MetricQuery) => {
  const s = scopeOf(q.regionCode);
  const v =
    which === 'community' ? sql`and right(v.code, 3) between '001' and '199'` : which === 'village' ? sql`and right(v.code, 3) between '200' and '399'` : sql``;
  return sql`select v.code, v.name, v.code as lo, v.code as hi from regions v where v.level = 5 and v.code between ${s.lo} and ${s.hi} ${v}`;
};

const isKind = (...ks: string[]) => sql`f.kind = any(${kinds(ks)})`;
const beds = (r: Row) => `床位 ${r.d}，计入 ${r.n}`;
const count = (label: string) => (r: Row) => (r.n > 0 ? label : '');

/** Residential compounds meeting the area standard (新建 ≥ 20 m², 老旧 ≥ 15 m² per 100 households). */
const compoundMetric: MetricDef = {
  id: 'residential_facility_compliance_rate',
  async compute(tx, q) {
    const r = await tx.one<{ n: number; d: number }>(sql`select count(*) filter (where hit)::int as n, count(*)::int as d from (${compounds(q)}) c`);
    return { value: r && r.d > 0 ? (100 * r.n) / r.d : null, numerator: r?.n ?? 0, denominator: r?.d ?? 0 };
  },
  async records(tx, q, set, limit, offset) {
    const which = set === 'numerator' ? sql`where c.hit` : set === 'gap' ? sql`where not c.hit` : sql``;
    const rows = await tx.rows<{ id: string; name: string; region_name: string | null; per100: number; need: number; total: number }>(sql`
      select c.id::text as id, c.name, r.name as region_name, c.per100::float8 as per100, c.need, count(*) over()::int as total
        from (${compounds(q)}) c left join regions r on r.code = c.region_code ${which} order by c.region_code, c.name limit ${limit} offset ${offset}`);
    return {
      items: rows.map((x): MetricRecord => ({
        id: x.id,
        kind: 'other',
        name: x.name,
        regionName: x.region_name,
        detail: `每百户 ${x.per100.toFixed(1)} ㎡（标准 ${x.need} ㎡）`,
      })),
      total: rows[0]?.total ?? 0,
    };
  },
};
function compounds(q: MetricQuery) {
  const s = scopeOf(q.regionCode);
  return sql`select c.id, c.name, c.region_code, round(c.facility_area_m2 * 100 / c.households, 2) as per100,
      case c.kind when 'new' then 20 else 15 end as need,
      c.facility_area_m2 * 100 / c.households >= case c.kind when 'new' then 20 else 15 end as hit
    from residential_compounds c where c.region_code between ${s.lo} and ${s.hi} and c.assessed_on <= ${q.asOf}::date`;
}

const inInstitutions = sql`f.kind = any(${INST})`;
const publicOrAffordable = sql`(x.ownership in ('public','public_private') or x.affordable)`;

/** Every facilities metric reads at most these tables (tracked for the indicator rollups by migration 0012). */
const FACILITY_READS = ['facilities', 'beds', 'facility_residents', 'residential_compounds', 'regions'];

export const facilityMetrics: MetricDef[] = (<MetricDef[]>[
  facilityMetric('nursing_bed_share', 'rate', inInstitutions, sql`x.nursing`, sql`x.beds`, (r) => `护理型 ${r.n} / 床位 ${r.d}`),
  facilityMetric('total_beds', 'count', sql`true`, sql`x.beds`, sql`x.beds`, (r) => `床位 ${r.n}`),
  facilityMetric('new_nursing_beds', 'count', sql`true`, sql`x.new_nursing`, sql`x.new_nursing`, (r) => `本年新增护理型床位 ${r.n}`),
  facilityMetric('public_and_affordable_beds', 'count', sql`true`, sql`case when ${publicOrAffordable} then x.beds else 0 end`, sql`x.beds`, beds),
  facilityMetric('affordable_beds', 'count', sql`true`, sql`case when x.affordable then x.beds else 0 end`, sql`x.beds`, beds),
  facilityMetric('institution_medical_integration_rate', 'rate', inInstitutions, sql`case when x.medical then 1 else 0 end`, sql`1`, (r) =>
    r.n > 0 ? '内设医疗机构或签约医疗机构' : '未开展医养结合',
  ),
  facilityMetric('medical_care_institutions', 'count', sql`${inInstitutions} and f.medical_licensed`, sql`1`, sql`1`, count('医养结合机构')),
  facilityMetric('medical_care_institution_beds', 'count', sql`${inInstitutions} and f.medical_licensed`, sql`x.beds`, sql`x.beds`, (r) => `床位 ${r.n}`),
  facilityMetric('community_embedded_homes', 'count', isKind('embedded_home'), sql`1`, sql`1`, count(FACILITY_KINDS.embedded_home.zh)),
  facilityMetric('smart_care_homes', 'count', sql`${inInstitutions} and f.smart_care_home`, sql`1`, sql`1`, count('智慧养老院')),
  // 农村区域性养老服务中心: comprehensive centres of towns and townships (not streets).
  facilityMetric(
    'rural_regional_care_centers',
    'count',
    sql`f.kind = 'township_center' and substr(f.region_code, 7, 3) >= '100'`,
    sql`1`,
    sql`1`,
    count('区域性养老服务中心'),
  ),
  facilityMetric(
    'township_public_home_occupancy',
    'rate',
    sql`f.kind = 'township_home' and f.ownership in ('public','public_private')`,
    sql`x.occupied`,
    sql`x.beds`,
    (r) => `入住 ${r.n} / 床位 ${r.d}`,
  ),
  coverageMetric('township_center_coverage', townships(), isKind('township_center')),
  coverageMetric('street_center_coverage', townships('street'), isKind('township_center')),
  coverageMetric('town_center_coverage', townships('town'), isKind('township_center')),
  coverageMetric('urban_community_facility_coverage', villages('community'), sql`f.kind = any(${kinds(COMMUNITY_KINDS)})`),
  coverageMetric('urban_community_daycare_coverage', villages('community'), isKind('daycare')),
  coverageMetric('community_facility_coverage', villages('all'), sql`true`),
  coverageMetric('rural_happiness_home_coverage', villages('village'), isKind('happiness_home')),
  coverageMetric('township_senior_university_coverage', townships(), isKind('senior_university')),
  coverageMetric('township_assistive_rental_coverage', townships(), isKind('assistive_rental')),
  compoundMetric,
]).map((m) => ({ ...m, reads: FACILITY_READS }));
