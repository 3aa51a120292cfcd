/** HTTP routes of the benefits module (基本养老服务清单与补贴). */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { sql } from '../../kernel/db.js';
import { badRequest, conflict, forbidden, notFound } from '../../kernel/errors.js';
import { defineRoute, IdParams, Ok, Page, pageOf, XLSX, attachment } from '../../kernel/http.js';
import { maskIdNumber, maskName } from '../../kernel/mask.js';
import { renderPdf } from '../../kernel/pdf.js';
import { inScope, scopeOf } from '../../kernel/scope.js';
import { RegionCode } from '../accounts/accounts.schema.js';
import { today } from '../elders/index.js';
import { addMonths, monthStart } from './engine.js';
import { explainLine, type LineFacts } from './explain.js';
import { bankCsv, bankGroups, bankRows, bankXlsx, importBankResult } from './payments.js';
import { activate, createDraft, getPolicy, listPolicies, policyFor, publish, serviceList, updateDraft, type PolicyRow } from './policies.js';
import { PolicyRules } from './rules.js';
import { refreshDraft } from './drafts.js';
import {
  approveRun,
  claimCompute,
  computeRun,
  createRun,
  discardRun,
  getRun,
  listRuns,
  lockRun,
  preview,
  reviewTownship,
  runTownships,
  summariesInScope,
  type RunRow,
} from './runs.js';

const ADMIN = ['county_admin'] as const;
const STAFF = ['county_admin', 'township_staff'] as const;
const READERS = ['county_admin', 'township_staff', 'village_worker'] as const;
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式为 YYYY-MM / month as YYYY-MM');
const MonthStart = z.iso.date().refine((d) => d.endsWith('-01'), { message: '生效日期须为某月1日 / must be the first day of a month' });

const PolicyView = z.object({
  id: z.string(),
  policyKey: z.string(),
  version: z.number(),
  name: z.string(),
  status: z.enum(['draft', 'published', 'retired']),
  active: z.boolean(),
  effectiveFrom: z.string(),
  sourceNote: z.string().nullable(),
  publishedAt: z.string().nullable(),
  rules: z.any(),
});
const presentPolicy = (p: PolicyRow) => ({
  id: p.id,
  policyKey: p.policy_key,
  version: p.version,
  name: p.name,
  status: p.status,
  active: p.active,
  effectiveFrom: p.effective_from,
  sourceNote: p.source_note,
  publishedAt: p.published_at,
  rules: p.rules,
});
const PolicyBody = z.object({
  policyKey: z.string().regex(/^[a-z0-9_-]{1,40}$/, '政策标识只能用小写字母、数字、- 和 _ / lowercase letters, digits, - and _'),
  name: z.string().min(1).max(200),
  effectiveFrom: MonthStart,
  sourceNote: z.string().max(1000).nullable().optional(),
  rules: PolicyRules,
});

const RunView = z.object({
  id: z.string(),
  month: z.string(),
  policyId: z.string(),
  status: z.enum(['computing', 'computed', 'approved']),
  progress: z.number(),
  computedBy: z.string().nullable(),
  computedAt: z.string().nullable(),
  approvedBy: z.string().nullable(),
  approvedAt: z.string().nullable(),
  summary: z.any(),
});
const presentRun = (r: RunRow) => ({
  id: r.id,
  month: r.month,
  policyId: r.policy_id,
  status: r.status,
  progress: r.progress,
  computedBy: r.computed_by,
  computedAt: r.computed_at,
  approvedBy: r.approved_by,
  approvedAt: r.approved_at,
  summary: r.summary,
});

const LineItem = z.object({
  id: z.string(),
  elderId: z.string(),
  elderName: z.string(),
  idNumber: z.string().nullable(),
  regionName: z.string().nullable(),
  benefitCode: z.string(),
  benefit: z.string(),
  forMonth: z.string(),
  kind: z.string(),
  tier: z.string(),
  amountCents: z.number(),
  payment: z.string(),
  paymentStatus: z.string().nullable(),
  recovery: z.string().nullable(),
});

async function benefitNames(tx: import('../../kernel/db.js').Executor, county: string): Promise<Map<string, string>> {
  const rows = await tx.rows<{ code: string; name: string }>(sql`select distinct on (b->>'code') b->>'code' as code, b->>'name' as name
    from benefit_policies p, jsonb_array_elements(p.rules->'benefits') b where p.county_code = ${county}
    order by b->>'code', p.active desc, p.version desc`);
  return new Map(rows.map((r) => [r.code, r.name]));
}

