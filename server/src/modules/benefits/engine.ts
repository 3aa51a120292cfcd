/**
 * The benefits engine: compiles a policy set (rules.ts) into one set-based SQL query that
 * yields, for every elder of a region, the benefit lines of a month — amount, tier and the facts
 * that produced them. Preview aggregates it; a run inserts it township by township, each
 * township in its own transaction, `ON CONFLICT DO NOTHING` on (elder, benefit, month): a run
 * killed midway and run again ends with exactly the lines of an uninterrupted run.
 *
 * Month semantics: facts are read at the month's first day (S) and last day (E).
 *   startsFrom same_month → a fact that holds on E counts for the month (turning 80 on the last
 *   day pays that month); next_month → it must already hold on S.
 *   stopsFrom next_month → a fact that held on S still pays the month (a death on the 15th pays
 *   that month and stops the next); same_month → it must still hold on E.
 */
import { arr, sql, type Executor, type SQL } from '../../kernel/db.js';
import { scopeOf } from '../../kernel/scope.js';
import type { BenefitRule, Condition, PolicyRules } from './rules.js';

export const monthStart = (m: string) => `${m.slice(0, 7)}-01`;
export function monthEnd(m: string): string {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, mo, 0));
  return d.toISOString().slice(0, 10);
}
export function addMonths(m: string, n: number): string {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, mo - 1 + n, 1));
  return d.toISOString().slice(0, 10);
}

/** Which elders: a region range, optionally narrowed (one elder, the elders changed since …). */
export interface Cohort {
  lo: string;
  hi: string;
  /** Extra condition on `e` (the elders row). */
  where?: SQL;
}

type Side = 'e' | 's';

function cond(c: Condition, side: Side): SQL {
  const parts: SQL[] = [];
  const age = side === 'e' ? sql`f.age_e` : sql`f.age_s`;
  const cats = side === 'e' ? sql`f.cats_e` : sql`f.cats_s`;
  if (c.minAge != null) parts.push(sql`${age} >= ${c.minAge}`);
  if (c.maxAge != null) parts.push(sql`${age} <= ${c.maxAge}`);
  if (c.categoriesAny?.length) parts.push(sql`${cats} && ${arr(c.categoriesAny)}::text[]`);
  if (c.categoriesNone?.length) parts.push(sql`not (${cats} && ${arr(c.categoriesNone)}::text[])`);
  if (c.ability?.length) {
    const std = side === 'e' ? sql`f.std_e` : sql`f.std_s`;
    const lvl = side === 'e' ? sql`f.lvl_e` : sql`f.lvl_s`;
    parts.push(
      sql`(${sql.join(
        c.ability.map((b) => sql`(${std} = ${b.standard} and ${lvl} between ${b.minLevel} and ${b.maxLevel})`),
        sql` or `,
      )})`,
    );
  }
  if (c.residence) parts.push(c.residence === 'urban' ? sql`f.urban` : sql`not f.urban`);
  if (c.inInstitution != null)
    parts.push(c.inInstitution ? (side === 'e' ? sql`f.inst_e` : sql`f.inst_s`) : sql`not ${side === 'e' ? sql`f.inst_e` : sql`f.inst_s`}`);
  if (c.localHukou) parts.push(sql`f.local_hukou`);
  return parts.length ? sql.join(parts, sql` and `) : sql`true`;
}

/** Tier index (0-based) of the benefit at one side of the month, or null when not eligible. */
function tierAt(b: BenefitRule, side: Side): SQL {
  const alive = side === 'e' ? sql`f.alive_e` : sql`f.alive_s`;
  const applied = b.needsApplication ? sql` and ${b.code}::text = any(f.apps)` : sql``;
  const whens = b.tiers.map((t, i) => sql`when ${cond(t.when, side)} then ${i}::int`);
  return sql`case when ${alive} and ${cond(b.eligibility, side)}${applied} then case ${sql.join(whens, sql` `)} end end`;
}

/** Start/stop rule combination → how the two sides of the month decide (see the header). */
function mode(b: BenefitRule): number {
  if (b.startsFrom === 'same_month') return b.stopsFrom === 'next_month' ? 0 : 1;
  return b.stopsFrom === 'next_month' ? 2 : 3;
}

