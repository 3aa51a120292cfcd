/**
 * The order lifecycle: quote and place (with the entitlement split), dispatch (manual or
 * automatic), accept / refuse, check-in / check-out on the caregiver's phone, confirmation,
 * rating, change and cancellation. Every state change is one conditional UPDATE … WHERE
 * status = … so two people acting on one order at once cannot both win.
 */
import { sql, SQL, type Executor } from '../../kernel/db.js';
import { countyToday } from '../../kernel/dates.js';
import type { StatementAudit } from '../../kernel/audit.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../kernel/errors.js';
import type { Principal } from '../../kernel/principal.js';
import { STAFF } from '../../kernel/roles.js';
import { entitlementQuery, serviceEntitlement, type EntitlementRow, type EntitlementSource, type ServiceEntitlement } from '../benefits/entitlement.js';
import { monthStart } from '../benefits/engine.js';
import { policyByRef, policyRefSql, type PolicyRef, type PolicyRow } from '../benefits/policies.js';
import { SETTINGS_SQL, settingSql, settingsFrom, type ServiceSettings } from './settings.js';
import { monthRange, splitOrder, type VisitFlag } from './split.js';

export interface OrderRow {
  id: string;
  no: string;
  county_code: string;
  region_code: string;
  region_name: string | null;
  elder_id: string;
  elder_name: string;
  elder_phone: string | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
  item_id: string;
  item_code: string;
  item_name: string;
  category: string;
  unit: string;
  skill: string | null;
  quantity: number;
  duration_min: number;
  price_cents: number;
  amount_cents: number;
  gov_cents: number;
  copay_cents: number;
  entitlement: OrderEntitlement;
  service_date: string;
  service_time: string;
  note: string | null;
  channel: 'family' | 'staff' | 'elder';
  created_by_name: string | null;
  status: OrderStatus;
  provider_id: string | null;
  provider_name: string | null;
  caregiver_id: string | null;
  caregiver_name: string | null;
  dispatch_mode: string | null;
  dispatched_at: string | null;
  accept_deadline: string | null;
  accepted_at: string | null;
  checkin_at: string | null;
  checkin_distance_m: number | null;
  checkout_at: string | null;
  checkout_distance_m: number | null;
  flags: string[];
  work_done: string | null;
  service_notes: string | null;
  elder_confirmed_at: string | null;
  rating: number | null;
  rating_comment: string | null;
  rated_at: string | null;
  cancelled_at: string | null;
  cancel_reason: string | null;
  callback_at: string | null;
  settlement_id: string | null;
  created_at: string;
  overdue: 'unaccepted' | 'late' | null;
  escalated_at: string | null;
  escalation: 'timeout' | 'no_provider' | null;
  photo_ids: string[];
}

/** An order loaded for a state change: its core columns, the county's settings, the signed-in
 * caregiver's id (if any) and the seconds since check-in, in one query without joins. */
export interface OrderForChange {
  id: string;
  no: string;
  county_code: string;
  region_code: string;
  elder_id: string;
  status: OrderStatus;
  provider_id: string | null;
  caregiver_id: string | null;
  skill: string | null;
  service_date: string;
  service_time: string;
  lat: number | null;
  lng: number | null;
  duration_min: number;
  amount_cents: number;
  settings: ServiceSettings;
  my_caregiver_id: string | null;
  elapsed_s: number | null;
}

export type OrderStatus = 'pending' | 'dispatched' | 'refused' | 'accepted' | 'in_service' | 'completed' | 'cancelled';

export interface OrderEntitlement {
  month: string;
  budgetCents: number;
  usedBeforeCents: number;
  availableCents: number;
  sources: EntitlementSource[];
}

/** The order columns every view needs; `overdue` is the timers (unaccepted, late) computed on read. */
export const ORDER_SELECT = sql`o.id::text as id, o.no, o.county_code, o.region_code, r.name as region_name, o.elder_id::text as elder_id,
  o.elder_name, o.elder_phone, o.address, o.lat, o.lng, o.item_id::text as item_id, o.item_code, o.item_name, o.category, o.unit, o.skill,
  o.quantity, o.duration_min, o.price_cents, o.amount_cents, o.gov_cents, o.copay_cents, o.entitlement,
  to_char(o.service_date, 'YYYY-MM-DD') as service_date, o.service_time, o.note, o.channel, o.created_by_name, o.status,
  o.provider_id::text as provider_id, p.name as provider_name, o.caregiver_id::text as caregiver_id, o.caregiver_name,
  o.dispatch_mode, o.dispatched_at::text as dispatched_at, o.accept_deadline::text as accept_deadline, o.accepted_at::text as accepted_at,
  o.checkin_at::text as checkin_at, o.checkin_distance_m, o.checkout_at::text as checkout_at, o.checkout_distance_m, o.flags,
  o.work_done, o.service_notes, o.elder_confirmed_at::text as elder_confirmed_at, o.rating, o.rating_comment, o.rated_at::text as rated_at,
  o.cancelled_at::text as cancelled_at, o.cancel_reason, o.callback_at::text as callback_at, o.settlement_id::text as settlement_id,
  o.created_at::text as created_at, o.escalated_at::text as escalated_at, o.escalation,
  case when o.status = 'dispatched' and o.accept_deadline < now() then 'unaccepted'
       when o.status = 'accepted' and (o.service_date + o.service_time::time) at time zone current_setting('TimeZone')
            < now() - make_interval(mins => ${settingSql('services.lateMinutes', sql`o.county_code`)}::int) then 'late' end as overdue`;

export const ORDER_FROM = sql`service_orders o left join regions r on r.code = o.region_code
  left join providers p on p.id = o.provider_id`;

