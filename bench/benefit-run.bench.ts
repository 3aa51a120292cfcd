/**
 * Benefit run over a county of 1,000,000 elders (Shicheng's policy set: 6 benefits, tiers,
 * an exclusion): the preview over HTTP, and the monthly run as the platform does it (township
 * by township under row-level security, facts recorded per line, payments, back-pay and
 * recovery steps) — beside a hand-written INSERT … SELECT doing the same joins and producing
 * the same rows, run by the owner in the same process.
 *   npx tsx bench/benefit-run.bench.ts [elders]          # PGlite
 *   DATABASE_URL=postgres://… npx tsx bench/benefit-run.bench.ts
 */
import { arr, sql, type SQL } from '../server/src/kernel/db.js';
import { loadDemo } from '../server/src/demo/generate.js';
import { countyToday } from '../server/src/kernel/dates.js';
import type { Principal } from '../server/src/kernel/principal.js';
import { addMonths, monthEnd, monthStart, setWise } from '../server/src/modules/benefits/engine.js';
import { computeRun, createRun, discardRun } from '../server/src/modules/benefits/runs.js';
import { benchDb, benchServer, dbLabel, percentile, time } from './lib.js';

const N = Number(process.argv[2] ?? 1_000_000);
const { db, close } = await benchDb();
const [, loadMs] = await time(() => loadDemo(db, { elders: N, seed: 20260101 }));
console.log(`${dbLabel()}: demo county with ${N.toLocaleString()} elders loaded in ${(loadMs / 1000).toFixed(1)} s`);

const month = addMonths(monthStart(countyToday()), 0);
const S = month;
const E = monthEnd(month);

// ---- preview over HTTP (the county admin's screen)
// The first preview of a month builds its draft (the month's lines, computed whole); later
// previews read the draft's totals after recomputing only the elders written since.
const { app, base, cookie, csrf } = await benchServer(db);
const previewUrl = `${base}/api/v1/benefits/preview?month=${month.slice(0, 7)}`;
const getPreview = async (url = previewUrl) => {
  const r = await fetch(url, { headers: { cookie } });
  if (!r.ok) throw new Error(`preview: ${r.status} ${await r.text()}`);
  return (await r.json()) as { totals: { lines: number; totalCents: number } };
};
const [first, firstMs] = await time(() => getPreview());
const previewLines = first.totals.lines;
const previews: number[] = [];
for (let i = 0; i < 5; i++) previews.push((await time(() => getPreview()))[1]);
// Registry writes between previews: 100 elders a time get a category from this month (低保), as
// a village worker's day of updates would; each preview then brings the draft up to date.
const afterWrites: number[] = [];
const someElders = await db.root.rows<{ id: string; region_code: string }>(
  sql`select id::text as id, region_code from elders where status = 'active' order by md5(id::text) limit 500`,
);
for (let i = 0; i < 5; i++) {
  const batch = someElders.slice(i * 100, i * 100 + 100);
  await db.system((tx) =>
    tx.exec(sql`insert into elder_categories (elder_id, county_code, region_code, category, valid_from)
      select e.id, '370124', e.region_code, 'dibao', ${month}::date from elders e where e.id = any(${arr(batch.map((b) => b.id))}::uuid[])
      on conflict do nothing`),
  );
  afterWrites.push((await time(() => getPreview()))[1]);
}
// The same preview computed live (what every preview cost before drafts), once, for comparison.
const policyInForce = await db.root.one<{ id: string }>(sql`select policy_id::text as id from benefit_drafts where county_code = '370124' limit 1`);
const [live, liveMs] = await time(() => getPreview(`${previewUrl}&policyId=${policyInForce!.id}`));
if (live.totals.totalCents !== (await getPreview()).totals.totalCents) throw new Error('draft and live previews differ');
void csrf;

// ---- the baseline: the same joins and rows, hand-written, by the owner, whole county at once
await db.execScript(`DROP TABLE IF EXISTS bench_lines; CREATE UNLOGGED TABLE bench_lines (LIKE benefit_lines INCLUDING DEFAULTS);
  ALTER TABLE bench_lines ADD UNIQUE (elder_id, benefit_code, for_month);`);
