/**
 * Monthly runs: preview, compute (township by township, idempotent), back-pay, recovery,
 * payments, township review, county approval.
 */
import { writeAudit } from '../../kernel/audit.js';
import { arr, sql, type Database, type Executor } from '../../kernel/db.js';
import { conflict, forbidden, notFound } from '../../kernel/errors.js';
import { keepBeating, staleBeat } from '../../kernel/heartbeat.js';
import { principalScope, type Principal } from '../../kernel/principal.js';
import { inScope, scopeOf } from '../../kernel/scope.js';
import { maskName } from '../../kernel/mask.js';
import { addMonths, insertLines, linesQuery, monthStart, regionCohort, setWise } from './engine.js';
import { getPolicy, policyFor, requirePolicyFor } from './policies.js';
import { explainChange } from './explain.js';
import { draftParts, insertLinesFromDraft, refreshDraft } from './drafts.js';
import type { PolicyRules } from './rules.js';

export interface RunRow {
  id: string;
  county_code: string;
  month: string;
  policy_id: string;
  status: 'computing' | 'computed' | 'approved';
  progress: number;
  computed_by: string | null;
  computed_at: string | null;
  approved_by: string | null;
  approved_at: string | null;
  summary: RunSummary | null;
  created_at: string;
}

export interface RunSummary {
  done: string[];
  steps?: string[];
  lines?: number;
  totalCents?: number;
  backpayLines?: number;
  backpayCents?: number;
  recoveries?: number;
  recoveryCents?: number;
  payments?: number;
  reissued?: number;
}

const RUN_COLS = sql`id::text as id, county_code, month::text as month, policy_id::text as policy_id, status, progress, computed_by::text as computed_by,
  computed_at::text as computed_at, approved_by::text as approved_by, approved_at::text as approved_at, summary, created_at::text as created_at`;

export async function getRun(tx: Executor, id: string): Promise<RunRow> {
  const r = await tx.one<RunRow>(sql`select ${RUN_COLS} from benefit_runs where id = ${id}`);
  if (!r) throw notFound('发放批次', 'benefit run');
  return r;
}

/**
 * Takes the run's lock (an advisory lock held to the end of the transaction; the compute holds it
 * while it writes a township) and reads the run after it: every state change of a run (review,
 * approval, discard, bank result, resuming the compute) goes through here, so concurrent callers
 * act one at a time and each sees what the one before it did — exactly one wins, the rest get 409.
 */
export async function lockRun(tx: Executor, id: string): Promise<RunRow> {
  await tx.exec(sql`select pg_advisory_xact_lock(hashtext(${id}::text))`);
  return getRun(tx, id);
}

/** True while a process computes the run (its heartbeat is fresh), see kernel/heartbeat.ts. */
async function computingNow(tx: Executor, id: string): Promise<boolean> {
  return !!(await tx.one(sql`select 1 as x from benefit_runs where id = ${id} and status = 'computing' and not ${staleBeat(sql`heartbeat_at`)}`));
}

const runComputing = () =>
  conflict(
    'RUN_COMPUTING',
    '该批次正在计算，请等计算完成后再操作（计算进程停止一分钟后可“继续计算”）',
    'the run is being computed; wait until it is done (a compute whose process stopped can be resumed after a minute)',
  );

export async function listRuns(tx: Executor, county: string): Promise<RunRow[]> {
  return tx.rows<RunRow>(sql`select ${RUN_COLS} from benefit_runs where county_code = ${county} order by month desc`);
}

/** Townships (level 4) of a region, or the region itself when it is a township or below. */
export async function townshipsOf(tx: Executor, regionCode: string): Promise<{ code: string; name: string }[]> {
  if (regionCode.slice(9) !== '000' || regionCode.slice(6, 9) !== '000') {
    const t = regionCode.slice(0, 9).padEnd(12, '0');
    return tx.rows(sql`select code, name from regions where code = ${t}`);
  }
  const s = scopeOf(regionCode);
  return tx.rows(sql`select code, name from regions where level = 4 and code between ${s.lo} and ${s.hi} order by code`);
}

// ---------------------------------------------------------------- preview

export interface PreviewResult {
  month: string;
  regionCode: string;
  policy: { id: string; name: string; version: number; effectiveFrom: string };
  totals: { lines: number; elders: number; totalCents: number; cashCents: number; serviceCents: number };
  byTownship: { code: string; name: string; lines: number; totalCents: number }[];
  byBenefit: { code: string; name: string; lines: number; totalCents: number }[];
  changes: {
    counts: { added: number; stopped: number; changed: number };
    previousMonth: string;
    previousSource: 'run' | 'none';
    items: {
      kind: 'added' | 'stopped' | 'changed';
      elderId: string;
      elderName: string;
      benefit: string;
      before: number | null;
      after: number | null;
      reason: string;
    }[];
  };
}

