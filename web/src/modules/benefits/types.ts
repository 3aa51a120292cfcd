/** Shapes of the benefits API (server/src/modules/benefits/benefits.schema.ts, rules.ts, runs.ts). */
import type { Role } from '../../kernel/types';
import { fmtCents } from '../../kernel/format';

export const STANDARDS = ['GB/T 42195-2022', 'MZ/T 039-2013'] as const;

export interface AbilityBand {
  standard: (typeof STANDARDS)[number];
  minLevel: number;
  maxLevel: number;
}

/** Facts an eligibility or tier condition tests; every present member must hold (rules.ts). */
export interface Condition {
  minAge?: number;
  maxAge?: number;
  categoriesAny?: string[];
  categoriesNone?: string[];
  ability?: AbilityBand[];
  residence?: 'urban' | 'rural';
  inInstitution?: boolean;
  localHukou?: boolean;
}

export interface Tier {
  label: string;
  when: Condition;
  amountCents: number;
}

export interface BenefitRule {
  code: string;
  name: string;
  payment: 'cash' | 'service';
  content: string;
  responsible: string;
  needsApplication: boolean;
  startsFrom: 'same_month' | 'next_month';
  stopsFrom: 'same_month' | 'next_month';
  eligibility: Condition;
  tiers: Tier[];
}

export interface Exclusion {
  benefits: string[];
  keep: 'highest' | 'first';
  note: string;
}

export interface PolicyRules {
  benefits: BenefitRule[];
  exclusions: Exclusion[];
  backpayMonths: number;
}

export type PolicyStatus = 'draft' | 'published' | 'retired';

export interface Policy {
  id: string;
  policyKey: string;
  version: number;
  name: string;
  status: PolicyStatus;
  active: boolean;
  effectiveFrom: string;
  sourceNote: string | null;
  publishedAt: string | null;
  rules: PolicyRules;
}

export interface ServiceItem {
  code: string;
  name: string;
  who: string;
  what: string;
  standard: string;
  payment: string;
  application: string;
  responsible: string;
}

export interface Sum {
  code: string;
  name: string;
  lines: number;
  totalCents: number;
}

export type ChangeKind = 'added' | 'stopped' | 'changed';

export interface Preview {
  month: string;
  regionCode: string;
  policy: { id: string; name: string; version: number; effectiveFrom: string };
  totals: { lines: number; elders: number; totalCents: number; cashCents: number; serviceCents: number };
  byTownship: Sum[];
  byBenefit: Sum[];
  changes: {
    counts: Record<ChangeKind, number>;
    previousMonth: string;
    previousSource: 'run' | 'none';
    items: { kind: ChangeKind; elderId: string; elderName: string; benefit: string; before: number | null; after: number | null; reason: string }[];
  };
}

export type RunStatus = 'computing' | 'computed' | 'approved';

export interface RunSummary {
  done: string[];
  lines?: number;
  totalCents?: number;
  backpayLines?: number;
  backpayCents?: number;
  recoveries?: number;
  recoveryCents?: number;
  payments?: number;
  reissued?: number;
}

export interface Run {
  id: string;
  month: string;
  policyId: string;
  status: RunStatus;
  progress: number;
  computedBy: string | null;
  computedAt: string | null;
  approvedBy: string | null;
  approvedAt: string | null;
  summary: RunSummary | null;
}

export interface TownshipReview {
  code: string;
  name: string;
  lines: number;
  totalCents: number;
  backpayLines: number;
  review: { status: 'confirmed' | 'returned'; note: string | null; reviewedAt: string; reviewer: string | null } | null;
}

export interface BankGroup {
  bankCode: string;
  bankName: string;
  payments: number;
  totalCents: number;
}

export interface RunDetail {
  run: Run;
  townships: TownshipReview[];
  banks: BankGroup[];
}

export interface Line {
  id: string;
  elderId: string;
  elderName: string;
  idNumber: string | null;
  regionName: string | null;
  benefitCode: string;
  benefit: string;
  forMonth: string;
  kind: string;
  tier: string;
  amountCents: number;
  payment: string;
  paymentStatus: string | null;
  recovery: string | null;
}

export interface LineDetail {
  line: Line;
  explanation: string;
  facts: Record<string, unknown>;
  policy: { id: string; name: string; version: number; effectiveFrom: string; rule?: BenefitRule };
  payments: { attempt: number; status: string; failReason: string | null; bankRef: string | null; runMonth: string }[];
}

export type AppStatus = 'submitted' | 'township_approved' | 'approved' | 'refused' | 'withdrawn';
export const APP_STATUSES: AppStatus[] = ['submitted', 'township_approved', 'approved', 'refused', 'withdrawn'];
export const APP_COLORS: Record<AppStatus, string> = { submitted: 'blue', township_approved: 'cyan', approved: 'green', refused: 'red', withdrawn: 'default' };

export interface Application {
  id: string;
  elderId: string;
  elderName: string;
  idNumber: string | null;
  regionName: string | null;
  benefitCode: string;
  benefit: string;
  appliedOn: string;
  status: AppStatus;
  note: string | null;
  refusalReason: string | null;
  documents: { id: string; filename: string; sizeBytes: number }[];
}

export type RecoveryStatus = 'open' | 'settled' | 'waived';
export interface Recovery {
  id: string;
  elderId: string;
  elderName: string;
  idNumber: string | null;
  regionName: string | null;
  benefit: string;
  forMonth: string;
  amountCents: number;
  reason: string;
  status: RecoveryStatus;
  note: string | null;
}

export interface Stats {
  months: string[];
  rows: { month: string; township: string; townshipName: string; benefit: string; lines: number; totalCents: number }[];
}

export const RUN_COLORS: Record<RunStatus, string> = { computing: 'processing', computed: 'blue', approved: 'green' };
export const CHANGE_COLORS: Record<ChangeKind, string> = { added: 'green', stopped: 'red', changed: 'orange' };
export const POLICY_COLORS: Record<PolicyStatus, string> = { draft: 'orange', published: 'blue', retired: 'default' };

export const STAFF: Role[] = ['county_admin', 'township_staff'];

/** ¥1,234.50 from cents (the platform's one money format, kernel/format.ts). */
export const money = fmtCents;

/** 2026-05-01 or 2026-05 → 2026年5月 (zh) / 2026-05 (en). */
export function monthLabel(m: string, lang: string): string {
  const [y, mo] = m.slice(0, 7).split('-');
  return lang.startsWith('en') ? `${y}-${mo}` : `${y}年${Number(mo)}月`;
}