export async function loadOrder(tx: Executor, id: string): Promise<OrderRow> {
  const o = await tx.one<OrderRow>(sql`select ${ORDER_SELECT},
      array(select ph.id::text from service_order_photos ph where ph.order_id = o.id order by ph.created_at) as photo_ids
    from ${ORDER_FROM} where o.id = ${id}`);
  if (!o) throw notFound('服务工单', 'service order');
  return o;
}

export async function loadForChange(
  tx: Executor,
  id: string,
  o2: { candidates?: boolean; caregivers?: { providerId: string; caregiverId?: string }; me?: boolean } = {},
): Promise<OrderForChange & { candidates: CandidateRow[] | null; caregivers: CaregiverRow[] | null }> {
  const o = await tx.one<
    OrderForChange & { settings_json: Record<string, unknown> | null; candidates: CandidateRow[] | null; caregivers: CaregiverRow[] | null }
  >(sql`select o.id::text as id, o.no, o.county_code,
      o.region_code, o.elder_id::text as elder_id, o.status, o.provider_id::text as provider_id, o.caregiver_id::text as caregiver_id, o.skill,
      to_char(o.service_date, 'YYYY-MM-DD') as service_date, o.service_time, o.lat, o.lng, o.duration_min, o.amount_cents,
      ${SETTINGS_SQL(sql`o.county_code`)} as settings_json,
      ${o2.me ? sql`(select c.id::text from caregivers c where c.user_id::text = current_setting('yinling.user', true) and c.status = 'active')` : sql`null::text`} as my_caregiver_id,
      extract(epoch from clock_timestamp() - o.checkin_at)::float8 as elapsed_s,
      ${o2.candidates ? CANDIDATES_SQL : sql`null::json`} as candidates,
      ${o2.caregivers ? caregiversSql(o2.caregivers.providerId, o2.caregivers.caregiverId) : sql`null::json`} as caregivers
    from service_orders o where o.id = ${id}`);
  if (!o) throw notFound('服务工单', 'service order');
  o.settings = settingsFrom(o.settings_json);
  return o;
}

export interface Changed {
  id: string;
  no: string;
  region_code: string;
  status: OrderStatus;
  provider_id: string | null;
  dispatch_mode: string | null;
}

/** Who changes an order: a signed-in user, or a job (the overdue sweep) with no user id. */
export interface Actor {
  userId: string | null;
  displayName: string;
}

/** The request's audit entry as SQL (`Ctx.auditIn`). */
export type AuditIn = (e: StatementAudit) => SQL;

/** What a request's change of an order writes to the audit log, in the statement that makes it. */
export interface ChangeAudit {
  auditIn: AuditIn;
  action: string;
  /** The entry's after-image: a value, or a jsonb expression over the changed rows' columns. */
  after?: unknown;
  reason?: string | null;
}

/** The audit entry of a change, for each row of CTE `rows` (an order's columns). */
const orderAuditSql = (a: ChangeAudit, rows: SQL) =>
  a.auditIn({
    action: a.action,
    entity: 'service_order',
    entityId: sql`${rows}.id::text`,
    regionCode: sql`${rows}.region_code`,
    after: a.after ?? null,
    reason: a.reason ?? null,
    from: rows,
  });

/** What a change reads before it writes, in the same statement: a CTE `pre` (one row, naming the
 * order `x_id`) the UPDATE joins (`from pre`), whose `columns` (named `x_…`) the change returns.
 * The UPDATE's condition must still name the order by its id (`o.id = ${id}`): the planner does
 * not carry `pre`'s id into it and would otherwise walk every order in the same status. */
interface Pre {
  cte: SQL;
  columns: string[];
}

/** A jsonb value of a statement: JSON of a value, or a jsonb expression as it is. */
const jsonb = (v: unknown) => (v instanceof SQL ? v : sql`${v === undefined ? null : JSON.stringify(v)}::jsonb`);

/**
 * One conditional UPDATE of an order and its event in one statement; the orders changed (none:
 * someone else got there first, or the order is not in the expected state). With `audit` (a
 * request's own change, its last write) the audit entry is written by the same statement and
 * the transaction commits in the same round trip. `set` and `where` see the order as `o` (and
 * `pre`); `data` (the event's) may be a jsonb expression over the changed rows.
 */
async function change<X = object>(
  tx: Executor,
  p: Actor,
  kind: string,
  set: SQL,
  where: SQL,
  reason?: string | null,
  data?: unknown,
  audit?: ChangeAudit,
  pre?: Pre,
): Promise<(Changed & X)[]> {
  const extra = pre ? sql.raw(pre.columns.map((c) => `, ${c}`).join('')) : sql``;
  const q = sql`with ${pre ? sql`pre as (${pre.cte}), ` : sql``}u as (update service_orders o set ${set}, updated_at = now() ${pre ? sql`from pre` : sql``}
      where ${where}
      returning o.id, o.no, o.county_code, o.region_code, o.provider_id, o.elder_id, o.status, o.dispatch_mode${extra}),
    ev as (insert into service_order_events (order_id, county_code, region_code, provider_id, elder_id, actor_id, actor_name, kind, reason, data)
      select id, county_code, region_code, provider_id, elder_id, ${p.userId}::uuid, ${p.displayName}, ${kind}, ${reason ?? null}, ${jsonb(data)} from u)${
        audit
          ? sql`,
    au as (${orderAuditSql(audit, sql`u`)})`
          : sql``
      }
    select id::text as id, no, region_code, status, provider_id::text as provider_id, dispatch_mode${extra} from u`;
  return audit ? tx.last<Changed & X>(q) : tx.rows<Changed & X>(q);
}

const wrongState = (o: { status: string }, zh: string, en: string) => new AppError(409, 'WRONG_STATE', zh, en, { status: o.status });

/** After a conditional update touched nothing: the order is gone (404) or in another state (409). */
async function lostRace(tx: Executor, id: string, zh: string, en: string): Promise<never> {
  const o = await tx.one<{ status: string }>(sql`select status from service_orders where id = ${id}`);
  if (!o) throw notFound('服务工单', 'service order');
  throw wrongState(o, zh, en);
}

