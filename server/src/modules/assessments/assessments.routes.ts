import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../kernel/errors.js';
import { defineRoute, IdParams, Page } from '../../kernel/http.js';
import { STAFF } from '../../kernel/roles.js';
import { loadElder } from '../elders/index.js';
import { assessmentsRepo } from './assessments.repository.js';
import { assessmentReportPdf } from './assessments.report.js';
import { AssessmentView, DueItem, DueQuery, RecordAssessmentBody, ScoreResponse, VoidBody } from './assessments.schema.js';
import { assessingOrganisation, countySettings, loadAssessment, presentAssessment, recordAssessment } from './assessments.service.js';
import {
  AssessmentInput,
  GB42195,
  GB42195_DIAGNOSIS_GROUPS,
  GB42195_DIMENSIONS,
  GB42195_ITEMS,
  GB42195_LEVELS,
  GB42195_REASONS,
  GB42195_RISK_EVENTS,
  MZT039,
  MZT039_DEMENTIA,
  MZT039_DIMENSIONS,
  MZT039_ITEMS,
  MZT039_LEVELS,
  MZT039_MENTAL_ILLNESS,
  MZT039_REASONS,
  MZT039_RISK_EVENTS,
  scoreAssessment,
} from './standards/index.js';

const ASSESSORS = [...STAFF, 'assessor'] as const;
const READERS = [...STAFF, 'assessor', 'inspector'] as const;

const EXAMPLE_INPUT = {
  standard: GB42195,
  answers: Object.fromEntries(GB42195_ITEMS.map((i) => [i.code, i.options[0].code])),
  info: { reason: 'first', diagnoses: [], riskEvents30d: { fall: 0, wander: 0, choke: 0, suicide_self_harm: 0, other: 0 }, comaA511: false },
};