/** A preview's figures as queried (live or from the draft), before presentation. */
export interface PreviewParts {
  /** Grouping rows: g = 1 by township (t), 2 by benefit (b), 3 all. */
  agg: { t: string | null; b: string | null; n: number; cents: string; elders: number; g: number }[];
  diff: { kind: 'added' | 'stopped' | 'changed'; n: number }[];
  items: PreviewItem[];
}
export interface PreviewItem {
  kind: 'added' | 'stopped' | 'changed';
  elder_id: string;
  name: string;
  benefit_code: string;
  before: number | null;
  after: number | null;
  pf: Record<string, unknown> | null;
  qf: Record<string, unknown> | null;
  ptier: string | null;
  qtier: string | null;
  status: string;
  death_date: string | null;
  moved_out_date: string | null;
}

/**
 * What a run would pay: totals by township and benefit and the changes against last month's
 * lines. For the county or a township under the policy in force, read from the month's draft
 * (drafts.ts; the caller brings it up to date first, see `refreshDraft`); for another policy
 * version (comparison), a village, or a month without a fresh draft, computed live.
 */
export async function preview(tx: Executor, o: { regionCode: string; month: string; policyId?: string; changeLimit?: number }): Promise<PreviewResult> {
  const county = o.regionCode.slice(0, 6);
  const month = monthStart(o.month);
  const policy = o.policyId ? await getPolicy(tx, o.policyId) : await requirePolicyFor(tx, county, month);
  const limit = o.changeLimit ?? 100;
  const parts =
    (!o.policyId && (await draftParts(tx, { regionCode: o.regionCode, month, policyId: policy.id, limit }))) ||
    (await liveParts(tx, policy, o.regionCode, month, limit));
  return present(tx, policy, o.regionCode, month, parts);
}

/** The preview's figures computed from scratch by the engine's query. */
export async function liveParts(tx: Executor, policy: { rules: PolicyRules }, regionCode: string, month: string, limit: number): Promise<PreviewParts> {
  const cohort = regionCohort(regionCode);
  const q = linesQuery(policy.rules, month, cohort);
  const prevMonth = addMonths(month, -1);
  const s = scopeOf(regionCode);
  type Item = PreviewItem;
  // One statement: the month's lines computed once, aggregated, and fully joined with last month's.
  const out = await setWise(tx, () =>
    tx.one<{
      agg: { t: string | null; b: string | null; n: number; cents: string; elders: number; g: number }[] | null;
      diff: { kind: 'added' | 'stopped' | 'changed'; n: number }[] | null;
      items: Item[] | null;
    }>(sql`
    with q as materialized (${q}), p as (
      select elder_id, benefit_code, amount_cents, facts, tier from benefit_lines
       where for_month = ${prevMonth}::date and region_code between ${s.lo} and ${s.hi}),
    d as materialized (
      select case when p.elder_id is null then 'added' when q.elder_id is null then 'stopped' else 'changed' end as kind,
             coalesce(q.elder_id, p.elder_id) as elder_id, coalesce(q.benefit_code, p.benefit_code) as benefit_code,
             p.amount_cents as before, q.amount_cents as after, p.facts as pf, q.facts as qf, p.tier as ptier, q.tier as qtier
        from q full join p on p.elder_id = q.elder_id and p.benefit_code = q.benefit_code
       where p.elder_id is null or q.elder_id is null or p.amount_cents <> q.amount_cents)
    select
      (select json_agg(a) from (
         select left(region_code, 9) as t, benefit_code as b, count(*)::int as n, coalesce(sum(amount_cents), 0)::text as cents,
                count(distinct elder_id)::int as elders, grouping(left(region_code, 9), benefit_code)::int as g
           from q group by grouping sets ((left(region_code, 9)), (benefit_code), ())) a) as agg,
      (select json_agg(x) from (select kind, count(*)::int as n from d group by kind) x) as diff,
      (select json_agg(i order by i.kind, i.elder_id, i.benefit_code) from (
         select r.kind, r.elder_id::text as elder_id, e.name, r.benefit_code, r.before, r.after, r.pf, r.qf, r.ptier, r.qtier,
                e.status, e.death_date::text as death_date, e.moved_out_date::text as moved_out_date
           from (select d.*, row_number() over (partition by kind order by elder_id, benefit_code) as rn from d) r
           join elders e on e.id = r.elder_id where r.rn <= ${limit}) i) as items`),
  );
  return { agg: out?.agg ?? [], diff: out?.diff ?? [], items: out?.items ?? [] };
}

