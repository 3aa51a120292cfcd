/** Monthly settlement per provider: the government part and co-pay of completed orders, orders
 * with anomalies held back with the reason, reconciled line by line; export and approval. */
import type { Executor } from '../../kernel/db.js';
import ExcelJS, { formatNumbers } from '../../kernel/excel.js';
import { AppError, conflict, notFound } from '../../kernel/errors.js';
import { iso } from '../../kernel/http.js';
import type { Principal } from '../../kernel/principal.js';
import { settlementRepo, type SettlementLineRow, type SettlementRow } from './settlement.repository.js';
import { HOLD_LABELS, holdReasons, monthRange, yuan, type HoldReason } from './split.js';

export const presentSettlement = (s: SettlementRow) => ({
  id: s.id,
  providerId: s.provider_id,
  providerName: s.provider_name,
  month: s.month,
  status: s.status,
  orderCount: s.order_count,
  govCents: s.gov_cents,
  copayCents: s.copay_cents,
  heldCount: s.held_count,
  heldGovCents: s.held_gov_cents,
  heldCopayCents: s.held_copay_cents,
  createdAt: iso(s.created_at),
  approvedAt: iso(s.approved_at),
  approvedByName: s.approved_by_name,
});

export const presentSettlementLine = (l: SettlementLineRow) => ({
  orderId: l.order_id,
  orderNo: l.order_no,
  date: l.service_date,
  elderName: l.elder_name,
  itemName: l.item_name,
  amountCents: l.amount_cents,
  govCents: l.gov_cents,
  copayCents: l.copay_cents,
  held: l.held,
  holdReasons: l.hold_reasons.map((c) => ({ code: c, label: HOLD_LABELS[c as HoldReason]?.zh ?? c, labelEn: HOLD_LABELS[c as HoldReason]?.en ?? c })),
});

export async function loadSettlement(tx: Executor, id: string) {
  const s = await settlementRepo.get(tx, id);
  if (!s) throw notFound('结算单', 'settlement');
  const lines = await settlementRepo.lines(tx, id);
  return { s, lines };
}

/** Lines against the header and against the orders themselves, to the cent. */
export async function reconcile(tx: Executor, s: SettlementRow, lines: SettlementLineRow[]) {
  const paid = lines.filter((l) => !l.held);
  const held = lines.filter((l) => l.held);
  const sum = (xs: SettlementLineRow[], k: 'gov_cents' | 'copay_cents') => xs.reduce((a, l) => a + l[k], 0);
  const checks = {
    lineGovCents: sum(paid, 'gov_cents'),
    lineCopayCents: sum(paid, 'copay_cents'),
    lineHeldGovCents: sum(held, 'gov_cents'),
    ordersDiffering: await settlementRepo.linesDiffering(tx, s.id),
  };
  const ok =
    checks.lineGovCents === s.gov_cents &&
    checks.lineCopayCents === s.copay_cents &&
    checks.lineHeldGovCents === s.held_gov_cents &&
    paid.length === s.order_count &&
    held.length === s.held_count &&
    checks.ordersDiffering === 0;
  return { ok, ...checks };
}

/**
 * Builds the statement of one provider's month, or rebuilds its draft when `replaces` names that
 * draft: a caller who does not know the draft (two clicks, two admins at once) gets 409 naming it,
 * so of concurrent callers exactly one builds. Orders of earlier months held back then and put
 * right since are paid in the next statement. Building, rebuilding and approving one provider's
 * month take its lock, so they happen one at a time, each seeing what the one before did.
 */
