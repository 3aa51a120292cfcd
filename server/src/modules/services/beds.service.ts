/**
 * Family care beds (家庭养老床位): the bed with its plan and the month's adherence, saving a plan,
 * and generating the month's orders from the plan. Plan orders are ordinary service orders
 * placed through `placeOrder` (so the entitlement split applies) and dispatched through
 * `dispatchOrder` to the bed's running provider; each names its plan slot (migration 0013).
 */
import { arr, sql, type Executor } from '../../kernel/db.js';
import { countyToday } from '../../kernel/dates.js';
import { AppError, badRequest, conflict, notFound } from '../../kernel/errors.js';
import type { AuditEntry } from '../../kernel/audit.js';
import { iso } from '../../kernel/http.js';
import type { Principal } from '../../kernel/principal.js';
import { PLAN_VISIT_TIME, visitsToGenerate, type PlanLine } from './beds.plan.js';
import { cancelOrder, dispatchOrder, placeOrder } from './orders.service.js';
import { serviceSettings } from './settings.js';
import { monthRange } from './split.js';

export interface BedPlanLine {
  itemId: string;
  itemName: string;
  /** 0: no longer in the plan (its generated visits of the month still count). */
  timesPerMonth: number;
  /** Visits of the month planned for the item: the plan's, or the generated ones if more. */
  planned: number;
  /** Of those, generated as orders. */
  generated: number;
  /** Completed orders of the bed for the item in the month, at most `planned`. */
  done: number;
}

export interface BedRow {
  id: string;
  county_code: string;
  region_code: string;
  elder_id: string;
  elder_name: string;
  region_name: string | null;
  provider_id: string;
  provider_name: string | null;
  ability_standard: string;
  ability_level: number;
  enrolled_on: string;
  ended_on: string | null;
  status: string;
  adaptation: unknown;
  plan: BedPlanLine[];
  created_at: string;
}

/** Plan slots of a month sort between these two keys ('2026-11:' … '2026-11;'). */
const slotRange = (month: string) => ({ lo: `${month}:`, hi: `${month};` });

/**
 * Beds with, per plan item, the month's planned, generated and completed visits: set-based.
 * Planned: for this month and later, the plan (or the generated slots, if a plan was reduced
 * after some of them had started); for a past month, the slots generated for it, or the plan
 * when none were generated.
 */
export async function beds(tx: Executor, month: string, id?: string): Promise<BedRow[]> {
  const { from, to } = monthRange(month);
  const { lo, hi } = slotRange(month);
  const current = month >= countyToday().slice(0, 7);
  return tx.rows<BedRow>(sql`select b.id::text as id, b.county_code, b.region_code, b.elder_id::text as elder_id, b.elder_name, r.name as region_name,
      b.provider_id::text as provider_id, p.name as provider_name, b.ability_standard, b.ability_level, to_char(b.enrolled_on, 'YYYY-MM-DD') as enrolled_on,
      to_char(b.ended_on, 'YYYY-MM-DD') as ended_on, b.status, b.adaptation, b.created_at::text as created_at,
      coalesce((select json_agg(json_build_object('itemId', x.item_id, 'itemName', i.name, 'timesPerMonth', x.times, 'planned', x.planned,
                                                  'generated', x.generated, 'done', least(x.done, x.planned)) order by i.code)
         from (select coalesce(pl.item_id, g.item_id) as item_id, coalesce(pl.times_per_month, 0)::int as times, coalesce(g.generated, 0) as generated,
                      coalesce(g.done, 0) as done,
                      greatest(coalesce(g.generated, 0),
                               case when ${current} or not exists (select 1 from service_orders s where s.family_bed_id = b.id and s.plan_slot >= ${lo} and s.plan_slot < ${hi})
                                    then coalesce(pl.times_per_month, 0) else 0 end) as planned
                 from (select item_id, times_per_month from family_bed_plan where bed_id = b.id) pl
                 full join (select item_id, count(*) filter (where plan_slot >= ${lo} and plan_slot < ${hi})::int as generated,
                                   count(*) filter (where status = 'completed' and service_date between ${from} and ${to})::int as done
                              from service_orders where family_bed_id = b.id and ((plan_slot >= ${lo} and plan_slot < ${hi}) or service_date between ${from} and ${to})
                             group by item_id) g on g.item_id = pl.item_id) x
         join service_items i on i.id = x.item_id where x.planned > 0), '[]') as plan
    from family_beds b left join regions r on r.code = b.region_code left join providers p on p.id = b.provider_id
    where (${id ?? null}::uuid is null or b.id = ${id ?? null}::uuid)
    order by b.status, b.enrolled_on desc limit 1000`);
}