export async function event(
  tx: Executor,
  p: Principal,
  o: { id: string; county_code: string; region_code: string; provider_id: string | null; elder_id: string },
  kind: string,
  reason?: string | null,
  data?: unknown,
) {
  await tx.exec(sql`insert into service_order_events (order_id, county_code, region_code, provider_id, elder_id, actor_id, actor_name, kind, reason, data)
    values (${o.id}, ${o.county_code}, ${o.region_code}, ${o.provider_id}, ${o.elder_id}, ${p.userId}, ${p.displayName}, ${kind}, ${reason ?? null},
            ${data === undefined ? null : JSON.stringify(data)}::jsonb)`);
}

export interface OrderInput {
  elderId: string;
  itemId: string;
  quantity: number;
  date: string;
  time: string;
  note?: string | null;
  familyBedId?: string | null;
}

interface ElderForOrder {
  id: string;
  county_code: string;
  region_code: string;
  name: string;
  phone: string | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
  status: string;
}
interface ItemForOrder {
  id: string;
  code: string;
  name: string;
  category: string;
  unit: string;
  skill: string | null;
  price_cents: number;
  duration_min: number;
  county_code: string;
}

/** Government part already used by the elder's non-cancelled orders in the month of `date`, as a scalar SQL. */
function usedInMonthSql(elderId: string, date: string, exceptOrder?: string): SQL {
  const { from, to } = monthRange(date.slice(0, 7));
  return sql`(select coalesce(sum(gov_cents), 0)::int from service_orders
    where elder_id = ${elderId} and service_date between ${from} and ${to} and status <> 'cancelled'
      and (${exceptOrder ?? null}::uuid is null or id <> ${exceptOrder ?? null}::uuid))`;
}

/** The split of an order of `amountCents` for the elder on `date`, with its explanation. */
export async function entitlementSplit(
  tx: Executor,
  elderId: string,
  date: string,
  amountCents: number,
  o: { exceptOrder?: string; lock?: boolean; elder?: { county_code: string; region_code: string }; policy?: PolicyRow | null } = {},
) {
  // One order at a time per elder: two orders placed at once must not both spend the same budget.
  if (o.lock !== false) await tx.exec(sql`select pg_advisory_xact_lock(hashtextextended(${elderId}, 7212028))`);
  const exceptOrder = o.exceptOrder;
  // The budget and what the month's other orders used, in one statement (after the elder's lock).
  const usedSql = usedInMonthSql(elderId, date, exceptOrder);
  const ent = await serviceEntitlement(tx, elderId, date, o.elder, usedSql, o.policy === undefined ? undefined : { policy: o.policy });
  const used = ent.also === undefined ? (await tx.one<{ used: number }>(sql`select ${usedSql} as used`))!.used : Number(ent.also);
  return splitWith(ent, used, amountCents);
}

/** The split of an order of `amountCents` against the month's entitlement and what other orders used. */
function splitWith(ent: ServiceEntitlement, used: number, amountCents: number) {
  const split = splitOrder({ budgetCents: ent.budgetCents, usedCents: used, amountCents });
  const entitlement: OrderEntitlement = {
    month: ent.month,
    budgetCents: ent.budgetCents,
    usedBeforeCents: used,
    availableCents: split.availableCents,
    sources: ent.sources,
  };
  return { ...split, entitlement };
}

/** The policy the orders of each service month last found in force: a new order computes its
 * entitlement with it in its first statement, which also names the policy really in force. */
const policyGuess = new Map<string, PolicyRow>();

/**
 * The elder, the item, the county's settings and the entitlement split of the order, in one
 * statement after the elder's lock (taken ahead of it in the same round trip, so that what the
 * statement reads of the month's orders is after the lock). The entitlement is computed with
 * the policy this month's orders last found in force; when the statement names another (a new
 * version, or the first order of the month in this process), it is computed again with that one.
 */
async function prepare(tx: Executor, b: OrderInput) {
  // One order at a time per elder: two orders placed at once must not both spend the same budget.
  tx.ahead(sql`select pg_advisory_xact_lock(hashtextextended(${b.elderId}::uuid::text, 7212028))`);
  const month = monthStart(b.date);
  const guess = policyGuess.get(month);
  const county = guess?.county_code ?? '';
  const ent = guess ? entitlementQuery(guess, b.elderId, b.date, { lo: `${county}000000`, hi: `${county}999999` }) : null;
  const r = await tx.one<
    ElderForOrder & {
      item: ItemForOrder | null;
      settings_json: Record<string, unknown> | null;
      bed_ok: boolean;
      policy_ref: PolicyRef | null;
      ent_rows: EntitlementRow[] | null;
      used: number;
    }
  >(sql`select e.id::text as id,
      e.county_code, e.region_code, e.name, e.phone, e.address, e.lat, e.lng, e.status,
      (select row_to_json(i) from (select id::text as id, code, name, category, unit, skill, price_cents, duration_min, county_code
         from service_items where id = ${b.itemId} and active) i) as item,
      ${SETTINGS_SQL(sql`e.county_code`)} as settings_json,
      -- The benefit policy in force in the service month, by reference; the entitlement under the guessed one.
      ${policyRefSql(sql`e.county_code`, month)} as policy_ref,
      ${ent ? ent.rows : sql`null::json`} as ent_rows,
      ${usedInMonthSql(b.elderId, b.date)} as used,
      exists (select 1 from family_beds b where b.id = ${b.familyBedId ?? null}::uuid and b.elder_id = e.id and b.status = 'active') as bed_ok
    from elders e where e.id = ${b.elderId}`);
  if (!r) throw notFound('老年人', 'elder');
  if (r.status !== 'active')
    throw conflict('ELDER_INACTIVE', '该老年人不在册（已故或迁出），不能下单', 'the elder is no longer registered (deceased or moved out)');
  const item = r.item;
  if (!item || item.county_code !== r.county_code) throw notFound('服务项目', 'service item');
  if (b.familyBedId && !r.bed_ok) throw notFound('家庭养老床位', 'family care bed');
  checkSchedule(b.date, b.time, settingsFrom(r.settings_json)['services.maxDaysAhead']);
  const amount = item.price_cents * b.quantity;
  const policy = await policyByRef(tx, r.policy_ref);
  if (policy && policy !== guess) {
    if (policyGuess.size > 24) policyGuess.clear();
    policyGuess.set(month, policy);
  }
  // The policy guessed is the one in force: the statement had all it takes. Else ask again.
  const split =
    policy && policy === guess
      ? splitWith(ent ? ent.read(r.ent_rows ?? []) : { month: b.date.slice(0, 7), budgetCents: 0, sources: [] }, Number(r.used), amount)
      : await entitlementSplit(tx, r.id, b.date, amount, { lock: false, elder: r, policy });
  return { e: r, item, amount, split };
}