async function present(
  tx: Executor,
  policy: { id: string; name: string; version: number; effective_from: string; rules: PolicyRules },
  regionCode: string,
  month: string,
  parts: PreviewParts,
): Promise<PreviewResult> {
  const o = { regionCode };
  const county = regionCode.slice(0, 6);
  const prevMonth = addMonths(month, -1);
  const names = new Map(policy.rules.benefits.map((b) => [b.code, b.name]));
  const pay = new Map(policy.rules.benefits.map((b) => [b.code, b.payment]));
  const { agg: rows, diff, items } = parts;
  const hadPrev = await tx.one<{ x: number }>(sql`select 1 as x from benefit_runs where county_code = ${county} and month = ${prevMonth}::date`);
  const tnames = new Map((await townshipsOf(tx, o.regionCode)).map((t) => [t.code.slice(0, 9), t.name]));
  const all = rows.find((r) => r.g === 3);
  // In the policy's own order of benefits.
  const order = new Map(policy.rules.benefits.map((b, i) => [b.code, i]));
  const byBenefit = rows
    .filter((r) => r.g === 2)
    .map((r) => ({ code: r.b!, name: names.get(r.b!) ?? r.b!, lines: r.n, totalCents: Number(r.cents) }))
    .sort((a, b) => (order.get(a.code) ?? 99) - (order.get(b.code) ?? 99) || a.code.localeCompare(b.code));
  const cash = byBenefit.filter((b) => pay.get(b.code) === 'cash').reduce((a, b) => a + b.totalCents, 0);
  const counts = { added: 0, stopped: 0, changed: 0 };
  for (const d of diff) counts[d.kind] = d.n;
  return {
    month,
    regionCode: o.regionCode,
    policy: { id: policy.id, name: policy.name, version: policy.version, effectiveFrom: policy.effective_from },
    totals: {
      lines: all?.n ?? 0,
      elders: all?.elders ?? 0,
      totalCents: Number(all?.cents ?? 0),
      cashCents: cash,
      serviceCents: Number(all?.cents ?? 0) - cash,
    },
    byTownship: rows
      .filter((r) => r.g === 1)
      .map((r) => ({ code: r.t!.padEnd(12, '0'), name: tnames.get(r.t!) ?? r.t!, lines: r.n, totalCents: Number(r.cents) }))
      .sort((a, b) => a.code.localeCompare(b.code)),
    byBenefit,
    changes: {
      counts,
      previousMonth: prevMonth,
      previousSource: hadPrev ? 'run' : 'none',
      items: items.map((i) => ({
        kind: i.kind,
        elderId: i.elder_id,
        elderName: maskName(i.name) ?? '',
        benefit: names.get(i.benefit_code) ?? i.benefit_code,
        before: i.before,
        after: i.after,
        reason: explainChange(i),
      })),
    },
  };
}

// ---------------------------------------------------------------- runs

/** Creates the run of a month (county-wide) with the policy version in force. */
export async function createRun(tx: Executor, p: Principal, month: string): Promise<string> {
  const county = p.countyCode;
  const m = monthStart(month);
  const existing = await tx.one<{ id: string; status: string }>(
    sql`select id::text as id, status from benefit_runs where county_code = ${county} and month = ${m}::date`,
  );
  if (existing) throw runExists(m, existing);
  const later = await tx.one<{ m: string }>(
    sql`select month::text as m from benefit_runs where county_code = ${county} and month > ${m}::date and status = 'approved' limit 1`,
  );
  if (later)
    throw conflict(
      'LATER_MONTH_APPROVED',
      `${later.m.slice(0, 7)} 已审批，不能再计算更早的月份；漏发月份会在下次发放中补发`,
      `a later month is approved; missed months are back-paid in the next run`,
    );
  const policy = await requirePolicyFor(tx, county, m);
  // One statement decides who creates it: a concurrent caller finds the row and gets 409.
  const row = await tx.one<{ id: string }>(sql`insert into benefit_runs (county_code, region_code, month, policy_id, computed_by, summary, heartbeat_at)
    values (${county}, ${county.padEnd(12, '0')}, ${m}::date, ${policy.id}, ${p.userId}, '{"done":[]}'::jsonb, now())
    on conflict (county_code, month) do nothing returning id::text as id`);
  if (!row) {
    const other = await tx.one<{ id: string; status: string }>(
      sql`select id::text as id, status from benefit_runs where county_code = ${county} and month = ${m}::date`,
    );
    throw runExists(m, other ?? { id: '', status: 'computing' });
  }
  return row.id;
}

function runExists(m: string, run: { id: string; status: string }) {
  return run.status === 'approved'
    ? conflict('RUN_APPROVED', `${m.slice(0, 7)} 的发放已审批并锁定`, `the run of ${m.slice(0, 7)} is approved and locked`, { id: run.id })
    : conflict(
        'RUN_EXISTS',
        `${m.slice(0, 7)} 已有发放批次（${run.status === 'computing' ? '计算中' : '已计算'}），请在该批次上继续；如需重算请先作废`,
        `the run of ${m.slice(0, 7)} exists (${run.status}); continue with it, or discard it to compute again`,
        { id: run.id },
      );
}