export function presentBed(b: BedRow, month: string) {
  const planned = b.plan.reduce((a, x) => a + x.planned, 0);
  const done = b.plan.reduce((a, x) => a + x.done, 0);
  return {
    id: b.id,
    elderId: b.elder_id,
    elderName: b.elder_name,
    regionName: b.region_name,
    providerId: b.provider_id,
    providerName: b.provider_name,
    abilityStandard: b.ability_standard,
    abilityLevel: b.ability_level,
    enrolledOn: b.enrolled_on,
    endedOn: b.ended_on,
    status: b.status,
    adaptation: b.adaptation,
    month,
    planned,
    generated: b.plan.reduce((a, x) => a + x.generated, 0),
    done,
    adherence: planned ? Math.round((done / planned) * 1000) / 10 : null,
    plan: b.plan,
    createdAt: iso(b.created_at),
  };
}

/** One generation or plan change at a time per bed (then the elder's lock, taken by placeOrder). */
export const lockBed = (tx: Executor, bedId: string) => tx.exec(sql`select pg_advisory_xact_lock(hashtextextended(${bedId}, 7212029))`);

export async function savePlan(
  tx: Executor,
  bedId: string,
  bed: { county_code: string; region_code: string; provider_id: string },
  plan: { itemId: string; timesPerMonth: number }[],
) {
  await tx.exec(sql`delete from family_bed_plan where bed_id = ${bedId}`);
  for (const p of plan) {
    const n = await tx.exec(sql`insert into family_bed_plan (bed_id, item_id, county_code, region_code, provider_id, times_per_month)
      select ${bedId}::uuid, i.id, ${bed.county_code}, ${bed.region_code}, ${bed.provider_id}::uuid, ${p.timesPerMonth}
        from service_items i where i.id = ${p.itemId} and i.active and i.county_code = ${bed.county_code}`);
    if (n === 0) throw notFound('服务项目', 'service item');
  }
}

/**
 * Cancels the bed's plan visits not started yet that the plan no longer has (`why: 'plan'`: from
 * this month on, an item taken out or a slot beyond the new number of times; the slot is given
 * back) or that fall on or after the end of the bed (`why: 'end'`). Visits started or done stay.
 */
export async function cancelPlanVisits(tx: Executor, p: Principal, bedId: string, why: { plan: true } | { endOn: string }): Promise<string[]> {
  const cond =
    'plan' in why
      ? sql`o.plan_slot >= ${countyToday().slice(0, 7)} and (pl.item_id is null or split_part(o.plan_slot, ':', 3)::int > pl.times_per_month)`
      : sql`o.service_date >= ${why.endOn}`;
  const rows = await tx.rows<{ id: string; no: string }>(sql`select o.id::text as id, o.no from service_orders o
      left join family_bed_plan pl on pl.bed_id = o.family_bed_id and pl.item_id = o.item_id
    where o.family_bed_id = ${bedId} and o.plan_slot is not null and o.status in ('pending', 'dispatched', 'refused', 'accepted') and ${cond}
    order by o.service_date, o.no`);
  const done: { id: string; no: string }[] = [];
  for (const r of rows) {
    try {
      await cancelOrder(tx, p, r.id, 'plan' in why ? '照护计划调整' : '家庭养老床位撤床');
      done.push(r);
    } catch (e) {
      // Started in the meantime: it stays.
      if (!(e instanceof AppError) || e.status !== 409) throw e;
    }
  }
  if ('plan' in why && done.length) await tx.exec(sql`update service_orders set plan_slot = null where id = any (${arr(done.map((d) => d.id))}::uuid[])`);
  return done.map((d) => d.no);
}

export interface PlanOrder {
  id: string;
  no: string;
  date: string;
  time: string;
  itemName: string;
  status: string;
  govCents: number;
  copayCents: number;
}

export interface Generated {
  bedId: string;
  elderName: string;
  regionCode: string;
  month: string;
  /** Visits of the month in the plan. */
  planned: number;
  /** Generated before this call. */
  existing: number;
  created: number;
  dispatched: number;
  /** Placed but left for staff to dispatch: the running provider cannot take them now. */
  undispatched: { no: string; code: string; reason: string; reasonEn: string }[];
  /** Plan items no longer on the menu. */
  skipped: { itemName: string; reason: string; reasonEn: string }[];
  orders: PlanOrder[];
}

const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * Generates the month's plan orders of one bed that are not generated yet (visitsToGenerate), each
 * placed, dispatched to the running provider and marked with its slot. Under the bed's lock, so
 * two calls at once create each visit once (the second finds the slots); the slot's unique index
 * keeps it so whatever the caller. The running provider may accept a plan visit until the day
 * before it (an ordinary order: `services.acceptMinutes`).
 */