function checkSchedule(date: string, time: string, maxDaysAhead: number) {
  const today = countyToday();
  if (date < today) throw badRequest('PAST_DATE', '服务日期不能早于今天', 'the service date cannot be in the past', { field: 'date' });
  const last = new Date(Date.parse(`${today}T00:00:00Z`) + maxDaysAhead * 86_400_000).toISOString().slice(0, 10);
  if (date > last)
    throw badRequest('TOO_FAR_AHEAD', `最多可预约${maxDaysAhead}天内的服务`, `orders can be placed at most ${maxDaysAhead} days ahead`, { field: 'date' });
  void time;
}

export async function quoteOrder(tx: Executor, b: OrderInput) {
  const { e, item, amount, split: s } = await prepare(tx, b);
  return { elderName: e.name, itemName: item.name, unit: item.unit, quantity: b.quantity, priceCents: item.price_cents, amountCents: amount, ...s };
}

/** Places the order: the order, its first event and the view of it in one statement (with
 * `auditIn`, a request's own order: its audit entry too, and the transaction commits with it). */
export async function placeOrder(tx: Executor, p: Principal, b: OrderInput, auditIn?: AuditIn): Promise<OrderRow> {
  const { e, item, amount, split: s } = await prepare(tx, b);
  // A family user's order for the elder they are themself (their own account, 本人) is the elder's.
  const channel = p.role === 'family' ? sql`case when ${e.id}::uuid = yl_self_elder() then 'elder' else 'family' end` : sql`'staff'`;
  const audit = auditIn && orderAuditSql({ auditIn, action: 'order', after: { ...b, govCents: s.govCents, copayCents: s.copayCents } }, sql`o`);
  const q = sql`with o as (insert into service_orders (no, county_code, region_code, elder_id, elder_name, elder_phone, address, lat, lng,
      item_id, item_code, item_name, category, unit, skill, quantity, duration_min, price_cents, amount_cents, gov_cents, copay_cents, entitlement,
      service_date, service_time, note, channel, created_by, created_by_name, family_bed_id)
    values ('FW' || to_char(now(), 'YYYYMMDD') || lpad(nextval('service_order_no')::text, 6, '0'), ${e.county_code}, ${e.region_code}, ${e.id},
      ${e.name}, ${e.phone}, ${e.address}, ${e.lat}, ${e.lng}, ${item.id}, ${item.code}, ${item.name}, ${item.category}, ${item.unit}, ${item.skill},
      ${b.quantity}, ${item.duration_min * b.quantity}, ${item.price_cents}, ${amount}, ${s.govCents}, ${s.copayCents}, ${JSON.stringify(s.entitlement)}::jsonb,
      ${b.date}, ${b.time}, ${b.note ?? null}, ${channel}, ${p.userId}, ${p.displayName}, ${b.familyBedId ?? null})
    returning *),
    ev as (insert into service_order_events (order_id, county_code, region_code, provider_id, elder_id, actor_id, actor_name, kind, data)
      select id, county_code, region_code, provider_id, elder_id, ${p.userId}::uuid, ${p.displayName}, 'created',
             jsonb_build_object('govCents', ${s.govCents}::int, 'copayCents', ${s.copayCents}::int, 'channel', o.channel) from o)${
               audit
                 ? sql`,
    au as (${audit})`
                 : sql``
             }
    select ${ORDER_SELECT}, '{}'::text[] as photo_ids from o left join regions r on r.code = o.region_code left join providers p on p.id = o.provider_id`;
  const [row] = audit ? await tx.last<OrderRow>(q) : await tx.rows<OrderRow>(q);
  return row!;
}

export interface Candidate {
  providerId: string;
  name: string;
  distanceKm: number | null;
  openOrders: number;
  caregivers: number;
  rating: number;
  creditStatus: string;
  score: number;
}

/** Providers that can take the order, best first: they serve the elder's region, are active,
 * under contract, not black-listed, have a caregiver with the skill and did not refuse it. */
interface CandidateRow {
  id: string;
  name: string;
  rating: number;
  caregivers: number;
  open_orders: number;
  credit_status: string;
  distance_km: number | null;
  score: number;
}

/** The providers that can take order `o` (an alias in the enclosing query), with their distance
 * and score (`yl_dispatch_score`, migration 0020), one row each; only `provider` if given. */
const candidateRows = (provider?: string) => sql`select p.id::text as id, p.name, p.rating::float8 as rating, c.caregivers, c.open_orders, p.credit_status,
      d.km as distance_km, yl_dispatch_score(d.km, c.open_orders, c.caregivers, p.rating::float8) as score
    from yl_provider_capacity(o.region_code, o.skill${provider ? sql`, ${provider}::uuid` : sql``}) c join providers p on p.id = c.provider_id
    cross join lateral (select case when p.lat is null or p.lng is null or o.lat is null or o.lng is null then null
                                    else yl_distance_m(o.lat, o.lng, p.lat, p.lng) / 1000 end as km) d
   where p.status = 'active' and p.credit_status <> 'black' and c.caregivers > 0
     and (p.contract_from is null or p.contract_from <= o.service_date) and (p.contract_to is null or p.contract_to >= o.service_date)
     and not (p.id = any (o.refused_by))`;

