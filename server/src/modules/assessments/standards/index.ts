/** The assessment standards behind one interface: zod schemas for what comes in and goes out,
 * and `scoreAssessment`, which dispatches on `standard`. Results always carry the standard;
 * levels of GB/T 42195-2022 (0–4) and MZ/T 039-2013 (0–3) are never converted into each other. */
import { z } from 'zod';
import { ValidationFailed } from '../../../kernel/validation.js';
import { answerProblems, GB42195, MZT039, STANDARD_CODES, type Item } from './common.js';
import { GB42195_LEVEL_VALUES, scoreGb42195, type Gb42195Input, type Gb42195Result, type Gb42195Rules } from './gbt42195.js';
import { GB42195_ITEMS } from './gbt42195.items.js';
import {
  GB42195_DIAGNOSIS_GROUP_CODES,
  GB42195_REASON_CODES,
  GB42195_RISK_EVENT_CODES,
  ICD10_PATTERN,
  RISK_EVENT_COUNT_MAX,
  resolveDiagnosis,
} from './gbt42195.annexA.js';
import {
  MZT039_DEFAULT_RULES,
  MZT039_LEVEL_VALUES,
  mzt039OmittableItems,
  scoreMzt039,
  type Mzt039Input,
  type Mzt039Result,
  type Mzt039Rules,
} from './mzt039.js';
import { MZT039_ITEMS } from './mzt039.items.js';
import { MZT039_DEMENTIA_CODES, MZT039_MENTAL_ILLNESS_CODES, MZT039_REASON_CODES, MZT039_RISK_EVENT_CODES } from './mzt039.annexA.js';

export * from './common.js';
export * from './gbt42195.js';
export * from './gbt42195.items.js';
export * from './gbt42195.annexA.js';
export * from './mzt039.js';
export * from './mzt039.items.js';
export * from './mzt039.annexA.js';

/** Messages are written “中文 / English”; the kernel splits them for the error response. */
const bi = (zh: string, en: string) => `${zh} / ${en}`;

const GbLevel = z.literal(GB42195_LEVEL_VALUES);
const MzLevel = z.literal(MZT039_LEVEL_VALUES);

/** Item code → option code. Checked against the item table in the standard's refinement. */
const Answers = z.record(z.string(), z.string({ error: bi('选项代码须为字符串', 'an option code must be a string') }));

function checkAnswers(items: readonly Item[], answers: Record<string, string>, mayOmit: ReadonlySet<string>, ctx: z.RefinementCtx) {
  for (const p of answerProblems(items, answers, mayOmit)) {
    ctx.addIssue({ code: 'custom', path: p.path, message: bi(p.zh, p.en), ...(p.missing ? { params: { missing: p.missing } } : {}) });
  }
}

const riskCount = z
  .number()
  .int()
  .min(0, { error: bi('次数不能为负', 'a count cannot be negative') })
  .max(RISK_EVENT_COUNT_MAX, { error: bi('次数为0~3，3表示3次及以上', 'a count is 0..3, 3 meaning 3 or more') });

const riskEvents = <K extends string>(codes: readonly K[]) =>
  z.strictObject(Object.fromEntries(codes.map((c) => [c, riskCount])) as Record<K, typeof riskCount>, {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? bi(`未知的风险事件类型，可选：${codes.join('、')}`, `unknown risk event type; allowed: ${codes.join(', ')}`)
        : undefined,
  });

export const Gb42195DiagnosisSchema = z
  .object({
    group: z.enum(GB42195_DIAGNOSIS_GROUP_CODES, { error: bi('未知的疾病诊断类别（A.4.1）', 'unknown diagnosis group (A.4.1)') }).optional(),
    icd10: z
      .string()
      .trim()
      .regex(ICD10_PATTERN, { error: bi('ICD-10 编码格式不正确（如 F03、F02.1）', 'malformed ICD-10 code (e.g. F03, F02.1)') })
      .optional(),
    /** 精神科专科医生诊断 — R2 counts F04~F99 only with it. */
    byPsychiatrist: z.boolean().optional(),
  })
  .superRefine((d, ctx) => {
    const r = resolveDiagnosis(d);
    if (!('group' in r)) ctx.addIssue({ code: 'custom', message: bi(r.zh, r.en) });
  });

export const Gb42195InfoSchema = z.object({
  reason: z.enum(GB42195_REASON_CODES),
  diagnoses: z.array(Gb42195DiagnosisSchema).max(60).default([]),
  riskEvents30d: riskEvents(GB42195_RISK_EVENT_CODES),
  comaA511: z.boolean(),
});

export const Mzt039InfoSchema = z.object({
  reason: z.enum(MZT039_REASON_CODES),
  dementia: z.enum(MZT039_DEMENTIA_CODES),
  mentalIllness: z.enum(MZT039_MENTAL_ILLNESS_CODES),
  riskEvents30d: riskEvents(MZT039_RISK_EVENT_CODES),
});

/** County settings that change how assessments are scored; every field has a default. */
export interface AssessmentSettings {
  gb42195?: Partial<Gb42195Rules>;
  mzt039?: Partial<Mzt039Rules>;
}

const BandSchema = <L extends z.ZodType<number>>(level: L) => z.object({ min: z.number().int().min(0), max: z.number().int().min(0), level });

