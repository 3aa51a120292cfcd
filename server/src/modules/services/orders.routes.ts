/** Orders: quote, place, list, dispatch, accept / refuse, check-in / out, photos, rating, change, cancel. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { sql, startsWith, type SQL } from '../../kernel/db.js';
import { countyToday } from '../../kernel/dates.js';
import { badRequest, notFound } from '../../kernel/errors.js';
import { defineRoute, iso, Page, pageOf } from '../../kernel/http.js';
import { STAFF, type Role } from '../../kernel/roles.js';
import {
  AcceptBody,
  AssignBody,
  CheckinBody,
  CheckoutBody,
  DateStr,
  DispatchBody,
  EventView,
  OrderBody,
  OrdersQuery,
  OrderView,
  presentOrder,
  QuoteView,
  RatingBody,
  Reason,
  RescheduleBody,
} from './orders.schema.js';
import {
  acceptOrder,
  assignCaregiver,
  cancelOrder,
  candidates,
  checkIn,
  checkOut,
  dispatchOrder,
  loadOrder,
  myCaregiver,
  ORDER_FROM,
  ORDER_SELECT,
  placeOrder,
  quoteOrder,
  rateOrder,
  refuseOrder,
  rescheduleOrder,
  type OrderRow,
} from './orders.service.js';
import { presentOrdersFor } from './orders.privacy.js';

const ORDERERS: Role[] = [...STAFF, 'family'];
const READERS: Role[] = [...STAFF, 'inspector', 'provider_admin', 'caregiver'];
const Params = z.object({ id: z.uuid() });
const OrderRef = z.object({ id: z.string(), no: z.string(), status: z.string() });
const EXAMPLE_ORDER = {
  elderId: '00000000-0000-4000-8000-000000000001',
  itemId: '00000000-0000-4000-8000-000000000002',
  quantity: 1,
  date: '2026-12-01',
  time: '09:00',
};

const PHOTO_TYPES: [string, (b: Buffer) => boolean][] = [
  ['image/jpeg', (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ['image/png', (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))],
  ['image/webp', (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP'],
];
export const MAX_PHOTO_BYTES = 2 * 1024 * 1024;

function audited(o: { id: string; no?: string; region_code: string }, action: string, after?: unknown, reason?: string | null) {
  return { action, entity: 'service_order', entityId: o.id, regionCode: o.region_code, after: after ?? null, reason: reason ?? null };
}

export function orderRoutes(app: FastifyInstance) {
  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/services/orders/quote',
    summary: '下单前试算：本月服务额度、已用、政府支付部分与个人自付部分',
    tags: ['services'],
    roles: ORDERERS,
    body: OrderBody,
    example: EXAMPLE_ORDER,
    response: QuoteView,
    handler: async ({ tx, body }) => quoteOrder(tx, body),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/services/orders',
    summary: '下单（老年人/家属或工作人员代下单）：按权益拆分政府支付与个人自付',
    tags: ['services'],
    roles: ORDERERS,
    body: OrderBody,
    example: EXAMPLE_ORDER,
    response: OrderView,
    // The order, its event and its audit entry in one statement, committed with it.
    handler: async ({ tx, body, principal, auditIn }) => presentOrder(await placeOrder(tx, principal, body, auditIn)),
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/services/orders',
    summary: '服务工单列表（工作人员按辖区，服务机构只见本机构，护理员只见派给自己的，家属只见家人的）',
    tags: ['services'],
    roles: [...READERS, 'family'],
    query: OrdersQuery,
    response: Page(OrderView),
    handler: async ({ tx, query: q, principal, audit }) => {
      const where: SQL[] = [sql`true`];
      if (principal.role === 'caregiver') where.push(sql`o.caregiver_id = ${(await myCaregiver(tx, principal)).id}`);
      if (q.status) where.push(sql`o.status = ${q.status}`);
      if (q.from) where.push(sql`o.service_date >= ${q.from}`);
      if (q.to) where.push(sql`o.service_date <= ${q.to}`);
      if (q.providerId) where.push(sql`o.provider_id = ${q.providerId}`);
      if (q.elderId) where.push(sql`o.elder_id = ${q.elderId}`);
      if (q.regionCode) where.push(sql`o.region_code between ${q.regionCode} and yl_region_hi(${q.regionCode})`);
      if (q.flagged === 'true') where.push(sql`cardinality(o.flags) > 0`);
      if (q.escalated === 'true') where.push(sql`o.escalated_at is not null and o.status in ('pending', 'refused')`);
      if (q.q) where.push(/^FW\d+$/i.test(q.q) ? sql`o.no = ${q.q.toUpperCase()}` : startsWith(sql`o.elder_name`, q.q));
      const w = sql.join(where, sql` and `);
      // A family member's list carries the photos of each order (a staff list never shows them).
      const photos =
        principal.role === 'family'
          ? sql`array(select ph.id::text from service_order_photos ph where ph.order_id = o.id order by ph.created_at)`
          : sql`'{}'::text[]`;
      const base = sql`select ${ORDER_SELECT}, ${photos} as photo_ids from ${ORDER_FROM} where ${w}`;
      const filtered = q.overdue ? sql`select * from (${base}) x where ${q.overdue === 'any' ? sql`overdue is not null` : sql`overdue = ${q.overdue}`}` : base;
      const total = (await tx.one<{ n: number }>(sql`select count(*)::int as n from (${filtered}) y`))!.n;
      const rows = await tx.rows<OrderRow>(
        sql`select * from (${filtered}) z order by service_date desc, service_time desc, no desc limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`,
      );
      // Masked for staff and providers; a caregiver's open visits and a family's own orders in full, audited.
      return pageOf(await presentOrdersFor(principal, rows, audit), total, q.page, q.pageSize);
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/services/caregiver/tasks',
    summary: '护理员：今日（或指定日期）任务',
    tags: ['services'],
    roles: ['caregiver'],
    query: z.object({ date: DateStr.optional() }),
    response: z.object({ date: z.string(), items: z.array(OrderView) }),
    handler: async ({ tx, query, principal, audit }) => {
      const me = await myCaregiver(tx, principal);
      const date = query.date ?? countyToday();
      const rows = await tx.rows<OrderRow>(sql`select ${ORDER_SELECT},
          array(select ph.id::text from service_order_photos ph where ph.order_id = o.id order by ph.created_at) as photo_ids
        from ${ORDER_FROM}
        where o.caregiver_id = ${me.id} and o.service_date = ${date} and o.status in ('accepted','in_service','completed')
        order by o.service_time, o.no`);
      return { date, items: await presentOrdersFor(principal, rows, audit, { what: 'tasks' }) };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/services/orders/:id',
    summary: '服务工单详情与处理记录',
    tags: ['services'],
    roles: READERS,
    resource: 'serviceOrder',
    params: Params,
    response: OrderView.extend({ events: z.array(EventView) }),
    handler: async ({ tx, params, principal, audit }) => {
      const o = await loadOrder(tx, params.id);
      const [shown] = await presentOrdersFor(principal, [o], audit, { detail: true });
      const events = await tx.rows<{ at: string; kind: string; actor_name: string | null; reason: string | null; data: unknown }>(
        sql`select at::text as at, kind, actor_name, reason, data from service_order_events where order_id = ${params.id} order by at`,
      );
      return { ...shown, events: events.map((e) => ({ at: iso(e.at), kind: e.kind, actorName: e.actor_name, reason: e.reason, data: e.data })) };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/services/orders/:id/candidates',
    summary: '可派单的服务机构（按距离、负荷、评分排序）',
    tags: ['services'],
    roles: STAFF,
    resource: 'serviceOrder',
    params: Params,
    response: z.object({
      orderId: z.string(),
      items: z.array(
        z.object({
          providerId: z.string(),
          name: z.string(),
          distanceKm: z.number().nullable(),
          openOrders: z.number(),
          caregivers: z.number(),
          rating: z.number(),
          creditStatus: z.string(),
          score: z.number(),
        }),
      ),
    }),
    handler: async ({ tx, params }) => ({ orderId: params.id, items: await candidates(tx, params.id) }),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/services/orders/:id/dispatch',
    summary: '派单：手动指定服务机构，或按距离、技能、负荷与评分自动派单',
    tags: ['services'],
    roles: STAFF,
    resource: 'serviceOrder',
    params: Params,
    body: DispatchBody,
    example: { mode: 'auto' },
    response: OrderRef.extend({ providerId: z.string(), providerName: z.string() }),
    handler: async ({ tx, params, body, principal, auditIn }) => {
      const r = await dispatchOrder(tx, principal, params.id, body, auditIn);
      return { id: r.order.id, no: r.order.no, status: 'dispatched', providerId: r.provider.providerId, providerName: r.provider.name };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/services/orders/:id/accept',
    summary: '服务机构接单并指派护理员（不指定则按技能和当日负荷自动选择）',
    tags: ['services'],
    roles: ['provider_admin'],
    resource: 'serviceOrder',
    params: Params,
    body: AcceptBody,
    example: {},
    response: OrderRef.extend({ caregiverId: z.string(), caregiverName: z.string() }),
    handler: async ({ tx, params, body, principal, auditIn }) => {
      const r = await acceptOrder(tx, principal, params.id, body.caregiverId, auditIn);
      return { id: r.order.id, no: r.order.no, status: 'accepted', caregiverId: r.caregiver.id, caregiverName: r.caregiver.name };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/services/orders/:id/assign',
    summary: '服务机构改派护理员',
    tags: ['services'],
    roles: ['provider_admin'],
    resource: 'serviceOrder',
    params: Params,
    body: AssignBody,
    example: { caregiverId: '00000000-0000-4000-8000-000000000003' },
    response: OrderRef.extend({ caregiverId: z.string(), caregiverName: z.string() }),
    handler: async ({ tx, params, body, principal, auditIn }) => {
      const r = await assignCaregiver(tx, principal, params.id, body.caregiverId, auditIn);
      return { id: r.order.id, no: r.order.no, status: 'accepted', caregiverId: r.caregiver.id, caregiverName: r.caregiver.name };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/services/orders/:id/refuse',
    summary: '服务机构拒单（须说明原因），工单退回待派单',
    tags: ['services'],
    roles: ['provider_admin'],
    resource: 'serviceOrder',
    params: Params,
    body: Reason,
    example: { reason: '该时段护理员已排满' },
    response: OrderRef,
    handler: async ({ tx, params, body, principal, auditIn }) => {
      const o = await refuseOrder(tx, principal, params.id, body.reason, auditIn);
      return { id: o.id, no: o.no, status: 'refused' };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/services/orders/:id/check-in',
    summary: '护理员上门签到（位置与时间；距老人住址过远则标记，并须说明原因）',
    tags: ['services'],
    roles: ['caregiver'],
    resource: 'serviceOrder',
    params: Params,
    body: CheckinBody,
    example: { lat: 36.3, lng: 116.46 },
    response: OrderRef.extend({ distanceM: z.number().nullable(), flags: z.array(z.string()) }),
    handler: async ({ tx, params, body, principal, auditIn }) => {
      const r = await checkIn(tx, principal, params.id, body, auditIn);
      return { id: r.order.id, no: r.order.no, status: 'in_service', distanceM: r.distanceM, flags: r.flags };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/services/orders/:id/check-out',
    summary: '护理员签退：服务内容、备注、老人确认（位置过远或时长过短则标记）',
    tags: ['services'],
    roles: ['caregiver'],
    resource: 'serviceOrder',
    params: Params,
    body: CheckoutBody,
    example: { lat: 36.3, lng: 116.46, workDone: '协助洗澡、更衣', elderConfirmed: true },
    response: OrderRef.extend({ distanceM: z.number().nullable(), flags: z.array(z.string()) }),
    handler: async ({ tx, params, body, principal, auditIn }) => {
      const r = await checkOut(tx, principal, params.id, body, auditIn);
      return { id: r.order.id, no: r.order.no, status: 'completed', distanceM: r.distanceM, flags: r.flags };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/services/orders/:id/photos',
    summary: '护理员上传服务照片（multipart/form-data，字段 file；JPEG/PNG/WebP，不超过2MB）',
    tags: ['services'],
    roles: ['caregiver'],
    resource: 'serviceOrder',
    params: Params,
    file: true,
    response: z.object({ id: z.string() }),
    handler: async ({ tx, params, principal, req, audit }) => {
      const me = await myCaregiver(tx, principal);
      const o = await loadOrder(tx, params.id);
      if (o.caregiver_id !== me.id) throw notFound('服务工单', 'service order');
      if (!['in_service', 'completed'].includes(o.status))
        throw badRequest('WRONG_STATE', '签到后才能上传服务照片', 'photos can be added once the caregiver has checked in');
      if (!req.isMultipart()) throw badRequest('NO_FILE', '请上传照片（multipart/form-data，字段 file）', 'upload a photo (multipart/form-data, field "file")');
      const file = await req.file({ limits: { fileSize: MAX_PHOTO_BYTES } });
      if (!file) throw badRequest('NO_FILE', '请上传照片', 'upload a photo');
      const buf = await file.toBuffer().catch(() => {
        throw badRequest('TOO_LARGE', '照片不能超过2MB', 'a photo may be at most 2 MB');
      });
      if (file.file.truncated || buf.length > MAX_PHOTO_BYTES) throw badRequest('TOO_LARGE', '照片不能超过2MB', 'a photo may be at most 2 MB');
      const type = PHOTO_TYPES.find(([, test]) => buf.length > 12 && test(buf))?.[0];
      if (!type) throw badRequest('NOT_IMAGE', '只能上传 JPEG、PNG 或 WebP 图片', 'only JPEG, PNG or WebP images are accepted');
      const row = await tx.one<{
        id: string;
      }>(sql`insert into service_order_photos (order_id, county_code, region_code, provider_id, elder_id, mime, size, data, created_by)
        values (${o.id}, ${o.county_code}, ${o.region_code}, ${o.provider_id}, ${o.elder_id}, ${type}, ${buf.length}, ${buf}, ${principal.userId})
        returning id::text as id`);
      await audit(audited(o, 'photo', { photoId: row!.id, mime: type, size: buf.length }));
      return { id: row!.id };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/services/orders/:id/photos/:photoId',
    summary: '服务照片（家属可看所关联老人的工单照片）',
    tags: ['services'],
    roles: [...READERS, 'family'],
    resource: 'serviceOrderPhoto',
    params: z.object({ id: z.uuid(), photoId: z.uuid() }),
    file: true,
    handler: async ({ tx, params, reply, audit }) => {
      const ph = await tx.one<{ mime: string; data: Buffer | Uint8Array; region_code: string }>(
        sql`select mime, data, region_code from service_order_photos where id = ${params.photoId} and order_id = ${params.id}`,
      );
      if (!ph) throw notFound('照片', 'photo');
      // A photo of a visit shows the elder and their home: each view is audited.
      await audit({
        action: 'view',
        entity: 'service_order',
        entityId: params.id,
        regionCode: ph.region_code,
        after: { what: 'photo', photoId: params.photoId },
      });
      reply.header('content-type', ph.mime).header('cache-control', 'private, max-age=3600');
      // Returned, not sent: the response leaves once the audit entry has committed.
      return Buffer.from(ph.data);
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/services/orders/:id/rating',
    summary: '评价（一单一评）：老年人/家属或工作人员代评',
    tags: ['services'],
    roles: ORDERERS,
    resource: 'serviceOrder',
    params: Params,
    body: RatingBody,
    example: { stars: 5, comment: '服务周到' },
    response: OrderRef,
    handler: async ({ tx, params, body, principal, auditIn }) => {
      const o = await rateOrder(tx, principal, params.id, body, auditIn);
      return { id: o.id, no: o.no, status: o.status };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/services/orders/:id/cancel',
    summary: '取消工单（签到前可取消，须说明原因）',
    tags: ['services'],
    roles: ORDERERS,
    resource: 'serviceOrder',
    params: Params,
    body: Reason,
    example: { reason: '老人临时住院' },
    response: OrderRef,
    handler: async ({ tx, params, body, principal, auditIn }) => {
      const o = await cancelOrder(tx, principal, params.id, body.reason, auditIn);
      return { id: o.id, no: o.no, status: 'cancelled' };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/services/orders/:id/reschedule',
    summary: '改期（签到前可改；跨月时按新月份重新拆分政府支付与自付）',
    tags: ['services'],
    roles: ORDERERS,
    resource: 'serviceOrder',
    params: Params,
    body: RescheduleBody,
    example: { date: '2026-12-02', time: '10:00' },
    response: OrderRef,
    handler: async ({ tx, params, body, principal, auditIn }) => {
      const o = await rescheduleOrder(tx, principal, params.id, body, auditIn);
      return { id: o.id, no: o.no, status: o.status };
    },
  });
}
