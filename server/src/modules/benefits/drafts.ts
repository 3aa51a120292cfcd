/**
 * Drafts (发放草稿): the lines of a county's month kept up to date as the registry changes, so a
 * preview reads totals by township instead of computing every elder's eligibility (1,000,000
 * elders: a full computation takes tens of seconds; a preview from the draft milliseconds).
 *
 * A draft always equals what the engine's query (engine.ts `linesQuery`) gives from scratch:
 * - it is rebuilt whole when the policy version in force for the month or the county-wide data
 *   (the region tree, settings) changed since it was built;
 * - otherwise the elders whose facts were written since its last refresh (`benefit_dirty`,
 *   filled by statement triggers on elders, categories, assessments, applications and facility
 *   residents — migration 0015) have their lines recomputed, and the totals of their townships;
 * - the differences against the previous month's paid lines are rebuilt when those lines
 *   changed (a run computed or discarded), else updated for the same elders.
 * "Since" is a snapshot, not a clock: the draft keeps the snapshot it read `benefit_dirty` with,
 * and a row is new exactly when its transaction is not visible in that snapshot — nothing
 * committed is missed and nothing is taken twice, whatever order transactions commit in.
 *
 * A refresh runs as the owner (county-wide facts: an elder of one township living in a care home
 * of another is seen as such) in one transaction under an advisory lock per county and month;
 * previews read the draft tables in the caller's scope (row-level security).
 */
import { arr, sql, type Database, type Executor, type SQL } from '../../kernel/db.js';
import { scopeOf } from '../../kernel/scope.js';
import { addMonths, linesInsert, linesQuery, monthStart, setWise, type Cohort } from './engine.js';
import { policyFor } from './policies.js';
import type { PolicyRules } from './rules.js';
import type { PreviewItem, PreviewParts } from './runs.js';

export interface RefreshResult {
  /** stale: a rebuild was needed but not allowed (the draft is left as it was). */
  action: 'none' | 'incremental' | 'rebuilt' | 'no_policy' | 'stale';
  /** Elders recomputed (incremental) or lines built (rebuilt). */
  count: number;
  ms: number;
}

/** Above this many elders written since the last refresh, the draft is rebuilt whole instead
 * (a set-wise pass over the county beats index lookups for that many). */
const INCREMENTAL_MAX = 20_000;

/** Brings the draft of a county's month up to date (creates it when missing). */
export async function refreshDraft(db: Database, county: string, month: string, o: { allowRebuild?: boolean } = {}): Promise<RefreshResult> {
  const allowRebuild = o.allowRebuild ?? true;
  const t0 = performance.now();
  const m = monthStart(month);
  const prev = addMonths(m, -1);
  const r = await db.system(async (tx) => {
    const st = (await tx.one<{ rv: string; pv: string }>(sql`select
        coalesce((select version from indicator_data_versions where county_code = ${county} and unit = ''), 0)::text as rv,
        (select version from benefit_lines_version)::text as pv`))!;
    await tx.exec(sql`select pg_advisory_xact_lock(hashtextextended(${`benefit-draft:${county}:${m}`}, 0))`);
    const policy = await policyFor(tx, county, m);
    const d = await tx.one<{ policy_id: string; region_version: string; prev_version: string; snap: string }>(sql`select policy_id::text as policy_id,
        region_version::text as region_version, prev_version::text as prev_version, seen_snapshot::text as snap
      from benefit_drafts where county_code = ${county} and for_month = ${m}::date`);
    if (!policy) {
      if (d) await dropDraft(tx, county, m);
      return { action: 'no_policy' as const, count: 0 };
    }
    const key = { county, m, prev, rules: policy.rules };
    const snapshot = async () => (await tx.one<{ s: string }>(sql`select pg_current_snapshot()::text as s`))!.s;
    if (!d || d.policy_id !== policy.id || d.region_version !== st.rv) {
      if (!allowRebuild) return { action: 'stale' as const, count: 0 };
      // Taken before the build: whatever the build's statements see is at least this.
      const snap = await snapshot();
      const n = await rebuild(tx, key);
      await tx.exec(sql`insert into benefit_drafts (county_code, region_code, for_month, policy_id, region_version, prev_version, seen_snapshot)
        values (${county}, ${county.padEnd(12, '0')}, ${m}::date, ${policy.id}, ${st.rv}, ${st.pv}, ${snap}::pg_snapshot)
        on conflict (county_code, for_month) do update set policy_id = excluded.policy_id, region_version = excluded.region_version,
          prev_version = excluded.prev_version, seen_snapshot = excluded.seen_snapshot, built_at = now(), refreshed_at = now()`);
      await trimDirty(tx, county);
      return { action: 'rebuilt' as const, count: n };
    }
    // The elders written since, and the snapshot they were read with, in one statement.
    const q = (await tx.one<{ snap: string; ids: string[] | null }>(sql`select pg_current_snapshot()::text as snap,
        (select array_agg(distinct elder_id)::text[] from benefit_dirty
          where county_code = ${county} and xid >= pg_snapshot_xmin(${d.snap}::pg_snapshot) and not pg_visible_in_snapshot(xid, ${d.snap}::pg_snapshot)) as ids`))!;
    const ids = q.ids ?? [];
    const prevChanged = d.prev_version !== st.pv;
    // Nothing written since: the draft is current as it stands (no write at all).
    if (!ids.length && !prevChanged) return { action: 'none' as const, count: 0 };
    if (ids.length > INCREMENTAL_MAX) {
      if (!allowRebuild) return { action: 'stale' as const, count: 0 };
      const built = await rebuild(tx, key);
      await tx.exec(sql`update benefit_drafts set seen_snapshot = ${q.snap}::pg_snapshot, prev_version = ${st.pv}, built_at = now(), refreshed_at = now()
        where county_code = ${county} and for_month = ${m}::date`);
      await trimDirty(tx, county);
      return { action: 'rebuilt' as const, count: built };
    }
    if (ids.length) await recomputeElders(tx, key, ids, !prevChanged);
    if (prevChanged) {
      await rebuildChanges(tx, key);
      await rebuildTotals(tx, key);
    }
    await tx.exec(sql`update benefit_drafts set seen_snapshot = ${q.snap}::pg_snapshot, prev_version = ${st.pv}, refreshed_at = now()
      where county_code = ${county} and for_month = ${m}::date`);
    await trimDirty(tx, county, d.snap);
    return { action: 'incremental' as const, count: ids.length };
  });
  return { ...r, ms: performance.now() - t0 };
}