/** Shape check for stored county settings; coverage of band tables is checked when they are used. */
export const AssessmentSettingsSchema = z.object({
  gb42195: z
    .object({
      id: z.string().min(1),
      effectiveFrom: z.iso.date().nullable(),
      levelBands: z.array(BandSchema(GbLevel)),
      stackChangeRules: z.boolean(),
      comaLevel: GbLevel,
      riskEventThreshold: z.number().int().min(1),
      reassessmentIntervalMonths: z.number().int().min(1).nullable(),
    })
    .partial()
    .optional(),
  mzt039: z
    .object({
      id: z.string().min(1),
      adlBands: z.array(BandSchema(MzLevel)),
      mentalBands: z.array(BandSchema(MzLevel)),
      socialBands: z.array(BandSchema(MzLevel)),
      overallLevelOverrides: z.record(z.string().regex(/^[0-3]-[0-3]-[0-3]-[0-3]$/), MzLevel),
      stackChangeRules: z.boolean(),
      riskEventCounting: z.enum(['total', 'perType']),
      riskEventThreshold: z.number().int().min(1),
      cognitionDiagnosisCountsForClause1: z.boolean(),
      comaAllowsSkippingLaterItems: z.boolean(),
      reassessmentIntervalMonths: z.number().int().min(1).nullable(),
    })
    .partial()
    .optional(),
});

/** The input schema under a county's settings (which items may be omitted can depend on them). */
export function assessmentInputSchema(settings: AssessmentSettings = {}) {
  const mzRules = { ...MZT039_DEFAULT_RULES, ...settings.mzt039 };
  // Refined on the answers themselves so that their problems are reported even when `info` has some too.
  const gb = z.object({
    standard: z.literal(GB42195),
    answers: Answers.superRefine((a, ctx) => checkAnswers(GB42195_ITEMS, a, new Set(), ctx)),
    info: Gb42195InfoSchema,
  });
  const mz = z.object({
    standard: z.literal(MZT039),
    answers: Answers.superRefine((a, ctx) => checkAnswers(MZT039_ITEMS, a, mzt039OmittableItems(a, mzRules), ctx)),
    info: Mzt039InfoSchema,
  });
  return z.discriminatedUnion('standard', [gb, mz], {
    error: bi(`未知的评估标准，可选：${STANDARD_CODES.join('、')}`, `unknown assessment standard; allowed: ${STANDARD_CODES.join(', ')}`),
  });
}

export const AssessmentInput = assessmentInputSchema();
export type AssessmentInput = z.infer<typeof AssessmentInput>;

const BilingualSchema = z.object({ zh: z.string(), en: z.string() });
const AppliedRuleSchema = z.object({ code: z.string(), zh: z.string(), en: z.string(), levelBefore: z.number().int(), levelAfter: z.number().int() });

export const Gb42195ResultSchema = z.object({
  standard: z.literal(GB42195),
  rulesId: z.string(),
  itemScores: z.record(z.string(), z.number()),
  dimensions: z.array(z.object({ code: z.string(), zh: z.string(), en: z.string(), score: z.number(), max: z.number() })),
  total: z.number().int(),
  maxTotal: z.number().int(),
  preliminaryLevel: GbLevel,
  preliminaryLevelName: BilingualSchema,
  appliedRules: z.array(AppliedRuleSchema),
  finalLevel: GbLevel,
  levelName: BilingualSchema,
});

export const Mzt039ResultSchema = z.object({
  standard: z.literal(MZT039),
  rulesId: z.string(),
  itemScores: z.record(z.string(), z.number()),
  skippedItems: z.array(z.string()),
  dimensions: z.array(
    z.object({
      code: z.string(),
      zh: z.string(),
      en: z.string(),
      score: z.number().nullable(),
      max: z.number().nullable(),
      grade: MzLevel.nullable(),
      gradeName: BilingualSchema.nullable(),
    }),
  ),
  preliminaryLevel: MzLevel,
  preliminaryLevelName: BilingualSchema,
  appliedRules: z.array(AppliedRuleSchema),
  finalLevel: MzLevel,
  levelName: BilingualSchema,
});

export const AssessmentResult = z.discriminatedUnion('standard', [Gb42195ResultSchema, Mzt039ResultSchema]);
export type AssessmentResult = Gb42195Result | Mzt039Result;

/** Validates and scores one assessment. Bad input throws the kernel's ValidationFailed (HTTP 400
 * with one bilingual problem per item); a bad county setting throws AppError ASSESSMENT_RULES. */
export function scoreAssessment(input: unknown, settings: AssessmentSettings = {}): AssessmentResult {
  const parsed = assessmentInputSchema(settings).safeParse(input);
  if (!parsed.success) throw new ValidationFailed('body', parsed.error.issues);
  const data = parsed.data;
  return data.standard === GB42195 ? scoreGb42195(data, settings.gb42195) : scoreMzt039(data, settings.mzt039);
}

// The zod shapes and the engines' TypeScript types must agree; these fail to compile if not.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const agree: [
  Same<z.infer<typeof Gb42195ResultSchema>, Gb42195Result>,
  Same<z.infer<typeof Mzt039ResultSchema>, Mzt039Result>,
  z.infer<typeof AssessmentInput> extends Gb42195Input | Mzt039Input ? true : false,
  z.infer<typeof AssessmentSettingsSchema> extends AssessmentSettings ? true : false,
] = [true, true, true, true];
void agree;
