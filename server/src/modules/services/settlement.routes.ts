/** Monthly settlement per provider: the government part and co-pay of completed orders, orders
 * with anomalies held back with the reason, reconciled line by line; export and approval. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { arr, sql, type Executor } from '../../kernel/db.js';
import ExcelJS, { formatNumbers } from '../../kernel/excel.js';
import { AppError, conflict, notFound } from '../../kernel/errors.js';
import { defineRoute, iso, XLSX, attachment } from '../../kernel/http.js';
import type { Principal } from '../../kernel/principal.js';
import { MonthStr } from './orders.schema.js';
import { HOLD_LABELS, holdReasons, monthRange, yuan, type HoldReason } from './split.js';

const SettlementView = z.object({
  id: z.string(),
  providerId: z.string(),
  providerName: z.string().nullable(),
  month: z.string(),
  status: z.string(),
  orderCount: z.number(),
  govCents: z.number(),
  copayCents: z.number(),
  heldCount: z.number(),
  heldGovCents: z.number(),
  heldCopayCents: z.number(),
  createdAt: z.string().nullable(),
  approvedAt: z.string().nullable(),
  approvedByName: z.string().nullable(),
});
const LineView = z.object({
  orderId: z.string(),
  orderNo: z.string(),
  date: z.string(),
  elderName: z.string(),
  itemName: z.string(),
  amountCents: z.number(),
  govCents: z.number(),
  copayCents: z.number(),
  held: z.boolean(),
  holdReasons: z.array(z.object({ code: z.string(), label: z.string(), labelEn: z.string() })),
});

interface SettlementRow {
  id: string;
  provider_id: string;
  provider_name: string | null;
  month: string;
  status: string;
  order_count: number;
  gov_cents: number;
  copay_cents: number;
  held_count: number;
  held_gov_cents: number;
  held_copay_cents: number;
  created_at: string;
  approved_at: string | null;
  approved_by_name: string | null;
  region_code: string;
}
const SETTLEMENT_SELECT = sql`s.id::text as id, s.provider_id::text as provider_id, p.name as provider_name, s.month, s.status, s.order_count,
  s.gov_cents::int as gov_cents, s.copay_cents::int as copay_cents, s.held_count, s.held_gov_cents::int as held_gov_cents,
  s.held_copay_cents::int as held_copay_cents, s.created_at::text as created_at, s.approved_at::text as approved_at, s.approved_by_name, s.region_code
  from settlements s left join providers p on p.id = s.provider_id`;

const present = (s: SettlementRow) => ({
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

interface LineRow {
  order_id: string;
  order_no: string;
  service_date: string;
  elder_name: string;
  item_name: string;
  amount_cents: number;
  gov_cents: number;
  copay_cents: number;
  held: boolean;
  hold_reasons: string[];
}
const presentLine = (l: LineRow) => ({
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

async function loadSettlement(tx: Executor, id: string) {
  const s = await tx.one<SettlementRow>(sql`select ${SETTLEMENT_SELECT} where s.id = ${id}`);
  if (!s) throw notFound('结算单', 'settlement');
  const lines =
    await tx.rows<LineRow>(sql`select order_id::text as order_id, order_no, to_char(service_date, 'YYYY-MM-DD') as service_date, elder_name, item_name,
      amount_cents, gov_cents, copay_cents, held, hold_reasons from settlement_lines where settlement_id = ${id} order by held, service_date, order_no`);
  return { s, lines };
}

/** Lines against the header and against the orders themselves, to the cent. */
async function reconcile(tx: Executor, s: SettlementRow, lines: LineRow[]) {
  const paid = lines.filter((l) => !l.held);
  const held = lines.filter((l) => l.held);
  const sum = (xs: LineRow[], k: 'gov_cents' | 'copay_cents') => xs.reduce((a, l) => a + l[k], 0);
  const mismatch = await tx.one<{ n: number }>(sql`select count(*)::int as n from settlement_lines l join service_orders o on o.id = l.order_id
    where l.settlement_id = ${s.id} and (o.gov_cents <> l.gov_cents or o.copay_cents <> l.copay_cents or o.amount_cents <> l.amount_cents)`);
  const checks = {
    lineGovCents: sum(paid, 'gov_cents'),
    lineCopayCents: sum(paid, 'copay_cents'),
    lineHeldGovCents: sum(held, 'gov_cents'),
    ordersDiffering: mismatch!.n,
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

/** What decides whether a completed order `o` (an alias in the enclosing query) is held back
 * (`holdReasons`), as columns flags, confirmed, rated, open_complaints, callback_denied. */
export const HOLD_FACTS = sql`o.flags, o.elder_confirmed_at is not null as confirmed, o.rated_at is not null as rated,
  (select count(*)::int from service_complaints c where c.order_id = o.id and c.status <> 'closed') as open_complaints,
  exists (select 1 from service_callbacks b where b.order_id = o.id and b.reached and b.service_happened is false) as callback_denied`;

/** The lock of one provider's month (held to the end of the transaction): building, rebuilding
 * and approving its statement happen one at a time, each seeing what the one before did. */
async function lockStatement(tx: Executor, providerId: string, month: string) {
  await tx.exec(sql`select pg_advisory_xact_lock(hashtext(${`settlement:${providerId}:${month}`}::text))`);
}

/**
 * Builds the statement of one provider's month, or rebuilds its draft when `replaces` names that
 * draft: a caller who does not know the draft (two clicks, two admins at once) gets 409 naming it,
 * so of concurrent callers exactly one builds. Orders of earlier months held back then and put
 * right since are paid in the next statement.
 */
export async function buildSettlement(tx: Executor, p: Principal, providerId: string, month: string, replaces?: string) {
  const prov = await tx.one<{ region_code: string; county_code: string }>(sql`select region_code, county_code from providers where id = ${providerId}`);
  if (!prov) throw notFound('服务机构', 'provider');
  await lockStatement(tx, providerId, month);
  const existing = await tx.one<{ id: string; status: string }>(
    sql`select id::text as id, status from settlements where provider_id = ${providerId} and month = ${month}`,
  );
  if (existing?.status === 'approved')
    throw conflict('APPROVED', '该月结算单已审核，不能重算', 'the statement of that month is approved and cannot be rebuilt', { id: existing.id });
  if (existing && existing.id !== replaces)
    throw conflict(
      'STATEMENT_EXISTS',
      `该机构 ${month} 的结算单草稿已生成（可能刚由他人生成），请打开草稿核对；如需重算，请在草稿上点“重算”`,
      `the draft statement of ${month} for this provider exists (perhaps just made by someone else); open it, and rebuild it from there if needed`,
      { id: existing.id },
    );
  if (existing) {
    await tx.exec(sql`update service_orders set settlement_id = null where settlement_id = ${existing.id}`);
    await tx.exec(sql`delete from settlement_lines where settlement_id = ${existing.id}`);
    await tx.exec(sql`delete from settlements where id = ${existing.id} and status = 'draft'`);
  }
  const { to } = monthRange(month);
  const orders = await tx.rows<{
    id: string;
    no: string;
    service_date: string;
    elder_name: string;
    item_name: string;
    amount_cents: number;
    gov_cents: number;
    copay_cents: number;
    flags: string[];
    open_complaints: number;
    confirmed: boolean;
    rated: boolean;
    callback_denied: boolean;
  }>(sql`select o.id::text as id, o.no, to_char(o.service_date, 'YYYY-MM-DD') as service_date, o.elder_name, o.item_name, o.amount_cents, o.gov_cents,
      o.copay_cents, ${HOLD_FACTS}
    from service_orders o
    where o.provider_id = ${providerId} and o.status = 'completed' and o.settlement_id is null and o.service_date <= ${to}
      and not exists (select 1 from settlement_lines l join settlements s on s.id = l.settlement_id
                       where l.order_id = o.id and s.status = 'approved' and not l.held and s.month < ${month})`);
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
  const s = await tx.one<{ id: string }>(sql`insert into settlements (county_code, region_code, provider_id, month, order_count, gov_cents, copay_cents,
      held_count, held_gov_cents, held_copay_cents, created_by)
    values (${prov.county_code}, ${prov.region_code}, ${providerId}, ${month}, ${paid.length}, ${total(paid, 'gov_cents')}, ${total(paid, 'copay_cents')},
      ${held.length}, ${total(held, 'gov_cents')}, ${total(held, 'copay_cents')}, ${p.userId})
    on conflict (provider_id, month) do nothing returning id::text as id`);
  if (!s)
    throw conflict('STATEMENT_EXISTS', '该机构该月的结算单刚由他人生成，请刷新后查看', 'the statement of that month was just made by someone else; reload it');
  await tx.exec(sql`insert into settlement_lines (settlement_id, order_id, county_code, region_code, provider_id, order_no, service_date, elder_name, item_name,
      amount_cents, gov_cents, copay_cents, held, hold_reasons)
    select ${s!.id}::uuid, o.id, ${prov.county_code}, ${prov.region_code}, ${providerId}::uuid, o.no, o.service_date, o.elder_name, o.item_name, o.amount_cents, o.gov_cents,
           o.copay_cents, v.held, coalesce(string_to_array(nullif(v.reasons, ''), ','), '{}')
      from unnest(${arr(lines.map((l) => l.id))}::uuid[], ${arr(lines.map((l) => l.held))}::boolean[], ${arr(lines.map((l) => l.reasons.join(',')))}::text[])
           as v(id, held, reasons)
      join service_orders o on o.id = v.id`);
  await tx.exec(sql`update service_orders set settlement_id = ${s!.id} where id = any (${arr(paid.map((l) => l.id))}::uuid[])`);
  return { id: s!.id, regionCode: prov.region_code };
}

export function settlementRoutes(app: FastifyInstance) {
  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/services/settlements',
    summary: '生成服务机构月度结算单（重算草稿时在 replaces 中给出草稿编号）：异常工单暂缓结算并注明原因',
    tags: ['services'],
    roles: ['county_admin'],
    body: z.object({ providerId: z.uuid(), month: MonthStr, replaces: z.uuid().optional() }),
    example: { providerId: '00000000-0000-4000-8000-000000000004', month: '2026-11' },
    response: SettlementView.extend({ lines: z.array(LineView) }),
    handler: async ({ tx, body, principal, audit }) => {
      const r = await buildSettlement(tx, principal, body.providerId, body.month, body.replaces);
      const { s, lines } = await loadSettlement(tx, r.id);
      await audit({ action: 'settle', entity: 'settlement', entityId: r.id, regionCode: r.regionCode, after: present(s) });
      return { ...present(s), lines: lines.map(presentLine) };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/services/settlements',
    summary: '月度结算单列表',
    tags: ['services'],
    roles: ['county_admin', 'township_staff', 'inspector', 'provider_admin'],
    query: z.object({ month: MonthStr.optional(), providerId: z.uuid().optional() }),
    response: z.object({ items: z.array(SettlementView) }),
    handler: async ({ tx, query }) => {
      const rows = await tx.rows<SettlementRow>(sql`select ${SETTLEMENT_SELECT}
        where (${query.month ?? null}::text is null or s.month = ${query.month ?? null}) and (${query.providerId ?? null}::uuid is null or s.provider_id = ${query.providerId ?? null}::uuid)
        order by s.month desc, p.name limit 500`);
      return { items: rows.map(present) };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/services/settlements/:id',
    summary: '结算单明细（逐单对账）',
    tags: ['services'],
    roles: ['county_admin', 'township_staff', 'inspector', 'provider_admin'],
    resource: 'settlement',
    params: z.object({ id: z.uuid() }),
    response: SettlementView.extend({
      lines: z.array(LineView),
      reconciliation: z.object({
        ok: z.boolean(),
        lineGovCents: z.number(),
        lineCopayCents: z.number(),
        lineHeldGovCents: z.number(),
        ordersDiffering: z.number(),
      }),
    }),
    handler: async ({ tx, params }) => {
      const { s, lines } = await loadSettlement(tx, params.id);
      return { ...present(s), lines: lines.map(presentLine), reconciliation: await reconcile(tx, s, lines) };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/services/settlements/:id/approve',
    summary: '审核结算单（核对无误后），并按本月评价更新机构评分',
    tags: ['services'],
    roles: ['county_admin'],
    resource: 'settlement',
    params: z.object({ id: z.uuid() }),
    body: z.object({}).strict().optional(),
    example: {},
    response: SettlementView,
    handler: async ({ tx, params, principal, audit }) => {
      const head = await tx.one<{ provider_id: string; month: string }>(
        sql`select provider_id::text as provider_id, month from settlements where id = ${params.id}`,
      );
      if (!head) throw notFound('结算单', 'settlement');
      // Not while the draft is being rebuilt; the approval itself is one conditional update.
      await lockStatement(tx, head.provider_id, head.month);
      const { s, lines } = await loadSettlement(tx, params.id);
      const rec = await reconcile(tx, s, lines);
      if (!rec.ok)
        throw new AppError(409, 'NOT_RECONCILED', '结算单与工单不一致，请重算后再审核', 'the statement does not match its orders; rebuild it first', rec);
      const n = await tx.exec(sql`update settlements set status = 'approved', approved_by = ${principal.userId}, approved_by_name = ${principal.displayName},
          approved_at = now() where id = ${params.id} and status = 'draft'`);
      if (n === 0) throw conflict('APPROVED', '该结算单已审核', 'the statement is already approved');
      // Evaluation result: the provider's rating is the mean of the last 90 days' ratings.
      await tx.exec(sql`update providers p set rating = x.r, evaluated_at = now() from (
          select round(avg(rating)::numeric, 2) as r from service_orders where provider_id = ${s.provider_id} and rated_at > now() - interval '90 days') x
        where p.id = ${s.provider_id} and x.r is not null`);
      await audit({
        action: 'approve',
        entity: 'settlement',
        entityId: s.id,
        regionCode: s.region_code,
        after: { govCents: s.gov_cents, copayCents: s.copay_cents },
      });
      return present((await loadSettlement(tx, params.id)).s);
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/services/settlements/:id/export',
    summary: '导出结算单（Excel）',
    tags: ['services'],
    roles: ['county_admin', 'township_staff', 'inspector', 'provider_admin'],
    resource: 'settlement',
    params: z.object({ id: z.uuid() }),
    file: true,
    handler: async ({ tx, params, reply, audit }) => {
      const { s, lines } = await loadSettlement(tx, params.id);
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
      const buf = Buffer.from(await wb.xlsx.writeBuffer());
      await audit({ action: 'export', entity: 'settlement', entityId: s.id, regionCode: s.region_code });
      reply.header('content-type', XLSX).header('content-disposition', attachment(`结算单-${s.provider_name ?? s.provider_id}-${s.month}.xlsx`));
      return reply.send(buf);
    },
  });
}
