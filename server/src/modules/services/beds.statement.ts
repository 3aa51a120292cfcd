/**
 * A family care bed's month statement with its running provider: planned against done visits
 * (adherence), the bed's orders of the month with the government part and the co-pay, anomalies
 * held back as the monthly settlement holds them, the bed's operating subsidy (a county setting),
 * and the check, to the cent, against the provider's settlement lines for those orders.
 */
import { sql, type Executor } from '../../kernel/db.js';
import ExcelJS, { formatNumbers } from '../../kernel/excel.js';
import { notFound } from '../../kernel/errors.js';
import { monthlySubsidy } from './beds.plan.js';
import { beds, presentBed } from './beds.service.js';
import { serviceSettings } from './settings.js';
import { HOLD_FACTS } from './settlement.repository.js';
import { HOLD_LABELS, holdReasons, monthRange, yuan, type HoldReason } from './split.js';

interface LineRef {
  id: string;
  month: string;
  status: string;
  held: boolean;
  hold_reasons: string[];
  amount_cents: number;
  gov_cents: number;
  copay_cents: number;
}

interface OrderRow {
  id: string;
  no: string;
  service_date: string;
  service_time: string;
  item_name: string;
  status: string;
  amount_cents: number;
  gov_cents: number;
  copay_cents: number;
  plan_slot: string | null;
  provider_name: string | null;
  caregiver_name: string | null;
  flags: string[];
  confirmed: boolean;
  rated: boolean;
  open_complaints: number;
  callback_denied: boolean;
  line: LineRef | null;
}

const OPEN = ['pending', 'dispatched', 'refused', 'accepted', 'in_service'];
const label = (c: string) => ({ code: c, label: HOLD_LABELS[c as HoldReason]?.zh ?? c, labelEn: HOLD_LABELS[c as HoldReason]?.en ?? c });

export async function bedStatement(tx: Executor, bedId: string, month: string) {
  const [b] = await beds(tx, month, bedId);
  if (!b) throw notFound('家庭养老床位', 'family care bed');
  const { from, to } = monthRange(month);
  const settings = await serviceSettings(tx, b.county_code, from);
  const subsidy =
    b.enrolled_on > to
      ? { monthlyCents: settings['services.familyBedMonthlySubsidyCents'], activeDays: 0, daysInMonth: Number(to.slice(8)), cents: 0 }
      : monthlySubsidy({ month, monthlyCents: settings['services.familyBedMonthlySubsidyCents'], enrolledOn: b.enrolled_on, endedOn: b.ended_on });
  // The settlement line that counts for an order: its latest statement (an order held in one
  // month's statement and paid in a later one has a line in each).
  const rows = await tx.rows<OrderRow>(sql`select o.id::text as id, o.no, to_char(o.service_date, 'YYYY-MM-DD') as service_date, o.service_time, o.item_name,
      o.status, o.amount_cents, o.gov_cents, o.copay_cents, o.plan_slot, p.name as provider_name, o.caregiver_name, ${HOLD_FACTS},
      (select row_to_json(x) from (select l.settlement_id::text as id, s.month, s.status, l.held, l.hold_reasons, l.amount_cents, l.gov_cents, l.copay_cents
          from settlement_lines l join settlements s on s.id = l.settlement_id where l.order_id = o.id order by s.month desc, l.held limit 1) x) as line
    from service_orders o left join providers p on p.id = o.provider_id
    where o.family_bed_id = ${bedId} and o.service_date between ${from} and ${to}
    order by o.service_date, o.service_time, o.no`);

  const orders = rows.map((o) => {
    const completed = o.status === 'completed';
    // Settled: as the statement has it. Not yet: held by the same rules the settlement applies.
    const reasons = !completed
      ? []
      : o.line
        ? o.line.hold_reasons
        : holdReasons({ flags: o.flags, openComplaints: o.open_complaints, confirmed: o.confirmed, rated: o.rated, callbackDenied: o.callback_denied });
    const held = completed && (o.line ? o.line.held : reasons.length > 0);
    return {
      id: o.id,
      no: o.no,
      date: o.service_date,
      time: o.service_time,
      itemName: o.item_name,
      status: o.status,
      fromPlan: o.plan_slot != null,
      providerName: o.provider_name,
      caregiverName: o.caregiver_name,
      amountCents: o.amount_cents,
      govCents: o.gov_cents,
      copayCents: o.copay_cents,
      held,
      holdReasons: held ? reasons.map(label) : [],
      settlement: o.line ? { id: o.line.id, month: o.line.month, status: o.line.status, held: o.line.held } : null,
    };
  });
  const sum = (xs: typeof orders, k: 'govCents' | 'copayCents') => xs.reduce((a, o) => a + o[k], 0);
  const completed = orders.filter((o) => o.status === 'completed');
  const payable = completed.filter((o) => !o.held);
  const held = completed.filter((o) => o.held);
  const totals = {
    completed: completed.length,
    payable: payable.length,
    payableGovCents: sum(payable, 'govCents'),
    payableCopayCents: sum(payable, 'copayCents'),
    held: held.length,
    heldGovCents: sum(held, 'govCents'),
    heldCopayCents: sum(held, 'copayCents'),
    open: orders.filter((o) => OPEN.includes(o.status)).length,
    cancelled: orders.filter((o) => o.status === 'cancelled').length,
    subsidyCents: subsidy.cents,
    /** What the government owes the provider for the bed's month: the paid government parts and the subsidy. */
    governmentCents: sum(payable, 'govCents') + subsidy.cents,
  };

  // Against the provider's settlement lines, order by order, to the cent.
  const settled = rows.filter((o) => o.line);
  const paidLines = settled.filter((o) => !o.line!.held);
  const differing = settled
    .filter((o) => o.line!.amount_cents !== o.amount_cents || o.line!.gov_cents !== o.gov_cents || o.line!.copay_cents !== o.copay_cents)
    .map((o) => o.no);
  const reconciliation = {
    ok: differing.length === 0,
    settledOrders: settled.length,
    lineGovCents: paidLines.reduce((a, o) => a + o.line!.gov_cents, 0),
    lineCopayCents: paidLines.reduce((a, o) => a + o.line!.copay_cents, 0),
    orderGovCents: paidLines.reduce((a, o) => a + o.gov_cents, 0),
    orderCopayCents: paidLines.reduce((a, o) => a + o.copay_cents, 0),
    differing,
  };
  return { bed: presentBed(b, month), regionCode: b.region_code, subsidy, orders, totals, reconciliation };
}