/**
 * Claims a run whose compute stopped (status computing, stale heartbeat) to compute it on: one
 * conditional update under the run's lock, so of concurrent callers exactly one computes.
 */
export async function claimCompute(tx: Executor, runId: string): Promise<RunRow> {
  const run = await lockRun(tx, runId);
  if (run.status === 'approved') throw conflict('RUN_APPROVED', '该批次已审批并锁定', 'this run is approved and locked');
  if (run.status === 'computed') throw conflict('RUN_COMPUTED', '该批次已计算完成；如需重算请先作废再计算', 'the run is computed; discard it to compute again');
  const n = await tx.exec(sql`update benefit_runs set heartbeat_at = now() where id = ${runId} and status = 'computing' and ${staleBeat(sql`heartbeat_at`)}`);
  if (!n) throw runComputing();
  return run;
}

export interface ComputeOptions {
  /** Test hook: throw after this many townships have committed (a crash mid-run). */
  crashAfter?: number;
  /** Step timings (benchmarks). */
  onStep?: (step: string, ms: number) => void;
}

/**
 * Computes a run: each township in its own transaction (lines + progress together), then
 * back-pay, recovery and payments, each idempotent. Safe to call again after a crash, and
 * concurrently: the database's unique keys make every step exactly-once.
 */
export async function computeRun(db: Database, p: Principal, runId: string, o: ComputeOptions = {}): Promise<RunRow> {
  const scope = principalScope(p);
  const { run, policy, towns } = await db.scoped(scope, async (tx) => {
    const run = await getRun(tx, runId);
    if (run.status === 'approved') throw conflict('RUN_APPROVED', '该批次已审批并锁定', 'this run is approved and locked');
    const policy = await getPolicy(tx, run.policy_id);
    const towns = await townshipsOf(tx, run.county_code.padEnd(12, '0'));
    return { run, policy, towns };
  });
  // The caller claimed the run (createRun, claimCompute, resumeStuckRuns); while this computes,
  // its heartbeat tells other processes it is alive.
  const stopBeating = keepBeating(() =>
    db.system((tx) => tx.exec(sql`update benefit_runs set heartbeat_at = now() where id = ${runId} and status = 'computing'`)),
  );
  try {
    return await computeClaimed(db, p, run, policy, towns, o);
  } finally {
    stopBeating();
  }
}

async function computeClaimed(
  db: Database,
  p: Principal,
  run: RunRow,
  policy: Awaited<ReturnType<typeof getPolicy>>,
  towns: { code: string; name: string }[],
  o: ComputeOptions,
): Promise<RunRow> {
  const scope = principalScope(p);
  const runId = run.id;
  const steps = towns.length + 3;
  let t0 = performance.now();
  const step = (name: string) => {
    o.onStep?.(name, performance.now() - t0);
    t0 = performance.now();
  };
  // The month's lines come from its draft when the draft is current under the run's policy
  // version (brought up to date here: only the elders written since), else computed live
  // township by township (a draft needing a rebuild is left to the background refresh: building
  // it first would make the run longer, not shorter).
  const drafted = await refreshDraft(db, run.county_code, run.month, { allowRebuild: false });
  const fromDraft =
    (drafted.action === 'none' || drafted.action === 'incremental') &&
    !!(await db.system((tx) =>
      tx.one(sql`select 1 as x from benefit_drafts where county_code = ${run.county_code} and for_month = ${run.month}::date and policy_id = ${policy.id}`),
    ));
  step(`draft (${drafted.action})`);
  let n = 0;
  for (const t of towns) {
    if (run.summary?.done.includes(t.code)) continue;
    if (o.crashAfter != null && n >= o.crashAfter) throw new Error(`simulated crash after ${n} townships`);
    await db.scoped(scope, async (tx) => {
      await tx.exec(sql`select pg_advisory_xact_lock(hashtext(${runId}::text))`);
      // Another compute of the run (a resume beside this one) may have done it meanwhile.
      const done = sql`coalesce(summary->'done', '[]'::jsonb)`;
      if (await tx.one(sql`select 1 as x from benefit_runs where id = ${runId} and ${done} @> jsonb_build_array(${t.code}::text)`)) return;
      if (fromDraft) await insertLinesFromDraft(tx, { county: run.county_code, month: run.month, cohort: regionCohort(t.code), runId, policyId: policy.id });
      else
        await insertLines(tx, {
          rules: policy.rules,
          month: run.month,
          cohort: regionCohort(t.code),
          runId,
          policyId: policy.id,
          kind: 'regular',
          payments: true,
        });
      // Progress counts the townships recorded as done, each once.
      await tx.exec(sql`update benefit_runs set heartbeat_at = now(), progress = least(99, ((jsonb_array_length(${done}) + 1) * 100) / ${steps}::int),
          summary = jsonb_set(coalesce(summary, '{}'), '{done}', ${done} || to_jsonb(${t.code}::text))
        where id = ${runId} and status = 'computing'`);
    });
    n += 1;
    step(`lines ${t.code}`);
    await new Promise((r) => setImmediate(r)); // let progress polls through (PGlite has one connection)
  }
  await db.scoped(scope, async (tx) => {
    await tx.exec(sql`select pg_advisory_xact_lock(hashtext(${runId}::text))`);
    await backpay(tx, run);
    step('back-pay');
    await tx.exec(sql`update benefit_runs set heartbeat_at = now(), progress = greatest(progress, ${Math.floor(((towns.length + 1) * 100) / steps)})
      where id = ${runId} and status = 'computing'`);
  });
  await db.scoped(scope, async (tx) => {
    await tx.exec(sql`select pg_advisory_xact_lock(hashtext(${runId}::text))`);
    // A concurrent compute of the run finished it: its summary and audit entry stand.
    if ((await getRun(tx, runId)).status !== 'computing') return;
    await recover(tx, run);
    step('recovery');
    await pay(tx, run);
    step('payments');
    const summary = await summarise(tx, run);
    step('summary');
    const n = await tx.exec(sql`update benefit_runs set status = 'computed', progress = 100, computed_by = ${p.userId}, computed_at = now(),
        summary = ${JSON.stringify(summary)}::jsonb where id = ${runId} and status = 'computing'`);
    if (n)
      await writeAudit(tx, auditActor(p), {
        action: 'compute',
        entity: 'benefit_run',
        entityId: runId,
        regionCode: run.county_code.padEnd(12, '0'),
        after: { month: run.month, ...summary, done: undefined },
      });
  });
  return db.scoped(scope, (tx) => getRun(tx, runId));
}

