/** Family care beds (家庭养老床位): enrolment of a disabled elder at home (current assessment at or
 * above the county's level), the home-adaptation record, the care plan (services × times a month),
 * adherence from the plan's completed orders; the orders settle monthly with the running provider. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { sql, type Executor } from '../../kernel/db.js';
import { countyToday } from '../../kernel/dates.js';
import { AppError, badRequest, conflict, notFound } from '../../kernel/errors.js';
import { defineRoute, iso } from '../../kernel/http.js';
import { STAFF, type Role } from '../../kernel/roles.js';
import type { MetricDef } from '../indicators/metrics.js';
import { scopeOf } from '../../kernel/scope.js';
import { DateStr, MonthStr } from './orders.schema.js';
import { serviceSettings } from './settings.js';
import { monthRange } from './split.js';

const Adaptation = z.object({
  items: z.array(z.object({ name: z.string().trim().min(1).max(60), done: z.boolean(), date: DateStr.nullish() })).max(30),
  notes: z.string().max(1000).nullish(),
});
const Plan = z
  .array(z.object({ itemId: z.uuid(), timesPerMonth: z.number().int().min(1).max(62) }))
  .min(1)
  .max(20);

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
  done: z.number(),
  adherence: z.number().nullable(),
  plan: z.array(z.object({ itemId: z.string(), itemName: z.string(), timesPerMonth: z.number(), done: z.number() })),
  createdAt: z.string().nullable(),
});

interface BedRow {
  id: string;
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
  plan: { itemId: string; itemName: string; timesPerMonth: number; done: number }[];
  created_at: string;
}

/** Beds with their plan and, per plan item, the completed orders of the month: set-based. */
async function beds(tx: Executor, month: string, id?: string): Promise<BedRow[]> {
  const { from, to } = monthRange(month);
  return tx.rows<BedRow>(sql`select b.id::text as id, b.elder_id::text as elder_id, b.elder_name, r.name as region_name, b.provider_id::text as provider_id,
      p.name as provider_name, b.ability_standard, b.ability_level, to_char(b.enrolled_on, 'YYYY-MM-DD') as enrolled_on,
      to_char(b.ended_on, 'YYYY-MM-DD') as ended_on, b.status, b.adaptation, b.created_at::text as created_at,
      coalesce((select json_agg(json_build_object('itemId', pl.item_id, 'itemName', i.name, 'timesPerMonth', pl.times_per_month, 'done', coalesce(d.n, 0))
                                order by i.code)
         from family_bed_plan pl join service_items i on i.id = pl.item_id
         left join (select item_id, count(*)::int as n from service_orders
                     where family_bed_id = b.id and status = 'completed' and service_date between ${from} and ${to} group by item_id) d on d.item_id = pl.item_id
        where pl.bed_id = b.id), '[]') as plan
    from family_beds b left join regions r on r.code = b.region_code left join providers p on p.id = b.provider_id
    where (${id ?? null}::uuid is null or b.id = ${id ?? null}::uuid)
    order by b.status, b.enrolled_on desc limit 1000`);
}

function present(b: BedRow, month: string) {
  const planned = b.plan.reduce((a, x) => a + x.timesPerMonth, 0);
  const done = b.plan.reduce((a, x) => a + Math.min(x.done, x.timesPerMonth), 0);
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
    done,
    adherence: planned ? Math.round((done / planned) * 1000) / 10 : null,
    plan: b.plan,
    createdAt: iso(b.created_at),
  };
}

async function savePlan(tx: Executor, bedId: string, bed: { county_code: string; region_code: string; provider_id: string }, plan: z.infer<typeof Plan>) {
  await tx.exec(sql`delete from family_bed_plan where bed_id = ${bedId}`);
  for (const p of plan) {
    const n = await tx.exec(sql`insert into family_bed_plan (bed_id, item_id, county_code, region_code, provider_id, times_per_month)
      select ${bedId}::uuid, i.id, ${bed.county_code}, ${bed.region_code}, ${bed.provider_id}::uuid, ${p.timesPerMonth}
        from service_items i where i.id = ${p.itemId} and i.active and i.county_code = ${bed.county_code}`);
    if (n === 0) throw notFound('服务项目', 'service item');
  }
}

const READERS: Role[] = [...STAFF, 'inspector', 'provider_admin'];

export function bedRoutes(app: FastifyInstance) {
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
      return present((await beds(tx, month, row!.id))[0], month);
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
      return { items: (await beds(tx, month)).map((b) => present(b, month)) };
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
      return present(b, month);
    },
  });

  defineRoute(app, {
    method: 'PATCH',
    url: '/api/v1/services/family-beds/:id',
    summary: '更新家庭养老床位：适老化改造记录、照护计划、撤床',
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
    response: z.object({ id: z.string(), status: z.string() }),
    handler: async ({ tx, params, body, audit }) => {
      const b = await tx.one<{ county_code: string; region_code: string; provider_id: string; status: string; enrolled_on: string }>(
        sql`select county_code, region_code, provider_id::text as provider_id, status, to_char(enrolled_on, 'YYYY-MM-DD') as enrolled_on from family_beds where id = ${params.id}`,
      );
      if (!b) throw notFound('家庭养老床位', 'family care bed');
      if (b.status !== 'active') throw conflict('ENDED', '该床位已撤床', 'the bed has ended');
      if (body.adaptation)
        await tx.exec(sql`update family_beds set adaptation = ${JSON.stringify(body.adaptation)}::jsonb, updated_at = now() where id = ${params.id}`);
      if (body.plan) await savePlan(tx, params.id, b, body.plan);
      if (body.end) {
        if (body.end.date < b.enrolled_on) throw badRequest('BAD_DATE', '撤床日期早于建床日期', 'the end date is before enrolment');
        await tx.exec(
          sql`update family_beds set status = 'ended', ended_on = ${body.end.date}, end_reason = ${body.end.reason}, updated_at = now() where id = ${params.id}`,
        );
      }
      await audit({ action: 'update', entity: 'family_bed', entityId: params.id, regionCode: b.region_code, after: body });
      return { id: params.id, status: body.end ? 'ended' : 'active' };
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
