/** Complaints attached to orders, handled to closure; call-backs (回访) on a sample of orders. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { defineRoute } from '../../kernel/http.js';
import { STAFF, type Role } from '../../kernel/roles.js';
import { complaintsRepo } from './complaints.repository.js';
import { CallbackBody, ComplaintBody, ComplaintsQuery, ComplaintView, HandleBody, SampleQuery, SampleView, UuidParams } from './complaints.schema.js';
import { callbackSample, fileComplaint, handleComplaint, presentComplaint, recordCallback } from './complaints.service.js';

export function complaintRoutes(app: FastifyInstance) {
  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/services/orders/:id/complaints',
    summary: '投诉（关联工单）',
    tags: ['services'],
    roles: [...STAFF, 'family'] as Role[],
    resource: 'serviceOrder',
    params: UuidParams,
    body: ComplaintBody,
    example: { kind: 'late', content: '护理员迟到一小时' },
    response: z.object({ id: z.string() }),
    handler: async ({ tx, params, body, principal, audit }) => {
      const { id, order: o } = await fileComplaint(tx, principal, params.id, body);
      await audit({ action: 'complain', entity: 'service_order', entityId: o.id, regionCode: o.region_code, after: { complaintId: id, ...body } });
      return { id };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/services/complaints',
    summary: '投诉列表（服务机构只见本机构的）',
    tags: ['services'],
    roles: [...STAFF, 'inspector', 'provider_admin', 'family'] as Role[],
    query: ComplaintsQuery,
    response: z.object({ items: z.array(ComplaintView) }),
    handler: async ({ tx, query }) => ({ items: (await complaintsRepo.complaints(tx, query.status ?? null)).map(presentComplaint) }),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/services/complaints/:id/handle',
    summary: '办理投诉（办理中 / 办结，须写明处理结果）',
    tags: ['services'],
    roles: STAFF,
    resource: 'serviceComplaint',
    params: UuidParams,
    body: HandleBody,
    example: { status: 'closed', resolution: '已约谈服务机构，护理员道歉并调整排班' },
    response: z.object({ id: z.string(), status: z.string() }),
    handler: async ({ tx, params, body, principal, audit }) => {
      const c = await handleComplaint(tx, principal, params.id, body);
      await audit({ action: 'handle', entity: 'service_complaint', entityId: params.id, regionCode: c.region_code, before: { status: c.status }, after: body });
      return { id: params.id, status: body.status };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/services/callbacks/sample',
    summary: '回访抽样：本月已完成、尚未回访的工单（按县级设置比例，抽样可复现）',
    tags: ['services'],
    roles: STAFF,
    query: SampleQuery,
    response: SampleView,
    handler: async ({ tx, query, principal }) => callbackSample(tx, principal, query.month),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/services/orders/:id/callback',
    summary: '记录回访结果（是否接通、服务是否发生、是否满意）',
    tags: ['services'],
    roles: STAFF,
    resource: 'serviceOrder',
    params: UuidParams,
    body: CallbackBody,
    example: { reached: true, serviceHappened: true, satisfied: true },
    response: z.object({ id: z.string() }),
    handler: async ({ tx, params, body, principal, audit }) => {
      const { id, order: o } = await recordCallback(tx, principal, params.id, body);
      await audit({ action: 'callback', entity: 'service_order', entityId: o.id, regionCode: o.region_code, after: body });
      return { id };
    },
  });
}