interface DraftKey {
  county: string;
  /** First day of the month. */
  m: string;
  /** First day of the previous month. */
  prev: string;
  rules: PolicyRules;
}

async function dropDraft(tx: Executor, county: string, m: string) {
  for (const t of [sql`benefit_draft_lines`, sql`benefit_draft_changes`, sql`benefit_draft_totals`, sql`benefit_drafts`])
    await tx.exec(sql`delete from ${t} where county_code = ${county} and for_month = ${m}::date`);
}

/** Dirty rows below every draft's snapshot are of no further use. `from` (the draft's previous
 * snapshot): rows below its xmin are gone already, so the delete does not walk the dead entries
 * of earlier deletes again. Without a draft of the county, every row is of no use. */
async function trimDirty(tx: Executor, county: string, from?: string) {
  await tx.exec(sql`delete from benefit_dirty where county_code = ${county}${from ? sql` and xid >= pg_snapshot_xmin(${from}::pg_snapshot)` : sql``}
    and xid < coalesce((select min(pg_snapshot_xmin(seen_snapshot)) from benefit_drafts where county_code = ${county}), pg_snapshot_xmin(pg_current_snapshot()))`);
}

const countyCohort = (county: string): Cohort => {
  const s = scopeOf(county.padEnd(12, '0'));
  return { lo: s.lo, hi: s.hi };
};

function insertDraftLines(tx: Executor, k: DraftKey, cohort: Cohort) {
  return setWise(tx, () =>
    tx.exec(sql`insert into benefit_draft_lines (county_code, for_month, elder_id, benefit_code, region_code, payment, amount_cents, tier, facts)
      select ${k.county}, ${k.m}::date, q.elder_id, q.benefit_code, q.region_code, q.payment, q.amount_cents, q.tier, q.facts
        from (${linesQuery(k.rules, k.m, cohort)}) q`),
  );
}

async function rebuild(tx: Executor, k: DraftKey): Promise<number> {
  for (const t of [sql`benefit_draft_lines`, sql`benefit_draft_changes`, sql`benefit_draft_totals`])
    await tx.exec(sql`delete from ${t} where county_code = ${k.county} and for_month = ${k.m}::date`);
  const n = await insertDraftLines(tx, k, countyCohort(k.county));
  await rebuildChanges(tx, k);
  await rebuildTotals(tx, k);
  // Fresh statistics, so that the next refreshes look elders up by index.
  await tx.exec(sql`analyze benefit_draft_lines, benefit_draft_changes`);
  return n;
}

