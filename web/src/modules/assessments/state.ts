/** The assessment form's state, its defaults per standard, completeness, and the request body it
 * turns into (the `input` of POST /assessments/score and /elders/:id/assessments). */
import dayjs from 'dayjs';
import { GB, GB_PSYCHIATRIC_GROUP, MZ, MZ_COMA_ITEM, MZ_COMA_OPTION, type Diagnosis, type Item, type Standard, type StandardCode } from './types';

export interface FormState {
  standard: StandardCode;
  reason: string;
  referenceDate: string;
  assessors: string[];
  answers: Record<string, string>;
  /** GB/T 42195 Annex A. */
  diagnoses: Diagnosis[];
  comaA511: boolean;
  /** MZ/T 039 A.2. */
  dementia: string;
  mentalIllness: string;
  /** Per risk-event type, 0..3 (3 = 3次及以上); the keys are the standard's. */
  riskEvents: Record<string, number>;
}

export const ICD10 = /^[A-Za-z][0-9]{2}(\.?[0-9A-Za-z]{1,4})?$/;

/** Why the elder is assessed, in words both standards have (their reason codes differ). */
export type ReasonKind = 'first' | 'routine' | 'immediate';
const REASONS: Record<StandardCode, Record<ReasonKind, string>> = {
  [GB]: { first: 'first', routine: 'routine', immediate: 'immediate' },
  [MZ]: { first: 'initial', routine: 'routine', immediate: 'status_change' },
};

export function initialState(standard: Standard, assessors: string[], kind: ReasonKind = 'first'): FormState {
  const reason = REASONS[standard.code]?.[kind];
  return {
    standard: standard.code,
    reason: reason && reason in standard.reasons ? reason : Object.keys(standard.reasons)[0],
    referenceDate: dayjs().format('YYYY-MM-DD'),
    assessors,
    answers: {},
    diagnoses: [],
    comaA511: false,
    dementia: 'none',
    mentalIllness: 'none',
    riskEvents: Object.fromEntries(Object.keys(standard.riskEvents).map((k) => [k, 0])),
  };
}

/** MZ/T 039: after 昏迷 at B.3.1 the later items may be left out (the county's default rule). */
export function omittable(standard: Standard, answers: Record<string, string>): Set<string> {
  if (standard.code !== MZ || answers[MZ_COMA_ITEM] !== MZ_COMA_OPTION) return new Set();
  const at = standard.items.findIndex((i) => i.code === MZ_COMA_ITEM);
  return new Set(standard.items.slice(at + 1).map((i) => i.code));
}

export function missingItems(standard: Standard, answers: Record<string, string>): Item[] {
  const skip = omittable(standard, answers);
  return standard.items.filter((i) => !(i.code in answers) && !skip.has(i.code));
}

export function dimensionProgress(standard: Standard, answers: Record<string, string>, dimension: string) {
  const skip = omittable(standard, answers);
  const items = standard.items.filter((i) => i.dimension === dimension);
  const needed = items.filter((i) => !skip.has(i.code));
  return { answered: items.filter((i) => i.code in answers).length, total: items.length, complete: needed.every((i) => i.code in answers) };
}

/** The diagnoses as the API takes them; rows with a malformed ICD-10 code make it null. */
function diagnosesOf(s: FormState): Diagnosis[] | null {
  const out: Diagnosis[] = [];
  for (const d of s.diagnoses) {
    const icd10 = d.icd10?.trim();
    if (icd10 && !ICD10.test(icd10)) return null;
    out.push({
      ...(d.group ? { group: d.group } : {}),
      ...(icd10 ? { icd10 } : {}),
      ...(d.group === GB_PSYCHIATRIC_GROUP ? { byPsychiatrist: !!d.byPsychiatrist } : {}),
    });
  }
  return out;
}

/** The `input` object, or null while something the server would refuse is still open. */
export function buildInput(standard: Standard, s: FormState) {
  if (missingItems(standard, s.answers).length) return null;
  const riskEvents30d = Object.fromEntries(Object.keys(standard.riskEvents).map((k) => [k, s.riskEvents[k] ?? 0]));
  if (standard.code === GB) {
    const diagnoses = diagnosesOf(s);
    if (!diagnoses) return null;
    return { standard: GB, answers: s.answers, info: { reason: s.reason, diagnoses, riskEvents30d, comaA511: s.comaA511 } };
  }
  return { standard: MZ, answers: s.answers, info: { reason: s.reason, dementia: s.dementia, mentalIllness: s.mentalIllness, riskEvents30d } };
}