/**
 * Runs left `computing` by a process that stopped midway (crash, restart), computed to the end
 * as the person who started them; called at start and every minute (background.ts). A run is
 * taken over only when its heartbeat is stale — on PostgreSQL another process may be computing
 * it — except at start on PGlite, where no other process can be (kernel/heartbeat.ts). Each run
 * is claimed by one conditional update under its lock, one at a time, so a run waiting its turn
 * is not claimed while nobody beats for it.
 */
export async function resumeStuckRuns(db: Database, o: { atStart?: boolean } = {}): Promise<string[]> {
  const any = !!o.atStart && db.kind === 'pglite';
  const orphaned = sql`status = 'computing' and (${any} or ${staleBeat(sql`heartbeat_at`)})`;
  const resumed: string[] = [];
  const tried = new Set<string>();
  for (;;) {
    const next = await db.system((tx) =>
      tx.one<{ id: string }>(
        sql`select id::text as id from benefit_runs where ${orphaned} and not (id = any(${arr([...tried])}::uuid[])) order by month limit 1`,
      ),
    );
    if (!next) break;
    tried.add(next.id);
    const r = await db.system(async (tx) => {
      await tx.exec(sql`select pg_advisory_xact_lock(hashtext(${next.id}::text))`);
      return tx.one<{ id: string; user_id: string; username: string; display_name: string; role: Principal['role']; region_code: string; county_code: string }>(
        sql`update benefit_runs r set heartbeat_at = now() from users u
             where r.id = ${next.id} and u.id = r.computed_by and r.status = 'computing' and (${any} or ${staleBeat(sql`r.heartbeat_at`)})
         returning r.id::text as id, u.id::text as user_id, u.username, u.display_name, u.role, u.region_code, u.county_code`,
      );
    });
    if (!r) continue;
    const p: Principal = {
      userId: r.user_id,
      username: r.username,
      displayName: r.display_name,
      role: r.role,
      regionCode: r.region_code,
      countyCode: r.county_code,
      providerId: null,
      sessionId: '',
      csrfToken: '',
      mustChangePassword: false,
    };
    await computeRun(db, p, r.id);
    resumed.push(r.id);
  }
  return resumed;
}

export const auditActor = (p: Principal) => ({ id: p.userId, name: p.displayName, role: p.role });

/**
 * Back-pay (补发): months of the last `backpayMonths` whose runs already exist, recomputed for
 * elders whose facts changed since those runs, each month under its own policy version; only
 * lines missing for that month are added (an amount already paid is not revised).
 */
