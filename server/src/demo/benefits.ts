/**
 * Benefits in the demo county: the two sample policy sets (Shicheng's amounts, in force; Beijing's
 * rules for comparison), a bank account for most elders, a few approved applications, and the
 * two previous months computed, reviewed, approved and paid — so the current month's preview
 * already shows changes against last month.
 */
import { sql, type Executor } from '../kernel/db.js';
import { addMonths, insertLines, monthStart, regionCohort } from '../modules/benefits/engine.js';
import { SAMPLE_SETS } from '../modules/benefits/samples.js';

export async function loadBenefitsDemo(tx: Executor, countyCode: string, today: string): Promise<void> {
  const county = countyCode.padEnd(12, '0');
  // Statistics for what was just loaded in this transaction: the run's joins need them.
  await tx.exec(sql`analyze elders, elder_categories, assessments, regions`);
  const admin = await tx.one<{ id: string }>(sql`select id::text as id from users where username = 'admin'`);
  const admin2 = await tx.one<{ id: string }>(sql`select id::text as id from users where username = 'admin2'`);
  const ids: Record<string, string> = {};
  for (const s of SAMPLE_SETS) {
    const r = await tx.one<{
      id: string;
    }>(sql`insert into benefit_policies (county_code, region_code, policy_key, version, name, status, active, effective_from, source_note, rules,
        created_by, published_by, published_at)
      values (${countyCode}, ${county}, ${s.policyKey}, 1, ${s.name}, 'published', ${s.policyKey === 'shicheng'}, '2021-01-01', ${s.sourceNote},
              ${JSON.stringify(s.rules)}::jsonb, ${admin?.id ?? null}, ${admin?.id ?? null}, now())
      returning id::text as id`);
    ids[s.policyKey] = r!.id;
  }
  // Most elders have a bank account (农商银行 or 邮储银行); about 3% do not yet.
  await tx.exec(sql`insert into elder_bank_accounts (elder_id, county_code, region_code, bank_code, bank_name, account_no, holder_name)
    select e.id, e.county_code, e.region_code,
           case when abs(hashtext(e.id::text)) % 10 < 7 then 'RCB' else 'PSBC' end,
           case when abs(hashtext(e.id::text)) % 10 < 7 then '平阴农商银行' else '中国邮政储蓄银行' end,
           '62' || lpad((abs(hashtext(e.id::text || 'acct')) % 1000000000)::text, 9, '0') || lpad((abs(hashtext(e.id_number)) % 100000000)::text, 8, '0'),
           e.name
      from elders e where e.county_code = ${countyCode} and e.status = 'active' and abs(hashtext(e.id::text)) % 100 >= 3`);
  // The two previous months: computed by admin, confirmed by every township, approved by admin2, paid.
  const thisMonth = monthStart(today);
  const policy = SAMPLE_SETS.find((s) => s.policyKey === 'shicheng')!;
  const towns = await tx.rows<{ code: string }>(sql`select code from regions where county_code = ${countyCode} and level = 4 order by code`);
  for (const back of [2, 1]) {
    const month = addMonths(thisMonth, -back);
    const run = await tx.one<{
      id: string;
    }>(sql`insert into benefit_runs (county_code, region_code, month, policy_id, status, progress, computed_by, computed_at,
        approved_by, approved_at, summary)
      values (${countyCode}, ${county}, ${month}, ${ids.shicheng}, 'approved', 100, ${admin?.id ?? null}, now(), ${admin2?.id ?? null}, now(),
              ${JSON.stringify({ done: towns.map((t) => t.code) })}::jsonb)
      returning id::text as id`);
    await insertLines(tx, { rules: policy.rules, month, cohort: regionCohort(county), runId: run!.id, policyId: ids.shicheng!, kind: 'regular' });
    await tx.exec(sql`insert into benefit_payments (county_code, region_code, run_id, line_id, amount_cents, status, settled_at, bank_ref)
      select l.county_code, l.region_code, l.run_id, l.id, l.amount_cents,
             case when exists (select 1 from elder_bank_accounts a where a.elder_id = l.elder_id) then 'paid' else 'failed' end, now(),
             case when exists (select 1 from elder_bank_accounts a where a.elder_id = l.elder_id) then 'BK' || to_char(l.for_month, 'YYYYMM') || left(md5(l.id::text), 10) end
        from benefit_lines l where l.run_id = ${run!.id} and l.payment = 'cash'`);
    await tx.exec(sql`update benefit_payments set fail_reason = '未登记账户' where run_id = ${run!.id} and status = 'failed'`);
    for (const t of towns)
      await tx.exec(sql`insert into benefit_run_reviews (run_id, county_code, region_code, status, reviewed_by)
        values (${run!.id}, ${countyCode}, ${t.code}, 'confirmed', ${admin?.id ?? null})`);
    const sum = await tx.one<{ n: number; c: string; p: number }>(
      sql`select count(*)::int as n, coalesce(sum(amount_cents), 0)::text as c,
                 (select count(*)::int from benefit_payments where run_id = ${run!.id}) as p
            from benefit_lines where run_id = ${run!.id}`,
    );
    // The same fields as a computed run's summary (runs.ts summarise), payments included: the run
    // panel shows 代发笔数 from it beside the bank files.
    const summary = {
      lines: sum!.n,
      totalCents: Number(sum!.c),
      backpayLines: 0,
      backpayCents: 0,
      recoveries: 0,
      recoveryCents: 0,
      payments: sum!.p,
      reissued: 0,
    };
    await tx.exec(sql`update benefit_runs set summary = summary || ${JSON.stringify(summary)}::jsonb where id = ${run!.id}`);
  }
}
