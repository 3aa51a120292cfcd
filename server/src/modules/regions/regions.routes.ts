import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { defineRoute, XLSX, attachment } from '../../kernel/http.js';
import { badRequest } from '../../kernel/errors.js';
import { principalScope } from '../../kernel/principal.js';
import { STAFF } from '../../kernel/roles.js';
import { regionLevel } from '../../kernel/scope.js';
import { regionsRepo } from './regions.repository.js';
import { ImportMode, ImportReport, RegionCodeParams, RegionListQuery, RegionView, UpdateRegionBody, UpsertRegionBody } from './regions.schema.js';
import { getRegion, parseRegionWorkbook, presentRegion, regionProblems, regionTemplate, upsertRegion } from './regions.service.js';

export function regionRoutes(app: FastifyInstance) {
  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/regions',
    summary: '区划列表（按上级、层级、名称）',
    tags: ['regions'],
    roles: 'any',
    resource: 'region',
    query: RegionListQuery,
    response: z.object({ items: z.array(RegionView) }),
    handler: async ({ tx, query }) => ({
      items: (await regionsRepo.list(tx, { ...query, includeAbolished: query.includeAbolished === 'true' })).map(presentRegion),
    }),
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/regions/:code',
    summary: '区划详情（含上级路径）',
    tags: ['regions'],
    roles: 'any',
    resource: 'region',
    params: RegionCodeParams,
    response: RegionView.extend({ path: z.array(z.object({ code: z.string(), name: z.string(), level: z.number() })) }),
    handler: async ({ tx, params }) => ({ ...presentRegion(await getRegion(tx, params.code)), path: await regionsRepo.path(tx, params.code) }),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/regions',
    summary: '新增或更新区划',
    tags: ['regions'],
    roles: ['county_admin'],
    body: UpsertRegionBody,
    response: RegionView,
    handler: async ({ tx, body, principal, audit }) => {
      const known = new Set(
        (
          await regionsRepo.existing(tx, [
            body.code.slice(0, 2).padEnd(12, '0'),
            body.code.slice(0, 4).padEnd(12, '0'),
            body.code.slice(0, 6).padEnd(12, '0'),
            body.code.slice(0, 9).padEnd(12, '0'),
          ])
        ).map((r) => r.code),
      );
      const problems = regionProblems(body, known, principalScope(principal));
      if (problems.length) throw badRequest('INVALID_REGION', problems.map((p) => p.zh).join('；'), problems.map((p) => p.en).join('; '), problems);
      const before = await regionsRepo.get(tx, body.code);
      await upsertRegion(tx, body);
      const after = await getRegion(tx, body.code);
      await audit({ action: before ? 'update' : 'create', entity: 'region', entityId: body.code, regionCode: body.code, before, after });
      return presentRegion(after);
    },
  });

  defineRoute(app, {
    method: 'PATCH',
    url: '/api/v1/regions/:code',
    summary: '修改区划（名称、城乡分类、有效期）',
    tags: ['regions'],
    roles: ['county_admin'],
    resource: 'region',
    params: RegionCodeParams,
    body: UpdateRegionBody,
    example: { name: '示例社区居民委员会' },
    response: RegionView,
    handler: async ({ tx, params, body, audit }) => {
      const before = await getRegion(tx, params.code);
      if (body.urbanRuralCode && regionLevel(params.code) !== 5)
        throw badRequest('INVALID_REGION', '只有村（社区）级区划有城乡分类代码', 'only village-level regions have an urban-rural code');
      const n = await regionsRepo.update(tx, params.code, body);
      if (n === 0) throw badRequest('NOT_IN_SCOPE', '该区划不在您的管辖范围内', 'this region is outside your area');
      const after = await getRegion(tx, params.code);
      await audit({ action: 'update', entity: 'region', entityId: params.code, regionCode: params.code, before, after });
      return presentRegion(after);
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/regions/import/template',
    summary: '下载区划导入模板（Excel）',
    tags: ['regions'],
    roles: STAFF,
    file: true,
    handler: async ({ reply }) => {
      reply.header('content-type', XLSX).header('content-disposition', attachment('区划导入模板.xlsx'));
      return regionTemplate();
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/regions/import',
    summary: '从 Excel 导入区划（逐行报告错误；全部或仅有效行）',
    tags: ['regions'],
    roles: ['county_admin'],
    query: ImportMode,
    response: ImportReport,
    handler: async ({ tx, req, query, principal, audit }) => {
      if (!req.isMultipart())
        throw badRequest('NO_FILE', '请上传 Excel 文件（multipart/form-data，字段 file）', 'upload an Excel file (multipart/form-data, field "file")');
      const file = await req.file();
      if (!file) throw badRequest('NO_FILE', '请上传 Excel 文件', 'upload an Excel file');
      const rows = await parseRegionWorkbook(await file.toBuffer());
      const scope = principalScope(principal);
      rows.sort((a, b) => (/^\d{12}$/.test(a.r.code) ? regionLevel(a.r.code) : 9) - (/^\d{12}$/.test(b.r.code) ? regionLevel(b.r.code) : 9) || a.row - b.row);
      const candidates = new Set<string>();
      for (const { r } of rows) if (/^\d{12}$/.test(r.code)) for (const n of [2, 4, 6, 9]) candidates.add(r.code.slice(0, n).padEnd(12, '0'));
      const known = new Set((await regionsRepo.existing(tx, [...candidates])).map((r) => r.code));
      const errors: { row: number; column: string; message: string; messageEn: string }[] = [];
      const valid: typeof rows = [];
      const seen = new Set<string>();
      for (const x of rows) {
        const ps = regionProblems(x.r, known, scope);
        if (seen.has(x.r.code)) ps.push({ column: '区划代码', zh: '文件中重复的区划代码', en: 'this code appears twice in the file' });
        seen.add(x.r.code);
        if (ps.length) for (const p of ps) errors.push({ row: x.row, column: p.column, message: p.zh, messageEn: p.en });
        else {
          valid.push(x);
          known.add(x.r.code);
        }
      }
      errors.sort((a, b) => a.row - b.row);
      const rejected = new Set(errors.map((e) => e.row)).size;
      let inserted = 0;
      let updated = 0;
      const commit = query.mode === 'valid-only' || errors.length === 0;
      if (commit) {
        for (const { r } of valid) {
          if ((await upsertRegion(tx, r))?.inserted) inserted++;
          else updated++;
        }
        await audit({
          action: 'import',
          entity: 'region',
          regionCode: principal.regionCode,
          after: { file: file.filename, inserted, updated, rejected, mode: query.mode },
        });
      }
      return { mode: query.mode, total: rows.length, inserted, updated, rejected, committed: commit, errors: errors.slice(0, 1000) };
    },
  });
}