export type BedStatement = Awaited<ReturnType<typeof bedStatement>>;

const STATUS_ZH: Record<string, string> = {
  pending: '待派单',
  dispatched: '待接单',
  refused: '已拒单',
  accepted: '已接单',
  in_service: '服务中',
  completed: '已完成',
  cancelled: '已取消',
};

/** The statement as an Excel workbook (one sheet). */
export async function statementWorkbook(s: BedStatement): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('床位月结');
  const b = s.bed;
  ws.addRow([`家庭养老床位月度结算单 ${b.month}`]);
  ws.addRow(['老年人', b.elderName, '所在地', b.regionName ?? '', '运营机构', b.providerName ?? '']);
  ws.addRow(['能力等级', `${b.abilityLevel}（${b.abilityStandard}）`, '建床日期', b.enrolledOn, '撤床日期', b.endedOn ?? '']);
  ws.addRow(['计划服务（次）', b.planned, '已完成（次）', b.done, '执行率（%）', b.adherence ?? '']);
  ws.addRow([
    '运营补贴（元/月）',
    Number(yuan(s.subsidy.monthlyCents)),
    '本月在床天数',
    `${s.subsidy.activeDays}/${s.subsidy.daysInMonth}`,
    '本月运营补贴（元）',
    Number(yuan(s.subsidy.cents)),
  ]);
  ws.addRow([
    '结算工单',
    s.totals.payable,
    '政府支付（元）',
    Number(yuan(s.totals.payableGovCents)),
    '个人自付（元）',
    Number(yuan(s.totals.payableCopayCents)),
  ]);
  ws.addRow([
    '暂缓工单',
    s.totals.held,
    '暂缓政府支付（元）',
    Number(yuan(s.totals.heldGovCents)),
    '暂缓个人自付（元）',
    Number(yuan(s.totals.heldCopayCents)),
  ]);
  ws.addRow([
    '政府应付合计（元）',
    Number(yuan(s.totals.governmentCents)),
    '与机构结算单核对',
    s.reconciliation.ok ? '一致' : `不一致：${s.reconciliation.differing.join('、')}`,
  ]);
  ws.addRow([]);
  ws.addRow(['照护计划', '每月次数', '本月计划', '已生成工单', '已完成']);
  for (const l of b.plan) ws.addRow([l.itemName, l.timesPerMonth, l.planned, l.generated, l.done]);
  ws.addRow([]);
  ws.addRow(['工单号', '服务日期', '时间', '服务项目', '来源', '状态', '金额（元）', '政府支付（元）', '个人自付（元）', '结算', '暂缓原因']);
  for (const o of s.orders)
    ws.addRow([
      o.no,
      o.date,
      o.time,
      o.itemName,
      o.fromPlan ? '照护计划' : '单次下单',
      STATUS_ZH[o.status] ?? o.status,
      Number(yuan(o.amountCents)),
      Number(yuan(o.govCents)),
      Number(yuan(o.copayCents)),
      o.status !== 'completed' ? '' : o.held ? '暂缓' : o.settlement ? `${o.settlement.month}结算单` : '待结算',
      o.holdReasons.map((r) => r.label).join('；'),
    ]);
  ws.columns.forEach((c, i) => (c.width = [22, 14, 14, 18, 14, 10, 12, 14, 14, 14, 36][i] ?? 12));
  formatNumbers(ws);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
