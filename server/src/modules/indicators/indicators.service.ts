/** Plans from templates, and their indicators evaluated live against targets. */
import { sql, type Executor } from '../../kernel/db.js';
import { badRequest, notFound } from '../../kernel/errors.js';
import type { Principal } from '../../kernel/principal.js';
import { MODULES } from '../meta/index.js';
import { METRIC_CATALOG, metricDef, type MetricQuery } from './metrics.js';
import { metricValues, valueOf } from './rollups.js';
import { indicatorStatus } from './status.js';
import { planTemplates } from './templates.js';

interface IndicatorRow {
  id: string;
  sort: number;
  name: string;
  metric: string | null;
  comparator: '>=' | '<=' | '=' | 'grow';
  target: number | null;
  unit: string;
  binding: boolean;
  baseline: number | null;
  baseline_year: number | null;
  manual_value: number | null;
  manual_as_of: string | null;
  manual_note: string | null;
}

export async function createPlan(
  tx: Executor,
  p: Principal,
  b: { template?: string; title?: string; periodStart?: number; periodEnd?: number; targetYear?: number },
) {
  const t = b.template ? planTemplates().find((x) => x.key === b.template) : undefined;
  if (b.template && !t) throw badRequest('UNKNOWN_TEMPLATE', `没有模板 ${b.template}`, `no template ${b.template}`);
  const title = b.title ?? t?.title;
  const [ps, pe] = [b.periodStart ?? t?.period[0], b.periodEnd ?? t?.period[1]];
  if (!title || ps == null || pe == null)
    throw badRequest('PLAN_INCOMPLETE', '请填写规划名称和期限，或选择模板', 'give a title and period, or choose a template');
  const county = p.regionCode.slice(0, 6).padEnd(12, '0');
  const plan = await tx.one<{ id: string }>(sql`insert into plans (county_code, region_code, title, template, period_start, period_end, target_year, created_by)
    values (${county.slice(0, 6)}, ${county}, ${title}, ${t?.key ?? null}, ${ps}, ${pe}, ${b.targetYear ?? t?.targetYear ?? pe}, ${p.userId}) returning id::text as id`);
  for (const [i, x] of (t?.indicators ?? []).entries())
    await tx.exec(sql`insert into plan_indicators (plan_id, county_code, region_code, sort, name, metric, comparator, target, unit, binding, baseline, baseline_year)
      values (${plan!.id}, ${county.slice(0, 6)}, ${county}, ${i + 1}, ${x.name}, ${x.metric}, ${x.comparator}, ${x.target ?? null}, ${x.unit}, ${x.binding},
              ${x.baseline ?? null}, ${x.baselineYear ?? null})`);
  return plan!.id;
}

export async function loadPlan(tx: Executor, id: string) {
  const plan = await tx.one<{
    id: string;
    title: string;
    template: string | null;
    region_code: string;
    period_start: number;
    period_end: number;
    target_year: number;
  }>(sql`select id::text as id, title, template, region_code, period_start, period_end, target_year from plans where id = ${id}`);
  if (!plan) throw notFound('规划', 'plan');
  return plan;
}

/** Every indicator of a plan, binding first, with its live value for a region at a date. */
export async function evaluatePlan(tx: Executor, planId: string, q: MetricQuery, o: { cache?: boolean } = {}) {
  const plan = await loadPlan(tx, planId);
  const rows = await indicatorRows(tx, planId, q.asOf);
  const values = await metricValues(
    tx,
    rows.filter((i) => i.metric && metricDef(i.metric)).map((i) => ({ metric: i.metric!, regionCode: q.regionCode, asOf: q.asOf })),
    o,
  );
  const items = rows.map((i) => {
    const def = i.metric ? metricDef(i.metric) : undefined;
    let source: 'computed' | 'manual' | 'not_built' | 'not_computable';
    let value: number | null = null;
    let numerator: number | null = null;
    let denominator: number | null = null;
    let note: string | null = null;
    if (def) {
      const v = valueOf(values, { metric: def.id, regionCode: q.regionCode, asOf: q.asOf })!;
      source = 'computed';
      value = v.value;
      numerator = v.numerator ?? null;
      denominator = v.denominator ?? null;
    } else {
      source = i.metric ? 'not_built' : 'not_computable';
      if (i.metric) {
        const owner = MODULES.find((m) => m.key === METRIC_CATALOG[i.metric!]?.owner);
        note = `由“${owner?.zh ?? '后续模块'}”模块计算，该模块建设中`;
      }
      if (i.manual_value != null) {
        source = 'manual';
        value = i.manual_value;
        note = `${i.manual_note}（${i.manual_as_of}）`;
      }
    }
    return {
      id: i.id,
      name: i.name,
      metric: i.metric,
      comparator: i.comparator,
      target: i.target,
      unit: i.unit,
      binding: i.binding,
      baseline: i.baseline,
      baselineYear: i.baseline_year,
      source,
      value,
      numerator,
      denominator,
      note,
      drillable: !!def?.records,
      status: indicatorStatus({ ...statusBase(plan, i), value, asOf: q.asOf }),
    };
  });
  return {
    id: plan.id,
    title: plan.title,
    template: plan.template,
    periodStart: plan.period_start,
    periodEnd: plan.period_end,
    targetYear: plan.target_year,
    regionCode: q.regionCode,
    regionName: (await tx.one<{ name: string }>(sql`select name from regions where code = ${q.regionCode}`))?.name ?? q.regionCode,
    asOf: q.asOf,
    indicators: items,
  };
}

