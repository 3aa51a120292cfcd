/**
 * Use cases of the benefits routes: policies and the service list, runs and their lines, an
 * elder's history and bank account, recoveries and stats. Applications: applications.service.ts.
 */
import type { Executor } from '../../kernel/db.js';
import { badRequest, conflict, forbidden, notFound } from '../../kernel/errors.js';
import { maskIdNumber, maskName } from '../../kernel/mask.js';
import { renderPdf } from '../../kernel/pdf.js';
import type { Principal } from '../../kernel/principal.js';
import { inScope, scopeOf } from '../../kernel/scope.js';
import { today } from '../elders/index.js';
import { addMonths, monthStart } from './engine.js';
import { explainLine } from './explain.js';
import { bankGroups, bankRows, importBankResult } from './payments.js';
import { getPolicy, policyFor, serviceList, type PolicyRow } from './policies.js';
import { approveRun, createRun, discardRun, getRun, listRuns, lockRun, preview, reviewTownship, runTownships, summariesInScope, type RunRow } from './runs.js';
import { benefitsRepo, type LineRow } from './benefits.repository.js';

// ------------------------------------------------------------ presenters
export const presentPolicy = (p: PolicyRow) => ({
  id: p.id,
  policyKey: p.policy_key,
  version: p.version,
  name: p.name,
  status: p.status,
  active: p.active,
  effectiveFrom: p.effective_from,
  sourceNote: p.source_note,
  publishedAt: p.published_at,
  rules: p.rules,
});

export const presentRun = (r: RunRow) => ({
  id: r.id,
  month: r.month,
  policyId: r.policy_id,
  status: r.status,
  progress: r.progress,
  computedBy: r.computed_by,
  computedAt: r.computed_at,
  approvedBy: r.approved_by,
  approvedAt: r.approved_at,
  summary: r.summary,
});

export const presentLine = (r: LineRow, names: Map<string, string>) => ({
  id: r.id,
  elderId: r.elder_id,
  elderName: maskName(r.name)!,
  idNumber: maskIdNumber(r.id_number),
  regionName: r.region,
  benefitCode: r.benefit_code,
  benefit: names.get(r.benefit_code) ?? r.benefit_code,
  forMonth: r.for_month,
  kind: r.kind,
  tier: r.tier,
  amountCents: r.amount_cents,
  payment: r.payment,
  paymentStatus: r.pay_status,
  recovery: r.recovery,
});

const explain = (r: LineRow, p: PolicyRow) =>
  explainLine({
    rule: p.rules.benefits.find((b) => b.code === r.benefit_code),
    tier: r.tier,
    amountCents: r.amount_cents,
    facts: r.facts,
    policy: { name: p.name, version: p.version, effectiveFrom: p.effective_from },
    kind: r.kind,
    forMonth: r.for_month,
  });

// ------------------------------------------------------------ service list
/** The service list of `policyId`, or of the county's policy in force this month. */
export async function serviceListFor(tx: Executor, county: string, policyId?: string) {
  const p = policyId ? await getPolicy(tx, policyId) : await policyFor(tx, county, monthStart(today()));
  if (!p) throw notFound('本县执行的补贴政策', 'active policy');
  return { policy: p, items: serviceList(p.rules) };
}

/** The service list as a landscape PDF, titled with the county's name. */
export async function serviceListPdf(tx: Executor, county: string, policyId?: string): Promise<{ title: string; pdf: Buffer }> {
  const { policy, items } = await serviceListFor(tx, county, policyId);
  const region = await benefitsRepo.regionName(tx, county.padEnd(12, '0'));
  const title = `${region?.name ?? ''}基本养老服务清单`;
  const body = [
    ['序号', '服务项目', '服务对象', '服务内容', '服务标准', '提供方式', '申请', '责任单位'].map((t) => ({ text: t, bold: true, fillColor: '#eeeeee' })),
    ...items.map((i, n) => [String(n + 1), i.name, i.who, i.what, i.standard, i.payment, i.application, i.responsible]),
  ];
  const pdf = await renderPdf({
    pageOrientation: 'landscape',
    content: [
      { text: title, fontSize: 18, bold: true, alignment: 'center', margin: [0, 0, 0, 6] },
      { text: `依据：${policy.name}（第${policy.version}版，${policy.effective_from}起施行）`, alignment: 'center', fontSize: 10, margin: [0, 0, 0, 10] },
      { table: { headerRows: 1, widths: [24, 70, 100, 130, 150, 70, 90, 60], body }, fontSize: 8 },
      { text: policy.source_note ?? '', fontSize: 8, margin: [0, 8, 0, 0], color: '#666666' },
    ],
  });
  return { title, pdf };
}