/** A necessary condition for the benefit at either side of the month: a cheap pre-filter. */
function necessary(c: Condition): SQL[] {
  const parts: SQL[] = [];
  if (c.minAge != null) parts.push(sql`f.age_e >= ${c.minAge}`);
  if (c.maxAge != null) parts.push(sql`f.age_s <= ${c.maxAge}`);
  if (c.categoriesAny?.length) parts.push(sql`(f.cats_e && ${arr(c.categoriesAny)}::text[] or f.cats_s && ${arr(c.categoriesAny)}::text[])`);
  if (c.ability?.length) parts.push(sql`(f.std_e is not null or f.std_s is not null)`);
  return parts;
}
function couldQualify(rules: PolicyRules): SQL {
  const perBenefit = rules.benefits.map((b) => {
    const tiers = b.tiers.map((t) => necessary(t.when));
    const tierPart = tiers.some((t) => !t.length)
      ? []
      : [
          sql`(${sql.join(
            tiers.map((t) => sql`(${sql.join(t, sql` and `)})`),
            sql` or `,
          )})`,
        ];
    const all = [...necessary(b.eligibility), ...tierPart];
    return all.length ? sql`(${sql.join(all, sql` and `)})` : sql`true`;
  });
  return sql`(${sql.join(perBenefit, sql` or `)})`;
}

/**
 * The benefit lines of `month` under `rules` for the cohort: one row per elder and benefit,
 * exclusions applied. Columns: elder_id, county_code, region_code, benefit_code, payment,
 * amount_cents, tier, facts.
 */
