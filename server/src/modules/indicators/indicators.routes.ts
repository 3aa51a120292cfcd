import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { sql } from '../../kernel/db.js';
import { notFound } from '../../kernel/errors.js';
import type { Principal } from '../../kernel/principal.js';
import type { Executor } from '../../kernel/db.js';
import { defineRoute, IdParams, Page, XLSX, attachment } from '../../kernel/http.js';
import { principalScope } from '../../kernel/principal.js';
import { inScope, scopeOf } from '../../kernel/scope.js';
import { RegionCode } from '../accounts/accounts.schema.js';
import { today } from '../elders/index.js';
import { createPlan, evaluatePlan, loadPlan, planTownships, planTrend } from './indicators.service.js';
import { issueOf, reportPdf, reportTitle, reportWindow, reportWorkbook, type ReportMeta } from './reports.js';
import { reportDocx } from './report.docx.js';
import { reportNarrative } from './report.narrative.js';
import { metricDef } from './metrics.js';
import { PlanTemplate, planTemplates } from './templates.js';

const READERS = ['county_admin', 'township_staff'] as const;
const EvalQuery = z.object({ regionCode: RegionCode.optional(), asOf: z.iso.date().optional() });
const Indicator = z.object({
  id: z.string(),
  name: z.string(),
  metric: z.string().nullable(),
  comparator: z.string(),
  target: z.number().nullable(),
  unit: z.string(),
  binding: z.boolean(),
  baseline: z.number().nullable(),
  baselineYear: z.number().nullable(),
  source: z.enum(['computed', 'manual', 'not_built', 'not_computable']),
  value: z.number().nullable(),
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
  note: z.string().nullable(),
  drillable: z.boolean(),
  status: z.enum(['met', 'on_track', 'behind', 'unknown']),
});
const Status = z.enum(['met', 'on_track', 'behind', 'unknown']);
const PlanView = z.object({
  id: z.string(),
  title: z.string(),
  template: z.string().nullable(),
  periodStart: z.number(),
  periodEnd: z.number(),
  targetYear: z.number(),
  regionCode: z.string(),
  /** The region the figures are of (the big screen's title). */
  regionName: z.string(),
  asOf: z.string(),
  indicators: z.array(Indicator),
});

/** The region asked for (default: the user's own), which must lie in the user's scope. */
function regionOf(principal: Principal, asked: string | undefined): string {
  const regionCode = asked ?? principal.regionCode;
  if (!inScope(principalScope(principal), regionCode)) throw notFound('区划', 'region');
  return regionCode;
}

async function regionName(tx: Executor, code: string) {
  return (await tx.one<{ name: string }>(sql`select name from regions where code = ${code}`))?.name ?? code;
}

const generatedAt = () => new Date().toLocaleString('zh-CN', { timeZone: process.env.COUNTY_TZ ?? 'Asia/Shanghai', hour12: false });

const ReportQuery = z.object({
  kind: z.enum(['annual', 'midterm', 'final']).default('annual'),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  regionCode: RegionCode.optional(),
});