// ------------------------------------------------------------ runs
/** The preview of a region in the principal's scope (their own by default). */
export async function previewInScope(tx: Executor, p: Principal, q: { month: string; regionCode?: string; policyId?: string }) {
  const regionCode = q.regionCode ?? p.regionCode;
  if (!inScope(scopeOf(p.regionCode), regionCode)) throw forbidden('只能预览本辖区', 'you can preview your own region only');
  return preview(tx, { regionCode, month: monthStart(q.month), policyId: q.policyId });
}

/** The county's runs, each with the figures of the principal's own region. */
export async function runsInScope(tx: Executor, p: Principal) {
  const runs = await listRuns(tx, p.countyCode);
  const sums = await summariesInScope(tx, runs, p.regionCode);
  return runs.map((r) => presentRun({ ...r, summary: sums.get(r.id) ?? null }));
}

/** A new run of `month` (YYYY-MM); only a county-level admin computes runs. */
export async function startRun(tx: Executor, p: Principal, month: string): Promise<string> {
  if (p.regionCode.slice(6) !== '000000') throw forbidden('只有县级管理员可以计算发放', 'only a county-level admin computes runs');
  return createRun(tx, p, monthStart(month));
}

export async function runDetail(tx: Executor, p: Principal, id: string) {
  const run = await getRun(tx, id);
  const summary = (await summariesInScope(tx, [run], p.regionCode)).get(run.id) ?? null;
  return {
    run: presentRun({ ...run, summary }),
    townships: await runTownships(tx, run, p.regionCode),
    banks: await bankGroups(tx, run, p.regionCode),
  };
}

/** A township's review of its lines (the principal's own township by default); returns the township. */
export async function reviewRun(
  tx: Executor,
  p: Principal,
  runId: string,
  b: { township?: string; status: 'confirmed' | 'returned'; note?: string | null },
): Promise<{ run: RunRow; township: string }> {
  await getRun(tx, runId);
  const township = b.township ?? p.regionCode.slice(0, 9).padEnd(12, '0');
  if (!inScope(scopeOf(p.regionCode), township)) throw forbidden('只能审核本辖区', 'you can review your own township only');
  if (b.status === 'returned' && !b.note) throw badRequest('NOTE_REQUIRED', '退回时请说明原因', 'give a reason when returning');
  const run = await reviewTownship(tx, p, runId, township, b.status, b.note ?? null);
  return { run, township };
}

const requireCountyAdmin = async (tx: Executor, p: Principal, runId: string, zh: string, en: string) => {
  const run = await getRun(tx, runId);
  if (!inScope(scopeOf(p.regionCode), run.county_code.padEnd(12, '0'))) throw forbidden(zh, en);
  return run;
};

export async function approveRunAsCounty(tx: Executor, p: Principal, runId: string): Promise<RunRow> {
  const run = await requireCountyAdmin(tx, p, runId, '只有县级管理员可以审批', 'only a county-level admin approves');
  return approveRun(tx, p, run.id);
}

export async function discardRunAsCounty(tx: Executor, p: Principal, runId: string): Promise<RunRow> {
  const run = await requireCountyAdmin(tx, p, runId, '只有县级管理员可以作废批次', 'only a county-level admin discards runs');
  return discardRun(tx, run.id);
}