export function assessmentRoutes(app: FastifyInstance) {
  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/assessments/standards',
    summary: '评估标准的条目、选项、维度与等级（供评估表单使用）',
    tags: ['assessments'],
    roles: 'any',
    response: z.object({ standards: z.array(z.unknown()) }),
    handler: async () => ({
      standards: [
        {
          code: GB42195,
          dimensions: GB42195_DIMENSIONS,
          items: GB42195_ITEMS,
          levels: GB42195_LEVELS,
          reasons: GB42195_REASONS,
          riskEvents: GB42195_RISK_EVENTS,
          diagnosisGroups: GB42195_DIAGNOSIS_GROUPS,
        },
        {
          code: MZT039,
          dimensions: MZT039_DIMENSIONS,
          items: MZT039_ITEMS,
          levels: MZT039_LEVELS,
          reasons: MZT039_REASONS,
          riskEvents: MZT039_RISK_EVENTS,
          dementia: MZT039_DEMENTIA,
          mentalIllness: MZT039_MENTAL_ILLNESS,
        },
      ],
    }),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/assessments/score',
    summary: '无状态评分：提交答案，返回维度分、总分、初步等级、变更规则与最终等级（表单实时评分，亦供外部系统调用）',
    tags: ['assessments'],
    roles: 'public',
    rateLimit: 600,
    query: z.object({
      county: z
        .string()
        .regex(/^\d{6}$/, '县级代码为6位数字 / a county code has 6 digits')
        .optional(),
    }),
    body: AssessmentInput,
    example: EXAMPLE_INPUT,
    response: ScoreResponse,
    handler: async ({ db, body, query }) => scoreAssessment(body, query.county ? await countySettings(db.root, query.county) : {}),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/elders/:id/assessments',
    summary: '为老年人录入能力评估（保存答案、各级得分与等级，按县级设置计算有效期）',
    tags: ['assessments'],
    roles: ASSESSORS,
    resource: 'elder',
    params: IdParams,
    body: RecordAssessmentBody,
    example: { input: EXAMPLE_INPUT, referenceDate: '2026-01-05', assessors: ['评估员甲', '评估员乙'] },
    response: AssessmentView,
    handler: async ({ tx, params, body, principal, audit }) => {
      const { id, elder, result } = await recordAssessment(tx, principal, params.id, body);
      await audit({
        action: 'assess',
        entity: 'elder',
        entityId: params.id,
        regionCode: elder.region_code,
        after: { assessmentId: id, standard: result.standard, finalLevel: result.finalLevel },
      });
      return presentAssessment((await assessmentsRepo.get(tx, id))!);
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/elders/:id/assessments',
    summary: '老年人的评估记录',
    tags: ['assessments'],
    roles: READERS,
    resource: 'elder',
    params: IdParams,
    response: z.object({ elderId: z.string(), items: z.array(AssessmentView) }),
    handler: async ({ tx, params }) => {
      await loadElder(tx, params.id);
      return { elderId: params.id, items: (await assessmentsRepo.ofElder(tx, params.id)).map(presentAssessment) };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/assessments/:id',
    summary: '评估记录详情',
    tags: ['assessments'],
    roles: READERS,
    resource: 'assessment',
    params: IdParams,
    response: AssessmentView,
    handler: async ({ tx, params }) => presentAssessment(await loadAssessment(tx, params.id)),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/assessments/:id/void',
    summary: '作废评估记录（须填写原因）',
    tags: ['assessments'],
    roles: ['county_admin', 'assessor'],
    resource: 'assessment',
    params: IdParams,
    body: VoidBody,
    example: { reason: '录入错误' },
    response: AssessmentView,
    handler: async ({ tx, params, body, audit }) => {
      const a = await loadAssessment(tx, params.id);
      if (a.status !== 'completed') throw new AppError(409, 'WRONG_STATE', '该评估已作废', 'this assessment is already void');
      await assessmentsRepo.void(tx, params.id, body.reason);
      await audit({ action: 'void', entity: 'assessment', entityId: params.id, regionCode: a.region_code, reason: body.reason });
      return presentAssessment((await assessmentsRepo.get(tx, params.id))!);
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/assessments/:id/report.pdf',
    summary: '打印评估报告（PDF，附录C格式；含完整身份证号，记入审计）',
    tags: ['assessments'],
    roles: READERS,
    resource: 'assessment',
    params: IdParams,
    file: true,
    handler: async ({ tx, params, reply, audit }) => {
      const a = await loadAssessment(tx, params.id);
      const e = await loadElder(tx, a.elder_id);
      const reasons: Record<string, { zh: string }> = a.standard === GB42195 ? GB42195_REASONS : MZT039_REASONS;
      const pdf = await assessmentReportPdf(a, e, reasons[a.reason]?.zh ?? a.reason, await assessingOrganisation(tx, a.id));
      await audit({ action: 'reveal', entity: 'elder', entityId: e.id, regionCode: e.region_code, reason: '打印能力评估报告', after: { assessmentId: a.id } });
      reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(`能力评估报告-${e.name}.pdf`)}`);
      return pdf;
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/assessments/due',
    summary: '待评估名单：即时评估、逾期、30天内到期、从未评估、80岁以上无有效评估',
    tags: ['assessments'],
    roles: READERS,
    resource: 'elder',
    query: DueQuery,
    response: Page(DueItem),
    handler: async ({ tx, query }) => {
      const { rows, total } = await assessmentsRepo.due(tx, {
        regionCode: query.regionCode,
        kind: query.kind,
        q: query.q,
        limit: query.pageSize,
        offset: (query.page - 1) * query.pageSize,
      });
      return {
        items: rows.map((r) => ({
          elderId: r.id,
          name: r.name,
          sex: r.sex,
          age: r.age,
          regionCode: r.region_code,
          regionName: r.region_name,
          townshipName: r.township_name,
          standard: r.standard,
          finalLevel: r.final_level,
          referenceDate: r.reference_date,
          validUntil: r.valid_until,
          reassessRequestedAt: r.reassess_requested_at,
          dueStatus: r.due_status,
        })),
        total,
        page: query.page,
        pageSize: query.pageSize,
      };
    },
  });
}
