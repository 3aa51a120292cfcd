/**
 * SQL of complaints and call-backs. Statement texts are kept as they were in the routes
 * (statements are prepared by text).
 */
import { sql, type Executor } from '../../kernel/db.js';
import type { Principal } from '../../kernel/principal.js';
import type { OrderRow } from './orders.service.js';

export interface ComplaintRow {
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
}

export interface SampleRow {
  id: string;
  no: string;
  date: string;
  elder_name: string;
  elder_phone: string | null;
  item_name: string;
  provider_name: string | null;
  n: number;
}

export const complaintsRepo = {
  insertComplaint: async (tx: Executor, o: OrderRow, p: Principal, b: { kind: string; content: string }) =>
    (await tx.one<{
      id: string;
    }>(sql`insert into service_complaints (order_id, county_code, region_code, provider_id, elder_id, kind, content, filed_by, filed_by_name)
        values (${o.id}, ${o.county_code}, ${o.region_code}, ${o.provider_id}, ${o.elder_id}, ${b.kind}, ${b.content}, ${p.userId}, ${p.displayName})
        returning id::text as id`))!.id,

  complaints: (tx: Executor, status: string | null) =>
    tx.rows<ComplaintRow>(sql`select c.id::text as id, c.order_id::text as order_id, o.no, o.elder_name, o.item_name, p.name as provider_name, c.kind, c.content, c.status,
          c.filed_by_name, c.filed_at::text as filed_at, c.handler_name, c.resolution, c.closed_at::text as closed_at
        from service_complaints c join service_orders o on o.id = c.order_id left join providers p on p.id = c.provider_id
        where (${status}::text is null or c.status = ${status}) order by c.filed_at desc limit 500`),

  complaintState: (tx: Executor, id: string) =>
    tx.one<{ region_code: string; status: string }>(sql`select region_code, status from service_complaints where id = ${id}`),

  /** Number of complaints changed (0 when it is already closed). */
  handleComplaint: (tx: Executor, id: string, p: Principal, b: { status: string; resolution: string }) =>
    tx.exec(sql`update service_complaints set status = ${b.status}, resolution = ${b.resolution}, handler_name = ${p.displayName},
          closed_at = case when ${b.status} = 'closed' then now() end where id = ${id} and status <> 'closed'`),

  completedInMonth: (tx: Executor, from: string, to: string) =>
    tx.rows<SampleRow>(
      sql`select o.id::text as id, o.no, to_char(o.service_date, 'YYYY-MM-DD') as date, o.elder_name, o.elder_phone, o.item_name, p.name as provider_name,
            count(*) over ()::int as n
          from service_orders o left join providers p on p.id = o.provider_id
          where o.status = 'completed' and o.service_date between ${from} and ${to}
          order by md5(o.id::text)`,
    ),

  insertCallback: async (
    tx: Executor,
    o: OrderRow,
    p: Principal,
    b: { reached: boolean; satisfied?: boolean | null; serviceHappened?: boolean | null; notes?: string | null },
  ) =>
    (await tx.one<{
      id: string;
    }>(sql`insert into service_callbacks (order_id, county_code, region_code, provider_id, called_by, called_by_name, reached,
          satisfied, service_happened, notes)
        values (${o.id}, ${o.county_code}, ${o.region_code}, ${o.provider_id}, ${p.userId}, ${p.displayName}, ${b.reached},
          ${b.satisfied ?? null}, ${b.serviceHappened ?? null}, ${b.notes ?? null}) returning id::text as id`))!.id,

  markCalledBack: (tx: Executor, orderId: string) => tx.exec(sql`update service_orders set callback_at = now() where id = ${orderId}`),
};