/** The same as one json column. */
const CANDIDATES_SQL = sql`(select coalesce(json_agg(x), '[]') from (${candidateRows()}) x)`;

function rank(rows: CandidateRow[]): Candidate[] {
  return rows
    .map((r) => ({
      providerId: r.id,
      name: r.name,
      distanceKm: r.distance_km == null ? null : Math.round(r.distance_km * 10) / 10,
      openOrders: r.open_orders,
      caregivers: r.caregivers,
      rating: r.rating,
      creditStatus: r.credit_status,
      score: r.score,
    }))
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
}

/** Providers that can take the order, best first: they serve the elder's region, are active,
 * under contract, not black-listed, have a caregiver with the skill and did not refuse it. */
export async function candidates(tx: Executor, id: string): Promise<Candidate[]> {
  const o = await tx.one<{ candidates: CandidateRow[] }>(sql`select ${CANDIDATES_SQL} as candidates from service_orders o where o.id = ${id}`);
  if (!o) throw notFound('服务工单', 'service order');
  return rank(o.candidates);
}

const DISPATCHED = (provider: SQL, mode: 'manual' | 'auto', acceptMinutes: SQL) => sql`status = 'dispatched', provider_id = ${provider},
  caregiver_id = null, caregiver_name = null, dispatch_mode = ${mode}, dispatched_at = now(),
  accept_deadline = now() + make_interval(mins => ${acceptMinutes}), escalated_at = null, escalation = null`;

/**
 * Sends the order to a provider: the one staff chose (manual), or the best candidate (auto).
 * A manual dispatch is one statement: the provider is checked among the candidates, the order
 * changed and the event written (with `auditIn` the audit entry too, committing with it); only
 * when it changed nothing does a second read say why.
 */
export async function dispatchOrder(tx: Executor, p: Actor, id: string, b: { providerId?: string; mode: 'manual' | 'auto' }, auditIn?: AuditIn) {
  if (b.mode === 'manual') {
    if (!b.providerId) throw badRequest('PROVIDER_REQUIRED', '手动派单须选择服务机构', 'manual dispatch needs a provider', { field: 'providerId' });
    const pre: Pre = {
      cte: sql`select o.id as x_id, x.id as x_provider, x.name as x_name, x.score as x_score,
          ${settingSql('services.acceptMinutes', sql`o.county_code`)} as x_accept
        from service_orders o cross join lateral (${candidateRows(b.providerId)}) x where o.id = ${id} and x.id = ${b.providerId}`,
      columns: ['x_provider', 'x_name', 'x_score'],
    };
    const data = sql`jsonb_build_object('mode', 'manual', 'providerId', x_provider, 'score', x_score)`;
    const [done] = await change<{ x_provider: string; x_name: string; x_score: number }>(
      tx,
      p,
      'dispatched',
      DISPATCHED(sql`pre.x_provider::uuid`, 'manual', sql`pre.x_accept::int`),
      sql`o.id = ${id} and o.id = pre.x_id and o.status in ('pending', 'refused')`,
      null,
      data,
      auditIn && { auditIn, action: 'dispatch', after: data },
      pre,
    );
    if (done) return { order: done, provider: { providerId: done.x_provider, name: done.x_name, score: done.x_score } };
  }
  const o = await loadForChange(tx, id, { candidates: true });
  if (!['pending', 'refused'].includes(o.status)) throw wrongState(o, '该工单已派单或已结束', 'the order is already dispatched or closed');
  const list = rank(o.candidates ?? []);
  const chosen = b.mode === 'auto' ? list[0] : list.find((c) => c.providerId === b.providerId);
  if (!chosen && b.mode === 'auto')
    throw conflict(
      'NO_PROVIDER',
      '没有可派单的服务机构（服务区域、技能、合同或信用不符）',
      'no provider can take this order (area, skill, contract or credit)',
    );
  if (!chosen)
    throw conflict(
      'PROVIDER_NOT_ELIGIBLE',
      '该服务机构不能承接此工单（服务区域、技能、合同、信用或已拒单）',
      'this provider cannot take the order (area, skill, contract, credit or it refused)',
    );
  // A manual dispatch that changed nothing although the provider is eligible: another dispatcher won.
  if (b.mode === 'manual') return lostRace(tx, id, '该工单已被他人派单', 'another dispatcher has just dispatched this order');
  const after = { mode: b.mode, providerId: chosen.providerId, score: chosen.score };
  const n = (
    await change(
      tx,
      p,
      'dispatched',
      DISPATCHED(sql`${chosen.providerId}::uuid`, 'auto', sql`${o.settings['services.acceptMinutes']}`),
      sql`id = ${id} and status in ('pending', 'refused')`,
      null,
      after,
      auditIn && { auditIn, action: 'dispatch', after },
    )
  ).length;
  if (n === 0) await lostRace(tx, id, '该工单已被他人派单', 'another dispatcher has just dispatched this order');
  return { order: o, provider: chosen };
}

interface CaregiverRow {
  id: string;
  name: string;
  skills: string[];
  load: number;
}

/** The provider's active caregivers with the skill of order `o` (an alias in the enclosing
 * query), least loaded on the service day first, as one json column. */