const policy = await db.root.one<{ id: string }>(sql`select id::text as id from benefit_policies where policy_key = 'shicheng'`);
const baselineSql = (target: SQL, runId: string) => sql`with el as (
    select e.id, e.county_code, e.region_code, e.living_arrangement,
           ((${E.replaceAll('-', '')}::int - to_char(e.birth_date, 'YYYYMMDD')::int) / 10000) as age_e,
           ((${S.replaceAll('-', '')}::int - to_char(e.birth_date, 'YYYYMMDD')::int) / 10000) as age_s,
           (e.status = 'active' or e.death_date > ${E}::date or e.moved_out_date > ${E}::date) as alive_e,
           coalesce(r.urban_rural_code < '2', false) as urban
      from elders e left join regions r on r.code = e.region_code
     where e.county_code = '370124' and (e.status = 'active' or e.death_date > ${S}::date or e.moved_out_date > ${S}::date)
  ), cat as (
    select elder_id,
           coalesce(array_agg(category) filter (where valid_from <= ${E}::date and (valid_to is null or valid_to >= ${E}::date)), '{}') as cats_e,
           coalesce(array_agg(category) filter (where valid_from <= ${S}::date and (valid_to is null or valid_to >= ${S}::date)), '{}') as cats_s,
           jsonb_object_agg(category, valid_from) as since
      from elder_categories where valid_from <= ${E}::date and (valid_to is null or valid_to >= ${S}::date) group by elder_id
  ), ab as (
    select distinct on (elder_id) elder_id, standard, final_level, reference_date from assessments
     where status = 'completed' and reference_date <= ${E}::date and (valid_until is null or valid_until >= ${E}::date)
     order by elder_id, reference_date desc, created_at desc
  ), ab_s as (
    select distinct on (elder_id) elder_id, standard, final_level from assessments
     where status = 'completed' and reference_date <= ${S}::date and (valid_until is null or valid_until >= ${S}::date)
     order by elder_id, reference_date desc, created_at desc
  ), res as (
    select elder_id, bool_or(move_in <= ${E}::date and (move_out is null or move_out > ${E}::date)) as in_e,
           bool_or(move_in <= ${S}::date and (move_out is null or move_out > ${S}::date)) as in_s
      from facility_residents where move_in <= ${E}::date and (move_out is null or move_out >= ${S}::date) group by elder_id
  ), f as materialized (
    select el.*, coalesce(cat.cats_e, '{}') as cats_e, coalesce(cat.cats_s, '{}') as cats_s, cat.since, ab.standard as std, ab.final_level as lvl, ab.reference_date as adate,
           (coalesce(res.in_e, false) or coalesce(cat.cats_e, '{}') && '{tekun_centralized}' or coalesce(el.living_arrangement = 'institution', false)) as inst,
           (coalesce(res.in_s, false) or coalesce(cat.cats_s, '{}') && '{tekun_centralized}' or coalesce(el.living_arrangement = 'institution', false)) as inst_s,
           coalesce(ab.final_level >= 2, false) as dis2, coalesce(ab_s.final_level >= 2, false) as dis2_s,
           coalesce(ab_s.final_level >= 3, false) as dis3_s, coalesce(ab_s.final_level between 1 and 2, false) as partly_s
      from el left join cat on cat.elder_id = el.id left join ab on ab.elder_id = el.id left join ab_s on ab_s.elder_id = el.id left join res on res.elder_id = el.id
  ), c as (
    select f.*, b.* from f cross join lateral (values
      ('old_age_allowance', 'cash', case when f.alive_e and f.age_e >= 80 then case when f.age_e >= 100 then 100000 when f.age_e >= 90 then 20000 else 5000 end
                                        when f.age_s >= 80 then case when f.age_s >= 100 then 100000 when f.age_s >= 90 then 20000 else 5000 end end,
                                   case when (case when f.alive_e and f.age_e >= 80 then f.age_e else f.age_s end) >= 100 then '100周岁及以上'
                                        when (case when f.alive_e and f.age_e >= 80 then f.age_e else f.age_s end) >= 90 then '90—99周岁' else '80—89周岁' end),
      ('nursing_subsidy', 'cash', case when (f.alive_e and f.cats_e && '{dibao,low_income,econ_hardship}' and not f.cats_e && '{tekun_dispersed,tekun_centralized}' and f.dis2)
                                         or (f.cats_s && '{dibao,low_income,econ_hardship}' and not f.cats_s && '{tekun_dispersed,tekun_centralized}' and f.dis2_s) then 5000 end, '经济困难失能老年人'),
      ('service_subsidy', 'service', case when (f.alive_e and f.age_e >= 80 and f.cats_e && '{dibao,low_income,econ_hardship}' and not f.cats_e && '{tekun_dispersed,tekun_centralized}')
                                            or (f.age_s >= 80 and f.cats_s && '{dibao,low_income,econ_hardship}' and not f.cats_s && '{tekun_dispersed,tekun_centralized}') then 5000 end, '经济困难高龄老年人'),
      ('purchased_services_80', 'service', case when (f.alive_e and f.age_e >= 80 and not f.inst) or (f.age_s >= 80 and not f.inst_s) then 6000 end, '80周岁及以上居家老年人'),
      ('tekun_living', 'cash', case when f.cats_s && '{tekun_dispersed,tekun_centralized}' then case when f.urban or f.dis2_s then 91500 else 61500 end end,
                               case when f.urban then '城镇' when f.dis2_s then '农村失能（参照城镇）' else '农村' end),
      ('tekun_care', 'cash', case when f.cats_s && '{tekun_dispersed,tekun_centralized}' then case when f.dis3_s then 120000 when f.partly_s then 30000 else 7000 end end,
                             case when f.dis3_s then '失能' when f.partly_s then '部分失能' else '生活自理' end)
    ) as b(code, payment, amount, tier) where b.amount is not null
  )
  insert into ${target} (county_code, region_code, elder_id, benefit_code, for_month, run_id, kind, payment, amount_cents, policy_id, tier, facts)
  select county_code, region_code, id, code, ${S}::date, ${runId}::uuid, 'regular', payment, amount, ${policy!.id}::uuid, tier,
         jsonb_strip_nulls(jsonb_build_object('refDate', ${E}::text, 'age', age_e, 'categories', to_jsonb(cats_e), 'since', since,
           'ability', case when std is not null then jsonb_build_object('standard', std, 'level', lvl, 'date', adate) end,
           'residence', case when urban then 'urban' else 'rural' end, 'institution', inst))
    from c
  on conflict (elder_id, benefit_code, for_month) do nothing`;
