/** Shapes of the assessments API (server/src/modules/assessments/standards/index.ts and
 * assessments.schema.ts) and the form's own state. */
import type { Bilingual } from '../../kernel/types';

export const GB = 'GB/T 42195-2022';
export const MZ = 'MZ/T 039-2013';
export type StandardCode = typeof GB | typeof MZ;

export interface ItemOption {
  code: string;
  score: number;
  zh: string;
}

export interface Item {
  code: string;
  dimension: string;
  zh: string;
  en: string;
  definition?: string;
  options: ItemOption[];
}

export interface Dimension {
  code: string;
  zh: string;
  en: string;
}

export interface Standard {
  code: StandardCode;
  dimensions: Dimension[];
  items: Item[];
  levels: Record<string, Bilingual>;
  reasons: Record<string, Bilingual>;
  riskEvents: Record<string, Bilingual>;
  /** GB/T 42195 A.4.1. */
  diagnosisGroups?: Record<string, Bilingual & { icd10?: [string, string] }>;
  /** MZ/T 039 A.2. */
  dementia?: Record<string, Bilingual>;
  mentalIllness?: Record<string, Bilingual>;
}

export interface Diagnosis {
  group?: string;
  icd10?: string;
  byPsychiatrist?: boolean;
}

export interface GbInfo {
  reason: string;
  diagnoses: Diagnosis[];
  riskEvents30d: Record<string, number>;
  comaA511: boolean;
}

export interface MzInfo {
  reason: string;
  dementia: string;
  mentalIllness: string;
  riskEvents30d: Record<string, number>;
}

export interface AppliedRule extends Bilingual {
  code: string;
  levelBefore: number;
  levelAfter: number;
}

export interface DimensionResult extends Bilingual {
  code: string;
  score: number | null;
  max: number | null;
  grade?: number | null;
  gradeName?: Bilingual | null;
}

export interface ScoreResult {
  standard: StandardCode;
  rulesId: string;
  itemScores: Record<string, number>;
  skippedItems?: string[];
  dimensions: DimensionResult[];
  total?: number;
  maxTotal?: number;
  preliminaryLevel: number;
  preliminaryLevelName: Bilingual;
  appliedRules: AppliedRule[];
  finalLevel: number;
  levelName: Bilingual;
}

export interface AssessmentView {
  id: string;
  elderId: string;
  standard: string;
  reason: string;
  referenceDate: string;
  answers: Record<string, string>;
  info: unknown;
  dimensions: DimensionResult[] | null;
  total: number | null;
  preliminaryLevel: number;
  appliedRules: AppliedRule[] | null;
  finalLevel: number;
  levelName: string;
  assessors: string[];
  status: string;
  validUntil: string | null;
  voidReason: string | null;
}

/** MZ/T 039 B.3.1 意识水平 “昏迷”: the later items may be left out (county rule, default on). */
export const MZ_COMA_ITEM = 'B.3.1';
export const MZ_COMA_OPTION = '3';
/** GB/T 42195 A.4.1 group whose diagnosis counts for R2 only when a psychiatrist made it. */
export const GB_PSYCHIATRIC_GROUP = 'other_mental_behavioural';
export const RISK_COUNTS = [0, 1, 2, 3] as const;

export const LEVEL_COLORS = ['green', 'blue', 'gold', 'orange', 'red'];

export const reportUrl = (assessmentId: string) => `/api/v1/assessments/${assessmentId}/report.pdf`;