const caregiversSql = (providerId: string, caregiverId?: string) => sql`(select coalesce(json_agg(x order by x.load, x.name), '[]') from (
    select c.id::text as id, c.name, c.skills,
      (select count(*)::int from service_orders w where w.caregiver_id = c.id and w.status in ('accepted','in_service') and w.service_date = o.service_date) as load
    from caregivers c where c.provider_id = ${providerId}::uuid and c.status = 'active' and (o.skill is null or o.skill = any (c.skills))
      and (${caregiverId ?? null}::uuid is null or c.id = ${caregiverId ?? null}::uuid)) x)`;

/** The caregiver for an order: the one asked for (checked), or the least loaded one with the skill. */
function providerCaregiver(rows: CaregiverRow[], caregiverId?: string) {
  if (caregiverId) {
    const c = rows.find((r) => r.id === caregiverId);
    if (!c)
      throw badRequest(
        'CAREGIVER_NOT_ELIGIBLE',
        '该护理员不属于本机构、已停用或不具备所需技能',
        'the caregiver is not of this provider, inactive, or lacks the skill',
        {
          field: 'caregiverId',
        },
      );
    return c;
  }
  if (!rows[0]) throw conflict('NO_CAREGIVER', '本机构没有具备所需技能的在岗护理员', 'the provider has no active caregiver with the skill');
  return rows[0];
}

/** The signed-in caregiver's id as a scalar of a statement (null: the account is no active caregiver). */
const MY_CAREGIVER = sql`(select cg.id from caregivers cg where cg.user_id = nullif(current_setting('yinling.user', true), '')::uuid and cg.status = 'active')`;

/**
 * The provider accepts a dispatched order and names the caregiver: the one asked for, or the one
 * with the skill and the fewest visits that day. One statement picks the caregiver, changes the
 * order, writes the event (and with `auditIn` the audit entry, committing with it); only when it
 * changed nothing does a second read say why.
 */
export async function acceptOrder(tx: Executor, p: Principal, id: string, caregiverId?: string, auditIn?: AuditIn) {
  if (p.providerId) {
    const pre: Pre = {
      cte: sql`select o.id as x_id, c.id as x_cg, c.name as x_cg_name from service_orders o
        cross join lateral (select c.id, c.name from caregivers c
          where c.provider_id = ${p.providerId}::uuid and c.status = 'active' and (o.skill is null or o.skill = any (c.skills))
            and (${caregiverId ?? null}::uuid is null or c.id = ${caregiverId ?? null}::uuid)
          -- The least loaded on the day, unless the provider named the caregiver (one row: no count).
          order by case when ${caregiverId ?? null}::uuid is null then (select count(*) from service_orders w
                     where w.caregiver_id = c.id and w.status in ('accepted', 'in_service') and w.service_date = o.service_date) end, c.name
          limit 1) c
        where o.id = ${id}`,
      columns: ['x_cg', 'x_cg_name'],
    };
    const [done] = await change<{ x_cg: string; x_cg_name: string }>(
      tx,
      p,
      'accepted',
      sql`status = 'accepted', caregiver_id = pre.x_cg, caregiver_name = pre.x_cg_name, accepted_at = now()`,
      sql`o.id = ${id} and o.id = pre.x_id and o.status = 'dispatched' and o.provider_id = ${p.providerId}`,
      null,
      sql`jsonb_build_object('caregiverId', x_cg::text, 'caregiverName', x_cg_name)`,
      auditIn && { auditIn, action: 'accept', after: sql`jsonb_build_object('caregiverId', x_cg::text)` },
      pre,
    );
    if (done) return { order: done, caregiver: { id: done.x_cg, name: done.x_cg_name } };
  }
  // Nothing changed: why.
  const o = p.providerId ? await loadForChange(tx, id, { caregivers: { providerId: p.providerId, caregiverId } }) : undefined;
  if (!o || o.provider_id !== p.providerId) throw notFound('服务工单', 'service order');
  if (o.status !== 'dispatched') throw wrongState(o, '只有待接单的工单可以接单', 'only a dispatched order can be accepted');
  providerCaregiver(o.caregivers ?? [], caregiverId);
  return lostRace(tx, id, '该工单状态已变化，不能接单', 'the order changed state; it cannot be accepted');
}

export async function assignCaregiver(tx: Executor, p: Principal, id: string, caregiverId: string, auditIn?: AuditIn) {
  const o = p.providerId ? await loadForChange(tx, id, { caregivers: { providerId: p.providerId, caregiverId } }) : undefined;
  if (!o || o.provider_id !== p.providerId) throw notFound('服务工单', 'service order');
  const c = providerCaregiver(o.caregivers ?? [], caregiverId);
  const n = (
    await change(
      tx,
      p,
      'assigned',
      sql`caregiver_id = ${c.id}, caregiver_name = ${c.name}`,
      sql`id = ${id} and status = 'accepted'`,
      null,
      { caregiverId: c.id, caregiverName: c.name },
      auditIn && { auditIn, action: 'assign', after: { caregiverId: c.id } },
    )
  ).length;
  if (n === 0) await lostRace(tx, id, '只有已接单、未签到的工单可以改派护理员', 'only an accepted order not yet started can get another caregiver');
  return { order: o, caregiver: c };
}

export async function refuseOrder(tx: Executor, p: Principal, id: string, reason: string, auditIn?: AuditIn) {
  const o = await loadForChange(tx, id);
  if (o.provider_id !== p.providerId) throw notFound('服务工单', 'service order');
  const n = (
    await change(
      tx,
      p,
      'refused',
      sql`status = 'refused', refused_by = array_append(refused_by, ${p.providerId}::uuid)`,
      sql`id = ${id} and status = 'dispatched' and provider_id = ${p.providerId}`,
      reason,
      undefined,
      auditIn && { auditIn, action: 'refuse', after: null, reason },
    )
  ).length;
  if (n === 0) await lostRace(tx, id, '只有待接单的工单可以拒单', 'only a dispatched order can be refused');
  return o;
}

export const TIMEOUT_REASON = '超时未接单';
export const NO_PROVIDER_REASON = '超时未接单，且没有其他可派单的服务机构';