async function backpay(tx: Executor, run: RunRow): Promise<void> {
  const policy = await getPolicy(tx, run.policy_id);
  const window = policy.rules.backpayMonths;
  if (!window) return;
  const earlier = await tx.rows<{ month: string; computed_at: string }>(sql`select month::text as month, computed_at::text as computed_at from benefit_runs
     where county_code = ${run.county_code} and month < ${run.month}::date and month >= ${addMonths(run.month, -window)}::date
       and status in ('computed', 'approved') and computed_at is not null order by month`);
  const county = run.county_code.padEnd(12, '0');
  const s = scopeOf(county);
  for (const m of earlier) {
    const pol = await policyFor(tx, run.county_code, m.month);
    if (!pol) continue;
    // Elders whose registry facts changed after that month was computed (by the created_at indexes).
    const after = sql`${m.computed_at}::timestamptz`;
    const ids =
      (
        await tx.one<{ ids: string[] | null }>(sql`select array_agg(distinct x)::text[] as ids from (
        select elder_id as x from elder_categories where created_at > ${after} and region_code between ${s.lo} and ${s.hi}
        union all select elder_id from assessments where created_at > ${after} and region_code between ${s.lo} and ${s.hi}
        union all select elder_id from benefit_applications where decided_at > ${after} and region_code between ${s.lo} and ${s.hi}
        union all select id from elders where created_at > ${after} and region_code between ${s.lo} and ${s.hi}) c`)
      )?.ids ?? [];
    if (!ids.length) continue;
    await insertLines(tx, {
      rules: pol.rules,
      month: m.month,
      cohort: { lo: s.lo, hi: s.hi, where: sql`e.id = any(${arr(ids)}::uuid[])` },
      runId: run.id,
      policyId: pol.id,
      kind: 'backpay',
      // A few elders are looked up by index; many are joined set-wise like a whole township.
      setWise: ids.length > BACKPAY_BY_INDEX_MAX,
    });
  }
}

/** Up to this many elders to back-pay in a month, their facts are read by index lookups. */
const BACKPAY_BY_INDEX_MAX = 20_000;

/**
 * Recovery (追回): lines for months after an elder's death or move-out whose payment went out
 * (or is in an approved run), found when the death was reported late.
 */
async function recover(tx: Executor, run: RunRow): Promise<void> {
  const policy = await getPolicy(tx, run.policy_id);
  const sameMonth = policy.rules.benefits.filter((b) => b.stopsFrom === 'same_month').map((b) => b.code);
  await tx.exec(sql`insert into benefit_recoveries (county_code, region_code, line_id, elder_id, amount_cents, reason, found_in_run)
    select l.county_code, l.region_code, l.id, l.elder_id, l.amount_cents,
           case e.status when 'deceased' then '死亡（' || e.death_date || '）后发放' else '迁出（' || e.moved_out_date || '）后发放' end,
           ${run.id}
      from benefit_lines l join elders e on e.id = l.elder_id
     where l.county_code = ${run.county_code} and l.amount_cents > 0 and e.status in ('deceased', 'moved_out')
       and l.for_month >= case when l.benefit_code = any(${arr(sameMonth)}::text[])
                               then date_trunc('month', coalesce(e.death_date, e.moved_out_date))::date
                               else (date_trunc('month', coalesce(e.death_date, e.moved_out_date)) + interval '1 month')::date end
       and (exists (select 1 from benefit_payments bp where bp.line_id = l.id and bp.status = 'paid')
            or exists (select 1 from benefit_runs r where r.id = l.run_id and r.status = 'approved' and l.payment = 'cash'))
    on conflict (line_id) do nothing`);
}

/** Payment attempts of the run: its back-pay cash lines (regular lines got theirs with the
 * township's lines, in the same statement), and failed payments of earlier runs again. */
async function pay(tx: Executor, run: RunRow): Promise<void> {
  await tx.exec(sql`insert into benefit_payments (county_code, region_code, run_id, line_id, attempt, amount_cents)
    select l.county_code, l.region_code, ${run.id}, l.id, 1, l.amount_cents
      from benefit_lines l where l.run_id = ${run.id} and l.kind = 'backpay' and l.payment = 'cash' and l.amount_cents > 0
    on conflict (run_id, line_id) do nothing`);
  // Reissue (重发): a failed attempt with no later attempt, and no recovery open for its line.
  await tx.exec(sql`insert into benefit_payments (county_code, region_code, run_id, line_id, attempt, amount_cents)
    select f.county_code, f.region_code, ${run.id}, f.line_id, f.attempt + 1, f.amount_cents
      from benefit_payments f
     where f.county_code = ${run.county_code} and f.status = 'failed' and f.run_id <> ${run.id}
       and not exists (select 1 from benefit_payments n where n.line_id = f.line_id and n.attempt > f.attempt)
       and not exists (select 1 from benefit_recoveries rc where rc.line_id = f.line_id)
    on conflict (run_id, line_id) do nothing`);
}

