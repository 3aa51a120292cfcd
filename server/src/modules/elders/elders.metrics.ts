/** Metrics whose data the registry owns (categories, ability), registered with the indicators
 * module. "Living in care" is the 特困（集中供养）category until facilities keep residents. */
import { sql, type Executor, type SQL } from '../../kernel/db.js';
import { getSetting } from '../../kernel/settings.js';
import { scopeOf } from '../../kernel/scope.js';
import type { MetricDef, MetricQuery, RecordSet } from '../indicators/metrics.js';

const hasCategory = (cat: SQL, asOf: string) =>
  sql`exists (select 1 from elder_categories c where c.elder_id = e.id and c.category = ${cat}
        and c.valid_from <= ${asOf}::date and (c.valid_to is null or c.valid_to >= ${asOf}::date))`;

/** 特困 elders alive and resident at the date, with flags the two metrics need. */
async function tekun(tx: Executor, q: MetricQuery) {
  const s = scopeOf(q.regionCode);
  const county = q.regionCode.slice(0, 6);
  const gb = await getSetting(tx, county, 'disability.minLevel', q.asOf);
  const mz = await getSetting(tx, county, 'disability.minLevelMzt039', q.asOf);
  return sql`select e.id, e.name, e.region_code,
      ${hasCategory(sql`'tekun_centralized'`, q.asOf)} as centralized,
      ${hasCategory(sql`'willing_centralized'`, q.asOf)} as willing,
      exists (select 1 from assessments a where a.elder_id = e.id and a.status = 'completed'
               and a.reference_date <= ${q.asOf}::date and (a.valid_until is null or a.valid_until >= ${q.asOf}::date)
               and a.final_level >= case a.standard when 'MZ/T 039-2013' then ${mz}::int else ${gb}::int end) as disabled
    from elders e
   where e.region_code between ${s.lo} and ${s.hi}
     and (e.status = 'active' or (e.status = 'deceased' and e.death_date > ${q.asOf}::date) or (e.status = 'moved_out' and e.moved_out_date > ${q.asOf}::date))
     and (${hasCategory(sql`'tekun_centralized'`, q.asOf)} or ${hasCategory(sql`'tekun_dispersed'`, q.asOf)})`;
}

function rateMetric(id: string, denominator: SQL): MetricDef {
  const pick = (set: RecordSet) => (set === 'numerator' ? sql`and centralized` : set === 'gap' ? sql`and not centralized` : sql``);
  return {
    id,
    async compute(tx, q) {
      const r = await tx.one<{ n: number; d: number }>(
        sql`select count(*) filter (where centralized)::int as n, count(*)::int as d from (${await tekun(tx, q)}) t where ${denominator}`,
      );
      return { value: r && r.d > 0 ? (100 * r.n) / r.d : null, numerator: r?.n ?? 0, denominator: r?.d ?? 0 };
    },
    async records(tx, q, set, limit, offset) {
      const rows = await tx.rows<{ id: string; name: string; region_name: string | null; centralized: boolean; total: number }>(sql`
        select t.id::text as id, t.name, r.name as region_name, t.centralized, count(*) over()::int as total
          from (${await tekun(tx, q)}) t left join regions r on r.code = t.region_code
         where ${denominator} ${pick(set)} order by t.region_code, t.name limit ${limit} offset ${offset}`);
      return {
        items: rows.map((x) => ({
          id: x.id,
          kind: 'elder' as const,
          name: x.name,
          regionName: x.region_name,
          detail: x.centralized ? '集中供养' : '分散供养',
        })),
        total: rows[0]?.total ?? 0,
      };
    },
  };
}

export const elderMetrics: MetricDef[] = [
  // 特困 willing to live in care (or already there) who do / all who are willing.
  rateMetric('willing_tekun_centralized_rate', sql`(willing or centralized)`),
  // Disabled 特困 (current valid assessment at or above the county's level) living in care.
  rateMetric('disabled_tekun_centralized_rate', sql`disabled`),
];