/** An order of `providerId` left unaccepted past its deadline (超时未接单): the provider counts
 * as having refused it, and a manually dispatched order goes back to staff (需重新派单). One
 * conditional UPDATE: of two sweeps at once, only one finds the order (the other gets none). */
export async function timeOutOrder(tx: Executor, p: Actor, id: string, providerId: string): Promise<Changed | undefined> {
  const [done] = await change(
    tx,
    p,
    'timeout',
    sql`status = 'refused', refused_by = array_append(refused_by, provider_id),
      escalated_at = case when dispatch_mode = 'auto' then null else now() end, escalation = case when dispatch_mode = 'auto' then null else 'timeout' end`,
    sql`id = ${id} and status = 'dispatched' and provider_id = ${providerId} and accept_deadline < now()`,
    TIMEOUT_REASON,
    { providerId },
  );
  return done;
}

/** Back to staff: an order that timed out and has no other provider to go to. */
export async function escalateOrder(tx: Executor, p: Actor, id: string): Promise<Changed | undefined> {
  const [done] = await change(
    tx,
    p,
    'escalated',
    sql`escalated_at = now(), escalation = 'no_provider'`,
    sql`id = ${id} and status = 'refused'`,
    NO_PROVIDER_REASON,
  );
  return done;
}

/** The caregiver record of the signed-in caregiver. */
export async function myCaregiver(tx: Executor, p: Principal): Promise<{ id: string; name: string }> {
  const c = await tx.one<{ id: string; name: string }>(sql`select id::text as id, name from caregivers where user_id = ${p.userId} and status = 'active'`);
  if (!c) throw forbidden('您的账号未登记为在岗护理员', 'your account is not registered as an active caregiver');
  return c;
}

/** The order, if it is the signed-in caregiver's. */
async function caregiversOrder(tx: Executor, id: string) {
  // Row-level security shows a caregiver only their own orders: an account that is no active
  // caregiver sees none, and is told why rather than "not found".
  const o = await loadForChange(tx, id, { me: true }).catch(async (e: unknown) => {
    if (
      e instanceof AppError &&
      e.status === 404 &&
      !(await tx.one(sql`select 1 as x from caregivers where user_id = nullif(current_setting('yinling.user', true), '')::uuid and status = 'active'`))
    )
      throw forbidden('您的账号未登记为在岗护理员', 'your account is not registered as an active caregiver');
    throw e;
  });
  if (!o.my_caregiver_id) throw forbidden('您的账号未登记为在岗护理员', 'your account is not registered as an active caregiver');
  if (o.caregiver_id !== o.my_caregiver_id) throw notFound('服务工单', 'service order');
  return o;
}

/** Distance in whole metres of a visit at `at` from the order's (`o`) address; null when the address has no coordinates. */
const visitDistance = (at: { lat: number; lng: number }) =>
  sql`case when o.lat is null or o.lng is null then null else floor(yl_distance_m(o.lat, o.lng, ${at.lat}::float8, ${at.lng}::float8) + 0.5)::int end`;

/** What a check-in or check-out records as its event and audit entry (jsonb over the changed rows). */
const visitJson = (at: { lat: number; lng: number }, more: SQL = sql``) =>
  sql`jsonb_build_object('lat', ${at.lat}::float8, 'lng', ${at.lng}::float8, 'distanceM', x_dist, 'flags', to_jsonb(x_flags)${more})`;

/**
 * The caregiver checks in at `at`: flagged when far from the elder's address (or when the
 * address has no coordinates). One statement reads the order's address and the county's
 * distance, changes the order and writes the event (with `auditIn` the audit entry too,
 * committing with it); only when it changed nothing does a second read say why.
 */
export async function checkIn(tx: Executor, p: Principal, id: string, at: { lat: number; lng: number; reason?: string | null }, auditIn?: AuditIn) {
  // A check-in far from the address is accepted only with the caregiver's reason (kept on the
  // event and the audit entry): the same statement refuses it without one.
  const reason = at.reason?.trim() || null;
  const pre: Pre = {
    cte: sql`select d.x_id, d.x_me, d.x_dist,
        case when d.x_dist is null then array['no_location'] when d.x_dist > d.x_max then array['far_checkin'] else '{}'::text[] end as x_flags
      from (select o.id as x_id, ${MY_CAREGIVER} as x_me, ${visitDistance(at)} as x_dist, ${settingSql('services.maxDistanceM', sql`o.county_code`)} as x_max
              from service_orders o where o.id = ${id}) d`,
    columns: ['x_dist', 'x_flags'],
  };
  const visit = visitJson(at, reason ? sql`, 'reason', ${reason}::text` : sql``);
  const [done] = await change<{ x_dist: number | null; x_flags: VisitFlag[] }>(
    tx,
    p,
    'checkin',
    sql`status = 'in_service', checkin_at = now(), checkin_lat = ${at.lat}, checkin_lng = ${at.lng}, checkin_distance_m = pre.x_dist,
      flags = array(select distinct unnest(o.flags || pre.x_flags))`,
    sql`o.id = ${id} and o.id = pre.x_id and o.status = 'accepted' and o.caregiver_id = pre.x_me
      and (${reason}::text is not null or not ('far_checkin' = any (pre.x_flags)))`,
    reason,
    visit,
    auditIn && { auditIn, action: 'checkin', after: visit },
    pre,
  );
  if (done) return { order: done, distanceM: done.x_dist, flags: done.x_flags };
  const o = await caregiversOrder(tx, id);
  if (o.status === 'accepted' && !reason) {
    const far = await tx.one<{ d: number | null }>(sql`select ${visitDistance(at)} as d from service_orders o where o.id = ${id}`);
    const m = far?.d == null ? '—' : far.d.toLocaleString('en-US');
    throw badRequest(
      'CHECKIN_REASON_REQUIRED',
      `签到位置距老人住址 ${m} 米，超出允许范围，请说明原因后再签到`,
      `you are ${m} m from the elder's address, beyond the allowed distance: give a reason to check in`,
      { distanceM: far?.d ?? null },
    );
  }
  throw wrongState(o, '只有已接单的工单可以签到', 'only an accepted order can be checked in');
}

