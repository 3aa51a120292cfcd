/** Metrics whose data the registry owns (categories, ability), registered with the indicators
 * module. "Living in care" is the 特困（集中供养）category until facilities keep residents. */
import { sql, type Executor, type SQL } from '../../kernel/db.js';
import { getSetting } from '../../kernel/settings.js';
import { scopeOf } from '../../kernel/scope.js';
import { rateMetric, type MetricDef, type MetricQuery } from '../indicators/metrics.js';

/** Elders alive and resident on the date (deaths and moves out take effect on their date). */
export const residentAt = (asOf: string) =>
  sql`(e.status = 'active' or (e.status = 'deceased' and e.death_date > ${asOf}::date) or (e.status = 'moved_out' and e.moved_out_date > ${asOf}::date))`;

/** A completed assessment of elder `e` valid on the date, optionally with a further condition. */
export const validAssessmentAt = (asOf: string, extra: SQL = sql`true`) =>
  sql`exists (select 1 from assessments a where a.elder_id = e.id and a.status = 'completed'
        and a.reference_date <= ${asOf}::date and (a.valid_until is null or a.valid_until >= ${asOf}::date) and ${extra})`;

const hasCategory = (cat: SQL, asOf: string) =>
  sql`exists (select 1 from elder_categories c where c.elder_id = e.id and c.category = ${cat}
        and c.valid_from <= ${asOf}::date and (c.valid_to is null or c.valid_to >= ${asOf}::date))`;

/** 特困 elders alive and resident on the date; `hit` = living in care; `where` narrows the cohort. */
const tekun = (where: SQL) => async (tx: Executor, q: MetricQuery) => {
  const s = scopeOf(q.regionCode);
  const county = q.regionCode.slice(0, 6);
  const gb = await getSetting(tx, county, 'disability.minLevel', q.asOf);
  const mz = await getSetting(tx, county, 'disability.minLevelMzt039', q.asOf);
  return sql`select * from (select e.id, e.name, e.region_code,
      ${hasCategory(sql`'tekun_centralized'`, q.asOf)} as hit,
      ${hasCategory(sql`'willing_centralized'`, q.asOf)} as willing,
      ${validAssessmentAt(q.asOf, sql`a.final_level >= case a.standard when 'MZ/T 039-2013' then ${mz}::int else ${gb}::int end`)} as disabled
    from elders e
   where e.region_code between ${s.lo} and ${s.hi}
     and ${residentAt(q.asOf)}
     -- Driven from the categories index (an OR of two EXISTS would scan every elder).
     and e.id in (select c.elder_id from elder_categories c
                   where c.region_code between ${s.lo} and ${s.hi} and c.category in ('tekun_centralized', 'tekun_dispersed')
                     and c.valid_from <= ${q.asOf}::date and (c.valid_to is null or c.valid_to >= ${q.asOf}::date))) t where ${where}`;
};

const CARE = { hit: '集中供养', miss: '分散供养' };

export const elderMetrics: MetricDef[] = [
  // 特困 willing to live in care (or already there) who do / all who are willing.
  rateMetric('willing_tekun_centralized_rate', tekun(sql`(willing or hit)`), CARE),
  // Disabled 特困 (valid assessment at or above the county's level) living in care.
  rateMetric('disabled_tekun_centralized_rate', tekun(sql`disabled`), CARE),
];