/** The differences against last month's paid lines, for every elder or for `elders` only. */
function insertChanges(tx: Executor, k: DraftKey, ids: string[] | null) {
  const only = (col: SQL) => (ids ? sql` and ${col} = any(${arr(ids)}::uuid[])` : sql``);
  const wholeCounty = !ids;
  const run = <T>(fn: () => Promise<T>) => (wholeCounty ? setWise(tx, fn) : fn());
  return run(() =>
    tx.exec(sql`insert into benefit_draft_changes (county_code, for_month, elder_id, benefit_code, region_code, kind, before, after, pf, qf, ptier, qtier)
      select ${k.county}, ${k.m}::date, coalesce(q.elder_id, p.elder_id), coalesce(q.benefit_code, p.benefit_code), coalesce(q.region_code, p.region_code),
             case when p.elder_id is null then 'added' when q.elder_id is null then 'stopped' else 'changed' end,
             p.amount_cents, q.amount_cents, p.facts, q.facts, p.tier, q.tier
        from (select elder_id, benefit_code, region_code, amount_cents, facts, tier from benefit_draft_lines
               where county_code = ${k.county} and for_month = ${k.m}::date${only(sql`elder_id`)}) q
        full join (select elder_id, benefit_code, region_code, amount_cents, facts, tier from benefit_lines
               where county_code = ${k.county} and for_month = ${k.prev}::date${only(sql`elder_id`)}) p
          on p.elder_id = q.elder_id and p.benefit_code = q.benefit_code
       where p.elder_id is null or q.elder_id is null or p.amount_cents <> q.amount_cents`),
  );
}

async function rebuildChanges(tx: Executor, k: DraftKey) {
  await tx.exec(sql`delete from benefit_draft_changes where county_code = ${k.county} and for_month = ${k.m}::date`);
  await insertChanges(tx, k, null);
}

/** Totals by township and benefit, and each township's own row (lines, elders, changes), from the whole draft. */
async function rebuildTotals(tx: Executor, k: DraftKey) {
  await tx.exec(sql`delete from benefit_draft_totals where county_code = ${k.county} and for_month = ${k.m}::date`);
  await tx.exec(sql`insert into benefit_draft_totals (county_code, for_month, township, region_code, benefit_code, lines, cents, elders)
    select ${k.county}, ${k.m}::date, t, rpad(t, 12, '0'), coalesce(benefit_code, ''), count(*)::int, coalesce(sum(amount_cents), 0)::bigint,
           case when grouping(benefit_code) = 1 then count(distinct elder_id) else 0 end::int
      from (select left(region_code, 9) as t, benefit_code, elder_id, amount_cents from benefit_draft_lines
             where county_code = ${k.county} and for_month = ${k.m}::date) l
     group by grouping sets ((t, benefit_code), (t))`);
  await tx.exec(sql`insert into benefit_draft_totals (county_code, for_month, township, region_code, benefit_code, lines, cents, elders, added, stopped, changed)
    select ${k.county}, ${k.m}::date, left(region_code, 9), rpad(left(region_code, 9), 12, '0'), '', 0, 0, 0,
           count(*) filter (where kind = 'added')::int, count(*) filter (where kind = 'stopped')::int, count(*) filter (where kind = 'changed')::int
      from benefit_draft_changes where county_code = ${k.county} and for_month = ${k.m}::date
     group by left(region_code, 9)
    on conflict (county_code, for_month, township, benefit_code) do update set added = excluded.added, stopped = excluded.stopped, changed = excluded.changed`);
}

interface Part {
  t: string;
  b: string;
  lines: number;
  cents: number;
  elders: number;
  added: number;
  stopped: number;
  changed: number;
}

/** What a set of elders contributes to the totals: by township and benefit, and by township ('' row). */
async function contribution(tx: Executor, k: DraftKey, ids: string[]): Promise<Part[]> {
  const elders = sql`${arr(ids)}::uuid[]`;
  return tx.rows<Part>(sql`select t, b, sum(lines)::int as lines, sum(cents)::float8 as cents, sum(elders)::int as elders,
        sum(added)::int as added, sum(stopped)::int as stopped, sum(changed)::int as changed from (
      select left(region_code, 9) as t, coalesce(benefit_code, '') as b, count(*) as lines, coalesce(sum(amount_cents), 0) as cents,
             case when grouping(benefit_code) = 1 then count(distinct elder_id) else 0 end as elders, 0 as added, 0 as stopped, 0 as changed
        from benefit_draft_lines where county_code = ${k.county} and for_month = ${k.m}::date and elder_id = any(${elders})
       group by grouping sets ((left(region_code, 9), benefit_code), (left(region_code, 9)))
      union all
      select left(region_code, 9), '', 0, 0, 0, count(*) filter (where kind = 'added'), count(*) filter (where kind = 'stopped'),
             count(*) filter (where kind = 'changed')
        from benefit_draft_changes where county_code = ${k.county} and for_month = ${k.m}::date and elder_id = any(${elders})
       group by left(region_code, 9)) x group by t, b`);
}