async function summarise(tx: Executor, run: RunRow): Promise<RunSummary> {
  const l = await tx.one<{ lines: number; total: string; bl: number; bc: string }>(sql`select count(*) filter (where kind = 'regular')::int as lines,
      coalesce(sum(amount_cents) filter (where kind = 'regular'), 0)::text as total,
      count(*) filter (where kind = 'backpay')::int as bl, coalesce(sum(amount_cents) filter (where kind = 'backpay'), 0)::text as bc
    from benefit_lines where run_id = ${run.id}`);
  const r = await tx.one<{ n: number; c: string }>(
    sql`select count(*)::int as n, coalesce(sum(amount_cents), 0)::text as c from benefit_recoveries where found_in_run = ${run.id}`,
  );
  const pm = await tx.one<{ n: number; re: number }>(
    sql`select count(*)::int as n, count(*) filter (where attempt > 1)::int as re from benefit_payments where run_id = ${run.id}`,
  );
  const done = (await getRun(tx, run.id)).summary?.done ?? [];
  return {
    done,
    lines: l!.lines,
    totalCents: Number(l!.total),
    backpayLines: l!.bl,
    backpayCents: Number(l!.bc),
    recoveries: r!.n,
    recoveryCents: Number(r!.c),
    payments: pm!.n,
    reissued: pm!.re,
  };
}

/**
 * A run is one county-level row whose `summary` holds county totals. A user below the county
 * sees figures computed from the run's lines, recoveries and payments in their own region
 * (progress fields `done`/`steps` stay as they are). One grouped statement per table for any
 * number of runs, so the run list costs the same as one run.
 */
export async function summariesInScope(tx: Executor, runs: RunRow[], regionCode: string): Promise<Map<string, RunSummary | null>> {
  const out = new Map<string, RunSummary | null>(runs.map((r) => [r.id, r.summary]));
  const ids = runs.filter((r) => r.summary?.lines != null && !inScope(scopeOf(regionCode), r.county_code.padEnd(12, '0'))).map((r) => r.id);
  if (ids.length === 0) return out;
  const s = scopeOf(regionCode);
  const lines = await tx.rows<{ id: string; lines: number; total: string; bl: number; bc: string }>(sql`select run_id::text as id,
        count(*) filter (where kind = 'regular')::int as lines, coalesce(sum(amount_cents) filter (where kind = 'regular'), 0)::text as total,
        count(*) filter (where kind = 'backpay')::int as bl, coalesce(sum(amount_cents) filter (where kind = 'backpay'), 0)::text as bc
      from benefit_lines where run_id = any(${arr(ids)}::uuid[]) and region_code between ${s.lo} and ${s.hi} group by run_id`);
  const recs = await tx.rows<{
    id: string;
    n: number;
    c: string;
  }>(sql`select found_in_run::text as id, count(*)::int as n, coalesce(sum(amount_cents), 0)::text as c
      from benefit_recoveries where found_in_run = any(${arr(ids)}::uuid[]) and region_code between ${s.lo} and ${s.hi} group by found_in_run`);
  const pays = await tx.rows<{
    id: string;
    n: number;
    re: number;
  }>(sql`select run_id::text as id, count(*)::int as n, count(*) filter (where attempt > 1)::int as re
      from benefit_payments where run_id = any(${arr(ids)}::uuid[]) and region_code between ${s.lo} and ${s.hi} group by run_id`);
  const L = new Map(lines.map((x) => [x.id, x]));
  const R = new Map(recs.map((x) => [x.id, x]));
  const P = new Map(pays.map((x) => [x.id, x]));
  for (const r of runs) {
    if (!ids.includes(r.id)) continue;
    const l = L.get(r.id);
    const rc = R.get(r.id);
    const pm = P.get(r.id);
    out.set(r.id, {
      done: r.summary?.done ?? [],
      ...(r.summary?.steps ? { steps: r.summary.steps } : {}),
      lines: l?.lines ?? 0,
      totalCents: Number(l?.total ?? 0),
      backpayLines: l?.bl ?? 0,
      backpayCents: Number(l?.bc ?? 0),
      recoveries: rc?.n ?? 0,
      recoveryCents: Number(rc?.c ?? 0),
      payments: pm?.n ?? 0,
      reissued: pm?.re ?? 0,
    });
  }
  return out;
}

