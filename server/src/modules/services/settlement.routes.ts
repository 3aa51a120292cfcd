/** HTTP routes of the monthly settlements per provider (see settlement.service.ts). */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { defineRoute, XLSX, attachment } from '../../kernel/http.js';
import { settlementRepo } from './settlement.repository.js';
import { BuildSettlementBody, SettlementDetail, SettlementLineView, SettlementListQuery, SettlementParams, SettlementView } from './settlement.schema.js';
import {
  approveSettlement,
  buildSettlement,
  loadSettlement,
  presentSettlement,
  presentSettlementLine,
  reconcile,
  settlementWorkbook,
} from './settlement.service.js';

const READERS = ['county_admin', 'township_staff', 'inspector', 'provider_admin'] as const;

export function settlementRoutes(app: FastifyInstance) {
  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/services/settlements',
    summary: '生成服务机构月度结算单（重算草稿时在 replaces 中给出草稿编号）：异常工单暂缓结算并注明原因',
    tags: ['services'],
    roles: ['county_admin'],
    body: BuildSettlementBody,
    example: { providerId: '00000000-0000-4000-8000-000000000004', month: '2026-11' },
    response: SettlementView.extend({ lines: z.array(SettlementLineView) }),
    handler: async ({ tx, body, principal, audit }) => {
      const r = await buildSettlement(tx, principal, body.providerId, body.month, body.replaces);
      const { s, lines } = await loadSettlement(tx, r.id);
      await audit({ action: 'settle', entity: 'settlement', entityId: r.id, regionCode: r.regionCode, after: presentSettlement(s) });
      return { ...presentSettlement(s), lines: lines.map(presentSettlementLine) };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/services/settlements',
    summary: '月度结算单列表',
    tags: ['services'],
    roles: READERS,
    query: SettlementListQuery,
    response: z.object({ items: z.array(SettlementView) }),
    handler: async ({ tx, query }) => ({ items: (await settlementRepo.list(tx, query)).map(presentSettlement) }),
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/services/settlements/:id',
    summary: '结算单明细（逐单对账）',
    tags: ['services'],
    roles: READERS,
    resource: 'settlement',
    params: SettlementParams,
    response: SettlementDetail,
    handler: async ({ tx, params }) => {
      const { s, lines } = await loadSettlement(tx, params.id);
      return { ...presentSettlement(s), lines: lines.map(presentSettlementLine), reconciliation: await reconcile(tx, s, lines) };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/services/settlements/:id/approve',
    summary: '审核结算单（核对无误后），并按本月评价更新机构评分',
    tags: ['services'],
    roles: ['county_admin'],
    resource: 'settlement',
    params: SettlementParams,
    body: z.object({}).strict().optional(),
    example: {},
    response: SettlementView,
    handler: async ({ tx, params, principal, audit }) => {
      const s = await approveSettlement(tx, principal, params.id);
      await audit({
        action: 'approve',
        entity: 'settlement',
        entityId: s.id,
        regionCode: s.region_code,
        after: { govCents: s.gov_cents, copayCents: s.copay_cents },
      });
      return presentSettlement((await loadSettlement(tx, params.id)).s);
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/services/settlements/:id/export',
    summary: '导出结算单（Excel）',
    tags: ['services'],
    roles: READERS,
    resource: 'settlement',
    params: SettlementParams,
    file: true,
    handler: async ({ tx, params, reply, audit }) => {
      const { s, lines } = await loadSettlement(tx, params.id);
      const buf = await settlementWorkbook(s, lines);
      await audit({ action: 'export', entity: 'settlement', entityId: s.id, regionCode: s.region_code });
      reply.header('content-type', XLSX).header('content-disposition', attachment(`结算单-${s.provider_name ?? s.provider_id}-${s.month}.xlsx`));
      return reply.send(buf);
    },
  });
}
