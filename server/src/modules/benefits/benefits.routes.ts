/** HTTP routes of the benefits module (基本养老服务清单与补贴): validate → authorize → call → present. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { badRequest } from '../../kernel/errors.js';
import { defineRoute, IdParams, Ok, Page, pageOf, XLSX, attachment } from '../../kernel/http.js';
import { maskIdNumber } from '../../kernel/mask.js';
import { monthStart } from './engine.js';
import { bankCsv, bankXlsx } from './payments.js';
import { activate, createDraft, getPolicy, listPolicies, publish, updateDraft } from './policies.js';
import { refreshDraft } from './drafts.js';
import { claimCompute, computeRun, getRun } from './runs.js';
import { applicationRoutes } from './applications.routes.js';
import { ADMIN, READERS, STAFF } from './benefits.policy.js';
import {
  BankAccountBody,
  BankFileQuery,
  ElderBenefits,
  LineDetail,
  LineItem,
  Month,
  PolicyBody,
  PolicyView,
  PreviewQuery,
  RecoveryList,
  RecoveryQuery,
  ReviewBody,
  RunDetail,
  RunLinesQuery,
  RunView,
  ServiceItem,
  ServiceListQuery,
  SettleBody,
  Stats,
  StatsQuery,
} from './benefits.schema.js';
import {
  approveRunAsCounty,
  bankFileRows,
  benefitStats,
  discardRunAsCounty,
  elderBenefits,
  lineDetail,
  listRecoveries,
  presentPolicy,
  presentRun,
  previewInScope,
  recordBankResult,
  reviewRun,
  runDetail,
  runLinesPage,
  runsInScope,
  serviceListFor,
  serviceListPdf,
  setBankAccount,
  settleRecovery,
  startRun,
} from './benefits.service.js';

const POLICY_EXAMPLE = {
  name: '测试政策',
  effectiveFrom: '2031-01-01',
  rules: { benefits: [{ code: 'a_b', name: '高龄津贴', payment: 'cash', eligibility: { minAge: 80 }, tiers: [{ label: '80+', amountCents: 5000 }] }] },
};

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
    example: { policyKey: 'test', ...POLICY_EXAMPLE },
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
    example: POLICY_EXAMPLE,
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
  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/benefits/service-list',
    summary: '基本养老服务清单（由执行中的政策生成）',
    tags: ['benefits'],
    roles: 'any',
    query: ServiceListQuery,
    response: z.object({ policy: PolicyView, items: z.array(ServiceItem) }),
    handler: async ({ tx, principal, query }) => {
      const { policy, items } = await serviceListFor(tx, principal.countyCode, query.policyId);
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
      const { title, pdf } = await serviceListPdf(tx, principal.countyCode, query.policyId);
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
    query: PreviewQuery,
    response: z.any(),
    // The month's draft brought up to date (only the elders changed since its last refresh).
    before: async ({ db, principal, query }) => {
      if (!query.policyId) await refreshDraft(db, principal.countyCode, monthStart(query.month));
    },
    handler: async ({ tx, query, principal }) => previewInScope(tx, principal, query),
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/benefits/runs',
    summary: '月度发放批次',
    tags: ['benefits'],
    roles: STAFF,
    response: z.object({ items: z.array(RunView) }),
    handler: async ({ tx, principal }) => ({ items: await runsInScope(tx, principal) }),
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
      const id = await startRun(tx, principal, body.month);
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
    response: RunDetail,
    handler: async ({ tx, params, principal }) => runDetail(tx, principal, params.id),
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
    body: ReviewBody,
    response: Ok,
    example: { status: 'confirmed' },
    handler: async ({ tx, params, body, principal, audit }) => {
      const { run, township } = await reviewRun(tx, principal, params.id, body);
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
      const approved = await approveRunAsCounty(tx, principal, params.id);
      await audit({
        action: 'approve',
        entity: 'benefit_run',
        entityId: approved.id,
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
      const gone = await discardRunAsCounty(tx, principal, params.id);
      await audit({ action: 'discard', entity: 'benefit_run', entityId: gone.id, regionCode: principal.regionCode, before: presentRun(gone) });
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
    query: RunLinesQuery,
    response: Page(LineItem),
    handler: async ({ tx, params, query, principal }) => {
      const { items, total } = await runLinesPage(tx, principal, params.id, query);
      return pageOf(items, total, query.page, query.pageSize);
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
    query: BankFileQuery,
    file: true,
    handler: async ({ tx, params, query, principal, reply, audit }) => {
      const { run, rows, names } = await bankFileRows(tx, principal, params.id, query.bank);
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
      const { run, result } = await recordBankResult(tx, params.id, await file.toBuffer());
      await audit({
        action: 'bank_result',
        entity: 'benefit_run',
        entityId: run.id,
        regionCode: principal.regionCode,
        after: { file: file.filename, ...result },
      });
      return result;
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
    response: LineDetail,
    handler: async ({ tx, params }) => lineDetail(tx, params.id),
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/elders/:id/benefits',
    summary: '老年人的补贴发放记录（含补发、追回）',
    tags: ['benefits'],
    roles: READERS,
    params: IdParams,
    resource: 'elder',
    response: ElderBenefits,
    handler: async ({ tx, params }) => elderBenefits(tx, params.id),
  });

  defineRoute(app, {
    method: 'PUT',
    url: '/api/v1/elders/:id/bank-account',
    summary: '登记或修改老年人的补贴发放账户',
    tags: ['benefits'],
    roles: READERS,
    params: IdParams,
    resource: 'elder',
    body: BankAccountBody,
    response: Ok,
    example: { bankCode: 'RCB', bankName: '农商银行', accountNo: '6230000000000000001', holderName: '张三' },
    handler: async ({ tx, params, body, audit }) => {
      const { regionCode } = await setBankAccount(tx, params.id, body);
      await audit({
        action: 'update',
        entity: 'elder_bank_account',
        entityId: params.id,
        regionCode,
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
    query: RecoveryQuery,
    response: RecoveryList,
    handler: async ({ tx, query, principal }) => listRecoveries(tx, principal, query.status),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/benefits/recoveries/:id/settle',
    summary: '登记追回结果（已追回或核销）',
    tags: ['benefits'],
    roles: STAFF,
    params: IdParams,
    resource: 'benefitRecovery',
    body: SettleBody,
    response: Ok,
    example: { status: 'settled', note: '家属已退回' },
    handler: async ({ tx, params, body, principal, audit }) => {
      const { regionCode } = await settleRecovery(tx, principal, params.id, body);
      await audit({ action: 'settle', entity: 'benefit_recovery', entityId: params.id, regionCode, after: body });
      return { ok: true as const };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/benefits/stats',
    summary: '近若干月按乡镇、按补贴项目的发放人数和金额（图表）',
    tags: ['benefits'],
    roles: READERS,
    query: StatsQuery,
    response: Stats,
    handler: async ({ tx, query, principal }) => benefitStats(tx, principal, query.months),
  });

  applicationRoutes(app);
}
