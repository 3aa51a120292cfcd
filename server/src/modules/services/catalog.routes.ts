/** The supplier catalogue (供应商库: providers, their caregivers) and the service menu (十助). */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { arr, sql } from '../../kernel/db.js';
import { isIsoDate } from '../../kernel/dates.js';
import { badRequest, forbidden, notFound } from '../../kernel/errors.js';
import { defineRoute, iso } from '../../kernel/http.js';
import { maskPhone } from '../../kernel/mask.js';
import { STAFF, type Role } from '../../kernel/roles.js';

export const CATEGORIES = {
  meal: { zh: '助餐', en: 'Meals' },
  bath: { zh: '助浴', en: 'Bathing' },
  clean: { zh: '助洁', en: 'Cleaning' },
  walk: { zh: '助行', en: 'Escort' },
  medical: { zh: '助医', en: 'Medical escort' },
  emergency: { zh: '助急', en: 'Emergency' },
  chat: { zh: '助聊', en: 'Company' },
  shopping: { zh: '助购', en: 'Shopping' },
  repair: { zh: '助修', en: 'Repairs' },
  care: { zh: '助康', en: 'Care & rehab' },
} as const;
export const CATEGORY_CODES = Object.keys(CATEGORIES) as (keyof typeof CATEGORIES)[];

export const SKILLS = {
  meal: '助餐配送',
  bath: '助浴',
  clean: '保洁',
  escort: '陪同出行',
  medical: '陪诊',
  nursing: '生活照料',
  rehab: '康复护理',
  repair: '维修',
} as const;

const CREDIT = ['good', 'watch', 'red', 'black'] as const;
const Region = z.string().regex(/^\d{12}$/, '区划代码为12位数字 / a region code has 12 digits');
const DateStr = z.string().refine(isIsoDate, { message: '日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD' });

const ProviderView = z.object({
  id: z.string(),
  name: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  creditCode: z.string().nullable(),
  kind: z.string(),
  status: z.string(),
  qualifications: z.array(z.string()),
  serviceRegions: z.array(z.string()),
  contractNo: z.string().nullable(),
  contractFrom: z.string().nullable(),
  contractTo: z.string().nullable(),
  rating: z.number(),
  creditStatus: z.string(),
  creditReason: z.string().nullable(),
  contactPhone: z.string().nullable(),
  address: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  caregivers: z.number(),
  evaluatedAt: z.string().nullable(),
});

interface ProviderRow {
  id: string;
  name: string;
  region_code: string;
  region_name: string | null;
  credit_code: string | null;
  kind: string;
  status: string;
  qualifications: string[];
  service_regions: string[];
  contract_no: string | null;
  contract_from: string | null;
  contract_to: string | null;
  rating: number;
  credit_status: string;
  credit_reason: string | null;
  contact_phone: string | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
  caregivers: number;
  evaluated_at: string | null;
}

const PROVIDER_SELECT = sql`p.id::text as id, p.name, p.region_code, r.name as region_name, p.credit_code, p.kind, p.status, p.qualifications,
  p.service_regions, p.contract_no, p.contract_from::text as contract_from, p.contract_to::text as contract_to, p.rating::float8 as rating,
  p.credit_status, p.credit_reason, p.contact_phone, p.address, p.lat, p.lng, p.evaluated_at::text as evaluated_at,
  (select count(*)::int from caregivers c where c.provider_id = p.id and c.status = 'active') as caregivers
  from providers p left join regions r on r.code = p.region_code`;

const presentProvider = (p: ProviderRow, mask = false) => ({
  id: p.id,
  name: p.name,
  regionCode: p.region_code,
  regionName: p.region_name,
  creditCode: p.credit_code,
  kind: p.kind,
  status: p.status,
  qualifications: p.qualifications,
  serviceRegions: p.service_regions,
  contractNo: p.contract_no,
  contractFrom: p.contract_from,
  contractTo: p.contract_to,
  rating: p.rating,
  creditStatus: p.credit_status,
  creditReason: p.credit_reason,
  contactPhone: mask ? maskPhone(p.contact_phone) : p.contact_phone,
  address: p.address,
  lat: p.lat,
  lng: p.lng,
  caregivers: p.caregivers,
  evaluatedAt: iso(p.evaluated_at),
});