export type PlanEvaluation = Awaited<ReturnType<typeof evaluatePlan>>;
type Plan = Awaited<ReturnType<typeof loadPlan>>;

const statusBase = (plan: Plan, i: Pick<IndicatorRow, 'comparator' | 'target' | 'baseline'>) => ({
  comparator: i.comparator,
  target: i.target,
  baseline: i.baseline,
  periodStart: plan.period_start,
  targetYear: plan.target_year,
});

async function indicatorRows(tx: Executor, planId: string, asOf: string) {
  return tx.rows<IndicatorRow>(sql`select i.id::text as id, i.sort, i.name, i.metric, i.comparator, i.target, i.unit, i.binding, i.baseline, i.baseline_year,
      v.value as manual_value, v.as_of::text as manual_as_of, v.source_note as manual_note
    from plan_indicators i
    left join lateral (select value, as_of, source_note from indicator_values x where x.indicator_id = i.id and x.as_of <= ${asOf}::date
                        order by x.as_of desc, x.created_at desc limit 1) v on true
    where i.plan_id = ${planId} order by i.binding desc, i.sort`);
}

/** Last day of each month from the plan's first month up to the date (the date itself if no month has ended yet). */
export function monthEnds(periodStart: number, periodEnd: number, upTo: string): string[] {
  const out: string[] = [];
  for (let y = periodStart; y <= periodEnd; y++)
    for (let m = 1; m <= 12; m++) {
      const d = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
      if (d > upTo) return out.length ? out : [upTo];
      out.push(d);
    }
  return out.length ? out : [upTo];
}

/** Month-end values of the binding indicators the platform computes (all computed ones if none is binding), for a region. */
export async function planTrend(tx: Executor, planId: string, regionCode: string, today: string) {
  const plan = await loadPlan(tx, planId);
  const computable = (await indicatorRows(tx, planId, today)).filter((i) => i.metric && metricDef(i.metric));
  // Binding ones; when none of them is computed yet, every computed one.
  const rows = computable.some((i) => i.binding) ? computable.filter((i) => i.binding) : computable;
  const months = monthEnds(plan.period_start, plan.period_end, today);
  const values = await metricValues(
    tx,
    rows.flatMap((i) => months.map((asOf) => ({ metric: i.metric!, regionCode, asOf }))),
  );
  return {
    id: plan.id,
    title: plan.title,
    regionCode,
    months,
    indicators: rows.map((i) => ({
      id: i.id,
      name: i.name,
      metric: i.metric!,
      comparator: i.comparator,
      target: i.target,
      unit: i.unit,
      values: months.map((asOf) => valueOf(values, { metric: i.metric!, regionCode, asOf })?.value ?? null),
    })),
  };
}

export type PlanTownships = Awaited<ReturnType<typeof planTownships>>;

/** The townships (streets and towns) of the plan's county the caller may see. */
export async function townshipsOf(tx: Executor, countyCode: string) {
  return tx.rows<{ code: string; name: string }>(
    sql`select code, name from regions where parent_code = ${countyCode.slice(0, 6).padEnd(12, '0')} and level = 4 order by code`,
  );
}

/** Each township's value of every indicator the platform computes, ranked against the target. */
export async function planTownships(tx: Executor, planId: string, asOf: string) {
  const plan = await loadPlan(tx, planId);
  const rows = (await indicatorRows(tx, planId, asOf)).filter((i) => i.metric && metricDef(i.metric));
  const towns = await townshipsOf(tx, plan.region_code);
  const values = await metricValues(
    tx,
    rows.flatMap((i) => towns.map((t) => ({ metric: i.metric!, regionCode: t.code, asOf }))),
  );
  return {
    id: plan.id,
    title: plan.title,
    asOf,
    indicators: rows.map((i) => {
      const list = towns.map((t) => {
        const v = valueOf(values, { metric: i.metric!, regionCode: t.code, asOf })!;
        return {
          code: t.code,
          name: t.name,
          value: v.value,
          numerator: v.numerator ?? null,
          denominator: v.denominator ?? null,
          status: indicatorStatus({ ...statusBase(plan, i), value: v.value, asOf }),
        };
      });
      const sign = i.comparator === '<=' ? 1 : -1;
      list.sort((a, b) => (a.value == null ? 1 : b.value == null ? -1 : sign * (a.value - b.value)) || a.code.localeCompare(b.code));
      return {
        id: i.id,
        name: i.name,
        metric: i.metric!,
        binding: i.binding,
        comparator: i.comparator,
        target: i.target,
        unit: i.unit,
        townships: list.map((x, n) => ({ rank: x.value == null ? null : n + 1, ...x })),
      };
    }),
  };
}
