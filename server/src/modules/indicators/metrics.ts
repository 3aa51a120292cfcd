/**
 * The metric registry. Every metric id of DOMAIN.md is listed with the module that owns its
 * data; a module that has landed registers a `compute` (and the records behind it) next to its
 * own code, and the indicators module only asks. Metrics of modules not built yet answer
 * `not_built` and name the module, and start working the day it registers them.
 */
import { sql, type Executor, type SQL } from '../../kernel/db.js';

export interface MetricQuery {
  /** 12-digit region: the county or any region below it. */
  regionCode: string;
  /** YYYY-MM-DD: the date the metric is taken at. */
  asOf: string;
}

export interface MetricValue {
  value: number | null;
  numerator?: number;
  denominator?: number;
}

export interface MetricRecord {
  id: string;
  kind: 'elder' | 'facility' | 'provider' | 'other';
  name: string;
  regionName: string | null;
  detail: string;
}

export type RecordSet = 'numerator' | 'denominator' | 'gap';

export interface MetricDef {
  id: string;
  compute(tx: Executor, q: MetricQuery): Promise<MetricValue>;
  /** The records behind the figure: the numerator, the denominator, or the gap between them. */
  records?(tx: Executor, q: MetricQuery, set: RecordSet, limit: number, offset: number): Promise<{ items: MetricRecord[]; total: number }>;
  /**
   * The tables `compute` reads. When every one of them is tracked (migration 0011:
   * `select yl_track_indicator_data('<table>')` in the owning module's migration), values are
   * cached until one of those tables changes in the county; otherwise they are computed on every
   * request. Optional: a metric without it is always computed from scratch.
   */
  reads?: string[];
  /**
   * Optional: the figure as additive parts by township — numerator and denominator summed over
   * the rows of each 9-digit region prefix (`units`: only those prefixes; omitted: all of the
   * region). The value of a county or township is then `combine(Σ numerator, Σ denominator)`, and
   * rollups recompute only the parts of the townships a write touched. Must agree exactly with
   * `compute`.
   */
  byTownship?(tx: Executor, q: MetricQuery, units?: string[]): Promise<{ unit: string; numerator: number; denominator: number }[]>;
  combine?(numerator: number, denominator: number): number | null;
}

/** Owner module (navigation key) of every metric in DOMAIN.md, with its name. */
export const METRIC_CATALOG: Record<string, { zh: string; owner: string }> = {
  nursing_bed_share: { zh: '养老机构护理型床位占比', owner: 'facilities' },
  total_beds: { zh: '养老床位总数', owner: 'facilities' },
  new_nursing_beds: { zh: '新增护理型床位', owner: 'facilities' },
  public_and_affordable_beds: { zh: '公办及普惠型床位', owner: 'facilities' },
  affordable_beds: { zh: '普惠型床位', owner: 'facilities' },
  institution_medical_integration_rate: { zh: '养老机构医养结合覆盖率', owner: 'facilities' },
  medical_care_institutions: { zh: '医养结合机构数', owner: 'facilities' },
  medical_care_institution_beds: { zh: '医养结合机构床位', owner: 'facilities' },
  township_center_coverage: { zh: '乡镇（街道）综合养老服务中心覆盖率', owner: 'facilities' },
  street_center_coverage: { zh: '街道综合养老服务中心覆盖率', owner: 'facilities' },
  town_center_coverage: { zh: '镇综合养老服务中心覆盖率', owner: 'facilities' },
  urban_community_facility_coverage: { zh: '城市社区养老服务设施覆盖率', owner: 'facilities' },
  urban_community_daycare_coverage: { zh: '城市社区日间照料中心覆盖率', owner: 'facilities' },
  community_facility_coverage: { zh: '村（社区）养老服务设施覆盖率', owner: 'facilities' },
  rural_happiness_home_coverage: { zh: '农村幸福院覆盖率', owner: 'facilities' },
  residential_facility_compliance_rate: { zh: '新建住宅小区配建养老设施达标率', owner: 'facilities' },
  community_embedded_homes: { zh: '社区嵌入式养老院', owner: 'facilities' },
  smart_care_homes: { zh: '智慧养老院', owner: 'facilities' },
  rural_regional_care_centers: { zh: '农村区域性养老服务中心', owner: 'facilities' },
  township_public_home_occupancy: { zh: '乡镇敬老院入住率', owner: 'facilities' },
  willing_tekun_centralized_rate: { zh: '有集中供养意愿的特困人员集中供养率', owner: 'elders' },
  disabled_tekun_centralized_rate: { zh: '失能特困人员集中供养率', owner: 'elders' },
  vulnerable_monthly_visit_rate: { zh: '特殊困难老年人月探访率', owner: 'visits' },
  vulnerable_home_adaptation_rate: { zh: '困难老年人家庭适老化改造率', owner: 'more' },
  home_adaptations_completed: { zh: '完成适老化改造户数', owner: 'more' },
  assessment_rate_80plus: { zh: '80周岁以上老年人能力评估率', owner: 'elders' },
  health_management_rate_65: { zh: '65岁以上老年人健康管理率', owner: 'more' },
  social_workers_per_1000_elders: { zh: '每千名老年人社会工作者数', owner: 'workforce' },
  certified_caregivers_per_10000_elders: { zh: '每万名老年人持证护理员数', owner: 'workforce' },
  caregiver_certified_rate: { zh: '护理员持证上岗率', owner: 'workforce' },
  caregivers_total: { zh: '护理员总数', owner: 'workforce' },
  caregiver_training_person_times: { zh: '护理员培训人次', owner: 'workforce' },
  institution_star_rated_rate: { zh: '养老机构星级评定率', owner: 'supervision' },
  institution_standard_compliance_rate: { zh: '养老机构服务质量达标率', owner: 'supervision' },
  institution_iot_coverage: { zh: '养老机构物联网监管覆盖率', owner: 'supervision' },
  institutions_with_home_services_rate: { zh: '开展居家上门服务的养老机构占比', owner: 'services' },
  family_care_beds: { zh: '家庭养老床位', owner: 'services' },
  elder_volunteer_share: { zh: '老年志愿者占比', owner: 'timebank' },
  township_senior_university_coverage: { zh: '乡镇老年大学覆盖率', owner: 'facilities' },
  township_assistive_rental_coverage: { zh: '乡镇康复辅助器具租赁点覆盖率', owner: 'facilities' },
  new_registered_providers: { zh: '新增注册养老服务机构', owner: 'services' },
  chain_providers: { zh: '连锁化运营养老服务机构', owner: 'services' },
};

