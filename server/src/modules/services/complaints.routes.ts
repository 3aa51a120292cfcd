/** Complaints attached to orders, handled to closure; call-backs (回访) on a sample of orders. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { sql } from '../../kernel/db.js';
import { conflict, notFound } from '../../kernel/errors.js';
import { defineRoute, iso } from '../../kernel/http.js';
import { maskPhone } from '../../kernel/mask.js';
import { STAFF, type Role } from '../../kernel/roles.js';
import { MonthStr } from './orders.schema.js';
import { event, loadOrder } from './orders.service.js';
import { monthRange } from './split.js';
import { serviceSettings } from './settings.js';

const KINDS = ['quality', 'attitude', 'late', 'absent', 'fee', 'other'] as const;
const ComplaintView = z.object({
  id: z.string(),
  orderId: z.string(),
  orderNo: z.string(),
  elderName: z.string(),
  itemName: z.string(),
  providerName: z.string().nullable(),
  kind: z.string(),
  content: z.string(),
  status: z.string(),
  filedByName: z.string().nullable(),
  filedAt: z.string().nullable(),
  handlerName: z.string().nullable(),
  resolution: z.string().nullable(),
  closedAt: z.string().nullable(),
});

export function complaintRoutes(app: FastifyInstance) {
  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/services/orders/:id/complaints',
    summary: '投诉（关联工单）',
    tags: ['services'],
    roles: [...STAFF, 'family'] as Role[],
    resource: 'serviceOrder',
    params: z.object({ id: z.uuid() }),
    body: z.object({ kind: z.enum(KINDS), content: z.string().trim().min(1).max(1000) }),
    example: { kind: 'late', content: '护理员迟到一小时' },
    response: z.object({ id: z.string() }),
    handler: async ({ tx, params, body, principal, audit }) => {
      const o = await loadOrder(tx, params.id);
      const r = await tx.one<{
        id: string;
      }>(sql`insert into service_complaints (order_id, county_code, region_code, provider_id, elder_id, kind, content, filed_by, filed_by_name)
        values (${o.id}, ${o.county_code}, ${o.region_code}, ${o.provider_id}, ${o.elder_id}, ${body.kind}, ${body.content}, ${principal.userId}, ${principal.displayName})
        returning id::text as id`);
      await event(tx, principal, o, 'complaint', body.content, { complaintId: r!.id, kind: body.kind });
      await audit({ action: 'complain', entity: 'service_order', entityId: o.id, regionCode: o.region_code, after: { complaintId: r!.id, ...body } });
      return { id: r!.id };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/services/complaints',
    summary: '投诉列表（服务机构只见本机构的）',
    tags: ['services'],
    roles: [...STAFF, 'inspector', 'provider_admin', 'family'] as Role[],
    query: z.object({ status: z.enum(['open', 'handling', 'closed']).optional() }),
    response: z.object({ items: z.array(ComplaintView) }),
    handler: async ({ tx, query }) => {
      const rows = await tx.rows<{
        id: string;
        order_id: string;
        no: string;
        elder_name: string;
        item_name: string;
        provider_name: string | null;
        kind: string;
        content: string;
        status: string;
        filed_by_name: string | null;
        filed_at: string;
        handler_name: string | null;
        resolution: string | null;
        closed_at: string | null;
      }>(sql`select c.id::text as id, c.order_id::text as order_id, o.no, o.elder_name, o.item_name, p.name as provider_name, c.kind, c.content, c.status,
          c.filed_by_name, c.filed_at::text as filed_at, c.handler_name, c.resolution, c.closed_at::text as closed_at
        from service_complaints c join service_orders o on o.id = c.order_id left join providers p on p.id = c.provider_id
        where (${query.status ?? null}::text is null or c.status = ${query.status ?? null}) order by c.filed_at desc limit 500`);
      return {
        items: rows.map((c) => ({
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
        })),
      };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/services/complaints/:id/handle',
    summary: '办理投诉（办理中 / 办结，须写明处理结果）',
    tags: ['services'],
    roles: STAFF,
    resource: 'serviceComplaint',
    params: z.object({ id: z.uuid() }),
    body: z.object({ status: z.enum(['handling', 'closed']), resolution: z.string().trim().min(1).max(1000) }),
    example: { status: 'closed', resolution: '已约谈服务机构，护理员道歉并调整排班' },
    response: z.object({ id: z.string(), status: z.string() }),
    handler: async ({ tx, params, body, principal, audit }) => {
      const c = await tx.one<{ region_code: string; status: string }>(sql`select region_code, status from service_complaints where id = ${params.id}`);
      if (!c) throw notFound('投诉', 'complaint');
      const n =
        await tx.exec(sql`update service_complaints set status = ${body.status}, resolution = ${body.resolution}, handler_name = ${principal.displayName},
          closed_at = case when ${body.status} = 'closed' then now() end where id = ${params.id} and status <> 'closed'`);
      if (n === 0) throw conflict('CLOSED', '该投诉已办结', 'the complaint is already closed');
      await audit({ action: 'handle', entity: 'service_complaint', entityId: params.id, regionCode: c.region_code, before: { status: c.status }, after: body });
      return { id: params.id, status: body.status };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/services/callbacks/sample',
    summary: '回访抽样：本月已完成、尚未回访的工单（按县级设置比例，抽样可复现）',
    tags: ['services'],
    roles: STAFF,
    query: z.object({ month: MonthStr }),
    response: z.object({
      share: z.number(),
      completed: z.number(),
      items: z.array(
        z.object({
          id: z.string(),
          no: z.string(),
          date: z.string(),
          elderName: z.string(),
          elderPhone: z.string().nullable(),
          itemName: z.string(),
          providerName: z.string().nullable(),
        }),
      ),
    }),
    handler: async ({ tx, query, principal }) => {
      const { from, to } = monthRange(query.month);
      const share = (await serviceSettings(tx, principal.countyCode))['services.callbackShare'];
      const rows = await tx.rows<{
        id: string;
        no: string;
        date: string;
        elder_name: string;
        elder_phone: string | null;
        item_name: string;
        provider_name: string | null;
        n: number;
      }>(
        sql`select o.id::text as id, o.no, to_char(o.service_date, 'YYYY-MM-DD') as date, o.elder_name, o.elder_phone, o.item_name, p.name as provider_name,
            count(*) over ()::int as n
          from service_orders o left join providers p on p.id = o.provider_id
          where o.status = 'completed' and o.service_date between ${from} and ${to}
          order by md5(o.id::text)`,
      );
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
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/services/orders/:id/callback',
    summary: '记录回访结果（是否接通、服务是否发生、是否满意）',
    tags: ['services'],
    roles: STAFF,
    resource: 'serviceOrder',
    params: z.object({ id: z.uuid() }),
    body: z.object({ reached: z.boolean(), serviceHappened: z.boolean().nullish(), satisfied: z.boolean().nullish(), notes: z.string().max(1000).nullish() }),
    example: { reached: true, serviceHappened: true, satisfied: true },
    response: z.object({ id: z.string() }),
    handler: async ({ tx, params, body, principal, audit }) => {
      const o = await loadOrder(tx, params.id);
      if (o.status !== 'completed') throw conflict('WRONG_STATE', '只能回访已完成的工单', 'only completed orders can be called back');
      const r = await tx.one<{
        id: string;
      }>(sql`insert into service_callbacks (order_id, county_code, region_code, provider_id, called_by, called_by_name, reached,
          satisfied, service_happened, notes)
        values (${o.id}, ${o.county_code}, ${o.region_code}, ${o.provider_id}, ${principal.userId}, ${principal.displayName}, ${body.reached},
          ${body.satisfied ?? null}, ${body.serviceHappened ?? null}, ${body.notes ?? null}) returning id::text as id`);
      await tx.exec(sql`update service_orders set callback_at = now() where id = ${o.id}`);
      await event(tx, principal, o, 'callback', body.notes ?? null, body);
      await audit({ action: 'callback', entity: 'service_order', entityId: o.id, regionCode: o.region_code, after: body });
      return { id: r!.id };
    },
  });
}
