/** HTTP routes of the supplier catalogue (供应商库: providers, their caregivers) and the service menu (十助). */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { defineRoute } from '../../kernel/http.js';
import { STAFF, type Role } from '../../kernel/roles.js';
import { catalogRepo } from './catalog.repository.js';
import {
  CaregiverBody,
  CaregiverPatch,
  CaregiverView,
  CATEGORIES,
  ItemBody,
  ItemPatch,
  ItemsQuery,
  ItemView,
  ProviderBody,
  ProviderPatch,
  ProviderView,
  SKILLS,
  UuidParams,
} from './catalog.schema.js';
import {
  addCaregiver,
  createItem,
  createProvider,
  getProvider,
  presentItem,
  presentProvider,
  providerCaregivers,
  updateCaregiver,
  updateItem,
  updateProvider,
} from './catalog.service.js';

export { CATEGORIES, CATEGORY_CODES, SKILLS } from './catalog.schema.js';

const READERS: Role[] = [...STAFF, 'inspector', 'provider_admin', 'caregiver'];

export function catalogRoutes(app: FastifyInstance) {
  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/services/items',
    summary: '服务菜单（十助）：项目、单位、价格、时长、所需技能',
    tags: ['services'],
    roles: 'any',
    query: ItemsQuery,
    response: z.object({
      items: z.array(ItemView),
      categories: z.record(z.string(), z.object({ zh: z.string(), en: z.string() })),
      skills: z.record(z.string(), z.string()),
    }),
    handler: async ({ tx, query, principal }) => ({
      items: (await catalogRepo.items(tx, principal.countyCode, query.all === 'true')).map(presentItem),
      categories: CATEGORIES,
      skills: SKILLS,
    }),
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
      const { id, regionCode } = await createItem(tx, principal, body);
      await audit({ action: 'create', entity: 'service_item', entityId: id, regionCode, after: body });
      return { id };
    },
  });

  defineRoute(app, {
    method: 'PATCH',
    url: '/api/v1/services/items/:id',
    summary: '修改服务项目（价格、时长、停用）',
    tags: ['services'],
    roles: ['county_admin'],
    resource: 'serviceItem',
    params: UuidParams,
    body: ItemPatch,
    example: { priceCents: 9000 },
    response: z.object({ id: z.string() }),
    handler: async ({ tx, params, body, audit }) => {
      const { regionCode } = await updateItem(tx, params.id, body);
      await audit({ action: 'update', entity: 'service_item', entityId: params.id, regionCode, after: body });
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
    handler: async ({ tx, principal }) => ({ items: (await catalogRepo.providers(tx)).map((p) => presentProvider(p, principal.role === 'caregiver')) }),
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
      const id = await createProvider(tx, principal, body);
      await audit({ action: 'create', entity: 'provider', entityId: id, regionCode: body.regionCode, after: body });
      return { id };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/services/providers/:id',
    summary: '服务机构详情',
    tags: ['services'],
    roles: READERS,
    resource: 'provider',
    params: UuidParams,
    response: ProviderView,
    handler: async ({ tx, params, principal }) => presentProvider(await getProvider(tx, params.id), principal.role === 'caregiver'),
  });

  defineRoute(app, {
    method: 'PATCH',
    url: '/api/v1/services/providers/:id',
    summary: '更新服务机构：资质、服务区域、合同、信用状态、评分',
    tags: ['services'],
    roles: ['county_admin', 'township_staff'],
    resource: 'provider',
    params: UuidParams,
    body: ProviderPatch,
    example: { creditStatus: 'watch', creditReason: '本月两起投诉未整改' },
    response: z.object({ id: z.string() }),
    handler: async ({ tx, params, body, principal, audit }) => {
      const { before, creditChanges } = await updateProvider(tx, principal, params.id, body);
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
    params: UuidParams,
    response: z.object({ items: z.array(CaregiverView) }),
    handler: async ({ tx, params, principal }) => ({ items: await providerCaregivers(tx, principal, params.id) }),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/services/providers/:id/caregivers',
    summary: '登记护理员（技能、证书）',
    tags: ['services'],
    roles: ['county_admin', 'township_staff', 'provider_admin'],
    resource: 'provider',
    params: UuidParams,
    body: CaregiverBody,
    example: { name: '李护理员', skills: ['bath', 'nursing'], certificates: [{ name: '养老护理员职业技能等级证书（四级）' }] },
    response: z.object({ id: z.string() }),
    handler: async ({ tx, params, body, principal, audit }) => {
      const { id, regionCode } = await addCaregiver(tx, principal, params.id, body);
      await audit({ action: 'create', entity: 'caregiver', entityId: id, regionCode, after: body });
      return { id };
    },
  });

  defineRoute(app, {
    method: 'PATCH',
    url: '/api/v1/services/caregivers/:id',
    summary: '修改护理员：姓名、电话、技能、证书（类型、编号、有效期）、在岗 / 停用',
    tags: ['services'],
    roles: ['county_admin', 'township_staff', 'provider_admin'],
    resource: 'caregiver',
    params: UuidParams,
    body: CaregiverPatch,
    example: { skills: ['bath', 'nursing'], certificates: [{ name: '健康证', no: 'JK2026001', validUntil: '2027-06-30' }] },
    response: z.object({ id: z.string() }),
    handler: async ({ tx, params, body, principal, audit }) => {
      const c = await updateCaregiver(tx, principal, params.id, body);
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