export async function buildSettlement(tx: Executor, p: Principal, providerId: string, month: string, replaces?: string) {
  const prov = await settlementRepo.providerHome(tx, providerId);
  if (!prov) throw notFound('服务机构', 'provider');
  await settlementRepo.lock(tx, providerId, month);
  const existing = await settlementRepo.ofMonth(tx, providerId, month);
  if (existing?.status === 'approved')
    throw conflict('APPROVED', '该月结算单已审核，不能重算', 'the statement of that month is approved and cannot be rebuilt', { id: existing.id });
  if (existing && existing.id !== replaces)
    throw conflict(
      'STATEMENT_EXISTS',
      `该机构 ${month} 的结算单草稿已生成（可能刚由他人生成），请打开草稿核对；如需重算，请在草稿上点“重算”`,
      `the draft statement of ${month} for this provider exists (perhaps just made by someone else); open it, and rebuild it from there if needed`,
      { id: existing.id },
    );
  if (existing) await settlementRepo.dropDraft(tx, existing.id);
  const { to } = monthRange(month);
  const orders = await settlementRepo.settleable(tx, providerId, month, to);
  const lines = orders.map((o) => {
    const reasons = holdReasons({
      flags: o.flags,
      openComplaints: o.open_complaints,
      confirmed: o.confirmed,
      rated: o.rated,
      callbackDenied: o.callback_denied,
    });
    return { ...o, held: reasons.length > 0, reasons };
  });
  const paid = lines.filter((l) => !l.held);
  const held = lines.filter((l) => l.held);
  const total = (xs: typeof lines, k: 'gov_cents' | 'copay_cents') => xs.reduce((a, l) => a + l[k], 0);
  const id = await settlementRepo.insert(tx, prov, {
    providerId,
    month,
    orderCount: paid.length,
    govCents: total(paid, 'gov_cents'),
    copayCents: total(paid, 'copay_cents'),
    heldCount: held.length,
    heldGovCents: total(held, 'gov_cents'),
    heldCopayCents: total(held, 'copay_cents'),
    userId: p.userId,
  });
  if (!id)
    throw conflict('STATEMENT_EXISTS', '该机构该月的结算单刚由他人生成，请刷新后查看', 'the statement of that month was just made by someone else; reload it');
  await settlementRepo.insertLines(tx, id, prov, providerId, lines);
  return { id, regionCode: prov.region_code };
}

/**
 * Approves a reconciled draft (not while it is being rebuilt; the approval itself is one
 * conditional update) and sets the provider's rating to the mean of the last 90 days' ratings.
 */
export async function approveSettlement(tx: Executor, p: Principal, id: string): Promise<SettlementRow> {
  const head = await settlementRepo.head(tx, id);
  if (!head) throw notFound('结算单', 'settlement');
  await settlementRepo.lock(tx, head.provider_id, head.month);
  const { s, lines } = await loadSettlement(tx, id);
  const rec = await reconcile(tx, s, lines);
  if (!rec.ok)
    throw new AppError(409, 'NOT_RECONCILED', '结算单与工单不一致，请重算后再审核', 'the statement does not match its orders; rebuild it first', rec);
  const n = await settlementRepo.approve(tx, id, p);
  if (n === 0) throw conflict('APPROVED', '该结算单已审核', 'the statement is already approved');
  await settlementRepo.rateProvider(tx, s.provider_id);
  return s;
}

/** The statement as an Excel workbook. */
export async function settlementWorkbook(s: SettlementRow, lines: SettlementLineRow[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('结算单');
  ws.addRow([`${s.provider_name ?? ''} ${s.month} 居家服务结算单（${s.status === 'approved' ? '已审核' : '草稿'}）`]);
  ws.addRow(['结算工单数', s.order_count, '政府支付（元）', Number(yuan(s.gov_cents)), '个人自付（元）', Number(yuan(s.copay_cents))]);
  ws.addRow(['暂缓工单数', s.held_count, '暂缓政府支付（元）', Number(yuan(s.held_gov_cents)), '暂缓个人自付（元）', Number(yuan(s.held_copay_cents))]);
  ws.addRow([]);
  ws.addRow(['工单号', '服务日期', '老年人', '服务项目', '金额（元）', '政府支付（元）', '个人自付（元）', '结算', '暂缓原因']);
  for (const l of lines)
    ws.addRow([
      l.order_no,
      l.service_date,
      l.elder_name,
      l.item_name,
      Number(yuan(l.amount_cents)),
      Number(yuan(l.gov_cents)),
      Number(yuan(l.copay_cents)),
      l.held ? '暂缓' : '结算',
      l.hold_reasons.map((c) => HOLD_LABELS[c as HoldReason]?.zh ?? c).join('；'),
    ]);
  ws.columns.forEach((c, i) => (c.width = [22, 12, 10, 16, 12, 14, 14, 8, 40][i] ?? 12));
  formatNumbers(ws);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
