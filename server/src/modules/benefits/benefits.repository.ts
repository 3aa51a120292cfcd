/**
 * SQL of the benefits routes that is not a run's, a policy's or a payment's (those live in
 * runs.ts, policies.ts and payments.ts): lines, applications, recoveries, bank accounts, stats.
 * Statement texts are kept as they were in the routes (statements are prepared by text).
 */
import { sql, type Executor, type SQL } from '../../kernel/db.js';
import type { LineFacts } from './explain.js';

export interface LineRow {
  id: string;
  county_code: string;
  elder_id: string;
  name: string;
  id_number: string;
  region: string | null;
  benefit_code: string;
  for_month: string;
  kind: string;
  tier: string;
  amount_cents: number;
  payment: string;
  policy_id: string;
  facts: LineFacts;
  pay_status: string | null;
  recovery: string | null;
}

export interface ApplicationRow {
  id: string;
  elder_id: string;
  name: string;
  id_number: string;
  region: string | null;
  county_code: string;
  region_code: string;
  benefit_code: string;
  applied_on: string;
  status: string;
  note: string | null;
  refusal_reason: string | null;
  docs: { id: string; filename: string; sizeBytes: number }[];
}

export interface RecoveryRow {
  id: string;
  elder_id: string;
  name: string;
  id_number: string;
  region: string | null;
  benefit_code: string;
  for_month: string;
  amount_cents: number;
  reason: string;
  status: string;
  settle_note: string | null;
}

export interface DocumentRow {
  filename: string;
  mime: string;
  content: Buffer;
  region_code: string;
  application_id: string;
}

export interface StatsRow {
  month: string;
  t: string;
  tn: string | null;
  b: string;
  n: number;
  c: string;
}

function lineRows(tx: Executor, where: SQL, limit: number, offset: number, order = sql`l.region_code, l.elder_id, l.benefit_code`) {
  return tx.rows<LineRow>(sql`select l.id::text as id, l.county_code, l.elder_id::text as elder_id, e.name, e.id_number, v.name as region, l.benefit_code,
      l.for_month::text as for_month, l.kind, l.tier, l.amount_cents, l.payment, l.policy_id::text as policy_id, l.facts,
      (select bp.status from benefit_payments bp where bp.line_id = l.id order by bp.attempt desc limit 1) as pay_status,
      (select rc.status from benefit_recoveries rc where rc.line_id = l.id) as recovery
    from benefit_lines l join elders e on e.id = l.elder_id left join regions v on v.code = l.region_code
    where ${where} order by ${order} limit ${limit} offset ${offset}`);
}

const appRows = (tx: Executor, where: SQL, limit = 50, offset = 0) =>
  tx.rows<ApplicationRow>(sql`select a.id::text as id, a.elder_id::text as elder_id, e.name, e.id_number, v.name as region, a.county_code, a.region_code, a.benefit_code,
        a.applied_on::text as applied_on, a.status, a.note, a.refusal_reason,
        coalesce((select json_agg(json_build_object('id', d.id, 'filename', d.filename, 'sizeBytes', d.size_bytes) order by d.created_at)
                    from benefit_application_docs d where d.application_id = a.id), '[]') as docs
      from benefit_applications a join elders e on e.id = a.elder_id left join regions v on v.code = a.region_code
     where ${where} order by a.created_at desc limit ${limit} offset ${offset}`);