export function benefitRoutes(app: FastifyInstance) {
  // ------------------------------------------------------------ policies
  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/benefits/policies',
    summary: '补贴政策及其版本',
    tags: ['benefits'],
    roles: READERS,
    response: z.object({ items: z.array(PolicyView) }),
    handler: async ({ tx, principal }) => ({ items: (await listPolicies(tx, principal.countyCode)).map(presentPolicy) }),
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/benefits/policies/:id',
    summary: '补贴政策的一个版本',
    tags: ['benefits'],
    roles: READERS,
    params: IdParams,
    resource: 'benefitPolicy',
    response: PolicyView,
    handler: async ({ tx, params }) => presentPolicy(await getPolicy(tx, params.id)),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/benefits/policies',
    summary: '新建政策版本（草稿）：同一政策标识下版本号自动递增',
    tags: ['benefits'],
    roles: ADMIN,
    body: PolicyBody,
    response: z.object({ id: z.string() }),
    example: {
      policyKey: 'test',
      name: '测试政策',
      effectiveFrom: '2031-01-01',
      rules: { benefits: [{ code: 'a_b', name: '高龄津贴', payment: 'cash', eligibility: { minAge: 80 }, tiers: [{ label: '80+', amountCents: 5000 }] }] },
    },
    handler: async ({ tx, body, principal, audit }) => {
      const id = await createDraft(tx, principal.countyCode, principal.userId, body);
      await audit({ action: 'create', entity: 'benefit_policy', entityId: id, regionCode: principal.countyCode.padEnd(12, '0'), after: body });
      return { id };
    },
  });

  defineRoute(app, {
    method: 'PUT',
    url: '/api/v1/benefits/policies/:id',
    summary: '修改政策草稿（已发布版本不可修改）',
    tags: ['benefits'],
    roles: ADMIN,
    params: IdParams,
    resource: 'benefitPolicy',
    body: PolicyBody.omit({ policyKey: true }),
    response: Ok,
    example: {
      name: '测试政策',
      effectiveFrom: '2031-01-01',
      rules: { benefits: [{ code: 'a_b', name: '高龄津贴', payment: 'cash', eligibility: { minAge: 80 }, tiers: [{ label: '80+', amountCents: 5000 }] }] },
    },
    handler: async ({ tx, params, body, audit }) => {
      const before = await getPolicy(tx, params.id);
      await updateDraft(tx, params.id, body);
      await audit({
        action: 'update',
        entity: 'benefit_policy',
        entityId: params.id,
        regionCode: before.region_code,
        before: presentPolicy(before),
        after: body,
      });
      return { ok: true as const };
    },
  });

  for (const [verb, zh, fn] of [
    ['publish', '发布政策版本（发布后不可修改）', publish],
    ['activate', '设为本县执行的政策', (tx: never, id: string) => activate(tx, id)],
  ] as const) {
    defineRoute(app, {
      method: 'POST',
      url: `/api/v1/benefits/policies/:id/${verb}`,
      summary: zh,
      tags: ['benefits'],
      roles: ADMIN,
      params: IdParams,
      resource: 'benefitPolicy',
      response: Ok,
      handler: async ({ tx, params, principal, audit }) => {
        const p = await getPolicy(tx, params.id);
        await (fn as (tx: unknown, id: string, user: string) => Promise<void>)(tx, params.id, principal.userId);
        await audit({
          action: verb,
          entity: 'benefit_policy',
          entityId: params.id,
          regionCode: p.region_code,
          after: { version: p.version, policyKey: p.policy_key },
        });
        return { ok: true as const };
      },
    });
  }

  // ------------------------------------------------------------ service list
  const ServiceListQuery = z.object({ policyId: z.uuid().optional() });
  const listFor = async (tx: import('../../kernel/db.js').Executor, county: string, policyId?: string) => {
    const p = policyId ? await getPolicy(tx, policyId) : await policyFor(tx, county, monthStart(today()));
    if (!p) throw notFound('本县执行的补贴政策', 'active policy');
    return { policy: p, items: serviceList(p.rules) };
  };
  const ServiceItem = z.object({
    code: z.string(),
    name: z.string(),
    who: z.string(),
    what: z.string(),
    standard: z.string(),
    payment: z.string(),
    application: z.string(),
    responsible: z.string(),
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/benefits/service-list',
    summary: '基本养老服务清单（由执行中的政策生成）',
    tags: ['benefits'],
    roles: 'any',
    query: ServiceListQuery,
    response: z.object({ policy: PolicyView, items: z.array(ServiceItem) }),
    handler: async ({ tx, principal, query }) => {
      const { policy, items } = await listFor(tx, principal.countyCode, query.policyId);
      return { policy: presentPolicy(policy), items };
    },
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/benefits/service-list.pdf',
    summary: '基本养老服务清单 PDF',
    tags: ['benefits'],
    roles: 'any',
    query: ServiceListQuery,
    file: true,
    handler: async ({ tx, principal, query, reply }) => {
      const { policy, items } = await listFor(tx, principal.countyCode, query.policyId);
      const county = await tx.one<{ name: string }>(sql`select name from regions where code = ${principal.countyCode.padEnd(12, '0')}`);
      const title = `${county?.name ?? ''}基本养老服务清单`;
      const body = [
        ['序号', '服务项目', '服务对象', '服务内容', '服务标准', '提供方式', '申请', '责任单位'].map((t) => ({ text: t, bold: true, fillColor: '#eeeeee' })),
        ...items.map((i, n) => [String(n + 1), i.name, i.who, i.what, i.standard, i.payment, i.application, i.responsible]),
      ];
      const pdf = await renderPdf({
        pageOrientation: 'landscape',
        content: [
          { text: title, fontSize: 18, bold: true, alignment: 'center', margin: [0, 0, 0, 6] },
          { text: `依据：${policy.name}（第${policy.version}版，${policy.effective_from}起施行）`, alignment: 'center', fontSize: 10, margin: [0, 0, 0, 10] },
          { table: { headerRows: 1, widths: [24, 70, 100, 130, 150, 70, 90, 60], body }, fontSize: 8 },
          { text: policy.source_note ?? '', fontSize: 8, margin: [0, 8, 0, 0], color: '#666666' },
        ],
      });
      reply.header('content-type', 'application/pdf').header('content-disposition', attachment(`${title}.pdf`));
      return pdf;
    },
  });

  // ------------------------------------------------------------ preview and runs
  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/benefits/preview',
    summary: '发放预览：按乡镇和补贴项目的人数与金额，及与上月相比的新增、停发、变更（含原因）',
    tags: ['benefits'],
    roles: STAFF,
    query: z.object({ month: Month, regionCode: RegionCode.optional(), policyId: z.uuid().optional() }),
    response: z.any(),
    // The month's draft brought up to date (only the elders changed since its last refresh).
    before: async ({ db, principal, query }) => {
      if (!query.policyId) await refreshDraft(db, principal.countyCode, monthStart(query.month));
    },
    handler: async ({ tx, query, principal }) => {
      const regionCode = query.regionCode ?? principal.regionCode;
      if (!inScope(scopeOf(principal.regionCode), regionCode)) throw forbidden('只能预览本辖区', 'you can preview your own region only');
      return preview(tx, { regionCode, month: monthStart(query.month), policyId: query.policyId });
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/benefits/runs',
    summary: '月度发放批次',
    tags: ['benefits'],
    roles: STAFF,
    response: z.object({ items: z.array(RunView) }),
    handler: async ({ tx, principal }) => {
      const runs = await listRuns(tx, principal.countyCode);
      const sums = await summariesInScope(tx, runs, principal.regionCode);
      return { items: runs.map((r) => presentRun({ ...r, summary: sums.get(r.id) ?? null })) };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/benefits/runs',
    summary: '计算某月发放（后台按乡镇逐个计算，轮询进度）',
    tags: ['benefits'],
    roles: ADMIN,
    body: z.object({ month: Month }),
    response: z.object({ id: z.string() }),
    example: { month: '2031-01' },
    handler: async ({ tx, body, principal, audit, afterCommit }) => {
      if (principal.regionCode.slice(6) !== '000000') throw forbidden('只有县级管理员可以计算发放', 'only a county-level admin computes runs');
      const id = await createRun(tx, principal, monthStart(body.month));
      await audit({ action: 'create', entity: 'benefit_run', entityId: id, regionCode: principal.regionCode, after: body });
      afterCommit(async () => void computeRun(app.yl.db, principal, id).catch((e) => app.log.error({ err: e, runId: id }, 'benefit run failed')));
      return { id };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/benefits/runs/:id',
    summary: '发放批次：进度、汇总、各乡镇审核情况、各银行代发笔数',
    tags: ['benefits'],
    roles: STAFF,
    params: IdParams,
    resource: 'benefitRun',
    response: z.object({
      run: RunView,
      townships: z.array(z.any()),
      banks: z.array(z.object({ bankCode: z.string(), bankName: z.string(), payments: z.number(), totalCents: z.number() })),
    }),
    handler: async ({ tx, params, principal }) => {
      const run = await getRun(tx, params.id);
      const summary = (await summariesInScope(tx, [run], principal.regionCode)).get(run.id) ?? null;
      return {
        run: presentRun({ ...run, summary }),
        townships: await runTownships(tx, run, principal.regionCode),
        banks: await bankGroups(tx, run, principal.regionCode),
      };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/benefits/runs/:id/compute',
    summary: '继续计算（中断后重新运行：已完成的乡镇不重复，结果与一次算完相同）',
    tags: ['benefits'],
    roles: ADMIN,
    params: IdParams,
    resource: 'benefitRun',
    response: Ok,
    handler: async ({ tx, params, principal, audit, afterCommit }) => {
      // Only a compute whose process stopped is taken over, by one caller (409 for the rest).
      const run = await claimCompute(tx, params.id);
      await audit({ action: 'resume', entity: 'benefit_run', entityId: run.id, regionCode: principal.regionCode });
      afterCommit(async () => void computeRun(app.yl.db, principal, run.id).catch((e) => app.log.error({ err: e, runId: run.id }, 'benefit run failed')));
      return { ok: true as const };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/benefits/runs/:id/reviews',
    summary: '乡镇（街道）审核本辖区的发放明细：确认或退回',
    tags: ['benefits'],
    roles: STAFF,
    params: IdParams,
    resource: 'benefitRun',
    body: z.object({ township: RegionCode.optional(), status: z.enum(['confirmed', 'returned']), note: z.string().max(500).nullable().optional() }),
    response: Ok,
    example: { status: 'confirmed' },
    handler: async ({ tx, params, body, principal, audit }) => {
      await getRun(tx, params.id);
      const township = body.township ?? principal.regionCode.slice(0, 9).padEnd(12, '0');
      if (!inScope(scopeOf(principal.regionCode), township)) throw forbidden('只能审核本辖区', 'you can review your own township only');
      if (body.status === 'returned' && !body.note) throw badRequest('NOTE_REQUIRED', '退回时请说明原因', 'give a reason when returning');
      const run = await reviewTownship(tx, principal, params.id, township, body.status, body.note ?? null);
      await audit({ action: 'review', entity: 'benefit_run', entityId: run.id, regionCode: township, after: body });
      return { ok: true as const };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/benefits/runs/:id/approve',
    summary: '县级审批发放批次（计算人不能审批；审批后锁定）',
    tags: ['benefits'],
    roles: ADMIN,
    params: IdParams,
    resource: 'benefitRun',
    response: Ok,
    handler: async ({ tx, params, principal, audit }) => {
      const run = await getRun(tx, params.id);
      if (!inScope(scopeOf(principal.regionCode), run.county_code.padEnd(12, '0')))
        throw forbidden('只有县级管理员可以审批', 'only a county-level admin approves');
      const approved = await approveRun(tx, principal, run.id);
      await audit({
        action: 'approve',
        entity: 'benefit_run',
        entityId: run.id,
        regionCode: principal.regionCode,
        after: { month: approved.month, summary: approved.summary },
      });
      return { ok: true as const };
    },
  });

  defineRoute(app, {
    method: 'DELETE',
    url: '/api/v1/benefits/runs/:id',
    summary: '作废未审批的批次（以便重新计算）',
    tags: ['benefits'],
    roles: ADMIN,
    params: IdParams,
    resource: 'benefitRun',
    response: Ok,
    handler: async ({ tx, params, principal, audit }) => {
      const run = await getRun(tx, params.id);
      if (!inScope(scopeOf(principal.regionCode), run.county_code.padEnd(12, '0')))
        throw forbidden('只有县级管理员可以作废批次', 'only a county-level admin discards runs');
      const gone = await discardRun(tx, run.id);
      await audit({ action: 'discard', entity: 'benefit_run', entityId: run.id, regionCode: principal.regionCode, before: presentRun(gone) });
      return { ok: true as const };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/benefits/runs/:id/lines',
    summary: '发放明细（姓名、证件号脱敏）',
    tags: ['benefits'],
    roles: STAFF,
    params: IdParams,
    resource: 'benefitRun',
    query: z.object({
      township: RegionCode.optional(),
      benefit: z.string().max(40).optional(),
      kind: z.enum(['regular', 'backpay']).optional(),
      page: z.coerce.number().int().min(1).default(1),
      pageSize: z.coerce.number().int().min(1).max(200).default(20),
    }),
    response: Page(LineItem),
    handler: async ({ tx, params, query, principal }) => {
      const run = await getRun(tx, params.id);
      const s = scopeOf(query.township && inScope(scopeOf(principal.regionCode), query.township) ? query.township : principal.regionCode);
      const where = sql`l.run_id = ${run.id} and l.region_code between ${s.lo} and ${s.hi}
        ${query.benefit ? sql`and l.benefit_code = ${query.benefit}` : sql``} ${query.kind ? sql`and l.kind = ${query.kind}` : sql``}`;
      const total = await tx.one<{ n: number }>(sql`select count(*)::int as n from benefit_lines l where ${where}`);
      const rows = await lineRows(tx, where, query.pageSize, (query.page - 1) * query.pageSize);
      const names = await benefitNames(tx, run.county_code);
      return pageOf(
        rows.map((r) => presentLine(r, names)),
        total!.n,
        query.page,
        query.pageSize,
      );
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/benefits/runs/:id/bank-file',
    summary: '下载代发文件（按银行，不指定银行则为全部；Excel 或 CSV；仅已审批批次；导出记入审计）',
    tags: ['benefits'],
    roles: ADMIN,
    params: IdParams,
    resource: 'benefitRun',
    query: z.object({
      bank: z
        .string()
        .regex(/^[A-Z0-9]{2,12}$/, '银行代码 / bank code')
        .optional(),
      format: z.enum(['xlsx', 'csv']).default('xlsx'),
    }),
    file: true,
    handler: async ({ tx, params, query, principal, reply, audit }) => {
      const run = await getRun(tx, params.id);
      if (run.status !== 'approved') throw conflict('RUN_NOT_APPROVED', '批次审批后才能生成银行代发文件', 'bank files are made from approved runs only');
      const rows = await bankRows(tx, run, query.bank, principal.regionCode);
      if (!rows.length) throw notFound('该银行的代发记录', 'payments for this bank');
      const names = await benefitNames(tx, run.county_code);
      await audit({
        action: 'export',
        entity: 'benefit_bank_file',
        entityId: run.id,
        regionCode: principal.regionCode,
        after: { bank: query.bank, rows: rows.length },
      });
      const base = `养老补贴代发_${run.month.slice(0, 7)}_${query.bank ?? '全部'}`;
      if (query.format === 'csv') {
        reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', attachment(`${base}.csv`));
        return bankCsv(rows, names);
      }
      reply.header('content-type', XLSX).header('content-disposition', attachment(`${base}.xlsx`));
      return bankXlsx(rows, names, base);
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/benefits/runs/:id/bank-result',
    summary: '导入银行回盘（在代发文件上填“结果”“失败原因”“银行流水号”）；失败的下月重发',
    tags: ['benefits'],
    roles: ADMIN,
    params: IdParams,
    resource: 'benefitRun',
    response: z.object({ paid: z.number(), failed: z.number() }),
    handler: async ({ tx, params, req, principal, audit }) => {
      await getRun(tx, params.id);
      if (!req.isMultipart()) throw badRequest('NO_FILE', '请上传银行回盘 Excel 文件（字段 file）', 'upload the bank result file (multipart, field "file")');
      const file = await req.file();
      if (!file) throw badRequest('NO_FILE', '请上传银行回盘 Excel 文件', 'upload the bank result file');
      const buf = await file.toBuffer();
      // Under the run's lock: of two uploads of one result, the second finds it recorded (409).
      const run = await lockRun(tx, params.id);
      const r = await importBankResult(tx, run, buf);
      await audit({ action: 'bank_result', entity: 'benefit_run', entityId: run.id, regionCode: principal.regionCode, after: { file: file.filename, ...r } });
      return r;
    },
  });

  // ------------------------------------------------------------ lines, history, recoveries, stats
  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/benefits/lines/:id',
    summary: '一条发放明细的来由：政策版本、档次和事实',
    tags: ['benefits'],
    roles: READERS,
    params: IdParams,
    resource: 'benefitLine',
    response: z.object({ line: LineItem, explanation: z.string(), facts: z.any(), policy: z.any(), payments: z.array(z.any()) }),
    handler: async ({ tx, params }) => {
      const [row] = await lineRows(tx, sql`l.id = ${params.id}`, 1, 0);
      if (!row) throw notFound('发放明细', 'benefit line');
      const policy = await getPolicy(tx, row.policy_id);
      const names = await benefitNames(tx, row.county_code);
      const rule = policy.rules.benefits.find((b) => b.code === row.benefit_code);
      const payments = await tx.rows(sql`select bp.attempt, bp.status, bp.fail_reason as "failReason", bp.bank_ref as "bankRef", r.month::text as "runMonth"
        from benefit_payments bp join benefit_runs r on r.id = bp.run_id where bp.line_id = ${row.id} order by bp.attempt`);
      return {
        line: presentLine(row, names),
        explanation: explainLine({
          rule,
          tier: row.tier,
          amountCents: row.amount_cents,
          facts: row.facts,
          policy: { name: policy.name, version: policy.version, effectiveFrom: policy.effective_from },
          kind: row.kind,
          forMonth: row.for_month,
        }),
        facts: row.facts,
        policy: { id: policy.id, name: policy.name, version: policy.version, effectiveFrom: policy.effective_from, rule },
        payments,
      };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/elders/:id/benefits',
    summary: '老年人的补贴发放记录（含补发、追回）',
    tags: ['benefits'],
    roles: READERS,
    params: IdParams,
    resource: 'elder',
    response: z.object({ elderId: z.string(), items: z.array(LineItem.extend({ explanation: z.string() })) }),
    handler: async ({ tx, params }) => {
      const e = await tx.one<{ county_code: string }>(sql`select county_code from elders where id = ${params.id}`);
      if (!e) throw notFound('老年人', 'elder');
      const rows = await lineRows(tx, sql`l.elder_id = ${params.id}`, 500, 0, sql`l.for_month desc, l.benefit_code`);
      const names = await benefitNames(tx, e.county_code);
      const policies = new Map<string, PolicyRow>();
      const items = [];
      for (const r of rows) {
        if (!policies.has(r.policy_id)) policies.set(r.policy_id, await getPolicy(tx, r.policy_id));
        const p = policies.get(r.policy_id)!;
        items.push({
          ...presentLine(r, names),
          explanation: explainLine({
            rule: p.rules.benefits.find((b) => b.code === r.benefit_code),
            tier: r.tier,
            amountCents: r.amount_cents,
            facts: r.facts,
            policy: { name: p.name, version: p.version, effectiveFrom: p.effective_from },
            kind: r.kind,
            forMonth: r.for_month,
          }),
        });
      }
      return { elderId: params.id, items };
    },
  });

  defineRoute(app, {
    method: 'PUT',
    url: '/api/v1/elders/:id/bank-account',
    summary: '登记或修改老年人的补贴发放账户',
    tags: ['benefits'],
    roles: READERS,
    params: IdParams,
    resource: 'elder',
    body: z.object({
      bankCode: z.string().regex(/^[A-Z0-9]{2,12}$/, '银行代码为2—12位大写字母或数字 / bank code: 2-12 capitals or digits'),
      bankName: z.string().min(1).max(100),
      accountNo: z.string().regex(/^\d{10,30}$/, '账号为10—30位数字 / account number: 10-30 digits'),
      holderName: z.string().min(1).max(50),
    }),
    response: Ok,
    example: { bankCode: 'RCB', bankName: '农商银行', accountNo: '6230000000000000001', holderName: '张三' },
    handler: async ({ tx, params, body, audit }) => {
      const e = await tx.one<{ county_code: string; region_code: string }>(sql`select county_code, region_code from elders where id = ${params.id}`);
      if (!e) throw notFound('老年人', 'elder');
      await tx.exec(sql`insert into elder_bank_accounts (elder_id, county_code, region_code, bank_code, bank_name, account_no, holder_name)
        values (${params.id}, ${e.county_code}, ${e.region_code}, ${body.bankCode}, ${body.bankName}, ${body.accountNo}, ${body.holderName})
        on conflict (elder_id) do update set bank_code = excluded.bank_code, bank_name = excluded.bank_name, account_no = excluded.account_no,
          holder_name = excluded.holder_name, updated_at = now()`);
      await audit({
        action: 'update',
        entity: 'elder_bank_account',
        entityId: params.id,
        regionCode: e.region_code,
        after: { ...body, accountNo: maskIdNumber(body.accountNo) },
      });
      return { ok: true as const };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/benefits/recoveries',
    summary: '待追回款项（死亡、迁出后已发放的月份）',
    tags: ['benefits'],
    roles: READERS,
    query: z.object({ status: z.enum(['open', 'settled', 'waived']).default('open') }),
    response: z.object({ items: z.array(z.any()), totalCents: z.number() }),
    handler: async ({ tx, query, principal }) => {
      const rows = await tx.rows<{
        id: string;
        elder_id: string;
        name: string;
        id_number: string;
        region: string | null;
        benefit_code: string;
        for_month: string;
        amount_cents: number;
        reason: string;
        status: string;
        settle_note: string | null;
      }>(sql`
        select rc.id::text as id, rc.elder_id::text as elder_id, e.name, e.id_number, v.name as region, l.benefit_code, l.for_month::text as for_month,
               rc.amount_cents, rc.reason, rc.status, rc.settle_note
          from benefit_recoveries rc join benefit_lines l on l.id = rc.line_id join elders e on e.id = rc.elder_id left join regions v on v.code = rc.region_code
         where rc.status = ${query.status} order by rc.created_at desc, l.for_month limit 1000`);
      const names = await benefitNames(tx, principal.countyCode);
      return {
        items: rows.map((r) => ({
          id: r.id,
          elderId: r.elder_id,
          elderName: maskName(r.name),
          idNumber: maskIdNumber(r.id_number),
          regionName: r.region,
          benefit: names.get(r.benefit_code) ?? r.benefit_code,
          forMonth: r.for_month,
          amountCents: r.amount_cents,
          reason: r.reason,
          status: r.status,
          note: r.settle_note,
        })),
        totalCents: rows.reduce((a, r) => a + r.amount_cents, 0),
      };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/benefits/recoveries/:id/settle',
    summary: '登记追回结果（已追回或核销）',
    tags: ['benefits'],
    roles: STAFF,
    params: IdParams,
    resource: 'benefitRecovery',
    body: z.object({ status: z.enum(['settled', 'waived']), note: z.string().min(1, '请说明追回方式或核销依据 / give a note').max(500) }),
    response: Ok,
    example: { status: 'settled', note: '家属已退回' },
    handler: async ({ tx, params, body, principal, audit }) => {
      const r = await tx.one<{ region_code: string; status: string }>(sql`select region_code, status from benefit_recoveries where id = ${params.id}`);
      if (!r) throw notFound('追回款项', 'recovery');
      if (r.status !== 'open') throw conflict('ALREADY_SETTLED', '该款项已处理', 'this recovery is already settled');
      // One conditional update: of two concurrent settlements, the second finds it settled.
      const n = await tx.exec(
        sql`update benefit_recoveries set status = ${body.status}, settle_note = ${body.note}, settled_by = ${principal.userId}, settled_at = now()
             where id = ${params.id} and status = 'open'`,
      );
      if (!n) throw conflict('ALREADY_SETTLED', '该款项已处理', 'this recovery is already settled');
      await audit({ action: 'settle', entity: 'benefit_recovery', entityId: params.id, regionCode: r.region_code, after: body });
      return { ok: true as const };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/benefits/stats',
    summary: '近若干月按乡镇、按补贴项目的发放人数和金额（图表）',
    tags: ['benefits'],
    roles: READERS,
    query: z.object({ months: z.coerce.number().int().min(1).max(36).default(12) }),
    response: z.object({
      months: z.array(z.string()),
      rows: z.array(
        z.object({ month: z.string(), township: z.string(), townshipName: z.string(), benefit: z.string(), lines: z.number(), totalCents: z.number() }),
      ),
    }),
    handler: async ({ tx, query, principal }) => {
      const from = addMonths(monthStart(today()), -(query.months - 1));
      const s = scopeOf(principal.regionCode);
      const rows = await tx.rows<{ month: string; t: string; tn: string | null; b: string; n: number; c: string }>(sql`
        select to_char(l.for_month, 'YYYY-MM') as month, left(l.region_code, 9) || '000' as t, r.name as tn, l.benefit_code as b, count(*)::int as n, sum(l.amount_cents)::text as c
          from benefit_lines l left join regions r on r.code = left(l.region_code, 9) || '000'
         where l.for_month >= ${from}::date and l.region_code between ${s.lo} and ${s.hi}
         group by 1, 2, 3, 4 order by 1, 2, 4`);
      const names = await benefitNames(tx, principal.countyCode);
      const months = Array.from({ length: query.months }, (_, i) => addMonths(from, i).slice(0, 7));
      return {
        months,
        rows: rows.map((r) => ({
          month: r.month,
          township: r.t,
          townshipName: r.tn ?? r.t,
          benefit: names.get(r.b) ?? r.b,
          lines: r.n,
          totalCents: Number(r.c),
        })),
      };
    },
  });

  applicationRoutes(app);
}

interface LineRow {
  id: string;
  county_code: string;
  elder_id: string;
  name: string;
  id_number: string;
  region: string | null;
  benefit_code: string;
  for_month: string;
  kind: string;
  tier: string;
  amount_cents: number;
  payment: string;
  policy_id: string;
  facts: LineFacts;
  pay_status: string | null;
  recovery: string | null;
}

function lineRows(
  tx: import('../../kernel/db.js').Executor,
  where: import('../../kernel/db.js').SQL,
  limit: number,
  offset: number,
  order = sql`l.region_code, l.elder_id, l.benefit_code`,
) {
  return tx.rows<LineRow>(sql`select l.id::text as id, l.county_code, l.elder_id::text as elder_id, e.name, e.id_number, v.name as region, l.benefit_code,
      l.for_month::text as for_month, l.kind, l.tier, l.amount_cents, l.payment, l.policy_id::text as policy_id, l.facts,
      (select bp.status from benefit_payments bp where bp.line_id = l.id order by bp.attempt desc limit 1) as pay_status,
      (select rc.status from benefit_recoveries rc where rc.line_id = l.id) as recovery
    from benefit_lines l join elders e on e.id = l.elder_id left join regions v on v.code = l.region_code
    where ${where} order by ${order} limit ${limit} offset ${offset}`);
}

const presentLine = (r: LineRow, names: Map<string, string>) => ({
  id: r.id,
  elderId: r.elder_id,
  elderName: maskName(r.name)!,
  idNumber: maskIdNumber(r.id_number),
  regionName: r.region,
  benefitCode: r.benefit_code,
  benefit: names.get(r.benefit_code) ?? r.benefit_code,
  forMonth: r.for_month,
  kind: r.kind,
  tier: r.tier,
  amountCents: r.amount_cents,
  payment: r.payment,
  paymentStatus: r.pay_status,
  recovery: r.recovery,
});

// ------------------------------------------------------------ applications
function applicationRoutes(app: FastifyInstance) {
  const AppItem = z.object({
    id: z.string(),
    elderId: z.string(),
    elderName: z.string(),
    idNumber: z.string().nullable(),
    regionName: z.string().nullable(),
    benefitCode: z.string(),
    benefit: z.string(),
    appliedOn: z.string(),
    status: z.string(),
    note: z.string().nullable(),
    refusalReason: z.string().nullable(),
    documents: z.array(z.object({ id: z.string(), filename: z.string(), sizeBytes: z.number() })),
  });
  const appRows = (tx: import('../../kernel/db.js').Executor, where: import('../../kernel/db.js').SQL, limit = 50, offset = 0) =>
    tx.rows<{
      id: string;
      elder_id: string;
      name: string;
      id_number: string;
      region: string | null;
      county_code: string;
      region_code: string;
      benefit_code: string;
      applied_on: string;
      status: string;
      note: string | null;
      refusal_reason: string | null;
      docs: { id: string; filename: string; sizeBytes: number }[];
    }>(sql`select a.id::text as id, a.elder_id::text as elder_id, e.name, e.id_number, v.name as region, a.county_code, a.region_code, a.benefit_code,
        a.applied_on::text as applied_on, a.status, a.note, a.refusal_reason,
        coalesce((select json_agg(json_build_object('id', d.id, 'filename', d.filename, 'sizeBytes', d.size_bytes) order by d.created_at)
                    from benefit_application_docs d where d.application_id = a.id), '[]') as docs
      from benefit_applications a join elders e on e.id = a.elder_id left join regions v on v.code = a.region_code
     where ${where} order by a.created_at desc limit ${limit} offset ${offset}`);
  const present = (r: Awaited<ReturnType<typeof appRows>>[number], names: Map<string, string>) => ({
    id: r.id,
    elderId: r.elder_id,
    elderName: maskName(r.name)!,
    idNumber: maskIdNumber(r.id_number),
    regionName: r.region,
    benefitCode: r.benefit_code,
    benefit: names.get(r.benefit_code) ?? r.benefit_code,
    appliedOn: r.applied_on,
    status: r.status,
    note: r.note,
    refusalReason: r.refusal_reason,
    documents: r.docs,
  });
  const one = async (tx: import('../../kernel/db.js').Executor, id: string) => {
    const [r] = await appRows(tx, sql`a.id = ${id}`, 1);
    if (!r) throw notFound('补贴申请', 'application');
    return r;
  };

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/benefits/applications',
    summary: '补贴申请（需申请的补贴项目）',
    tags: ['benefits'],
    roles: READERS,
    query: z.object({
      status: z.enum(['submitted', 'township_approved', 'approved', 'refused', 'withdrawn']).optional(),
      benefit: z.string().max(40).optional(),
      regionCode: RegionCode.optional(),
      page: z.coerce.number().int().min(1).default(1),
      pageSize: z.coerce.number().int().min(1).max(200).default(20),
    }),
    response: Page(AppItem),
    handler: async ({ tx, query, principal }) => {
      const r = query.regionCode ? scopeOf(query.regionCode) : null;
      const where = sql`${query.status ? sql`a.status = ${query.status}` : sql`true`} and ${query.benefit ? sql`a.benefit_code = ${query.benefit}` : sql`true`}
        and ${r ? sql`a.region_code between ${r.lo} and ${r.hi}` : sql`true`}`;
      const total = await tx.one<{ n: number }>(sql`select count(*)::int as n from benefit_applications a where ${where}`);
      const rows = await appRows(tx, where, query.pageSize, (query.page - 1) * query.pageSize);
      const names = await benefitNames(tx, principal.countyCode);
      return pageOf(
        rows.map((r) => present(r, names)),
        total!.n,
        query.page,
        query.pageSize,
      );
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
    handler: async ({ tx, params, principal }) => present(await one(tx, params.id), await benefitNames(tx, principal.countyCode)),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/benefits/applications',
    summary: '代老年人提交补贴申请（村、镇工作人员）',
    tags: ['benefits'],
    roles: READERS,
    body: z.object({
      elderId: z.uuid(),
      benefitCode: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/),
      appliedOn: z.iso.date(),
      note: z.string().max(500).nullable().optional(),
    }),
    response: z.object({ id: z.string() }),
    handler: async ({ tx, body, principal, audit }) => {
      const e = await tx.one<{ county_code: string; region_code: string; status: string }>(
        sql`select county_code, region_code, status from elders where id = ${body.elderId}`,
      );
      if (!e) throw notFound('老年人', 'elder');
      if (e.status !== 'active') throw conflict('ELDER_INACTIVE', '该老人已死亡或迁出，不能申请', 'the elder has died or moved out');
      if (body.appliedOn > today()) throw badRequest('FUTURE_DATE', '申请日期不能晚于今天', 'the application date cannot be in the future');
      const pol = await policyFor(tx, e.county_code, monthStart(body.appliedOn > today() ? today() : today()));
      const rule = pol?.rules.benefits.find((b) => b.code === body.benefitCode);
      if (!rule)
        throw badRequest('UNKNOWN_BENEFIT', `本县执行的政策中没有补贴项目 ${body.benefitCode}`, `the active policy has no benefit ${body.benefitCode}`);
      if (!rule.needsApplication) throw badRequest('NO_APPLICATION_NEEDED', `${rule.name}无需申请，符合条件自动享受`, `${rule.name} needs no application`);
      const r = await tx.one<{
        id: string;
      }>(sql`insert into benefit_applications (county_code, region_code, elder_id, benefit_code, applied_on, note, created_by)
        values (${e.county_code}, ${e.region_code}, ${body.elderId}, ${body.benefitCode}, ${body.appliedOn}, ${body.note ?? null}, ${principal.userId}) returning id::text as id`);
      await audit({ action: 'create', entity: 'benefit_application', entityId: r!.id, regionCode: e.region_code, after: body });
      return { id: r!.id };
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
      const a = await one(tx, params.id);
      if (!req.isMultipart()) throw badRequest('NO_FILE', '请上传文件（字段 file）', 'upload a file (multipart, field "file")');
      const file = await req.file();
      if (!file) throw badRequest('NO_FILE', '请上传文件', 'upload a file');
      if (!['application/pdf', 'image/jpeg', 'image/png'].includes(file.mimetype))
        throw badRequest('BAD_TYPE', '材料只能是 PDF、JPG 或 PNG', 'documents must be PDF, JPG or PNG');
      const buf = await file.toBuffer();
      if (buf.length > 5 * 1024 * 1024) throw badRequest('TOO_LARGE', '单个材料不能超过 5MB', 'a document may not exceed 5 MB');
      const d = await tx.one<{
        id: string;
      }>(sql`insert into benefit_application_docs (application_id, county_code, region_code, filename, mime, size_bytes, content, created_by)
        values (${a.id}, ${a.county_code}, ${a.region_code}, ${file.filename}, ${file.mimetype}, ${buf.length}, ${buf}, ${principal.userId}) returning id::text as id`);
      await audit({
        action: 'upload',
        entity: 'benefit_application',
        entityId: a.id,
        regionCode: a.region_code,
        after: { filename: file.filename, size: buf.length },
      });
      return { id: d!.id };
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
      const d = await tx.one<{
        filename: string;
        mime: string;
        content: Buffer;
        region_code: string;
        application_id: string;
      }>(sql`select filename, mime, content,
          region_code, application_id::text as application_id from benefit_application_docs where id = ${params.id}`);
      if (!d) throw notFound('申请材料', 'document');
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

  const decide = (step: 'review' | 'decide') =>
    defineRoute(app, {
      method: 'POST',
      url: `/api/v1/benefits/applications/:id/${step}`,
      summary: step === 'review' ? '乡镇（街道）初审：通过或不通过（须说明理由）' : '县民政局审批：批准或不批准（须说明理由）',
      tags: ['benefits'],
      roles: step === 'review' ? STAFF : ADMIN,
      params: IdParams,
      resource: 'benefitApplication',
      body: z.object({ approve: z.boolean(), reason: z.string().max(500).nullable().optional() }),
      response: Ok,
      example: { approve: true },
      handler: async ({ tx, params, body, principal, audit }) => {
        const a = await one(tx, params.id);
        const from = step === 'review' ? 'submitted' : 'township_approved';
        if (a.status !== from)
          throw conflict(
            'WRONG_STATE',
            step === 'review' ? '只有待初审的申请可以初审' : '只有乡镇初审通过的申请可以审批',
            step === 'review' ? 'only submitted applications can be reviewed' : 'only applications approved by the township can be decided',
          );
        if (!body.approve && !body.reason) throw badRequest('REASON_REQUIRED', '不通过时请填写理由', 'give the reason for refusal');
        const to = body.approve ? (step === 'review' ? 'township_approved' : 'approved') : 'refused';
        // One conditional update (from → to): of concurrent decisions exactly one applies.
        const n = await tx.exec(
          step === 'review'
            ? sql`update benefit_applications set status = ${to}, reviewed_by = ${principal.userId}, reviewed_at = now(), refusal_reason = ${body.approve ? null : body.reason!} where id = ${a.id} and status = ${from}`
            : sql`update benefit_applications set status = ${to}, decided_by = ${principal.userId}, decided_at = now(), refusal_reason = ${body.approve ? null : body.reason!} where id = ${a.id} and status = ${from}`,
        );
        if (!n) throw conflict('WRONG_STATE', '该申请刚由他人处理，请刷新后查看', 'the application was just handled by someone else; reload it');
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
  decide('review');
  decide('decide');

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
      const a = await one(tx, params.id);
      if (!['submitted', 'township_approved'].includes(a.status))
        throw conflict('WRONG_STATE', '只有审批完成前的申请可以撤回', 'only pending applications can be withdrawn');
      const n = await tx.exec(sql`update benefit_applications set status = 'withdrawn' where id = ${a.id} and status in ('submitted', 'township_approved')`);
      if (!n) throw conflict('WRONG_STATE', '该申请刚由他人处理，不能撤回', 'the application was just handled by someone else');
      await audit({ action: 'withdraw', entity: 'benefit_application', entityId: a.id, regionCode: a.region_code, before: { status: a.status } });
      return { ok: true as const };
    },
  });
}
