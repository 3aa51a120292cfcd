import { z } from 'zod';
import { RegionCode } from '../accounts/accounts.schema.js';
import { AssessmentInput, AssessmentResult } from './standards/index.js';
import { DUE_KINDS } from './assessments.repository.js';

export const RecordAssessmentBody = z.object({
  input: AssessmentInput,
  referenceDate: z.iso.date('日期格式须为 YYYY-MM-DD / write dates as YYYY-MM-DD'),
  assessors: z.array(z.string().trim().min(1).max(30)).min(1, '至少填写一名评估员 / name at least one assessor').max(5),
});

export const AssessmentView = z.object({
  id: z.string(),
  elderId: z.string(),
  standard: z.string(),
  reason: z.string(),
  referenceDate: z.string(),
  answers: z.record(z.string(), z.string()),
  info: z.unknown(),
  dimensions: z.unknown(),
  total: z.number().nullable(),
  preliminaryLevel: z.number(),
  appliedRules: z.unknown(),
  finalLevel: z.number(),
  levelName: z.string(),
  assessors: z.array(z.string()),
  status: z.string(),
  validUntil: z.string().nullable(),
  voidReason: z.string().nullable(),
});

export const DueQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  regionCode: RegionCode.optional(),
  kind: z.enum(DUE_KINDS).optional(),
  /** Name, pinyin or initials. */
  q: z.string().trim().max(40).optional(),
});

export const DueItem = z.object({
  elderId: z.string(),
  name: z.string(),
  sex: z.string(),
  age: z.number(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  townshipName: z.string().nullable(),
  standard: z.string().nullable(),
  finalLevel: z.number().nullable(),
  referenceDate: z.string().nullable(),
  validUntil: z.string().nullable(),
  reassessRequestedAt: z.string().nullable(),
  dueStatus: z.string(),
});

export const ScoreResponse = AssessmentResult;
export const VoidBody = z.object({ reason: z.string().trim().min(2, '请填写作废原因 / give a reason').max(200) });
