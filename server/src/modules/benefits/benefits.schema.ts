/** Requests and responses of the benefits routes. */
import { z } from 'zod';
import { RegionCode } from '../accounts/accounts.schema.js';
import { PolicyRules } from './rules.js';

export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式为 YYYY-MM / month as YYYY-MM');
export const MonthStart = z.iso.date().refine((d) => d.endsWith('-01'), { message: '生效日期须为某月1日 / must be the first day of a month' });

// ------------------------------------------------------------ policies
export const PolicyView = z.object({
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
export const PolicyBody = z.object({
  policyKey: z.string().regex(/^[a-z0-9_-]{1,40}$/, '政策标识只能用小写字母、数字、- 和 _ / lowercase letters, digits, - and _'),
  name: z.string().min(1).max(200),
  effectiveFrom: MonthStart,
  sourceNote: z.string().max(1000).nullable().optional(),
  rules: PolicyRules,
});

export const ServiceListQuery = z.object({ policyId: z.uuid().optional() });
export const ServiceItem = z.object({
  code: z.string(),
  name: z.string(),
  who: z.string(),
  what: z.string(),
  standard: z.string(),
  payment: z.string(),
  application: z.string(),
  responsible: z.string(),
});

// ------------------------------------------------------------ runs
export const PreviewQuery = z.object({ month: Month, regionCode: RegionCode.optional(), policyId: z.uuid().optional() });

export const RunView = z.object({
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
export const RunDetail = z.object({
  run: RunView,
  townships: z.array(z.any()),
  banks: z.array(z.object({ bankCode: z.string(), bankName: z.string(), payments: z.number(), totalCents: z.number() })),
});
export const ReviewBody = z.object({
  township: RegionCode.optional(),
  status: z.enum(['confirmed', 'returned']),
  note: z.string().max(500).nullable().optional(),
});
export const RunLinesQuery = z.object({
  township: RegionCode.optional(),
  benefit: z.string().max(40).optional(),
  kind: z.enum(['regular', 'backpay']).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export const BankFileQuery = z.object({
  bank: z
    .string()
    .regex(/^[A-Z0-9]{2,12}$/, '银行代码 / bank code')
    .optional(),
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
});

// ------------------------------------------------------------ lines, history, recoveries, stats
export const LineItem = z.object({
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
export const LineDetail = z.object({ line: LineItem, explanation: z.string(), facts: z.any(), policy: z.any(), payments: z.array(z.any()) });
export const ElderBenefits = z.object({ elderId: z.string(), items: z.array(LineItem.extend({ explanation: z.string() })) });
export const BankAccountBody = z.object({
  bankCode: z.string().regex(/^[A-Z0-9]{2,12}$/, '银行代码为2—12位大写字母或数字 / bank code: 2-12 capitals or digits'),
  bankName: z.string().min(1).max(100),
  accountNo: z.string().regex(/^\d{10,30}$/, '账号为10—30位数字 / account number: 10-30 digits'),
  holderName: z.string().min(1).max(50),
});
export const RecoveryQuery = z.object({ status: z.enum(['open', 'settled', 'waived']).default('open') });
export const RecoveryList = z.object({ items: z.array(z.any()), totalCents: z.number() });
export const SettleBody = z.object({
  status: z.enum(['settled', 'waived']),
  note: z.string().min(1, '请说明追回方式或核销依据 / give a note').max(500),
});
export const StatsQuery = z.object({ months: z.coerce.number().int().min(1).max(36).default(12) });
export const Stats = z.object({
  months: z.array(z.string()),
  rows: z.array(
    z.object({ month: z.string(), township: z.string(), townshipName: z.string(), benefit: z.string(), lines: z.number(), totalCents: z.number() }),
  ),
});

// ------------------------------------------------------------ applications
export const ApplicationStatus = z.enum(['submitted', 'township_approved', 'approved', 'refused', 'withdrawn']);
export const AppItem = z.object({
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
export const ApplicationListQuery = z.object({
  status: ApplicationStatus.optional(),
  benefit: z.string().max(40).optional(),
  regionCode: RegionCode.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export const ApplicationBody = z.object({
  elderId: z.uuid(),
  benefitCode: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/),
  appliedOn: z.iso.date(),
  note: z.string().max(500).nullable().optional(),
});
export const DecisionBody = z.object({ approve: z.boolean(), reason: z.string().max(500).nullable().optional() });