// Same planner settings as the run (hash joins, no JIT), so the figure compares the work, not the settings.
// The run also writes a payment per cash line; so does the hand-written version.
await db.execScript(`DROP TABLE IF EXISTS bench_payments; CREATE UNLOGGED TABLE bench_payments (LIKE benefit_payments INCLUDING DEFAULTS);
  ALTER TABLE bench_payments ADD UNIQUE (run_id, line_id);`);
const [baseRows, baseMs] = await time(() =>
  db.system(async (tx) => {
    const n = await setWise(tx, () => tx.exec(baselineSql(sql`bench_lines`, policy!.id)));
    await tx.exec(sql`insert into bench_payments (county_code, region_code, run_id, line_id, amount_cents)
      select county_code, region_code, run_id, id, amount_cents from bench_lines where payment = 'cash' and amount_cents > 0`);
    return n;
  }),
);
// The same statement writing the same rows into the platform's own tables (benefit_lines and
// benefit_payments: logged, with their keys, indexes and foreign keys), for a run row made in the
// same transaction, then rolled back: the cost of storing the rows as durably as the run must.
class Rollback extends Error {}
let tableMs = 0;
await db
  .system(async (tx) => {
    const t0 = performance.now();
    const run = await tx.one<{ id: string }>(sql`insert into benefit_runs (county_code, region_code, month, policy_id, summary)
      values ('370124', '370124000000', ${S}::date, ${policy!.id}, '{"done":[]}') returning id::text as id`);
    await setWise(tx, () =>
      tx.exec(sql`with l as (${baselineSql(sql`benefit_lines`, run!.id)} returning id, county_code, region_code, payment, amount_cents)
        insert into benefit_payments (county_code, region_code, run_id, line_id, attempt, amount_cents)
        select county_code, region_code, ${run!.id}, id, 1, amount_cents from l where payment = 'cash' and amount_cents > 0`),
    );
    tableMs = performance.now() - t0;
    throw new Rollback();
  })
  .catch((e) => {
    if (!(e instanceof Rollback)) throw e;
  });
for (const t of ['benefit_lines', 'benefit_payments', 'benefit_runs']) await db.execScript(`VACUUM ${t}`);