/**
 * Recomputes the lines of the elders `ids` and, when `changes`, their differences against last
 * month; the totals move by what those elders contributed before and after (exact: every line
 * and difference belongs to one elder).
 */
async function recomputeElders(tx: Executor, k: DraftKey, ids: string[], changes: boolean) {
  const elders = sql`${arr(ids)}::uuid[]`;
  const before = changes ? await contribution(tx, k, ids) : [];
  await tx.exec(sql`delete from benefit_draft_lines where county_code = ${k.county} and for_month = ${k.m}::date and elder_id = any(${elders})`);
  // Few elders: index lookups (no set-wise settings), unlike a whole county.
  await tx.exec(sql`insert into benefit_draft_lines (county_code, for_month, elder_id, benefit_code, region_code, payment, amount_cents, tier, facts)
    select ${k.county}, ${k.m}::date, q.elder_id, q.benefit_code, q.region_code, q.payment, q.amount_cents, q.tier, q.facts
      from (${linesQuery(k.rules, k.m, { ...countyCohort(k.county), where: sql`e.id = any(${arr(ids)}::uuid[])` })}) q`);
  if (!changes) return; // the caller rebuilds the differences and totals whole
  await tx.exec(sql`delete from benefit_draft_changes where county_code = ${k.county} and for_month = ${k.m}::date and elder_id = any(${elders})`);
  await insertChanges(tx, k, ids);
  const after = await contribution(tx, k, ids);
  const delta = new Map<string, Part>();
  const add = (p: Part, sign: number) => {
    const key = `${p.t}|${p.b}`;
    const d = delta.get(key) ?? { t: p.t, b: p.b, lines: 0, cents: 0, elders: 0, added: 0, stopped: 0, changed: 0 };
    for (const f of ['lines', 'cents', 'elders', 'added', 'stopped', 'changed'] as const) d[f] += sign * p[f];
    delta.set(key, d);
  };
  before.forEach((p) => add(p, -1));
  after.forEach((p) => add(p, 1));
  const rows = [...delta.values()].filter((d) => d.lines || d.cents || d.elders || d.added || d.stopped || d.changed);
  if (!rows.length) return;
  await tx.exec(sql`insert into benefit_draft_totals as x (county_code, for_month, township, region_code, benefit_code, lines, cents, elders, added, stopped, changed)
    select ${k.county}, ${k.m}::date, t, rpad(t, 12, '0'), b, lines, cents, elders, added, stopped, changed
      from unnest(${arr(rows.map((r) => r.t))}::text[], ${arr(rows.map((r) => r.b))}::text[], ${arr(rows.map((r) => r.lines))}::int[],
                  ${arr(rows.map((r) => r.cents))}::bigint[], ${arr(rows.map((r) => r.elders))}::int[], ${arr(rows.map((r) => r.added))}::int[],
                  ${arr(rows.map((r) => r.stopped))}::int[], ${arr(rows.map((r) => r.changed))}::int[]) as d(t, b, lines, cents, elders, added, stopped, changed)
    on conflict (county_code, for_month, township, benefit_code) do update set lines = x.lines + excluded.lines, cents = x.cents + excluded.cents,
      elders = x.elders + excluded.elders, added = x.added + excluded.added, stopped = x.stopped + excluded.stopped, changed = x.changed + excluded.changed`);
}

/** Drafts to keep fresh: each county's current month (county time), and drafts read in the last week. */
export async function refreshAllDrafts(db: Database, today: string): Promise<RefreshResult[]> {
  const m = monthStart(today);
  const todo = await db.system(async (tx) => {
    await tx.exec(sql`delete from benefit_draft_lines d using benefit_drafts b where b.county_code = d.county_code and b.for_month = d.for_month
        and b.refreshed_at < now() - interval '7 days' and b.for_month < ${m}::date`);
    for (const t of [sql`benefit_draft_changes`, sql`benefit_draft_totals`])
      await tx.exec(sql`delete from ${t} d using benefit_drafts b where b.county_code = d.county_code and b.for_month = d.for_month
        and b.refreshed_at < now() - interval '7 days' and b.for_month < ${m}::date`);
    await tx.exec(sql`delete from benefit_drafts where refreshed_at < now() - interval '7 days' and for_month < ${m}::date`);
    return tx.rows<{ county: string; month: string }>(sql`select county_code as county, for_month::text as month from benefit_drafts
      union select distinct county_code, ${m}::date::text from benefit_policies where status = 'published' and active`);
  });
  const out: RefreshResult[] = [];
  for (const d of todo) out.push(await refreshDraft(db, d.county, d.month));
  return out;
}