export function indicatorRoutes(app: FastifyInstance) {
  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/plan-templates',
    summary: '规划模板（五个样本县的指标表）',
    tags: ['indicators'],
    roles: READERS,
    response: z.object({ items: z.array(PlanTemplate) }),
    handler: async () => ({ items: planTemplates() }),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/plans',
    summary: '新建本县规划（从模板或空白）',
    tags: ['indicators'],
    roles: ['county_admin'],
    body: z.object({
      template: z.string().max(60).optional(),
      title: z.string().trim().min(1).max(200).optional(),
      periodStart: z.number().int().min(2000).max(2100).optional(),
      periodEnd: z.number().int().min(2000).max(2100).optional(),
      targetYear: z.number().int().min(2000).max(2100).optional(),
    }),
    response: PlanView,
    handler: async ({ tx, body, principal, audit }) => {
      const id = await createPlan(tx, principal, body);
      await audit({ action: 'create', entity: 'plan', entityId: id, regionCode: principal.regionCode.slice(0, 6).padEnd(12, '0'), after: body });
      return evaluatePlan(tx, id, { regionCode: principal.regionCode, asOf: today() });
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/plans',
    summary: '规划列表',
    tags: ['indicators'],
    roles: READERS,
    response: z.object({
      items: z.array(
        z.object({
          id: z.string(),
          title: z.string(),
          template: z.string().nullable(),
          periodStart: z.number(),
          periodEnd: z.number(),
          regionCode: z.string(),
        }),
      ),
    }),
    handler: async ({ tx }) => ({
      items: (
        await tx.rows<{ id: string; title: string; template: string | null; period_start: number; period_end: number; region_code: string }>(
          sql`select id::text as id, title, template, period_start, period_end, region_code from plans order by created_at desc`,
        )
      ).map((r) => ({ id: r.id, title: r.title, template: r.template, periodStart: r.period_start, periodEnd: r.period_end, regionCode: r.region_code })),
    }),
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/plans/:id',
    summary: '规划指标实时值（按区划、日期；约束性指标在前）',
    tags: ['indicators'],
    roles: READERS,
    resource: 'plan',
    params: IdParams,
    query: EvalQuery,
    response: PlanView,
    handler: async ({ tx, params, query, principal }) => {
      const regionCode = query.regionCode ?? principal.regionCode;
      if (!inScope(principalScope(principal), regionCode)) throw notFound('区划', 'region');
      return evaluatePlan(tx, params.id, { regionCode, asOf: query.asOf ?? today() });
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/plans/:id/indicators/:indicatorId/values',
    summary: '录入无法由平台数据计算的指标值（注明来源和日期）',
    tags: ['indicators'],
    roles: ['county_admin'],
    resource: 'planIndicator',
    params: z.object({ id: z.uuid(), indicatorId: z.uuid() }),
    body: z.object({ value: z.number().finite(), asOf: z.iso.date(), sourceNote: z.string().trim().min(2, '请注明数据来源 / give the source').max(200) }),
    example: { value: 60, asOf: '2026-01-01', sourceNote: '县卫健局年报' },
    response: z.object({ ok: z.literal(true) }),
    handler: async ({ tx, params, body, principal, audit }) => {
      const plan = await loadPlan(tx, params.id);
      const n = await tx.exec(sql`insert into indicator_values (indicator_id, county_code, region_code, value, as_of, source_note, entered_by)
        select i.id, i.county_code, i.region_code, ${body.value}, ${body.asOf}, ${body.sourceNote}, ${principal.userId}
          from plan_indicators i where i.id = ${params.indicatorId} and i.plan_id = ${plan.id}`);
      if (n === 0) throw notFound('指标', 'indicator');
      await audit({
        action: 'indicator_value',
        entity: 'plan',
        entityId: plan.id,
        regionCode: plan.region_code,
        after: { indicatorId: params.indicatorId, ...body },
      });
      return { ok: true as const };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/metrics/:metric/records',
    summary: '指标明细：分子、分母或差额对应的记录',
    tags: ['indicators'],
    roles: READERS,
    resource: 'metric',
    params: z.object({ metric: z.string().regex(/^[a-z0-9_]{1,60}$/) }),
    query: EvalQuery.extend({
      set: z.enum(['numerator', 'denominator', 'gap']).default('gap'),
      page: z.coerce.number().int().min(1).max(100_000).default(1),
      pageSize: z.coerce.number().int().min(1).max(200).default(20),
    }),
    response: Page(z.object({ id: z.string(), kind: z.string(), name: z.string(), regionName: z.string().nullable(), detail: z.string() })),
    handler: async ({ tx, params, query, principal }) => {
      const def = metricDef(params.metric);
      if (!def?.records) throw notFound('可下钻的指标', 'drillable metric');
      const regionCode = query.regionCode ?? principal.regionCode;
      if (!inScope(principalScope(principal), regionCode)) throw notFound('区划', 'region');
      const r = await def.records(tx, { regionCode, asOf: query.asOf ?? today() }, query.set, query.pageSize, (query.page - 1) * query.pageSize);
      return { items: r.items, total: r.total, page: query.page, pageSize: query.pageSize };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/plans/:id/trend',
    summary: '约束性指标逐月走势（规划期内每月末的值，至今日）',
    tags: ['indicators'],
    roles: READERS,
    resource: 'plan',
    params: IdParams,
    query: z.object({ regionCode: RegionCode.optional() }),
    response: z.object({
      id: z.string(),
      title: z.string(),
      regionCode: z.string(),
      months: z.array(z.string()),
      indicators: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          metric: z.string(),
          comparator: z.string(),
          target: z.number().nullable(),
          unit: z.string(),
          values: z.array(z.number().nullable()),
        }),
      ),
    }),
    handler: async ({ tx, params, query, principal }) => planTrend(tx, params.id, regionOf(principal, query.regionCode), today()),
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/plans/:id/townships',
    summary: '分乡镇（街道）指标值与排名',
    tags: ['indicators'],
    roles: READERS,
    resource: 'plan',
    params: IdParams,
    query: z.object({ asOf: z.iso.date().optional() }),
    response: z.object({
      id: z.string(),
      title: z.string(),
      asOf: z.string(),
      indicators: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          metric: z.string(),
          binding: z.boolean(),
          comparator: z.string(),
          target: z.number().nullable(),
          unit: z.string(),
          townships: z.array(
            z.object({
              rank: z.number().nullable(),
              code: z.string(),
              name: z.string(),
              value: z.number().nullable(),
              numerator: z.number().nullable(),
              denominator: z.number().nullable(),
              status: Status,
            }),
          ),
        }),
      ),
    }),
    handler: async ({ tx, params, query }) => planTownships(tx, params.id, query.asOf ?? today()),
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/plans/:id/export.xlsx',
    summary: '导出指标监测表（Excel：指标、乡镇两张表；记入审计）',
    tags: ['indicators'],
    roles: READERS,
    resource: 'plan',
    params: IdParams,
    query: EvalQuery,
    file: true,
    handler: async ({ tx, params, query, principal, reply, audit }) => {
      const regionCode = regionOf(principal, query.regionCode);
      const asOf = query.asOf ?? today();
      const e = await evaluatePlan(tx, params.id, { regionCode, asOf });
      const towns = await planTownships(tx, params.id, asOf);
      const meta: ReportMeta = {
        kind: 'dashboard',
        regionName: await regionName(tx, regionCode),
        window: { from: asOf, asOf, label: '' },
        generatedAt: generatedAt(),
      };
      const buf = await reportWorkbook(e, towns, meta);
      await audit({ action: 'export', entity: 'plan', entityId: params.id, regionCode, after: { what: 'dashboard', format: 'xlsx', asOf } });
      reply.header('content-type', XLSX).header('content-disposition', attachment(`${e.title}-指标监测-${asOf}.xlsx`));
      return buf;
    },
  });

  const TYPES = { pdf: 'application/pdf', xlsx: XLSX, docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' } as const;
  const FORMAT_ZH = { pdf: 'PDF', xlsx: 'Excel', docx: 'Word，可编辑后发文' } as const;
  for (const format of ['pdf', 'xlsx', 'docx'] as const)
    defineRoute(app, {
      method: 'GET',
      url: `/api/v1/plans/:id/report.${format}`,
      summary: `评估报告（年度评价、中期评估、终期评估；${FORMAT_ZH[format]}；记入审计）`,
      tags: ['indicators'],
      roles: READERS,
      resource: 'plan',
      params: IdParams,
      query: ReportQuery,
      file: true,
      handler: async ({ tx, params, query, principal, reply, audit }) => {
        const regionCode = regionOf(principal, query.regionCode);
        const plan = await loadPlan(tx, params.id);
        const window = reportWindow(plan, query.kind, query.year, today());
        const e = await evaluatePlan(tx, params.id, { regionCode, asOf: window.asOf });
        const all = await planTownships(tx, params.id, window.asOf);
        // The townships of the region reported on, not every township the user can see.
        const towns = { ...all, indicators: all.indicators.map((i) => ({ ...i, townships: i.townships.filter((t) => inScope(scopeOf(regionCode), t.code)) })) };
        const meta: ReportMeta = { kind: query.kind, regionName: await regionName(tx, regionCode), window, generatedAt: generatedAt() };
        let buf: Buffer;
        if (format === 'xlsx') buf = await reportWorkbook(e, towns, meta);
        else {
          // An annual report compares with the end of the previous year; the others with the plan's baseline.
          const year = Number(window.asOf.slice(0, 4));
          const prev = query.kind === 'annual' ? await evaluatePlan(tx, params.id, { regionCode, asOf: `${year - 1}-12-31` }) : null;
          const narrative = reportNarrative(e, prev, towns, {
            regionName: meta.regionName,
            periodLabel: window.label,
            referenceLabel: prev ? `${year - 1}年末` : null,
          });
          const issue = issueOf({
            regionCode,
            regionName: meta.regionName,
            countyName: await regionName(tx, principal.countyCode.padEnd(12, '0')),
            date: today(),
          });
          buf =
            format === 'pdf'
              ? await reportPdf(e, towns, meta, { narrative, issue })
              : await reportDocx(e, towns, { ...meta, kind: query.kind }, narrative, issue);
        }
        await audit({
          action: 'export',
          entity: 'plan',
          entityId: params.id,
          regionCode,
          after: { what: query.kind, format, asOf: window.asOf, year: query.year ?? null },
        });
        reply.header('content-type', TYPES[format]).header('content-disposition', attachment(`${reportTitle(plan.title, query.kind, window)}.${format}`));
        return buf;
      },
    });
}
