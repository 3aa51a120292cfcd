/** Family care beds (家庭养老床位): enrolment of a disabled elder at home (current assessment at or
 * above the county's level), the home-adaptation record, the care plan (services × times a month),
 * the month's plan orders generated from the plan, adherence, and the bed's month statement with
 * the running provider (export to Excel). The orders settle monthly with the provider. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { writeAudit } from '../../kernel/audit.js';
import { sql } from '../../kernel/db.js';
import { countyToday } from '../../kernel/dates.js';
import { AppError, badRequest, conflict, fromPgError, notFound } from '../../kernel/errors.js';
import { attachment, defineRoute, XLSX } from '../../kernel/http.js';
import type { Principal } from '../../kernel/principal.js';
import { STAFF, type Role } from '../../kernel/roles.js';
import type { MetricDef } from '../indicators/metrics.js';
import { scopeOf } from '../../kernel/scope.js';
import { bedStatement, statementWorkbook } from './beds.statement.js';
import { beds, cancelPlanVisits, generatePlanOrders, lockBed, presentBed, savePlan, type Generated } from './beds.service.js';
import { DateStr, MonthStr } from './orders.schema.js';
import { serviceSettings } from './settings.js';

const Adaptation = z.object({
  items: z.array(z.object({ name: z.string().trim().min(1).max(60), done: z.boolean(), date: DateStr.nullish() })).max(30),
  notes: z.string().max(1000).nullish(),
});
const Plan = z
  .array(z.object({ itemId: z.uuid(), timesPerMonth: z.number().int().min(1).max(62) }))
  .min(1)
  .max(20)
  .refine((p) => new Set(p.map((l) => l.itemId)).size === p.length, { message: '同一服务项目只能列一行 / each item at most once' });

const PlanLineView = z.object({
  itemId: z.string(),
  itemName: z.string(),
  timesPerMonth: z.number(),
  planned: z.number(),
  generated: z.number(),
  done: z.number(),
});
const BedView = z.object({
  id: z.string(),
  elderId: z.string(),
  elderName: z.string(),
  regionName: z.string().nullable(),
  providerId: z.string(),
  providerName: z.string().nullable(),
  abilityStandard: z.string(),
  abilityLevel: z.number(),
  enrolledOn: z.string(),
  endedOn: z.string().nullable(),
  status: z.string(),
  adaptation: z.unknown(),
  month: z.string(),
  planned: z.number(),
  generated: z.number(),
  done: z.number(),
  adherence: z.number().nullable(),
  plan: z.array(PlanLineView),
  createdAt: z.string().nullable(),
});

const Reason = z.object({ reason: z.string(), reasonEn: z.string() });
const GeneratedView = z.object({
  bedId: z.string(),
  elderName: z.string(),
  month: z.string(),
  planned: z.number(),
  existing: z.number(),
  created: z.number(),
  dispatched: z.number(),
  undispatched: z.array(Reason.extend({ no: z.string(), code: z.string() })),
  skipped: z.array(Reason.extend({ itemName: z.string() })),
  orders: z.array(
    z.object({
      id: z.string(),
      no: z.string(),
      date: z.string(),
      time: z.string(),
      itemName: z.string(),
      status: z.string(),
      govCents: z.number(),
      copayCents: z.number(),
    }),
  ),
});
const BedResult = GeneratedView.omit({ orders: true, skipped: true }).extend({
  error: z.object({ code: z.string(), message: z.string(), messageEn: z.string() }).nullable(),
});

const HoldLabel = z.object({ code: z.string(), label: z.string(), labelEn: z.string() });
const StatementView = z.object({
  bed: BedView,
  subsidy: z.object({ monthlyCents: z.number(), activeDays: z.number(), daysInMonth: z.number(), cents: z.number() }),
  orders: z.array(
    z.object({
      id: z.string(),
      no: z.string(),
      date: z.string(),
      time: z.string(),
      itemName: z.string(),
      status: z.string(),
      fromPlan: z.boolean(),
      providerName: z.string().nullable(),
      caregiverName: z.string().nullable(),
      amountCents: z.number(),
      govCents: z.number(),
      copayCents: z.number(),
      held: z.boolean(),
      holdReasons: z.array(HoldLabel),
      settlement: z.object({ id: z.string(), month: z.string(), status: z.string(), held: z.boolean() }).nullable(),
    }),
  ),
  totals: z.object({
    completed: z.number(),
    payable: z.number(),
    payableGovCents: z.number(),
    payableCopayCents: z.number(),
    held: z.number(),
    heldGovCents: z.number(),
    heldCopayCents: z.number(),
    open: z.number(),
    cancelled: z.number(),
    subsidyCents: z.number(),
    governmentCents: z.number(),
  }),
  reconciliation: z.object({
    ok: z.boolean(),
    settledOrders: z.number(),
    lineGovCents: z.number(),
    lineCopayCents: z.number(),
    orderGovCents: z.number(),
    orderCopayCents: z.number(),
    differing: z.array(z.string()),
  }),
});

const READERS: Role[] = [...STAFF, 'inspector', 'provider_admin'];
/** Who generates plan orders: township and county staff, and the bed's running provider. */
const PLANNERS: Role[] = ['county_admin', 'township_staff', 'provider_admin'];
const EXAMPLE_MONTH = { month: '2026-11' };

