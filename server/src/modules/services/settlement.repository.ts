/**
 * SQL of the monthly settlements. Statement texts are kept as they were in the routes
 * (statements are prepared by text).
 */
import { arr, sql, type Executor } from '../../kernel/db.js';

export interface SettlementRow {
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

export interface SettlementLineRow {
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

/** A completed order not yet settled, with what decides whether it is held back. */
export interface SettleableOrder {
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
}

const SETTLEMENT_SELECT = sql`s.id::text as id, s.provider_id::text as provider_id, p.name as provider_name, s.month, s.status, s.order_count,
  s.gov_cents::int as gov_cents, s.copay_cents::int as copay_cents, s.held_count, s.held_gov_cents::int as held_gov_cents,
  s.held_copay_cents::int as held_copay_cents, s.created_at::text as created_at, s.approved_at::text as approved_at, s.approved_by_name, s.region_code
  from settlements s left join providers p on p.id = s.provider_id`;

/** What decides whether a completed order `o` (an alias in the enclosing query) is held back
 * (`holdReasons`), as columns flags, confirmed, rated, open_complaints, callback_denied. */
export const HOLD_FACTS = sql`o.flags, o.elder_confirmed_at is not null as confirmed, o.rated_at is not null as rated,
  (select count(*)::int from service_complaints c where c.order_id = o.id and c.status <> 'closed') as open_complaints,
  exists (select 1 from service_callbacks b where b.order_id = o.id and b.reached and b.service_happened is false) as callback_denied`;

export const settlementRepo = {
  get: (tx: Executor, id: string) => tx.one<SettlementRow>(sql`select ${SETTLEMENT_SELECT} where s.id = ${id}`),

  list: (tx: Executor, f: { month?: string; providerId?: string }) =>
    tx.rows<SettlementRow>(sql`select ${SETTLEMENT_SELECT}
        where (${f.month ?? null}::text is null or s.month = ${f.month ?? null}) and (${f.providerId ?? null}::uuid is null or s.provider_id = ${f.providerId ?? null}::uuid)
        order by s.month desc, p.name limit 500`),

  lines: (tx: Executor, id: string) =>
    tx.rows<SettlementLineRow>(sql`select order_id::text as order_id, order_no, to_char(service_date, 'YYYY-MM-DD') as service_date, elder_name, item_name,
      amount_cents, gov_cents, copay_cents, held, hold_reasons from settlement_lines where settlement_id = ${id} order by held, service_date, order_no`),

  /** How many of the statement's lines differ from their orders. */
  linesDiffering: async (tx: Executor, id: string) =>
    (await tx.one<{ n: number }>(sql`select count(*)::int as n from settlement_lines l join service_orders o on o.id = l.order_id
    where l.settlement_id = ${id} and (o.gov_cents <> l.gov_cents or o.copay_cents <> l.copay_cents or o.amount_cents <> l.amount_cents)`))!.n,

  /** The lock of one provider's month (held to the end of the transaction). */
  lock: (tx: Executor, providerId: string, month: string) => tx.exec(sql`select pg_advisory_xact_lock(hashtext(${`settlement:${providerId}:${month}`}::text))`),

  providerHome: (tx: Executor, providerId: string) =>
    tx.one<{ region_code: string; county_code: string }>(sql`select region_code, county_code from providers where id = ${providerId}`),

  ofMonth: (tx: Executor, providerId: string, month: string) =>
    tx.one<{ id: string; status: string }>(sql`select id::text as id, status from settlements where provider_id = ${providerId} and month = ${month}`),

  /** Removes a draft with its lines, its orders free again. */
  async dropDraft(tx: Executor, id: string) {
    await tx.exec(sql`update service_orders set settlement_id = null where settlement_id = ${id}`);
    await tx.exec(sql`delete from settlement_lines where settlement_id = ${id}`);
    await tx.exec(sql`delete from settlements where id = ${id} and status = 'draft'`);
  },

  /** The provider's completed orders up to `to` not settled yet, nor paid by an approved statement of an earlier month. */
  settleable: (tx: Executor, providerId: string, month: string, to: string) =>
    tx.rows<SettleableOrder>(sql`select o.id::text as id, o.no, to_char(o.service_date, 'YYYY-MM-DD') as service_date, o.elder_name, o.item_name, o.amount_cents, o.gov_cents,
      o.copay_cents, ${HOLD_FACTS}
    from service_orders o
    where o.provider_id = ${providerId} and o.status = 'completed' and o.settlement_id is null and o.service_date <= ${to}
      and not exists (select 1 from settlement_lines l join settlements s on s.id = l.settlement_id
                       where l.order_id = o.id and s.status = 'approved' and not l.held and s.month < ${month})`),

  /** The statement's header; undefined when another caller made the month's statement first. */
  insert: async (
    tx: Executor,
    prov: { county_code: string; region_code: string },
    h: {
      providerId: string;
      month: string;
      orderCount: number;
      govCents: number;
      copayCents: number;
      heldCount: number;
      heldGovCents: number;
      heldCopayCents: number;
      userId: string;
    },
  ) =>
    (
      await tx.one<{ id: string }>(sql`insert into settlements (county_code, region_code, provider_id, month, order_count, gov_cents, copay_cents,
      held_count, held_gov_cents, held_copay_cents, created_by)
    values (${prov.county_code}, ${prov.region_code}, ${h.providerId}, ${h.month}, ${h.orderCount}, ${h.govCents}, ${h.copayCents},
      ${h.heldCount}, ${h.heldGovCents}, ${h.heldCopayCents}, ${h.userId})
    on conflict (provider_id, month) do nothing returning id::text as id`)
    )?.id,

  /** The statement's lines (copied from the orders) and its paid orders marked as settled by it. */
  async insertLines(
    tx: Executor,
    id: string,
    prov: { county_code: string; region_code: string },
    providerId: string,
    lines: { id: string; held: boolean; reasons: string[] }[],
  ) {
    await tx.exec(sql`insert into settlement_lines (settlement_id, order_id, county_code, region_code, provider_id, order_no, service_date, elder_name, item_name,
      amount_cents, gov_cents, copay_cents, held, hold_reasons)
    select ${id}::uuid, o.id, ${prov.county_code}, ${prov.region_code}, ${providerId}::uuid, o.no, o.service_date, o.elder_name, o.item_name, o.amount_cents, o.gov_cents,
           o.copay_cents, v.held, coalesce(string_to_array(nullif(v.reasons, ''), ','), '{}')
      from unnest(${arr(lines.map((l) => l.id))}::uuid[], ${arr(lines.map((l) => l.held))}::boolean[], ${arr(lines.map((l) => l.reasons.join(',')))}::text[])
           as v(id, held, reasons)
      join service_orders o on o.id = v.id`);
    await tx.exec(sql`update service_orders set settlement_id = ${id} where id = any (${arr(lines.filter((l) => !l.held).map((l) => l.id))}::uuid[])`);
  },

  head: (tx: Executor, id: string) =>
    tx.one<{ provider_id: string; month: string }>(sql`select provider_id::text as provider_id, month from settlements where id = ${id}`),

  /** Approves a draft in one conditional update; 0 when it was approved first. */
  approve: (tx: Executor, id: string, p: { userId: string; displayName: string }) =>
    tx.exec(sql`update settlements set status = 'approved', approved_by = ${p.userId}, approved_by_name = ${p.displayName},
          approved_at = now() where id = ${id} and status = 'draft'`),

  /** The provider's rating: the mean of the last 90 days' ratings. */
  rateProvider: (tx: Executor, providerId: string) =>
    tx.exec(sql`update providers p set rating = x.r, evaluated_at = now() from (
          select round(avg(rating)::numeric, 2) as r from service_orders where provider_id = ${providerId} and rated_at > now() - interval '90 days') x
        where p.id = ${providerId} and x.r is not null`),
};
