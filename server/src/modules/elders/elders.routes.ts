import type { FastifyInstance } from 'fastify';
import { defineRoute, IdParams, Page, XLSX, attachment } from '../../kernel/http.js';
import { notFound } from '../../kernel/errors.js';
import { maskAddress, maskIdNumber, maskName, maskPhone } from '../../kernel/mask.js';
import { STAFF } from '../../kernel/roles.js';
import { z } from 'zod';
import type { Executor } from '../../kernel/db.js';
import { eldersRepo, type ElderRow } from './elders.repository.js';
import { registryRepo } from './elders.registry.repository.js';
import {
  CategoryInput,
  CategoryParams,
  CategoryView,
  CreateElderBody,
  ElderDetail,
  ElderListItem,
  ElderListQuery,
  EndCategoryBody,
  EventBody,
  HistoryItem,
  RevealBody,
  UpdateElderBody,
} from './elders.schema.js';
import { addCategory, createElder, endCategory, loadElder, recordEvent, updateElder } from './elders.service.js';
import { iso } from '../../kernel/http.js';
import { badRequest } from '../../kernel/errors.js';
import { sql } from '../../kernel/db.js';
import { createImportJob, elderTemplate, exportElders, importProgress, readRoster, runImportJob } from './elders.import.js';

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
    ability: e.ability,
  };
}

async function presentDetail(tx: Executor, e: ElderRow, reveal: boolean) {
  const [cats, contacts] = await Promise.all([registryRepo.categories(tx, e.id), registryRepo.contacts(tx, e.id)]);
  return {
    ...presentListItem(e),
    ...(reveal ? { idNumber: e.id_number, phone: e.phone } : {}),
    birthDate: e.birth_date,
    address: reveal ? e.address : maskAddress(e.address),
    livingArrangement: e.living_arrangement,
    hukouRegionCode: e.hukou_region_code,
    deathDate: e.death_date,
    reassessRequestedAt: e.reassess_requested_at,
    note: e.note,
    masked: !reveal,
    categoryRecords: cats.map((c) => ({
      id: c.id,
      category: c.category,
      validFrom: c.valid_from,
      validTo: c.valid_to,
      sourceDoc: c.source_doc,
      endReason: c.end_reason,
    })),
    contacts: contacts.map((c) => ({
      id: c.id,
      name: reveal ? c.name : (maskName(c.name) ?? ''),
      relation: c.relation,
      phone: reveal ? c.phone : maskPhone(c.phone),
      hasAccount: c.has_account,
    })),
  };
}

const WRITERS = STAFF;

/** History shows what changed, not the personal data itself (that takes a reveal). */
const MASKERS: Record<string, (v: string) => string | null> = {
  phone: maskPhone,
  idNumber: maskIdNumber,
  id_number: maskIdNumber,
  address: maskAddress,
  name: maskName,
};
function maskDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(maskDeep);
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === 'string' && MASKERS[k] ? MASKERS[k](x) : maskDeep(x)]));
  return v;
}

