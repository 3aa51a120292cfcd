/** HTTP routes of benefit applications (需申请的补贴项目): validate → authorize → call → present. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { badRequest } from '../../kernel/errors.js';
import { defineRoute, IdParams, Ok, Page, pageOf, attachment } from '../../kernel/http.js';
import {
  addDocument,
  applicationView,
  decideApplication,
  DOCUMENT_TYPES,
  getApplication,
  getDocument,
  listApplications,
  submitApplication,
  withdrawApplication,
} from './applications.service.js';
import { ADMIN, READERS, STAFF } from './benefits.policy.js';
import { AppItem, ApplicationBody, ApplicationListQuery, DecisionBody } from './benefits.schema.js';

export function applicationRoutes(app: FastifyInstance) {
  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/benefits/applications',
    summary: '补贴申请（需申请的补贴项目）',
    tags: ['benefits'],
    roles: READERS,
    query: ApplicationListQuery,
    response: Page(AppItem),
    handler: async ({ tx, query, principal }) => {
      const { items, total } = await listApplications(tx, principal, query);
      return pageOf(items, total, query.page, query.pageSize);
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/benefits/applications/:id',
    summary: '一份补贴申请',
    tags: ['benefits'],
    roles: READERS,
    params: IdParams,
    resource: 'benefitApplication',
    response: AppItem,
    handler: async ({ tx, params, principal }) => applicationView(tx, principal, params.id),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/benefits/applications',
    summary: '代老年人提交补贴申请（村、镇工作人员）',
    tags: ['benefits'],
    roles: READERS,
    body: ApplicationBody,
    response: z.object({ id: z.string() }),
    handler: async ({ tx, body, principal, audit }) => {
      const { id, regionCode } = await submitApplication(tx, principal, body);
      await audit({ action: 'create', entity: 'benefit_application', entityId: id, regionCode, after: body });
      return { id };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/benefits/applications/:id/documents',
    summary: '上传申请材料（PDF 或图片，5MB 以内）',
    tags: ['benefits'],
    roles: READERS,
    params: IdParams,
    resource: 'benefitApplication',
    response: z.object({ id: z.string() }),
    handler: async ({ tx, params, req, principal, audit }) => {
      const a = await getApplication(tx, params.id);
      if (!req.isMultipart()) throw badRequest('NO_FILE', '请上传文件（字段 file）', 'upload a file (multipart, field "file")');
      const file = await req.file();
      if (!file) throw badRequest('NO_FILE', '请上传文件', 'upload a file');
      if (!DOCUMENT_TYPES.includes(file.mimetype)) throw badRequest('BAD_TYPE', '材料只能是 PDF、JPG 或 PNG', 'documents must be PDF, JPG or PNG');
      const buf = await file.toBuffer();
      const id = await addDocument(tx, principal, a, { filename: file.filename, mime: file.mimetype, content: buf });
      await audit({
        action: 'upload',
        entity: 'benefit_application',
        entityId: a.id,
        regionCode: a.region_code,
        after: { filename: file.filename, size: buf.length },
      });
      return { id };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/benefits/application-documents/:id',
    summary: '下载一份申请材料（查看记入审计）',
    tags: ['benefits'],
    roles: READERS,
    params: IdParams,
    resource: 'benefitDocument',
    file: true,
    handler: async ({ tx, params, reply, audit }) => {
      const d = await getDocument(tx, params.id);
      await audit({
        action: 'view',
        entity: 'benefit_application_document',
        entityId: params.id,
        regionCode: d.region_code,
        after: { application: d.application_id, file: d.filename },
      });
      reply.header('content-type', d.mime).header('content-disposition', attachment(d.filename));
      return d.content;
    },
  });

  for (const step of ['review', 'decide'] as const)
    defineRoute(app, {
      method: 'POST',
      url: `/api/v1/benefits/applications/:id/${step}`,
      summary: step === 'review' ? '乡镇（街道）初审：通过或不通过（须说明理由）' : '县民政局审批：批准或不批准（须说明理由）',
      tags: ['benefits'],
      roles: step === 'review' ? STAFF : ADMIN,
      params: IdParams,
      resource: 'benefitApplication',
      body: DecisionBody,
      response: Ok,
      example: { approve: true },
      handler: async ({ tx, params, body, principal, audit }) => {
        const { a, to } = await decideApplication(tx, principal, step, params.id, body);
        await audit({
          action: step,
          entity: 'benefit_application',
          entityId: a.id,
          regionCode: a.region_code,
          before: { status: a.status },
          after: { status: to, reason: body.reason ?? null },
        });
        return { ok: true as const };
      },
    });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/benefits/applications/:id/withdraw',
    summary: '撤回申请',
    tags: ['benefits'],
    roles: READERS,
    params: IdParams,
    resource: 'benefitApplication',
    response: Ok,
    handler: async ({ tx, params, audit }) => {
      const a = await withdrawApplication(tx, params.id);
      await audit({ action: 'withdraw', entity: 'benefit_application', entityId: a.id, regionCode: a.region_code, before: { status: a.status } });
      return { ok: true as const };
    },
  });
}