export const benefitsRepo = {
  /** Benefit code → name, from the county's policies (the active, newest version first). */
  async benefitNames(tx: Executor, county: string): Promise<Map<string, string>> {
    const rows = await tx.rows<{ code: string; name: string }>(sql`select distinct on (b->>'code') b->>'code' as code, b->>'name' as name
    from benefit_policies p, jsonb_array_elements(p.rules->'benefits') b where p.county_code = ${county}
    order by b->>'code', p.active desc, p.version desc`);
    return new Map(rows.map((r) => [r.code, r.name]));
  },

  regionName: (tx: Executor, code: string) => tx.one<{ name: string }>(sql`select name from regions where code = ${code}`),

  // ------------------------------------------------------------ lines
  /** A page of a run's lines in the region range `lo`..`hi`, and their count. */
  async runLines(
    tx: Executor,
    f: { runId: string; lo: string; hi: string; benefit?: string; kind?: string; limit: number; offset: number },
  ): Promise<{ rows: LineRow[]; total: number }> {
    const where = sql`l.run_id = ${f.runId} and l.region_code between ${f.lo} and ${f.hi}
        ${f.benefit ? sql`and l.benefit_code = ${f.benefit}` : sql``} ${f.kind ? sql`and l.kind = ${f.kind}` : sql``}`;
    const total = await tx.one<{ n: number }>(sql`select count(*)::int as n from benefit_lines l where ${where}`);
    const rows = await lineRows(tx, where, f.limit, f.offset);
    return { rows, total: total!.n };
  },

  line: async (tx: Executor, id: string): Promise<LineRow | undefined> => (await lineRows(tx, sql`l.id = ${id}`, 1, 0))[0],

  elderLines: (tx: Executor, elderId: string) => lineRows(tx, sql`l.elder_id = ${elderId}`, 500, 0, sql`l.for_month desc, l.benefit_code`),

  linePayments: (tx: Executor, lineId: string) =>
    tx.rows(sql`select bp.attempt, bp.status, bp.fail_reason as "failReason", bp.bank_ref as "bankRef", r.month::text as "runMonth"
        from benefit_payments bp join benefit_runs r on r.id = bp.run_id where bp.line_id = ${lineId} order by bp.attempt`),

  // ------------------------------------------------------------ elders
  elderCounty: (tx: Executor, id: string) => tx.one<{ county_code: string }>(sql`select county_code from elders where id = ${id}`),

  elderHome: (tx: Executor, id: string) =>
    tx.one<{ county_code: string; region_code: string }>(sql`select county_code, region_code from elders where id = ${id}`),

  elderForApplication: (tx: Executor, id: string) =>
    tx.one<{ county_code: string; region_code: string; status: string }>(sql`select county_code, region_code, status from elders where id = ${id}`),

  upsertBankAccount: (
    tx: Executor,
    elderId: string,
    e: { county_code: string; region_code: string },
    a: { bankCode: string; bankName: string; accountNo: string; holderName: string },
  ) =>
    tx.exec(sql`insert into elder_bank_accounts (elder_id, county_code, region_code, bank_code, bank_name, account_no, holder_name)
        values (${elderId}, ${e.county_code}, ${e.region_code}, ${a.bankCode}, ${a.bankName}, ${a.accountNo}, ${a.holderName})
        on conflict (elder_id) do update set bank_code = excluded.bank_code, bank_name = excluded.bank_name, account_no = excluded.account_no,
          holder_name = excluded.holder_name, updated_at = now()`),

  // ------------------------------------------------------------ applications
  async applications(
    tx: Executor,
    f: { status?: string; benefit?: string; range: { lo: string; hi: string } | null; limit: number; offset: number },
  ): Promise<{ rows: ApplicationRow[]; total: number }> {
    const r = f.range;
    const where = sql`${f.status ? sql`a.status = ${f.status}` : sql`true`} and ${f.benefit ? sql`a.benefit_code = ${f.benefit}` : sql`true`}
        and ${r ? sql`a.region_code between ${r.lo} and ${r.hi}` : sql`true`}`;
    const total = await tx.one<{ n: number }>(sql`select count(*)::int as n from benefit_applications a where ${where}`);
    const rows = await appRows(tx, where, f.limit, f.offset);
    return { rows, total: total!.n };
  },

  application: async (tx: Executor, id: string): Promise<ApplicationRow | undefined> => (await appRows(tx, sql`a.id = ${id}`, 1))[0],

  insertApplication: async (
    tx: Executor,
    e: { county_code: string; region_code: string },
    a: { elderId: string; benefitCode: string; appliedOn: string; note: string | null },
    userId: string,
  ) =>
    (await tx.one<{
      id: string;
    }>(sql`insert into benefit_applications (county_code, region_code, elder_id, benefit_code, applied_on, note, created_by)
        values (${e.county_code}, ${e.region_code}, ${a.elderId}, ${a.benefitCode}, ${a.appliedOn}, ${a.note}, ${userId}) returning id::text as id`))!.id,

  insertDocument: async (
    tx: Executor,
    a: { id: string; county_code: string; region_code: string },
    f: { filename: string; mime: string; content: Buffer },
    userId: string,
  ) =>
    (await tx.one<{
      id: string;
    }>(sql`insert into benefit_application_docs (application_id, county_code, region_code, filename, mime, size_bytes, content, created_by)
        values (${a.id}, ${a.county_code}, ${a.region_code}, ${f.filename}, ${f.mime}, ${f.content.length}, ${f.content}, ${userId}) returning id::text as id`))!
      .id,

  document: (tx: Executor, id: string) =>
    tx.one<DocumentRow>(sql`select filename, mime, content,
          region_code, application_id::text as application_id from benefit_application_docs where id = ${id}`),

  /** Moves an application from `from` to `to` in one conditional update; 0 when someone else moved it first. */
  setApplicationStatus: (tx: Executor, step: 'review' | 'decide', a: { id: string; from: string; to: string; userId: string; refusalReason: string | null }) =>
    tx.exec(
      step === 'review'
        ? sql`update benefit_applications set status = ${a.to}, reviewed_by = ${a.userId}, reviewed_at = now(), refusal_reason = ${a.refusalReason} where id = ${a.id} and status = ${a.from}`
        : sql`update benefit_applications set status = ${a.to}, decided_by = ${a.userId}, decided_at = now(), refusal_reason = ${a.refusalReason} where id = ${a.id} and status = ${a.from}`,
    ),

  withdrawApplication: (tx: Executor, id: string) =>
    tx.exec(sql`update benefit_applications set status = 'withdrawn' where id = ${id} and status in ('submitted', 'township_approved')`),

  // ------------------------------------------------------------ recoveries
  recoveries: (tx: Executor, status: string) =>
    tx.rows<RecoveryRow>(sql`
        select rc.id::text as id, rc.elder_id::text as elder_id, e.name, e.id_number, v.name as region, l.benefit_code, l.for_month::text as for_month,
               rc.amount_cents, rc.reason, rc.status, rc.settle_note
          from benefit_recoveries rc join benefit_lines l on l.id = rc.line_id join elders e on e.id = rc.elder_id left join regions v on v.code = rc.region_code
         where rc.status = ${status} order by rc.created_at desc, l.for_month limit 1000`),

  recovery: (tx: Executor, id: string) =>
    tx.one<{ region_code: string; status: string }>(sql`select region_code, status from benefit_recoveries where id = ${id}`),

  /** Settles an open recovery in one conditional update; 0 when it was settled first. */
  settleRecovery: (tx: Executor, id: string, s: { status: string; note: string; userId: string }) =>
    tx.exec(
      sql`update benefit_recoveries set status = ${s.status}, settle_note = ${s.note}, settled_by = ${s.userId}, settled_at = now()
             where id = ${id} and status = 'open'`,
    ),

  // ------------------------------------------------------------ stats
  stats: (tx: Executor, from: string, s: { lo: string; hi: string }) =>
    tx.rows<StatsRow>(sql`
        select to_char(l.for_month, 'YYYY-MM') as month, left(l.region_code, 9) || '000' as t, r.name as tn, l.benefit_code as b, count(*)::int as n, sum(l.amount_cents)::text as c
          from benefit_lines l left join regions r on r.code = left(l.region_code, 9) || '000'
         where l.for_month >= ${from}::date and l.region_code between ${s.lo} and ${s.hi}
         group by 1, 2, 3, 4 order by 1, 2, 4`),
};