/** A bed's month generation without its order list (the answer for many beds). */
const summary = (g: Generated) => ({
  bedId: g.bedId,
  elderName: g.elderName,
  month: g.month,
  planned: g.planned,
  existing: g.existing,
  created: g.created,
  dispatched: g.dispatched,
  undispatched: g.undispatched,
  error: null,
});
const failed = (b: { id: string; elder_name: string }, month: string, e: AppError) => ({
  bedId: b.id,
  elderName: b.elder_name,
  month,
  planned: 0,
  existing: 0,
  created: 0,
  dispatched: 0,
  undispatched: [],
  error: { code: e.code, message: e.zh, messageEn: e.en },
});
const asAppError = (e: unknown) => (e instanceof AppError ? e : fromPgError(e));

export function bedRoutes(app: FastifyInstance) {
  /**
   * A provider user's own scope is its region, and the elder of a bed it runs may live elsewhere
   * (the provider serves other townships): the entitlement split needs the elder's facts. So the
   * provider's generation runs after its request transaction (which found the bed among the
   * provider's own), in a transaction of its own scoped to that one elder's region, and is
   * audited there as the provider user.
   */
  const asProvider = (p: Principal, req: { ip: string; id: string }, bed: { id: string; region_code: string }, month: string) =>
    app.yl.db.scoped(scopeOf(bed.region_code, { userId: p.userId }), (tx) =>
      generatePlanOrders(tx, p, bed.id, month, (e) => writeAudit(tx, { id: p.userId, name: p.displayName, role: p.role, ip: req.ip, requestId: req.id }, e)),
    );

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/services/family-beds',
    summary: '家庭养老床位建床：失能老人（当前评估等级不低于县级设置）、运营机构、适老化改造记录与照护计划',
    tags: ['services'],
    roles: STAFF,
    body: z.object({ elderId: z.uuid(), providerId: z.uuid(), enrolledOn: DateStr, adaptation: Adaptation.optional(), plan: Plan }),
    example: {
      elderId: '00000000-0000-4000-8000-000000000001',
      providerId: '00000000-0000-4000-8000-000000000004',
      enrolledOn: '2026-11-01',
      plan: [{ itemId: '00000000-0000-4000-8000-000000000002', timesPerMonth: 4 }],
    },
    response: BedView,
    handler: async ({ tx, body, principal, audit }) => {
      const e = await tx.one<{ id: string; county_code: string; region_code: string; name: string; status: string }>(
        sql`select id::text as id, county_code, region_code, name, status from elders where id = ${body.elderId}`,
      );
      if (!e) throw notFound('老年人', 'elder');
      if (e.status !== 'active') throw conflict('ELDER_INACTIVE', '该老年人不在册', 'the elder is no longer registered');
      const min = (await serviceSettings(tx, e.county_code))['services.familyBedMinLevel'];
      const a = await tx.one<{ assessment_id: string; standard: string; final_level: number }>(
        sql`select assessment_id::text as assessment_id, standard, final_level from elder_current_ability where elder_id = ${e.id}`,
      );
      if (!a) throw new AppError(409, 'NO_ASSESSMENT', '该老年人没有有效的能力评估，不能建床', 'the elder has no valid ability assessment');
      if (a.final_level < min)
        throw new AppError(
          409,
          'NOT_DISABLED',
          `能力等级低于本县家庭养老床位标准（${min}级及以上）`,
          `the ability level is below the county's level for a family care bed (${min})`,
          {
            level: a.final_level,
            minLevel: min,
          },
        );
      const prov = await tx.one<{ id: string }>(sql`select id::text as id from providers where id = ${body.providerId} and status = 'active'
        and yl_serves_region(service_regions, region_code, ${e.region_code})`);
      if (!prov) throw badRequest('PROVIDER_NOT_ELIGIBLE', '该机构未在册或不服务该老人所在地', 'the provider is inactive or does not serve the elder’s area');
      const row = await tx.one<{ id: string }>(sql`insert into family_beds (county_code, region_code, elder_id, elder_name, provider_id, assessment_id,
          ability_standard, ability_level, enrolled_on, adaptation, created_by_name)
        values (${e.county_code}, ${e.region_code}, ${e.id}, ${e.name}, ${body.providerId}, ${a.assessment_id}, ${a.standard}, ${a.final_level},
          ${body.enrolledOn}, ${JSON.stringify(body.adaptation ?? { items: [] })}::jsonb, ${principal.displayName}) returning id::text as id`);
      await savePlan(tx, row!.id, { county_code: e.county_code, region_code: e.region_code, provider_id: body.providerId }, body.plan);
      await audit({ action: 'enrol', entity: 'family_bed', entityId: row!.id, regionCode: e.region_code, after: body });
      const month = countyToday().slice(0, 7);
      return presentBed((await beds(tx, month, row!.id))[0], month);
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/services/family-beds',
    summary: '家庭养老床位：照护计划与本月执行率',
    tags: ['services'],
    roles: READERS,
    query: z.object({ month: MonthStr.optional() }),
    response: z.object({ items: z.array(BedView) }),
    handler: async ({ tx, query }) => {
      const month = query.month ?? countyToday().slice(0, 7);
      return { items: (await beds(tx, month)).map((b) => presentBed(b, month)) };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/services/family-beds/:id',
    summary: '家庭养老床位详情',
    tags: ['services'],
    roles: READERS,
    resource: 'familyBed',
    params: z.object({ id: z.uuid() }),
    query: z.object({ month: MonthStr.optional() }),
    response: BedView,
    handler: async ({ tx, params, query }) => {
      const month = query.month ?? countyToday().slice(0, 7);
      const [b] = await beds(tx, month, params.id);
      if (!b) throw notFound('家庭养老床位', 'family care bed');
      return presentBed(b, month);
    },
  });

  defineRoute(app, {
    method: 'PATCH',
    url: '/api/v1/services/family-beds/:id',
    summary: '更新家庭养老床位：适老化改造记录、照护计划（本月起未开始的多余计划工单随之取消）、撤床（撤床日起未开始的计划工单取消）',
    tags: ['services'],
    roles: STAFF,
    resource: 'familyBed',
    params: z.object({ id: z.uuid() }),
    body: z.object({
      adaptation: Adaptation.optional(),
      plan: Plan.optional(),
      end: z.object({ date: DateStr, reason: z.string().trim().min(1).max(200) }).optional(),
    }),
    example: { adaptation: { items: [{ name: '卫生间扶手', done: true, date: '2026-11-05' }] } },
    response: z.object({ id: z.string(), status: z.string(), cancelledOrders: z.array(z.string()) }),
    handler: async ({ tx, params, body, principal, audit }) => {
      const b = await tx.one<{ county_code: string; region_code: string; provider_id: string; status: string; enrolled_on: string }>(
        sql`select county_code, region_code, provider_id::text as provider_id, status, to_char(enrolled_on, 'YYYY-MM-DD') as enrolled_on from family_beds where id = ${params.id}`,
      );
      if (!b) throw notFound('家庭养老床位', 'family care bed');
      // Not while the month's plan orders are being generated.
      await lockBed(tx, params.id);
      if (b.status !== 'active') throw conflict('ENDED', '该床位已撤床', 'the bed has ended');
      const cancelled: string[] = [];
      if (body.adaptation)
        await tx.exec(sql`update family_beds set adaptation = ${JSON.stringify(body.adaptation)}::jsonb, updated_at = now() where id = ${params.id}`);
      if (body.plan) {
        await savePlan(tx, params.id, b, body.plan);
        cancelled.push(...(await cancelPlanVisits(tx, principal, params.id, { plan: true })));
      }
      if (body.end) {
        if (body.end.date < b.enrolled_on) throw badRequest('BAD_DATE', '撤床日期早于建床日期', 'the end date is before enrolment');
        await tx.exec(
          sql`update family_beds set status = 'ended', ended_on = ${body.end.date}, end_reason = ${body.end.reason}, updated_at = now() where id = ${params.id}`,
        );
        cancelled.push(...(await cancelPlanVisits(tx, principal, params.id, { endOn: body.end.date })));
      }
      await audit({ action: 'update', entity: 'family_bed', entityId: params.id, regionCode: b.region_code, after: { ...body, cancelledOrders: cancelled } });
      return { id: params.id, status: body.end ? 'ended' : 'active', cancelledOrders: cancelled };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/services/family-beds/:id/plan-orders',
    summary: '按照护计划生成该床位某月的服务工单（均匀分布、不早于今天），按权益拆分并派给运营机构；重复生成不会重复建单',
    tags: ['services'],
    roles: PLANNERS,
    resource: 'familyBed',
    params: z.object({ id: z.uuid() }),
    body: z.object({ month: MonthStr }),
    example: EXAMPLE_MONTH,
    response: GeneratedView,
    handler: async ({ tx, params, body, principal, req, audit, afterCommit }) => {
      if (principal.role !== 'provider_admin') return generatePlanOrders(tx, principal, params.id, body.month, audit);
      const bed = await tx.one<{ id: string; region_code: string }>(sql`select id::text as id, region_code from family_beds where id = ${params.id}`);
      if (!bed) throw notFound('家庭养老床位', 'family care bed');
      const out = {} as Generated;
      // Filled in before the answer is sent (the kernel runs afterCommit work first).
      afterCommit(async () => void Object.assign(out, await asProvider(principal, req, bed, body.month)));
      return out;
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/services/family-beds/plan-orders',
    summary: '为辖区（或本机构）所有在床的家庭养老床位生成某月的计划工单；逐床处理，某床出错不影响其他床位',
    tags: ['services'],
    roles: PLANNERS,
    body: z.object({
      month: MonthStr,
      regionCode: z
        .string()
        .regex(/^\d{12}$/)
        .optional(),
    }),
    example: EXAMPLE_MONTH,
    response: z.object({
      month: z.string(),
      beds: z.number(),
      created: z.number(),
      dispatched: z.number(),
      failed: z.number(),
      results: z.array(BedResult),
    }),
    handler: async ({ tx, body, principal, req, audit, afterCommit }) => {
      if (body.month < countyToday().slice(0, 7))
        throw badRequest('PAST_MONTH', '不能为已过去的月份生成计划工单', 'plan orders cannot be generated for a past month', { field: 'month' });
      const rc = body.regionCode ?? null;
      const list = await tx.rows<{ id: string; elder_name: string; region_code: string }>(sql`select id::text as id, elder_name, region_code from family_beds
        where status = 'active' and (${rc}::text is null or region_code between ${rc} and yl_region_hi(${rc})) order by region_code, id`);
      const results: z.input<typeof BedResult>[] = [];
      const out = { month: body.month, beds: list.length, created: 0, dispatched: 0, failed: 0, results };
      const add = (r: z.input<typeof BedResult>) => {
        results.push(r);
        out.created += r.created;
        out.dispatched += r.dispatched;
        if (r.error) out.failed++;
      };
      if (principal.role === 'provider_admin') {
        // Each bed in a transaction of its own (see asProvider).
        afterCommit(async () => {
          for (const b of list)
            try {
              add(summary(await asProvider(principal, req, b, body.month)));
            } catch (e) {
              const err = asAppError(e);
              if (!err) throw e;
              add(failed(b, body.month, err));
            }
        });
        return out;
      }
      // Staff: one transaction, each bed behind a savepoint, so one bed's failure undoes only its own orders.
      for (const b of list) {
        await tx.exec(sql`savepoint yl_bed_plan`);
        try {
          add(summary(await generatePlanOrders(tx, principal, b.id, body.month, audit)));
          await tx.exec(sql`release savepoint yl_bed_plan`);
        } catch (e) {
          const err = asAppError(e);
          if (!err) throw e;
          await tx.exec(sql`rollback to savepoint yl_bed_plan`);
          add(failed(b, body.month, err));
        }
      }
      return out;
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/services/family-beds/:id/statement',
    summary: '家庭养老床位月度结算单：计划与完成（执行率）、本月工单的政府支付与个人自付、异常暂缓、运营补贴，并与机构结算单逐单核对',
    tags: ['services'],
    roles: READERS,
    resource: 'familyBed',
    params: z.object({ id: z.uuid() }),
    query: z.object({ month: MonthStr.optional() }),
    response: StatementView,
    handler: async ({ tx, params, query }) => bedStatement(tx, params.id, query.month ?? countyToday().slice(0, 7)),
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/services/family-beds/:id/statement/export',
    summary: '导出家庭养老床位月度结算单（Excel）',
    tags: ['services'],
    roles: READERS,
    resource: 'familyBed',
    params: z.object({ id: z.uuid() }),
    query: z.object({ month: MonthStr.optional() }),
    file: true,
    handler: async ({ tx, params, query, reply, audit }) => {
      const s = await bedStatement(tx, params.id, query.month ?? countyToday().slice(0, 7));
      const buf = await statementWorkbook(s);
      await audit({ action: 'export', entity: 'family_bed', entityId: params.id, regionCode: s.regionCode, after: { month: s.bed.month } });
      reply.header('content-type', XLSX).header('content-disposition', attachment(`家庭养老床位结算单-${s.bed.elderName}-${s.bed.month}.xlsx`));
      return reply.send(buf);
    },
  });
}

/** 家庭养老床位 (family_care_beds): beds active on the date in the region. */
export const bedMetrics: MetricDef[] = [
  {
    id: 'family_care_beds',
    async compute(tx, q) {
      const s = scopeOf(q.regionCode);
      const r = await tx.one<{ n: number }>(sql`select count(*)::int as n from family_beds where region_code between ${s.lo} and ${s.hi}
        and enrolled_on <= ${q.asOf}::date and (ended_on is null or ended_on > ${q.asOf}::date)`);
      return { value: r!.n };
    },
    async records(tx, q, _set, limit, offset) {
      const s = scopeOf(q.regionCode);
      const rows = await tx.rows<{ id: string; elder_name: string; region_name: string | null; provider: string | null; level: number; total: number }>(
        sql`select b.id::text as id, b.elder_name, r.name as region_name, p.name as provider, b.ability_level as level, count(*) over ()::int as total
          from family_beds b left join regions r on r.code = b.region_code left join providers p on p.id = b.provider_id
          where b.region_code between ${s.lo} and ${s.hi} and b.enrolled_on <= ${q.asOf}::date and (b.ended_on is null or b.ended_on > ${q.asOf}::date)
          order by b.region_code, b.elder_name limit ${limit} offset ${offset}`,
      );
      return {
        items: rows.map((b) => ({
          id: b.id,
          kind: 'elder' as const,
          name: b.elder_name,
          regionName: b.region_name,
          detail: `${b.provider ?? ''} · 能力等级${b.level}`,
        })),
        total: rows[0]?.total ?? 0,
      };
    },
  },
];