/** The fields a PATCH touched, for the audit images. */
function pick(e: ElderRow, body: object) {
  const m: Record<string, keyof ElderRow> = {
    name: 'name',
    phone: 'phone',
    address: 'address',
    livingArrangement: 'living_arrangement',
    hukouRegionCode: 'hukou_region_code',
    note: 'note',
  };
  return Object.fromEntries(
    Object.keys(body)
      .filter((k) => m[k])
      .map((k) => [k, e[m[k]]]),
  );
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
    response: Page(ElderListItem).extend({ totalCapped: z.boolean() }),
    handler: async ({ tx, query }) => {
      const { rows, total, totalCapped } = await eldersRepo.list(tx, {
        ...query,
        exact: !!query.exact,
        limit: query.pageSize,
        offset: (query.page - 1) * query.pageSize,
      });
      return { items: rows.map(presentListItem), total, totalCapped, page: query.page, pageSize: query.pageSize };
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
      return presentDetail(tx, e, false);
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
      return presentDetail(tx, e, true);
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/elders',
    summary: '登记老年人（身份证号校验，出生日期和性别由号码推出；疑似重复须确认）',
    tags: ['elders'],
    roles: WRITERS,
    body: CreateElderBody,
    response: ElderDetail,
    handler: async ({ tx, body, principal, audit }) => {
      const id = await createElder(tx, principal, body);
      const e = await loadElder(tx, id);
      await audit({
        action: 'create',
        entity: 'elder',
        entityId: id,
        regionCode: e.region_code,
        after: { ...presentListItem(e), categories: body.categories },
      });
      return presentDetail(tx, e, false);
    },
  });

  defineRoute(app, {
    method: 'PATCH',
    url: '/api/v1/elders/:id',
    summary: '修改老年人基本信息',
    tags: ['elders'],
    roles: WRITERS,
    resource: 'elder',
    params: IdParams,
    body: UpdateElderBody,
    example: { phone: '13900000000' },
    response: ElderDetail,
    handler: async ({ tx, params, body, audit }) => {
      const before = await loadElder(tx, params.id);
      await updateElder(tx, params.id, body);
      const after = await loadElder(tx, params.id);
      await audit({
        action: 'update',
        entity: 'elder',
        entityId: params.id,
        regionCode: after.region_code,
        before: pick(before, body),
        after: pick(after, body),
      });
      return presentDetail(tx, after, false);
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/elders/:id/events',
    summary: '登记生活事件：死亡、迁出、迁回、居住地变更、健康状况变化（触发即时评估）',
    tags: ['elders'],
    roles: WRITERS,
    resource: 'elder',
    params: IdParams,
    body: EventBody,
    example: { kind: 'health_change', date: '2026-01-05', note: '住院' },
    response: ElderDetail,
    handler: async ({ tx, params, body, principal, audit }) => {
      const { before, region } = await recordEvent(tx, principal, params.id, body);
      const after = await loadElder(tx, params.id);
      await audit({
        action: `event:${body.kind}`,
        entity: 'elder',
        entityId: params.id,
        regionCode: region,
        before: { status: before.status, regionCode: before.region_code },
        after: { status: after.status, regionCode: after.region_code, date: body.date },
      });
      return presentDetail(tx, after, false);
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/elders/:id/categories',
    summary: '新增人员类别（特困、低保、空巢等，带起始日期和依据文件）',
    tags: ['elders'],
    roles: WRITERS,
    resource: 'elder',
    params: IdParams,
    body: CategoryInput,
    example: { category: 'living_alone', validFrom: '2025-01-01', sourceDoc: '平民字〔2025〕1号' },
    response: CategoryView,
    handler: async ({ tx, params, body, principal, audit }) => {
      const { elder, categoryId } = await addCategory(tx, principal, params.id, body);
      await audit({ action: 'category_start', entity: 'elder', entityId: params.id, regionCode: elder.region_code, after: body });
      const c = (await registryRepo.categories(tx, params.id)).find((x) => x.id === categoryId)!;
      return { id: c.id, category: c.category, validFrom: c.valid_from, validTo: c.valid_to, sourceDoc: c.source_doc, endReason: c.end_reason };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/elders/:id/categories/:categoryId/end',
    summary: '结束人员类别（结束日期和原因）',
    tags: ['elders'],
    roles: WRITERS,
    resource: 'elderCategory',
    params: CategoryParams,
    body: EndCategoryBody,
    example: { validTo: '2026-01-31', reason: '家庭收入超过标准' },
    response: z.object({ ok: z.literal(true) }),
    handler: async ({ tx, params, body, principal, audit }) => {
      const { elder, ended } = await endCategory(tx, principal, params.id, params.categoryId, body.validTo, body.reason);
      await audit({
        action: 'category_end',
        entity: 'elder',
        entityId: params.id,
        regionCode: elder.region_code,
        after: { category: ended.category, validTo: body.validTo, reason: body.reason },
      });
      return { ok: true as const };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/elders/:id/history',
    summary: '老年人档案变更历史（生活事件与审计记录）',
    tags: ['elders'],
    roles: READERS,
    resource: 'elder',
    params: IdParams,
    response: z.object({ elderId: z.string(), items: z.array(HistoryItem) }),
    handler: async ({ tx, params }) => {
      await loadElder(tx, params.id);
      const rows = await registryRepo.history(tx, params.id);
      return {
        elderId: params.id,
        items: rows.map((r) => ({ at: iso(r.at), date: r.date, kind: r.kind, source: r.source, detail: maskDeep(r.detail), actorName: r.actor_name })),
      };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/elders/import/template',
    summary: '下载老年人名册导入模板（Excel，中文表头；下拉选项和本辖区村（社区）代码表）',
    tags: ['elders'],
    roles: WRITERS,
    file: true,
    handler: async ({ tx, reply }) => {
      const villages = await eldersRepo.villagesInScope(tx);
      reply.header('content-type', XLSX).header('content-disposition', attachment('老年人名册导入模板.xlsx'));
      return elderTemplate(villages);
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/elders/import',
    summary: '导入老年人名册（后台任务；返回任务号，轮询进度和逐行错误报告）',
    tags: ['elders'],
    roles: WRITERS,
    query: z.object({ mode: z.enum(['all-or-nothing', 'valid-only']).default('all-or-nothing') }),
    response: z.object({ jobId: z.string() }),
    handler: async ({ tx, req, query, principal, afterCommit }) => {
      if (!req.isMultipart())
        throw badRequest('NO_FILE', '请上传 Excel 文件（multipart/form-data，字段 file）', 'upload an Excel file (multipart/form-data, field "file")');
      const file = await req.file();
      if (!file) throw badRequest('NO_FILE', '请上传 Excel 文件', 'upload an Excel file');
      const rows = await readRoster(await file.toBuffer());
      const jobId = await createImportJob(tx, principal, rows.length, file.filename, query.mode);
      // The job runs in its own transaction once this request's has committed.
      afterCommit(async () => void runImportJob(app.yl.db, principal, jobId, rows, query.mode, file.filename));
      return { jobId };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/import-jobs/:id',
    summary: '导入任务进度与报告',
    tags: ['elders'],
    roles: WRITERS,
    resource: 'importJob',
    params: IdParams,
    response: z.object({
      id: z.string(),
      kind: z.string(),
      mode: z.string(),
      fileName: z.string().nullable(),
      status: z.enum(['running', 'done', 'failed']),
      total: z.number(),
      processed: z.number(),
      report: z.unknown(),
    }),
    handler: async ({ tx, params }) => {
      const j = await tx.one<{
        id: string;
        kind: string;
        mode: string;
        file_name: string | null;
        status: 'running' | 'done' | 'failed';
        total: number;
        processed: number;
        report: unknown;
      }>(sql`select id::text as id, kind, mode, file_name, status, total, processed, report from import_jobs where id = ${params.id}`);
      if (!j) throw notFound('导入任务', 'import job');
      const live = importProgress(j.id);
      return {
        id: j.id,
        kind: j.kind,
        mode: j.mode,
        fileName: j.file_name,
        status: j.status,
        total: j.total,
        processed: live?.processed ?? j.processed,
        report: j.report,
      };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/elders/export',
    summary: '导出筛选后的老年人名单（Excel，脱敏；记入审计）',
    tags: ['elders'],
    roles: READERS,
    query: ElderListQuery.omit({ page: true, pageSize: true, exact: true }),
    file: true,
    handler: async ({ tx, query, principal, reply, audit }) => {
      const { rows, total } = await eldersRepo.list(tx, { ...query, limit: 100_000, offset: 0 });
      await audit({ action: 'export', entity: 'elder', regionCode: principal.regionCode, after: { filters: query, rows: Math.min(total, 100_000) } });
      reply.header('content-type', XLSX).header('content-disposition', attachment('老年人名单.xlsx'));
      return exportElders(rows.map(presentListItem));
    },
  });
}
