/** Metrics whose data this module owns, registered with the indicators module. */
import { sql } from '../../kernel/db.js';
import { scopeOf } from '../../kernel/scope.js';
import { rateMetric, type MetricDef } from '../indicators/metrics.js';
import { residentAt, validAssessmentAt } from '../elders/elders.metrics.js';

export const assessmentMetrics: MetricDef[] = [
  // Elders 80+ alive and resident on the date / those with an assessment valid on it.
  rateMetric(
    'assessment_rate_80plus',
    async (_tx, q) => {
      const s = scopeOf(q.regionCode);
      return sql`select e.id, e.name, e.region_code, ${validAssessmentAt(q.asOf)} as hit
        from elders e
       where e.region_code between ${s.lo} and ${s.hi}
         and e.birth_date <= (${q.asOf}::date - interval '80 years')::date
         and ${residentAt(q.asOf)}`;
    },
    { hit: '有有效评估', miss: '无有效评估' },
  ),
];