/** A page of a run's lines, in the asked township when it is in the principal's scope, else in their region. */
export async function runLinesPage(
  tx: Executor,
  p: Principal,
  runId: string,
  q: { township?: string; benefit?: string; kind?: string; page: number; pageSize: number },
) {
  const run = await getRun(tx, runId);
  const s = scopeOf(q.township && inScope(scopeOf(p.regionCode), q.township) ? q.township : p.regionCode);
  const { rows, total } = await benefitsRepo.runLines(tx, {
    runId: run.id,
    lo: s.lo,
    hi: s.hi,
    benefit: q.benefit,
    kind: q.kind,
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  const names = await benefitsRepo.benefitNames(tx, run.county_code);
  return { items: rows.map((r) => presentLine(r, names)), total };
}

/** The rows of an approved run's bank file (one bank or all) in the principal's region. */
export async function bankFileRows(tx: Executor, p: Principal, runId: string, bank?: string) {
  const run = await getRun(tx, runId);
  if (run.status !== 'approved') throw conflict('RUN_NOT_APPROVED', '批次审批后才能生成银行代发文件', 'bank files are made from approved runs only');
  const rows = await bankRows(tx, run, bank, p.regionCode);
  if (!rows.length) throw notFound('该银行的代发记录', 'payments for this bank');
  const names = await benefitsRepo.benefitNames(tx, run.county_code);
  return { run, rows, names };
}

/** Records a bank result file under the run's lock: of two uploads of one result, the second finds it recorded (409). */
export async function recordBankResult(tx: Executor, runId: string, file: Buffer) {
  const run = await lockRun(tx, runId);
  return { run, result: await importBankResult(tx, run, file) };
}

// ------------------------------------------------------------ lines, history, bank account
export async function lineDetail(tx: Executor, id: string) {
  const row = await benefitsRepo.line(tx, id);
  if (!row) throw notFound('发放明细', 'benefit line');
  const policy = await getPolicy(tx, row.policy_id);
  const names = await benefitsRepo.benefitNames(tx, row.county_code);
  const rule = policy.rules.benefits.find((b) => b.code === row.benefit_code);
  const payments = await benefitsRepo.linePayments(tx, row.id);
  return {
    line: presentLine(row, names),
    explanation: explain(row, policy),
    facts: row.facts,
    policy: { id: policy.id, name: policy.name, version: policy.version, effectiveFrom: policy.effective_from, rule },
    payments,
  };
}

/** An elder's lines (back-pay and recoveries included), newest month first, each explained. */
export async function elderBenefits(tx: Executor, elderId: string) {
  const e = await benefitsRepo.elderCounty(tx, elderId);
  if (!e) throw notFound('老年人', 'elder');
  const rows = await benefitsRepo.elderLines(tx, elderId);
  const names = await benefitsRepo.benefitNames(tx, e.county_code);
  const policies = new Map<string, PolicyRow>();
  const items = [];
  for (const r of rows) {
    if (!policies.has(r.policy_id)) policies.set(r.policy_id, await getPolicy(tx, r.policy_id));
    items.push({ ...presentLine(r, names), explanation: explain(r, policies.get(r.policy_id)!) });
  }
  return { elderId, items };
}

/** Records the elder's bank account; returns the elder's region (for the audit entry). */
export async function setBankAccount(
  tx: Executor,
  elderId: string,
  a: { bankCode: string; bankName: string; accountNo: string; holderName: string },
): Promise<{ regionCode: string }> {
  const e = await benefitsRepo.elderHome(tx, elderId);
  if (!e) throw notFound('老年人', 'elder');
  await benefitsRepo.upsertBankAccount(tx, elderId, e, a);
  return { regionCode: e.region_code };
}

// ------------------------------------------------------------ recoveries, stats
export async function listRecoveries(tx: Executor, p: Principal, status: string) {
  const rows = await benefitsRepo.recoveries(tx, status);
  const names = await benefitsRepo.benefitNames(tx, p.countyCode);
  return {
    items: rows.map((r) => ({
      id: r.id,
      elderId: r.elder_id,
      elderName: maskName(r.name),
      idNumber: maskIdNumber(r.id_number),
      regionName: r.region,
      benefit: names.get(r.benefit_code) ?? r.benefit_code,
      forMonth: r.for_month,
      amountCents: r.amount_cents,
      reason: r.reason,
      status: r.status,
      note: r.settle_note,
    })),
    totalCents: rows.reduce((a, r) => a + r.amount_cents, 0),
  };
}

/** Settles an open recovery; of two concurrent settlements, the second gets 409. Returns its region. */
export async function settleRecovery(tx: Executor, p: Principal, id: string, b: { status: string; note: string }): Promise<{ regionCode: string }> {
  const r = await benefitsRepo.recovery(tx, id);
  if (!r) throw notFound('追回款项', 'recovery');
  if (r.status !== 'open') throw conflict('ALREADY_SETTLED', '该款项已处理', 'this recovery is already settled');
  const n = await benefitsRepo.settleRecovery(tx, id, { status: b.status, note: b.note, userId: p.userId });
  if (!n) throw conflict('ALREADY_SETTLED', '该款项已处理', 'this recovery is already settled');
  return { regionCode: r.region_code };
}

/** Lines and amounts of the last `months` months in the principal's region, by township and benefit. */
export async function benefitStats(tx: Executor, p: Principal, months: number) {
  const from = addMonths(monthStart(today()), -(months - 1));
  const rows = await benefitsRepo.stats(tx, from, scopeOf(p.regionCode));
  const names = await benefitsRepo.benefitNames(tx, p.countyCode);
  return {
    months: Array.from({ length: months }, (_, i) => addMonths(from, i).slice(0, 7)),
    rows: rows.map((r) => ({
      month: r.month,
      township: r.t,
      townshipName: r.tn ?? r.t,
      benefit: names.get(r.b) ?? r.b,
      lines: r.n,
      totalCents: Number(r.c),
    })),
  };
}