export async function generatePlanOrders(
  tx: Executor,
  p: Principal,
  bedId: string,
  month: string,
  audit: (e: AuditEntry) => Promise<void>,
): Promise<Generated> {
  await lockBed(tx, bedId);
  const { lo, hi } = slotRange(month);
  const bed = await tx.one<{
    id: string;
    county_code: string;
    region_code: string;
    elder_id: string;
    elder_name: string;
    provider_id: string;
    status: string;
    enrolled_on: string;
    plan: (PlanLine & { itemName: string; active: boolean })[];
    slots: string[];
  }>(sql`select b.id::text as id, b.county_code, b.region_code, b.elder_id::text as elder_id, b.elder_name, b.provider_id::text as provider_id, b.status,
      to_char(b.enrolled_on, 'YYYY-MM-DD') as enrolled_on,
      coalesce((select json_agg(json_build_object('itemId', pl.item_id, 'timesPerMonth', pl.times_per_month, 'itemName', i.name, 'active', i.active) order by i.code)
         from family_bed_plan pl join service_items i on i.id = pl.item_id where pl.bed_id = b.id), '[]') as plan,
      array(select o.plan_slot from service_orders o where o.family_bed_id = b.id and o.plan_slot >= ${lo} and o.plan_slot < ${hi}) as slots
    from family_beds b where b.id = ${bedId}`);
  if (!bed) throw notFound('家庭养老床位', 'family care bed');
  if (bed.status !== 'active') throw conflict('ENDED', '该床位已撤床', 'the bed has ended');
  const today = countyToday();
  if (month < today.slice(0, 7))
    throw badRequest('PAST_MONTH', '不能为已过去的月份生成计划工单', 'plan orders cannot be generated for a past month', { field: 'month' });
  if (bed.enrolled_on > monthRange(month).to)
    throw badRequest('NOT_ENROLLED', '该月尚未建床', 'the bed was not enrolled yet in that month', { field: 'month' });
  const lines = bed.plan.filter((l) => l.active);
  const visits = visitsToGenerate({ month, enrolledOn: bed.enrolled_on, today, lines, existing: new Set(bed.slots) });
  const maxDays = (await serviceSettings(tx, bed.county_code))['services.maxDaysAhead'];
  if (visits.some((v) => v.date > addDays(today, maxDays)))
    throw badRequest('TOO_FAR_AHEAD', `最多可提前${maxDays}天生成计划工单`, `plan orders can be generated at most ${maxDays} days ahead`, { field: 'month' });

  const out: Generated = {
    bedId: bed.id,
    elderName: bed.elder_name,
    regionCode: bed.region_code,
    month,
    planned: lines.reduce((a, l) => a + l.timesPerMonth, 0),
    existing: bed.slots.length,
    created: 0,
    dispatched: 0,
    undispatched: [],
    skipped: bed.plan.filter((l) => !l.active).map((l) => ({ itemName: l.itemName, reason: '服务项目已停用', reasonEn: 'the item is no longer on the menu' })),
    orders: [],
  };
  for (const v of visits) {
    const o = await placeOrder(tx, p, {
      elderId: bed.elder_id,
      itemId: v.itemId,
      quantity: 1,
      date: v.date,
      time: PLAN_VISIT_TIME,
      note: `家庭养老床位照护计划（本月第${v.seq}次）`,
      familyBedId: bed.id,
    });
    let status: string = o.status;
    try {
      await dispatchOrder(tx, p, o.id, { mode: 'manual', providerId: bed.provider_id });
      status = 'dispatched';
      out.dispatched++;
    } catch (e) {
      // The provider cannot take it now (area, skill, contract, credit): staff dispatch it later.
      if (!(e instanceof AppError) || e.status !== 409) throw e;
      out.undispatched.push({ no: o.no, code: e.code, reason: e.zh, reasonEn: e.en });
    }
    await tx.exec(sql`update service_orders set plan_slot = ${v.slot},
        accept_deadline = case when status = 'dispatched'
          then greatest(accept_deadline, (service_date - 1)::timestamp at time zone current_setting('TimeZone')) else accept_deadline end
      where id = ${o.id}`);
    out.created++;
    out.orders.push({
      id: o.id,
      no: o.no,
      date: v.date,
      time: PLAN_VISIT_TIME,
      itemName: o.item_name,
      status,
      govCents: o.gov_cents,
      copayCents: o.copay_cents,
    });
  }
  await audit({
    action: 'generate_plan_orders',
    entity: 'family_bed',
    entityId: bed.id,
    regionCode: bed.region_code,
    after: { month, created: out.orders.map((o) => o.no), undispatched: out.undispatched.map((u) => u.no), existing: out.existing },
  });
  return out;
}