export function linesQuery(rules: PolicyRules, month: string, cohort: Cohort): SQL {
  const S = monthStart(month);
  const E = monthEnd(month);
  const { lo, hi } = cohort;
  const extra = cohort.where ?? sql`true`;
  // A narrowed cohort (one elder, the elders changed since a run) reads only those elders' facts.
  const narrowed = (col: SQL) => (cohort.where ? sql` and ${col} in (select id from el)` : sql``);
  const group = new Map<string, { g: number; keep: string }>();
  rules.exclusions.forEach((x, i) => x.benefits.forEach((c) => group.set(c, { g: i, keep: x.keep })));
  const rows = rules.benefits.map((b, ord) => {
    const g = group.get(b.code);
    const m = mode(b);
    // Each side's tier is computed once per elder and benefit, and only where the rule needs it.
    const te = m === 2 ? sql`null::int` : tierAt(b, 'e');
    const ts = m === 1 ? sql`null::int` : tierAt(b, 's');
    return sql`(${b.code}::text, ${b.payment}::text, ${ord}::int, ${g ? g.g : null}::int, ${g ? g.keep : null}::text,
      ${arr(b.tiers.map((t) => t.amountCents))}::int[], ${arr(b.tiers.map((t) => t.label))}::text[], ${te}, ${ts}, ${m}::int)`;
  });
  const resident = (d: string) =>
    sql`(e.status = 'active' or (e.status = 'deceased' and e.death_date > ${d}::date) or (e.status = 'moved_out' and e.moved_out_date > ${d}::date))`;
  const age = (d: string) => sql`((${d.replaceAll('-', '')}::int - to_char(e.birth_date, 'YYYYMMDD')::int) / 10000)`;
  const ability = (d: string) => sql`select distinct on (a.elder_id) a.elder_id, a.standard, a.final_level, a.reference_date
      from assessments a
     where a.region_code between ${lo} and ${hi} and a.status = 'completed'${narrowed(sql`a.elder_id`)}
       and a.reference_date <= ${d}::date and (a.valid_until is null or a.valid_until >= ${d}::date)
     order by a.elder_id, a.reference_date desc, a.created_at desc`;
  const validOn = (d: string) => sql`c.valid_from <= ${d}::date and (c.valid_to is null or c.valid_to >= ${d}::date)`;
  return sql`with el as (
      select e.id, e.county_code, e.region_code, e.living_arrangement,
             ${age(E)} as age_e, ${age(S)} as age_s, ${resident(E)} as alive_e, ${resident(S)} as alive_s,
             coalesce(r.urban_rural_code < '2', false) as urban,
             (e.hukou_region_code is null or left(e.hukou_region_code, 6) = e.county_code) as local_hukou
        from elders e left join regions r on r.code = e.region_code
       where e.region_code between ${lo} and ${hi} and e.birth_date <= ${E}::date and ${resident(S)} and ${extra}
    ), cat as (
      select c.elder_id,
             coalesce(array_agg(c.category) filter (where ${validOn(E)}), '{}') as cats_e,
             coalesce(array_agg(c.category) filter (where ${validOn(S)}), '{}') as cats_s,
             jsonb_object_agg(c.category, c.valid_from) as since
        from elder_categories c
       where c.region_code between ${lo} and ${hi}${narrowed(sql`c.elder_id`)} and c.valid_from <= ${E}::date and (c.valid_to is null or c.valid_to >= ${S}::date)
       group by c.elder_id
    ), ab_e as (${ability(E)}), ab_s as (${ability(S)}),
    app as (
      select p.elder_id, array_agg(p.benefit_code) as apps, jsonb_object_agg(p.benefit_code, p.applied_on) as applied
        from benefit_applications p
       where p.region_code between ${lo} and ${hi}${narrowed(sql`p.elder_id`)} and p.status = 'approved' and p.applied_on <= ${E}::date
       group by p.elder_id
    ), res as (
      select r.elder_id,
             bool_or(r.move_in <= ${E}::date and (r.move_out is null or r.move_out > ${E}::date)) as in_e,
             bool_or(r.move_in <= ${S}::date and (r.move_out is null or r.move_out > ${S}::date)) as in_s
        from facility_residents r
       where r.county_code = ${lo.slice(0, 6)}${narrowed(sql`r.elder_id`)} and r.move_in <= ${E}::date and (r.move_out is null or r.move_out >= ${S}::date)
       group by r.elder_id
    ), f as materialized (
      select el.*, coalesce(cat.cats_e, '{}') as cats_e, coalesce(cat.cats_s, '{}') as cats_s, cat.since,
             ab_e.standard as std_e, ab_e.final_level as lvl_e, ab_e.reference_date as adate_e,
             ab_s.standard as std_s, ab_s.final_level as lvl_s, ab_s.reference_date as adate_s,
             (coalesce(res.in_e, false) or coalesce(cat.cats_e, '{}') && '{tekun_centralized}' or coalesce(el.living_arrangement = 'institution', false)) as inst_e,
             (coalesce(res.in_s, false) or coalesce(cat.cats_s, '{}') && '{tekun_centralized}' or coalesce(el.living_arrangement = 'institution', false)) as inst_s,
             coalesce(app.apps, '{}') as apps, app.applied
        from el left join cat on cat.elder_id = el.id
        left join ab_e on ab_e.elder_id = el.id left join ab_s on ab_s.elder_id = el.id
        left join app on app.elder_id = el.id
        left join res on res.elder_id = el.id
    ), cand as (
      select f.id as elder_id, f.county_code, f.region_code, b.code as benefit_code, b.payment, b.ord, b.grp, b.keep,
             b.amounts[b.tier + 1] as amount_cents, b.labels[b.tier + 1] as tier,
             jsonb_strip_nulls(jsonb_build_object(
               'refDate', case b.side when 'e' then ${E} else ${S} end,
               'age', case b.side when 'e' then f.age_e else f.age_s end,
               'categories', case b.side when 'e' then to_jsonb(f.cats_e) else to_jsonb(f.cats_s) end,
               'since', f.since,
               'ability', case when (case b.side when 'e' then f.std_e else f.std_s end) is not null then jsonb_build_object(
                  'standard', case b.side when 'e' then f.std_e else f.std_s end,
                  'level', case b.side when 'e' then f.lvl_e else f.lvl_s end,
                  'date', case b.side when 'e' then f.adate_e else f.adate_s end) end,
               'residence', case when f.urban then 'urban' else 'rural' end,
               'institution', case b.side when 'e' then f.inst_e else f.inst_s end,
               'applied', f.applied -> b.code)) as facts
        from (select * from f where ${couldQualify(rules)}) f
        cross join lateral (values ${sql.join(rows, sql`, `)}) as b0(code, payment, ord, grp, keep, amounts, labels, te, ts, mode)
        cross join lateral (select b0.code, b0.payment, b0.ord, b0.grp, b0.keep, b0.amounts, b0.labels,
            case b0.mode when 0 then coalesce(b0.te, b0.ts) when 1 then b0.te when 2 then b0.ts else case when b0.te is not null then b0.ts end end as tier,
            case when b0.mode = 1 or (b0.mode = 0 and b0.te is not null) then 'e' else 's' end as side) b
       where b.tier is not null
    )
    select elder_id, county_code, region_code, benefit_code, payment, amount_cents, tier, facts from cand where grp is null
    union all
    select elder_id, county_code, region_code, benefit_code, payment, amount_cents, tier, facts from (
      select cand.*, row_number() over (partition by elder_id, grp order by case when keep = 'highest' then -amount_cents else 0 end, ord) as rn
        from cand where grp is not null) x
     where rn = 1`;
}