/** Per-township view of a run: lines, totals and the review. */
export async function runTownships(tx: Executor, run: RunRow, regionCode: string) {
  const towns = await townshipsOf(tx, regionCode);
  const s = scopeOf(regionCode);
  const sums = await tx.rows<{ t: string; n: number; c: string; bn: number }>(sql`select left(region_code, 9) as t, count(*)::int as n,
      coalesce(sum(amount_cents), 0)::text as c, count(*) filter (where kind = 'backpay')::int as bn
    from benefit_lines where run_id = ${run.id} and region_code between ${s.lo} and ${s.hi} group by 1`);
  const reviews = await tx.rows<{ region_code: string; status: string; note: string | null; reviewed_at: string; reviewer: string | null }>(sql`
    select rv.region_code, rv.status, rv.note, rv.reviewed_at::text as reviewed_at, u.display_name as reviewer
      from benefit_run_reviews rv left join users u on u.id = rv.reviewed_by where rv.run_id = ${run.id}`);
  const byT = new Map(sums.map((x) => [x.t, x]));
  const byR = new Map(reviews.map((x) => [x.region_code, x]));
  return towns.map((t) => {
    const x = byT.get(t.code.slice(0, 9));
    const r = byR.get(t.code);
    return {
      code: t.code,
      name: t.name,
      lines: x?.n ?? 0,
      totalCents: Number(x?.c ?? 0),
      backpayLines: x?.bn ?? 0,
      review: r ? { status: r.status as 'confirmed' | 'returned', note: r.note, reviewedAt: r.reviewed_at, reviewer: r.reviewer } : null,
    };
  });
}

/** A township's review of a run, under the run's lock (see lockRun); the same review twice is 409. */
export async function reviewTownship(tx: Executor, p: Principal, runId: string, township: string, status: 'confirmed' | 'returned', note: string | null) {
  const run = await lockRun(tx, runId);
  if (run.status !== 'computed')
    throw conflict(
      'RUN_NOT_COMPUTED',
      run.status === 'approved' ? '该批次已审批' : '该批次尚未计算完成',
      run.status === 'approved' ? 'the run is approved' : 'the run is not computed yet',
    );
  if (township.slice(9) !== '000' || township.slice(6, 9) === '000') throw forbidden('只能按乡镇（街道）审核', 'review is per township');
  const n = await tx.exec(sql`insert into benefit_run_reviews (run_id, county_code, region_code, status, note, reviewed_by)
    values (${run.id}, ${run.county_code}, ${township}, ${status}, ${note}, ${p.userId})
    on conflict (run_id, region_code) do update set status = excluded.status, note = excluded.note, reviewed_by = excluded.reviewed_by, reviewed_at = now()
      where (benefit_run_reviews.status, coalesce(benefit_run_reviews.note, '')) is distinct from (excluded.status, coalesce(excluded.note, ''))`);
  if (!n)
    throw conflict(
      'ALREADY_REVIEWED',
      status === 'confirmed' ? '该乡镇（街道）已确认，无需重复确认' : '该乡镇（街道）已按同样的理由退回',
      status === 'confirmed' ? 'this township is already confirmed' : 'this township is already returned with the same note',
    );
  return run;
}

/** The county's approval, under the run's lock; one conditional update (computed → approved). */
export async function approveRun(tx: Executor, p: Principal, runId: string): Promise<RunRow> {
  const run = await lockRun(tx, runId);
  if (run.status === 'approved') throw conflict('RUN_APPROVED', '该批次已审批', 'the run is already approved');
  if (run.status !== 'computed') throw conflict('RUN_NOT_COMPUTED', '该批次尚未计算完成', 'the run is not computed yet');
  if (run.computed_by === p.userId)
    throw forbidden(
      '计算发放批次的人不能审批同一批次，请由另一位县级管理员审批',
      'the person who computed a run cannot approve it; another county admin must approve',
    );
  const towns = await runTownships(tx, run, run.county_code.padEnd(12, '0'));
  const pending = towns.filter((t) => t.lines > 0 && t.review?.status !== 'confirmed');
  if (pending.length)
    throw conflict(
      'REVIEW_PENDING',
      `以下乡镇（街道）尚未确认：${pending.map((t) => t.name).join('、')}`,
      `townships not yet confirmed: ${pending.map((t) => t.code).join(', ')}`,
      { townships: pending.map((t) => t.code) },
    );
  const n = await tx.exec(
    sql`update benefit_runs set status = 'approved', approved_by = ${p.userId}, approved_at = now() where id = ${run.id} and status = 'computed'`,
  );
  if (!n) throw conflict('RUN_APPROVED', '该批次已审批', 'the run is already approved');
  return run;
}

/** Discards a run that is not approved (to recompute after a township returned it), under the
 * run's lock; not while a live process computes it. A second discard finds no run (404). */
export async function discardRun(tx: Executor, runId: string): Promise<RunRow> {
  const run = await lockRun(tx, runId);
  if (run.status === 'approved') throw conflict('RUN_APPROVED', '已审批的批次不能作废', 'an approved run cannot be discarded');
  if (await computingNow(tx, run.id)) throw runComputing();
  await tx.exec(sql`delete from benefit_payments where run_id = ${run.id}`);
  await tx.exec(sql`delete from benefit_recoveries where found_in_run = ${run.id}`);
  await tx.exec(sql`delete from benefit_lines where run_id = ${run.id}`);
  const n = await tx.exec(sql`delete from benefit_runs where id = ${run.id} and status <> 'approved'`);
  if (!n) throw notFound('发放批次', 'benefit run');
  return run;
}