// ---- the platform's run
const admin = await db.root.one<{ id: string }>(sql`select id::text as id from users where username = 'admin'`);
const p: Principal = {
  userId: admin!.id,
  username: 'admin',
  displayName: 'bench',
  role: 'county_admin',
  regionCode: '370124000000',
  countyCode: '370124',
  providerId: null,
  sessionId: '',
  csrfToken: '',
  mustChangePassword: false,
};
const scope = { lo: '370124000000', hi: '370124999999', userId: admin!.id };
// First without a draft (dropped: the run computes each township's lines live, as before
// drafts), then — discarded and run again — with the draft current, as after the month's
// previews (the run brings it up to date and copies each township's lines).
for (const t of ['benefit_draft_lines', 'benefit_draft_changes', 'benefit_draft_totals', 'benefit_drafts']) await db.execScript(`DELETE FROM ${t}`);
const coldSteps: string[] = [];
const coldId = await db.scoped(scope, (tx) => createRun(tx, p, month));
const [, coldMs] = await time(() => computeRun(db, p, coldId, { onStep: (name, ms) => coldSteps.push(`${name} ${ms.toFixed(0)} ms`) }));
const coldLines = await db.root.one<{ n: number; c: string }>(
  sql`select count(*)::int as n, sum(amount_cents)::text as c from benefit_lines where run_id = ${coldId} and kind = 'regular'`,
);
await db.scoped(scope, (tx) => discardRun(tx, coldId));
// A preview of the month (as the county admin does before computing; the server's minute
// refresh would do the same) builds the draft again.
const [, rebuildMs] = await time(() => getPreview());
const runId = await db.scoped(scope, (tx) => createRun(tx, p, month));
const steps: string[] = [];
const [run, runMs] = await time(() => computeRun(db, p, runId, { onStep: (name, ms) => steps.push(`${name} ${ms.toFixed(0)} ms`) }));
const lines = await db.root.one<{ n: number; c: string }>(
  sql`select count(*)::int as n, sum(amount_cents)::text as c from benefit_lines where run_id = ${runId} and kind = 'regular'`,
);
const bl = await db.root.one<{ n: number; c: string }>(sql`select count(*)::int as n, sum(amount_cents)::text as c from bench_lines`);
// The two produce the same rows (the exclusion of tekun_care vs nursing_subsidy never bites in Shicheng's set: nursing_subsidy excludes 特困).
const diff = await db.root.one<{ n: number }>(sql`select count(*)::int as n from (
    (select elder_id, benefit_code, amount_cents from benefit_lines where run_id = ${runId} and kind = 'regular'
     except select elder_id, benefit_code, amount_cents from bench_lines)
    union all
    (select elder_id, benefit_code, amount_cents from bench_lines
     except select elder_id, benefit_code, amount_cents from benefit_lines where run_id = ${runId} and kind = 'regular')) d`);

const byBenefit = await db.root.rows<{ side: string; benefit_code: string; n: number }>(sql`select side, benefit_code, count(*)::int as n from (
    (select 'run only' as side, elder_id, benefit_code, amount_cents from benefit_lines where run_id = ${runId} and kind = 'regular'
     except select 'run only', elder_id, benefit_code, amount_cents from bench_lines)
    union all
    (select 'baseline only', elder_id, benefit_code, amount_cents from bench_lines
     except select 'baseline only', elder_id, benefit_code, amount_cents from benefit_lines where run_id = ${runId} and kind = 'regular')) d group by 1, 2 order by 1, 2`);
if (byBenefit.length) console.log('rows differing, by benefit:', byBenefit);
console.log(`\nBenefit run, ${month.slice(0, 7)}, ${N.toLocaleString()} elders on ${dbLabel()}`);
console.log(`  preview over HTTP (totals by township and benefit + changes vs last month, ${previewLines.toLocaleString()} lines):`);
console.log(`    first of the month (builds the draft):             ${(firstMs / 1000).toFixed(2)} s`);
console.log(
  `    nothing written since:                             median ${percentile(previews, 50).toFixed(0)} ms, worst ${Math.max(...previews).toFixed(0)} ms`,
);
console.log(
  `    after 100 elders' categories were written:          median ${percentile(afterWrites, 50).toFixed(0)} ms, worst ${Math.max(...afterWrites).toFixed(0)} ms`,
);
console.log(`    computed live (another policy version, or no draft): ${(liveMs / 1000).toFixed(2)} s`);
console.log(
  `  run (draft current; 8 township transactions under RLS + back-pay + recovery + payments): ${(runMs / 1000).toFixed(2)} s, ${lines!.n.toLocaleString()} lines, ¥${(Number(lines!.c) / 100).toLocaleString()} (status ${run.status})`,
);
console.log(
  `  baseline A: hand-written INSERT … SELECT of lines + payments into the platform's tables (owner, one tx, rolled back): ${(tableMs / 1000).toFixed(2)} s`,
);
console.log(
  `  baseline B: the same into unlogged scratch tables with only the unique key (a lower bound): ${(baseMs / 1000).toFixed(2)} s, ${baseRows.toLocaleString()} rows, ¥${(Number(bl!.c) / 100).toLocaleString()}`,
);
const ratios = (ms: number) => `ratio ${(ms / tableMs).toFixed(2)}× of A, ${(ms / baseMs).toFixed(2)}× of B`;
console.log(
  `  run, no draft (lines computed live): ${(coldMs / 1000).toFixed(2)} s, ${coldLines!.n.toLocaleString()} lines, ¥${(Number(coldLines!.c) / 100).toLocaleString()} — ${ratios(coldMs)}`,
);
console.log(`    steps: ${coldSteps.join(', ')}`);
console.log(
  `  run, draft current (after a preview, which rebuilt the draft in ${(rebuildMs / 1000).toFixed(1)} s): ${(runMs / 1000).toFixed(2)} s — ${ratios(runMs)}`,
);
console.log(`    steps: ${steps.join(', ')}`);
console.log(`  rows differing between the run and the baseline: ${diff!.n}`);
await app.close();
await close();
process.exit(0);