/**
 * Runs `fn` with nested-loop joins off: the lines query joins whole-region sets, and a stale
 * estimate (right after a bulk load, before ANALYZE) would otherwise pick nested loops over
 * 100,000s of rows — minutes instead of seconds. Hash joins are right for every cohort size.
 * JIT goes off too: the lateral VALUES needs a nested loop anyway, whose penalty cost would
 * make PostgreSQL spend seconds compiling the query (measured: 16 s of 21 s on 100,000 elders).
 */
export async function setWise<T>(tx: Executor, fn: () => Promise<T>): Promise<T> {
  await tx.exec(sql`select set_config('enable_nestloop', 'off', true), set_config('jit', 'off', true)`);
  try {
    return await fn();
  } finally {
    await tx.exec(sql`select set_config('enable_nestloop', 'on', true), set_config('jit', 'on', true)`);
  }
}

/**
 * An INSERT of lines (`select` gives the columns of benefit_lines from run_id on) that, with
 * `payments`, also writes the first payment attempt of each new cash line in the same statement.
 */
export function linesInsert(select: SQL, o: { runId: string; payments?: boolean }): SQL {
  const ins = sql`insert into benefit_lines (county_code, region_code, elder_id, benefit_code, for_month, run_id, kind, payment, amount_cents, policy_id, tier, facts)
    ${select}
    on conflict (elder_id, benefit_code, for_month) do nothing`;
  if (!o.payments) return ins;
  return sql`with l as (${ins} returning id, county_code, region_code, payment, amount_cents)
    insert into benefit_payments (county_code, region_code, run_id, line_id, attempt, amount_cents)
    select county_code, region_code, ${o.runId}, id, 1, amount_cents from l where payment = 'cash' and amount_cents > 0`;
}

/** Insert the lines of `month` for the cohort into a run (idempotent), with their payments when asked. */
export function insertLines(
  tx: Executor,
  o: {
    rules: PolicyRules;
    month: string;
    cohort: Cohort;
    runId: string;
    policyId: string;
    kind: 'regular' | 'backpay';
    payments?: boolean;
    /** Set-wise joins (the default; see setWise). Off for a few elders named by id: index lookups. */
    setWise?: boolean;
  },
): Promise<number> {
  const run = o.setWise === false ? <T>(fn: () => Promise<T>) => fn() : <T>(fn: () => Promise<T>) => setWise(tx, fn);
  return run(() =>
    tx.exec(
      linesInsert(
        sql`select q.county_code, q.region_code, q.elder_id, q.benefit_code, ${monthStart(o.month)}::date, ${o.runId}, ${o.kind}, q.payment, q.amount_cents,
           ${o.policyId}, q.tier, q.facts
      from (${linesQuery(o.rules, o.month, o.cohort)}) q`,
        o,
      ),
    ),
  );
}

export const regionCohort = (regionCode: string): Cohort => {
  const s = scopeOf(regionCode);
  return { lo: s.lo, hi: s.hi };
};