/** A contract ends on or after it starts. */
const contractOrder = (b: { contractFrom?: string | null; contractTo?: string | null }) => !b.contractFrom || !b.contractTo || b.contractFrom <= b.contractTo;
const CONTRACT_ORDER = { message: '合同结束日期不能早于开始日期 / the contract cannot end before it starts', path: ['contractTo'] };

const ProviderFields = z.object({
  name: z.string().trim().min(1).max(200),
  regionCode: Region,
  creditCode: z.string().max(18).nullish(),
  kind: z.enum(['home_care', 'care_home', 'canteen', 'day_care']).default('home_care'),
  qualifications: z.array(z.string().trim().min(1).max(100)).max(20).default([]),
  serviceRegions: z.array(Region).max(500).default([]),
  contractNo: z.string().max(60).nullish(),
  contractFrom: DateStr.nullish(),
  contractTo: DateStr.nullish(),
  contactPhone: z.string().max(20).nullish(),
  address: z.string().max(200).nullish(),
  lat: z.number().min(-90).max(90).nullish(),
  lng: z.number().min(-180).max(180).nullish(),
});
const ProviderBody = ProviderFields.refine(contractOrder, CONTRACT_ORDER);
const ProviderPatch = ProviderFields.omit({ regionCode: true })
  .partial()
  .extend({
    status: z.enum(['active', 'suspended', 'closed']).optional(),
    creditStatus: z.enum(CREDIT).optional(),
    /** Why the credit status changes: required when it does (audited). */
    creditReason: z.string().trim().min(1).max(200).optional(),
    rating: z.number().min(0).max(5).optional(),
  })
  .refine(contractOrder, CONTRACT_ORDER);

/** Service areas lie in the caller's county. */
function checkAreas(areas: string[] | undefined, countyCode: string) {
  const bad = (areas ?? []).find((a) => a.slice(0, 6) !== countyCode);
  if (bad)
    throw badRequest('AREA_OUTSIDE_COUNTY', `服务区域 ${bad} 不在本县`, `service area ${bad} is outside the county`, { field: 'serviceRegions', code: bad });
}

const CaregiverView = z.object({
  id: z.string(),
  providerId: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  skills: z.array(z.string()),
  certificates: z.array(z.object({ name: z.string(), no: z.string().nullish(), validUntil: z.string().nullish() })),
  status: z.string(),
  username: z.string().nullable(),
  openOrders: z.number(),
});
const Skills = z.array(z.enum(Object.keys(SKILLS) as [keyof typeof SKILLS])).max(10);
/** A certificate: its type (name), number and the last day it is valid. */
const Certificates = z
  .array(z.object({ name: z.string().trim().min(1).max(60), no: z.string().trim().max(60).nullish(), validUntil: DateStr.nullish() }))
  .max(10);
const CaregiverBody = z.object({
  name: z.string().trim().min(1).max(50),
  phone: z.string().max(20).nullish(),
  skills: Skills.default([]),
  certificates: Certificates.default([]),
});
const CaregiverPatch = z.object({
  name: z.string().trim().min(1).max(50).optional(),
  phone: z.string().max(20).nullish(),
  skills: Skills.optional(),
  certificates: Certificates.optional(),
  status: z.enum(['active', 'inactive']).optional(),
});

