import type { FastifyInstance } from 'fastify';
import { defineRoute, IdParams, Page } from '../../kernel/http.js';
import { notFound } from '../../kernel/errors.js';
import { maskAddress, maskIdNumber, maskName, maskPhone } from '../../kernel/mask.js';
import { STAFF } from '../../kernel/roles.js';
import { eldersRepo, type ElderRow } from './elders.repository.js';
import { ElderDetail, ElderListItem, ElderListQuery, RevealBody } from './elders.schema.js';

const READERS = [...STAFF, 'assessor', 'inspector'] as const;

function presentListItem(e: ElderRow) {
  return {
    id: e.id,
    name: e.name,
    idNumber: maskIdNumber(e.id_number),
    sex: e.sex,
    age: e.age,
    regionCode: e.region_code,
    regionName: e.region_name,
    townshipName: e.township_name,
    phone: maskPhone(e.phone),
    status: e.status,
    categories: e.categories,
  };
}

function presentDetail(e: ElderRow, reveal: boolean) {
  return {
    ...presentListItem(e),
    ...(reveal ? { idNumber: e.id_number, phone: e.phone } : {}),
    birthDate: e.birth_date,
    address: reveal ? e.address : maskAddress(e.address),
    livingArrangement: e.living_arrangement,
    hukouRegionCode: e.hukou_region_code,
    deathDate: e.death_date,
    masked: !reveal,
  };
}

export function elderRoutes(app: FastifyInstance) {
  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/elders',
    summary: '老年人列表（本辖区；身份证号、电话脱敏）',
    tags: ['elders'],
    roles: READERS,
    resource: 'elder',
    query: ElderListQuery,
    response: Page(ElderListItem),
    handler: async ({ tx, query }) => {
      const { rows, total } = await eldersRepo.list(tx, { ...query, limit: query.pageSize, offset: (query.page - 1) * query.pageSize });
      return { items: rows.map(presentListItem), total, page: query.page, pageSize: query.pageSize };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/elders/:id',
    summary: '老年人详情（脱敏）',
    tags: ['elders'],
    roles: READERS,
    resource: 'elder',
    params: IdParams,
    response: ElderDetail,
    handler: async ({ tx, params }) => {
      const e = await eldersRepo.get(tx, params.id);
      if (!e) throw notFound('老年人', 'elder');
      return presentDetail(e, false);
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/elders/:id/reveal',
    summary: '查看完整个人信息（须填写原因，记入审计日志）',
    tags: ['elders'],
    roles: READERS,
    resource: 'elder',
    params: IdParams,
    body: RevealBody,
    example: { reason: '核对补贴信息' },
    response: ElderDetail,
    handler: async ({ tx, params, body, audit }) => {
      const e = await eldersRepo.get(tx, params.id);
      if (!e) throw notFound('老年人', 'elder');
      await audit({
        action: 'reveal',
        entity: 'elder',
        entityId: e.id,
        regionCode: e.region_code,
        reason: body.reason,
        after: { name: maskName(e.name), fields: ['idNumber', 'phone', 'address'] },
      });
      return presentDetail(e, true);
    },
  });
}