/**
 * The caregiver checks out at `at` with what was done: flagged when far from the address or
 * shorter than the county's share of the item's duration. One statement, as `checkIn`.
 */
export async function checkOut(
  tx: Executor,
  p: Principal,
  id: string,
  b: { lat: number; lng: number; workDone: string; notes?: string | null; elderConfirmed: boolean },
  auditIn?: AuditIn,
) {
  const pre: Pre = {
    cte: sql`select d.x_id, d.x_me, d.x_dist,
        array_remove(array[case when d.x_dist > d.x_max then 'far_checkout' end, case when d.x_short then 'too_short' end], null) as x_flags
      from (select o.id as x_id, ${MY_CAREGIVER} as x_me, ${visitDistance(b)} as x_dist, ${settingSql('services.maxDistanceM', sql`o.county_code`)} as x_max,
                   coalesce(extract(epoch from clock_timestamp() - o.checkin_at)::float8, 0)
                     < o.duration_min * 60 * ${settingSql('services.minDurationShare', sql`o.county_code`)} as x_short
              from service_orders o where o.id = ${id}) d`,
    columns: ['x_dist', 'x_flags'],
  };
  const visit = visitJson(b, sql`, 'elderConfirmed', ${b.elderConfirmed}::boolean`);
  const [done] = await change<{ x_dist: number | null; x_flags: VisitFlag[] }>(
    tx,
    p,
    'checkout',
    sql`status = 'completed', checkout_at = clock_timestamp(), checkout_lat = ${b.lat}, checkout_lng = ${b.lng}, checkout_distance_m = pre.x_dist,
      flags = array(select distinct unnest(o.flags || pre.x_flags)), work_done = ${b.workDone}, service_notes = ${b.notes ?? null},
      elder_confirmed_at = case when ${b.elderConfirmed} then clock_timestamp() end`,
    sql`o.id = ${id} and o.id = pre.x_id and o.status = 'in_service' and o.caregiver_id = pre.x_me`,
    null,
    visit,
    auditIn && { auditIn, action: 'checkout', after: visit },
    pre,
  );
  if (done) return { order: done, distanceM: done.x_dist, flags: done.x_flags };
  const o = await caregiversOrder(tx, id);
  throw wrongState(o, '只有服务中的工单可以签退', 'only an order in service can be checked out');
}

export async function rateOrder(tx: Executor, p: Principal, id: string, b: { stars: number; comment?: string | null }, auditIn?: AuditIn): Promise<Changed> {
  const [done] = await change(
    tx,
    p,
    'rated',
    sql`rating = ${b.stars}, rating_comment = ${b.comment ?? null}, rated_at = now(), rated_by_name = ${p.displayName},
      elder_confirmed_at = coalesce(elder_confirmed_at, now())`,
    sql`id = ${id} and status = 'completed' and rated_at is null`,
    b.comment ?? null,
    { stars: b.stars },
    auditIn && { auditIn, action: 'rate', after: b },
  );
  if (done) return done;
  const o = await loadForChange(tx, id);
  if (o.status !== 'completed') throw wrongState(o, '服务完成后才能评价', 'an order can be rated once the service is done');
  throw conflict('ALREADY_RATED', '该工单已评价（一单一评）', 'this order has already been rated (one order, one rating)');
}

const CHANGEABLE: OrderStatus[] = ['pending', 'dispatched', 'refused', 'accepted'];

export async function cancelOrder(tx: Executor, p: Principal, id: string, reason: string, auditIn?: AuditIn): Promise<Changed> {
  const [done] = await change(
    tx,
    p,
    'cancelled',
    sql`status = 'cancelled', cancelled_at = now(), cancel_reason = ${reason}`,
    sql`id = ${id} and status in ('pending', 'dispatched', 'refused', 'accepted')`,
    reason,
    undefined,
    auditIn && { auditIn, action: 'cancel', after: null, reason },
  );
  if (!done) await lostRace(tx, id, '服务已开始或已结束，不能取消', 'the service has started or ended; it cannot be cancelled');
  return done;
}

/** A new date or time. The split is worked out again for the new month (the old part is freed). */
export async function rescheduleOrder(tx: Executor, p: Principal, id: string, b: { date: string; time: string }, auditIn?: AuditIn) {
  const o = await loadForChange(tx, id);
  if (!CHANGEABLE.includes(o.status)) throw wrongState(o, '服务已开始或已结束，不能改期', 'the service has started or ended; it cannot be rescheduled');
  checkSchedule(b.date, b.time, o.settings['services.maxDaysAhead']);
  const s = await entitlementSplit(tx, o.elder_id, b.date, o.amount_cents, { exceptOrder: o.id, elder: o });
  const n = (
    await change(
      tx,
      p,
      'rescheduled',
      sql`service_date = ${b.date}, service_time = ${b.time}, gov_cents = ${s.govCents}, copay_cents = ${s.copayCents}, entitlement = ${JSON.stringify(s.entitlement)}::jsonb`,
      sql`id = ${id} and status in ('pending', 'dispatched', 'refused', 'accepted')`,
      null,
      { from: `${o.service_date} ${o.service_time}`, to: `${b.date} ${b.time}`, govCents: s.govCents },
      auditIn && { auditIn, action: 'reschedule', after: b },
    )
  ).length;
  if (n === 0) await lostRace(tx, id, '服务已开始或已结束，不能改期', 'the service has started or ended; it cannot be rescheduled');
  return o;
}

export const isStaff = (p: Principal) => STAFF.includes(p.role);
