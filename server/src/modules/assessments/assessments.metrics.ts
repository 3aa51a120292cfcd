/** Metrics whose data this module owns, registered with the indicators module. */
import { sql, type Executor } from '../../kernel/db.js';
import { scopeOf } from '../../kernel/scope.js';
import type { MetricDef, MetricQuery, RecordSet } from '../indicators/metrics.js';

/** Elders 80+ alive and resident at the date, with whether a valid assessment covers it. */
function cohort80(q: MetricQuery) {
  const s = scopeOf(q.regionCode);
  return sql`select e.id, e.name, e.region_code,
      exists (select 1 from assessments a where a.elder_id = e.id and a.status = 'completed'
               and a.reference_date <= ${q.asOf}::date and (a.valid_until is null or a.valid_until >= ${q.asOf}::date)) as assessed
    from elders e
   where e.region_code between ${s.lo} and ${s.hi}
     and e.birth_date <= (${q.asOf}::date - interval '80 years')::date
     and (e.status = 'active' or (e.status = 'deceased' and e.death_date > ${q.asOf}::date) or (e.status = 'moved_out' and e.moved_out_date > ${q.asOf}::date))`;
}

const pick = (set: RecordSet) => (set === 'numerator' ? sql`where assessed` : set === 'gap' ? sql`where not assessed` : sql``);

export const assessmentMetrics: MetricDef[] = [
  {
    id: 'assessment_rate_80plus',
    async compute(tx: Executor, q: MetricQuery) {
      const r = await tx.one<{ n: number; d: number }>(sql`select count(*) filter (where assessed)::int as n, count(*)::int as d from (${cohort80(q)}) c`);
      return { value: r && r.d > 0 ? (100 * r.n) / r.d : null, numerator: r?.n ?? 0, denominator: r?.d ?? 0 };
    },
    async records(tx, q, set, limit, offset) {
      const rows = await tx.rows<{ id: string; name: string; region_name: string | null; assessed: boolean; total: number }>(sql`
        select c.id::text as id, c.name, r.name as region_name, c.assessed, count(*) over()::int as total
          from (${cohort80(q)}) c left join regions r on r.code = c.region_code ${pick(set)}
         order by c.region_code, c.name limit ${limit} offset ${offset}`);
      return {
        items: rows.map((x) => ({
          id: x.id,
          kind: 'elder' as const,
          name: x.name,
          regionName: x.region_name,
          detail: x.assessed ? '有有效评估' : '无有效评估',
        })),
        total: rows[0]?.total ?? 0,
      };
    },
  },
];