/**
 * The preview's figures from the month's draft, for the county or one township, when the draft
 * is current for `policyId` (else null: the caller computes live).
 */
export async function draftParts(tx: Executor, o: { regionCode: string; month: string; policyId: string; limit: number }): Promise<PreviewParts | null> {
  const code = o.regionCode;
  const county = code.slice(0, 6);
  const isCounty = code.slice(6) === '000000';
  if (!isCounty && code.slice(9) !== '000') return null;
  const m = monthStart(o.month);
  const ok = await tx.one<{ ok: boolean }>(sql`select yl_benefit_draft_current(${county}, ${m}::date, ${o.policyId}::uuid) as ok`);
  if (!ok?.ok) return null;
  const s = scopeOf(code);
  const rows = await tx.rows<{
    township: string;
    benefit_code: string;
    lines: number;
    cents: string;
    elders: number;
    added: number;
    stopped: number;
    changed: number;
  }>(
    sql`select township, benefit_code, lines, cents::text as cents, elders, added, stopped, changed from benefit_draft_totals
         where county_code = ${county} and for_month = ${m}::date and region_code between ${s.lo} and ${s.hi}`,
  );
  const own = rows.filter((r) => r.benefit_code === '');
  const byBenefit = new Map<string, { n: number; cents: number }>();
  for (const r of rows.filter((x) => x.benefit_code !== '' && x.lines > 0)) {
    const b = byBenefit.get(r.benefit_code) ?? { n: 0, cents: 0 };
    b.n += r.lines;
    b.cents += Number(r.cents);
    byBenefit.set(r.benefit_code, b);
  }
  const sum = (k: 'lines' | 'elders' | 'added' | 'stopped' | 'changed') => own.reduce((a, r) => a + r[k], 0);
  const agg: PreviewParts['agg'] = [
    ...own.filter((r) => r.lines > 0).map((r) => ({ t: r.township, b: null, n: r.lines, cents: r.cents, elders: r.elders, g: 1 })),
    ...[...byBenefit].map(([b, v]) => ({ t: null, b, n: v.n, cents: String(v.cents), elders: v.n, g: 2 })),
    { t: null, b: null, n: sum('lines'), cents: String(own.reduce((a, r) => a + Number(r.cents), 0)), elders: sum('elders'), g: 3 },
  ];
  const diff = (['added', 'stopped', 'changed'] as const).map((kind) => ({ kind, n: sum(kind) })).filter((d) => d.n > 0);
  const kindItems = (kind: string) => sql`(select c.kind, c.elder_id::text as elder_id, e.name, c.benefit_code, c.before, c.after, c.pf, c.qf, c.ptier, c.qtier,
        e.status, e.death_date::text as death_date, e.moved_out_date::text as moved_out_date
      from benefit_draft_changes c join elders e on e.id = c.elder_id
     where c.county_code = ${county} and c.for_month = ${m}::date and c.kind = ${kind} and c.region_code between ${s.lo} and ${s.hi}
     order by c.elder_id, c.benefit_code limit ${o.limit})`;
  const items = await tx.rows<PreviewItem>(sql`select * from (${kindItems('added')} union all ${kindItems('stopped')} union all ${kindItems('changed')}) i
    order by i.kind, i.elder_id, i.benefit_code`);
  return { agg, diff, items };
}

/** A township's regular lines of a run and their payments, copied from the month's current draft (idempotent). */
export function insertLinesFromDraft(tx: Executor, o: { county: string; month: string; cohort: Cohort; runId: string; policyId: string }): Promise<number> {
  return tx.exec(
    linesInsert(
      sql`select d.county_code, d.region_code, d.elder_id, d.benefit_code, d.for_month, ${o.runId}, 'regular', d.payment, d.amount_cents, ${o.policyId}, d.tier, d.facts
      from benefit_draft_lines d
     where d.county_code = ${o.county} and d.for_month = ${monthStart(o.month)}::date and d.region_code between ${o.cohort.lo} and ${o.cohort.hi}`,
      { runId: o.runId, payments: true },
    ),
  );
}