const ItemView = z.object({
  id: z.string(),
  code: z.string(),
  category: z.string(),
  categoryName: z.string(),
  name: z.string(),
  unit: z.string(),
  priceCents: z.number(),
  durationMin: z.number(),
  skill: z.string().nullable(),
  description: z.string().nullable(),
  active: z.boolean(),
});
const ItemBody = z.object({
  code: z.string().regex(/^[A-Za-z0-9_-]{1,20}$/, '编码为1-20位字母数字 / 1-20 letters or digits'),
  category: z.enum(CATEGORY_CODES as [keyof typeof CATEGORIES]),
  name: z.string().trim().min(1).max(60),
  unit: z.string().trim().min(1).max(10),
  priceCents: z.number().int().min(0).max(10_000_000),
  durationMin: z.number().int().min(1).max(1440),
  skill: z.enum(Object.keys(SKILLS) as [keyof typeof SKILLS]).nullish(),
  description: z.string().max(500).nullish(),
});

const READERS: Role[] = [...STAFF, 'inspector', 'provider_admin', 'caregiver'];

export function catalogRoutes(app: FastifyInstance) {
  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/services/items',
    summary: '服务菜单（十助）：项目、单位、价格、时长、所需技能',
    tags: ['services'],
    roles: 'any',
    query: z.object({ all: z.enum(['true', 'false']).optional() }),
    response: z.object({
      items: z.array(ItemView),
      categories: z.record(z.string(), z.object({ zh: z.string(), en: z.string() })),
      skills: z.record(z.string(), z.string()),
    }),
    handler: async ({ tx, query, principal }) => {
      const rows = await tx.rows<{
        id: string;
        code: string;
        category: keyof typeof CATEGORIES;
        name: string;
        unit: string;
        price_cents: number;
        duration_min: number;
        skill: string | null;
        description: string | null;
        active: boolean;
      }>(sql`select id::text as id, code, category, name, unit, price_cents, duration_min, skill, description, active from service_items
        where county_code = ${principal.countyCode} and (${query.all === 'true'} or active) order by category, code`);
      return {
        items: rows.map((r) => ({
          id: r.id,
          code: r.code,
          category: r.category,
          categoryName: CATEGORIES[r.category]?.zh ?? r.category,
          name: r.name,
          unit: r.unit,
          priceCents: r.price_cents,
          durationMin: r.duration_min,
          skill: r.skill,
          description: r.description,
          active: r.active,
        })),
        categories: CATEGORIES,
        skills: SKILLS,
      };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/services/items',
    summary: '新增服务项目（县级）',
    tags: ['services'],
    roles: ['county_admin'],
    body: ItemBody,
    example: { code: 'ZY01', category: 'bath', name: '上门助浴', unit: '次', priceCents: 8000, durationMin: 60, skill: 'bath' },
    response: z.object({ id: z.string() }),
    handler: async ({ tx, body, principal, audit }) => {
      const region = principal.countyCode.padEnd(12, '0');
      const r = await tx.one<{
        id: string;
      }>(sql`insert into service_items (county_code, region_code, code, category, name, unit, price_cents, duration_min, skill, description)
        values (${principal.countyCode}, ${region}, ${body.code}, ${body.category}, ${body.name}, ${body.unit}, ${body.priceCents}, ${body.durationMin},
                ${body.skill ?? null}, ${body.description ?? null}) returning id::text as id`);
      await audit({ action: 'create', entity: 'service_item', entityId: r!.id, regionCode: region, after: body });
      return { id: r!.id };
    },
  });

  defineRoute(app, {
    method: 'PATCH',
    url: '/api/v1/services/items/:id',
    summary: '修改服务项目（价格、时长、停用）',
    tags: ['services'],
    roles: ['county_admin'],
    resource: 'serviceItem',
    params: z.object({ id: z.uuid() }),
    body: ItemBody.omit({ code: true }).partial().extend({ active: z.boolean().optional() }),
    example: { priceCents: 9000 },
    response: z.object({ id: z.string() }),
    handler: async ({ tx, params, body, audit }) => {
      const before = await tx.one<{ region_code: string }>(sql`select region_code from service_items where id = ${params.id} and yl_in_scope(region_code)`);
      if (!before) throw notFound('服务项目', 'service item');
      const n = await tx.exec(sql`update service_items set
          category = coalesce(${body.category ?? null}, category), name = coalesce(${body.name ?? null}, name), unit = coalesce(${body.unit ?? null}, unit),
          price_cents = coalesce(${body.priceCents ?? null}::int, price_cents), duration_min = coalesce(${body.durationMin ?? null}::int, duration_min),
          skill = case when ${body.skill !== undefined} then ${body.skill ?? null} else skill end,
          description = case when ${body.description !== undefined} then ${body.description ?? null} else description end,
          active = coalesce(${body.active ?? null}::boolean, active), updated_at = now()
        where id = ${params.id}`);
      if (n === 0) throw notFound('服务项目', 'service item');
      await audit({ action: 'update', entity: 'service_item', entityId: params.id, regionCode: before.region_code, after: body });
      return { id: params.id };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/services/providers',
    summary: '服务机构（供应商库）：资质、服务区域、合同、评分与信用',
    tags: ['services'],
    roles: READERS,
    response: z.object({ items: z.array(ProviderView) }),
    handler: async ({ tx, principal }) => {
      const rows = await tx.rows<ProviderRow>(sql`select ${PROVIDER_SELECT} order by p.rating desc, p.name`);
      return { items: rows.map((p) => presentProvider(p, principal.role === 'caregiver')) };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/services/providers',
    summary: '入库服务机构（县级）',
    tags: ['services'],
    roles: ['county_admin'],
    body: ProviderBody,
    example: { name: '示例居家养老服务中心', regionCode: '370124001000', qualifications: ['养老服务备案'], serviceRegions: [] },
    response: z.object({ id: z.string() }),
    handler: async ({ tx, body, principal, audit }) => {
      if (body.regionCode.slice(0, 6) !== principal.countyCode) throw notFound('行政区划', 'region');
      checkAreas(body.serviceRegions, principal.countyCode);
      const r = await tx.one<{ id: string }>(sql`insert into providers (county_code, region_code, name, credit_code, kind, qualifications, service_regions,
          contract_no, contract_from, contract_to, contact_phone, address, lat, lng)
        values (${body.regionCode.slice(0, 6)}, ${body.regionCode}, ${body.name}, ${body.creditCode ?? null}, ${body.kind}, ${arr(body.qualifications)}::text[],
          ${arr(body.serviceRegions)}::text[], ${body.contractNo ?? null}, ${body.contractFrom ?? null}, ${body.contractTo ?? null}, ${body.contactPhone ?? null},
          ${body.address ?? null}, ${body.lat ?? null}, ${body.lng ?? null}) returning id::text as id`);
      await audit({ action: 'create', entity: 'provider', entityId: r!.id, regionCode: body.regionCode, after: body });
      return { id: r!.id };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/services/providers/:id',
    summary: '服务机构详情',
    tags: ['services'],
    roles: READERS,
    resource: 'provider',
    params: z.object({ id: z.uuid() }),
    response: ProviderView,
    handler: async ({ tx, params, principal }) => {
      const p = await tx.one<ProviderRow>(sql`select ${PROVIDER_SELECT} where p.id = ${params.id}`);
      if (!p) throw notFound('服务机构', 'provider');
      return presentProvider(p, principal.role === 'caregiver');
    },
  });

  defineRoute(app, {
    method: 'PATCH',
    url: '/api/v1/services/providers/:id',
    summary: '更新服务机构：资质、服务区域、合同、信用状态、评分',
    tags: ['services'],
    roles: ['county_admin', 'township_staff'],
    resource: 'provider',
    params: z.object({ id: z.uuid() }),
    body: ProviderPatch,
    example: { creditStatus: 'watch', creditReason: '本月两起投诉未整改' },
    response: z.object({ id: z.string() }),
    handler: async ({ tx, params, body, principal, audit }) => {
      const before = await tx.one<{
        region_code: string;
        credit_status: string;
        credit_reason: string | null;
        contract_from: string | null;
        contract_to: string | null;
        rating: number;
        status: string;
      }>(sql`select region_code, credit_status, credit_reason, contract_from::text as contract_from, contract_to::text as contract_to,
          rating::float8 as rating, status from providers where id = ${params.id} and yl_in_scope(region_code)`);
      if (!before) throw notFound('服务机构', 'provider');
      checkAreas(body.serviceRegions, principal.countyCode);
      const from = body.contractFrom !== undefined ? body.contractFrom : before.contract_from;
      const to = body.contractTo !== undefined ? body.contractTo : before.contract_to;
      if (from && to && from > to)
        throw badRequest('CONTRACT_DATES', '合同结束日期不能早于开始日期', 'the contract cannot end before it starts', { field: 'contractTo' });
      const creditChanges = body.creditStatus !== undefined && body.creditStatus !== before.credit_status;
      if (creditChanges && !body.creditReason)
        throw badRequest('REASON_REQUIRED', '调整信用状态须说明原因', 'a change of credit status needs a reason', { field: 'creditReason' });
      const set = (v: unknown) => v !== undefined;
      await tx.exec(sql`update providers set
          name = coalesce(${body.name ?? null}, name),
          credit_code = case when ${set(body.creditCode)} then ${body.creditCode ?? null} else credit_code end,
          kind = coalesce(${body.kind ?? null}, kind), status = coalesce(${body.status ?? null}, status),
          qualifications = coalesce(${body.qualifications ? arr(body.qualifications) : null}::text[], qualifications),
          service_regions = coalesce(${body.serviceRegions ? arr(body.serviceRegions) : null}::text[], service_regions),
          contract_no = case when ${set(body.contractNo)} then ${body.contractNo ?? null} else contract_no end,
          contract_from = case when ${set(body.contractFrom)} then ${body.contractFrom ?? null}::date else contract_from end,
          contract_to = case when ${set(body.contractTo)} then ${body.contractTo ?? null}::date else contract_to end,
          contact_phone = case when ${set(body.contactPhone)} then ${body.contactPhone ?? null} else contact_phone end,
          address = case when ${set(body.address)} then ${body.address ?? null} else address end,
          lat = case when ${set(body.lat)} then ${body.lat ?? null}::float8 else lat end, lng = case when ${set(body.lng)} then ${body.lng ?? null}::float8 else lng end,
          credit_status = coalesce(${body.creditStatus ?? null}, credit_status), rating = coalesce(${body.rating ?? null}::numeric, rating),
          credit_reason = case when ${creditChanges} then ${body.creditReason ?? null} else credit_reason end,
          evaluated_at = case when ${set(body.rating) || set(body.creditStatus)} then now() else evaluated_at end, updated_at = now()
        where id = ${params.id}`);
      await audit({
        action: creditChanges ? 'credit' : 'update',
        entity: 'provider',
        entityId: params.id,
        regionCode: before.region_code,
        before: {
          creditStatus: before.credit_status,
          creditReason: before.credit_reason,
          contractFrom: before.contract_from,
          contractTo: before.contract_to,
          rating: before.rating,
          status: before.status,
        },
        after: body,
        reason: creditChanges ? body.creditReason : null,
      });
      return { id: params.id };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/services/providers/:id/caregivers',
    summary: '服务机构的护理员：技能、证书、在办工单',
    tags: ['services'],
    roles: [...STAFF, 'inspector', 'provider_admin'],
    resource: 'provider',
    params: z.object({ id: z.uuid() }),
    response: z.object({ items: z.array(CaregiverView) }),
    handler: async ({ tx, params, principal }) => {
      const p = await tx.one(sql`select 1 as x from providers where id = ${params.id}`);
      if (!p) throw notFound('服务机构', 'provider');
      const rows = await tx.rows<{
        id: string;
        provider_id: string;
        name: string;
        phone: string | null;
        skills: string[];
        certificates: { name: string; no?: string | null; validUntil?: string | null }[];
        status: string;
        username: string | null;
        open_orders: number;
      }>(sql`select c.id::text as id, c.provider_id::text as provider_id, c.name, c.phone, c.skills, c.certificates, c.status, u.username,
          (select count(*)::int from service_orders o where o.caregiver_id = c.id and o.status in ('accepted','in_service')) as open_orders
        from caregivers c left join users u on u.id = c.user_id where c.provider_id = ${params.id} order by c.status, c.name`);
      return {
        items: rows.map((c) => ({
          id: c.id,
          providerId: c.provider_id,
          name: c.name,
          phone: principal.role === 'provider_admin' ? c.phone : maskPhone(c.phone),
          skills: c.skills,
          certificates: c.certificates,
          status: c.status,
          username: c.username,
          openOrders: c.open_orders,
        })),
      };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/services/providers/:id/caregivers',
    summary: '登记护理员（技能、证书）',
    tags: ['services'],
    roles: ['county_admin', 'township_staff', 'provider_admin'],
    resource: 'provider',
    params: z.object({ id: z.uuid() }),
    body: CaregiverBody,
    example: { name: '李护理员', skills: ['bath', 'nursing'], certificates: [{ name: '养老护理员职业技能等级证书（四级）' }] },
    response: z.object({ id: z.string() }),
    handler: async ({ tx, params, body, principal, audit }) => {
      if (principal.role === 'provider_admin' && principal.providerId !== params.id) throw forbidden();
      const p = await tx.one<{ region_code: string; county_code: string }>(
        sql`select region_code, county_code from providers where id = ${params.id} and (yl_in_scope(region_code) or id::text = current_setting('yinling.provider', true))`,
      );
      if (!p) throw notFound('服务机构', 'provider');
      const r = await tx.one<{ id: string }>(sql`insert into caregivers (provider_id, county_code, region_code, name, phone, skills, certificates)
        values (${params.id}, ${p.county_code}, ${p.region_code}, ${body.name}, ${body.phone ?? null}, ${arr(body.skills)}::text[], ${JSON.stringify(body.certificates)}::jsonb)
        returning id::text as id`);
      await audit({ action: 'create', entity: 'caregiver', entityId: r!.id, regionCode: p.region_code, after: body });
      return { id: r!.id };
    },
  });

  defineRoute(app, {
    method: 'PATCH',
    url: '/api/v1/services/caregivers/:id',
    summary: '修改护理员：姓名、电话、技能、证书（类型、编号、有效期）、在岗 / 停用',
    tags: ['services'],
    roles: ['county_admin', 'township_staff', 'provider_admin'],
    resource: 'caregiver',
    params: z.object({ id: z.uuid() }),
    body: CaregiverPatch,
    example: { skills: ['bath', 'nursing'], certificates: [{ name: '健康证', no: 'JK2026001', validUntil: '2027-06-30' }] },
    response: z.object({ id: z.string() }),
    handler: async ({ tx, params, body, principal, audit }) => {
      const c = await tx.one<{
        provider_id: string;
        region_code: string;
        name: string;
        skills: string[];
        certificates: unknown;
        status: string;
      }>(sql`select provider_id::text as provider_id, region_code, name, skills, certificates, status from caregivers where id = ${params.id}`);
      if (!c || (principal.role === 'provider_admin' && c.provider_id !== principal.providerId)) throw notFound('护理员', 'caregiver');
      const n = await tx.exec(sql`update caregivers set name = coalesce(${body.name ?? null}, name),
          phone = case when ${body.phone !== undefined} then ${body.phone ?? null} else phone end,
          skills = coalesce(${body.skills ? arr(body.skills) : null}::text[], skills),
          certificates = coalesce(${body.certificates ? JSON.stringify(body.certificates) : null}::jsonb, certificates),
          status = coalesce(${body.status ?? null}, status), updated_at = now()
        where id = ${params.id}`);
      if (n === 0) throw notFound('护理员', 'caregiver');
      await audit({
        action: 'update',
        entity: 'caregiver',
        entityId: params.id,
        regionCode: c.region_code,
        before: { name: c.name, skills: c.skills, certificates: c.certificates, status: c.status },
        after: body,
      });
      return { id: params.id };
    },
  });
}
