/** Rules of complaints (filed against an order, handled to closure) and call-backs (回访) on a sample of orders. */
import type { Executor } from '../../kernel/db.js';
import { conflict, notFound } from '../../kernel/errors.js';
import { iso } from '../../kernel/http.js';
import { maskPhone } from '../../kernel/mask.js';
import type { Principal } from '../../kernel/principal.js';
import { complaintsRepo, type ComplaintRow } from './complaints.repository.js';
import type { CallbackBodyT, ComplaintBodyT, HandleBodyT } from './complaints.schema.js';
import { event, loadOrder, type OrderRow } from './orders.service.js';
import { serviceSettings } from './settings.js';
import { monthRange } from './split.js';

export const presentComplaint = (c: ComplaintRow) => ({
  id: c.id,
  orderId: c.order_id,
  orderNo: c.no,
  elderName: c.elder_name,
  itemName: c.item_name,
  providerName: c.provider_name,
  kind: c.kind,
  content: c.content,
  status: c.status,
  filedByName: c.filed_by_name,
  filedAt: iso(c.filed_at),
  handlerName: c.handler_name,
  resolution: c.resolution,
  closedAt: iso(c.closed_at),
});

/** Files a complaint on an order and notes it in the order's history. */
export async function fileComplaint(tx: Executor, p: Principal, orderId: string, b: ComplaintBodyT): Promise<{ id: string; order: OrderRow }> {
  const o = await loadOrder(tx, orderId);
  const id = await complaintsRepo.insertComplaint(tx, o, p, b);
  await event(tx, p, o, 'complaint', b.content, { complaintId: id, kind: b.kind });
  return { id, order: o };
}

/** Handles a complaint; a closed one stays closed. Returns what the audit entry shows as before. */
export async function handleComplaint(tx: Executor, p: Principal, id: string, b: HandleBodyT): Promise<{ region_code: string; status: string }> {
  const c = await complaintsRepo.complaintState(tx, id);
  if (!c) throw notFound('投诉', 'complaint');
  const n = await complaintsRepo.handleComplaint(tx, id, p, b);
  if (n === 0) throw conflict('CLOSED', '该投诉已办结', 'the complaint is already closed');
  return c;
}

/** The month's completed orders not yet called back, sampled by the county's share (reproducibly, by md5 of the id). */
export async function callbackSample(tx: Executor, p: Principal, month: string) {
  const { from, to } = monthRange(month);
  const share = (await serviceSettings(tx, p.countyCode))['services.callbackShare'];
  const rows = await complaintsRepo.completedInMonth(tx, from, to);
  const want = Math.ceil(rows.length * share);
  const items = rows.slice(0, want).map((r) => ({
    id: r.id,
    no: r.no,
    date: r.date,
    elderName: r.elder_name,
    elderPhone: maskPhone(r.elder_phone),
    itemName: r.item_name,
    providerName: r.provider_name,
  }));
  return { share, completed: rows.length, items };
}

/** Records a call-back on a completed order. */
export async function recordCallback(tx: Executor, p: Principal, orderId: string, b: CallbackBodyT): Promise<{ id: string; order: OrderRow }> {
  const o = await loadOrder(tx, orderId);
  if (o.status !== 'completed') throw conflict('WRONG_STATE', '只能回访已完成的工单', 'only completed orders can be called back');
  const id = await complaintsRepo.insertCallback(tx, o, p, b);
  await complaintsRepo.markCalledBack(tx, o.id);
  await event(tx, p, o, 'callback', b.notes ?? null, b);
  return { id, order: o };
}