const registry = new Map<string, MetricDef>();

export function registerMetrics(defs: MetricDef[]): void {
  for (const d of defs) {
    if (!METRIC_CATALOG[d.id]) throw new Error(`metric ${d.id} is not in the catalogue (DOMAIN.md)`);
    registry.set(d.id, d);
  }
}

export const metricDef = (id: string) => registry.get(id);

/**
 * A percentage metric over a cohort: `cohort` selects (id, name, region_code, hit) — one row per
 * record of the denominator, `hit` true for the numerator. Value, numerator, denominator and
 * the drill-down records all come from that one query.
 */
export function rateMetric(id: string, cohort: (tx: Executor, q: MetricQuery) => Promise<SQL>, labels: { hit: string; miss: string }): MetricDef {
  const combine = (n: number, d: number) => (d > 0 ? (100 * n) / d : null);
  return {
    id,
    async compute(tx, q) {
      const r = await tx.one<{ n: number; d: number }>(sql`select count(*) filter (where hit)::int as n, count(*)::int as d from (${await cohort(tx, q)}) c`);
      return { value: combine(r?.n ?? 0, r?.d ?? 0), numerator: r?.n ?? 0, denominator: r?.d ?? 0 };
    },
    combine,
    async byTownship(tx, q, units) {
      // Ranges, not left(): the condition is pushed into the cohort and answered by region indexes.
      if (units && units.length === 0) return [];
      const only = units
        ? sql`(${sql.join(
            units.map((u) => sql`c.region_code between ${u.padEnd(12, '0')} and ${u.padEnd(12, '9')}`),
            sql` or `,
          )})`
        : sql`true`;
      return tx.rows<{ unit: string; numerator: number; denominator: number }>(sql`
        select left(c.region_code, 9) as unit, count(*) filter (where hit)::int as numerator, count(*)::int as denominator
          from (${await cohort(tx, q)}) c where ${only} group by 1`);
    },
    async records(tx, q, set, limit, offset) {
      const which = set === 'numerator' ? sql`where c.hit` : set === 'gap' ? sql`where not c.hit` : sql``;
      const rows = await tx.rows<{ id: string; name: string; region_name: string | null; hit: boolean; total: number }>(sql`
        select c.id::text as id, c.name, r.name as region_name, c.hit, count(*) over()::int as total
          from (${await cohort(tx, q)}) c left join regions r on r.code = c.region_code ${which}
         order by c.region_code, c.name limit ${limit} offset ${offset}`);
      return {
        items: rows.map((x) => ({ id: x.id, kind: 'elder' as const, name: x.name, regionName: x.region_name, detail: x.hit ? labels.hit : labels.miss })),
        total: rows[0]?.total ?? 0,
      };
    },
  };
}
