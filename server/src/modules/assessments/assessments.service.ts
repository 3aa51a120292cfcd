/** Assessment use cases: score (stateless), record for an elder, void; validity follows the
 * county's settings. Scoring itself lives in ./standards (pure functions, rule tables as data). */
import type { z } from 'zod';
import { sql, type Executor } from '../../kernel/db.js';
import { AppError, badRequest, notFound } from '../../kernel/errors.js';
import type { Principal } from '../../kernel/principal.js';
import { getSetting } from '../../kernel/settings.js';
import { loadElder, today } from '../elders/index.js';
import { assessmentsRepo, type AssessmentRow } from './assessments.repository.js';
import type { RecordAssessmentBody } from './assessments.schema.js';
import { scoreAssessment, type AssessmentSettings } from './standards/index.js';

export async function countySettings(tx: Executor, county: string): Promise<AssessmentSettings> {
  const stack = await getSetting(tx, county, 'assessment.stackChangeRules');
  return { gb42195: { stackChangeRules: stack }, mzt039: { stackChangeRules: stack } };
}

/** The last day an assessment made on `ref` stays valid: `months` later, less a day. */
export function validUntil(ref: string, months: number): string {
  const [y, m, d] = ref.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 0)).getUTCDate();
  const end = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), Math.min(d, last)));
  end.setUTCDate(end.getUTCDate() - 1);
  return end.toISOString().slice(0, 10);
}

export async function recordAssessment(tx: Executor, p: Principal, elderId: string, b: z.infer<typeof RecordAssessmentBody>) {
  const e = await loadElder(tx, elderId);
  if (e.status !== 'active') throw new AppError(409, 'WRONG_STATE', '只能评估在册的老年人', 'only a registered, living elder can be assessed');
  if (b.referenceDate > today())
    throw badRequest('FUTURE_DATE', '评估基准日期不能晚于今天', 'the reference date cannot be in the future', { field: 'referenceDate' });
  if (b.referenceDate < e.birth_date)
    throw badRequest('BAD_DATE', '评估基准日期早于出生日期', 'the reference date is before birth', { field: 'referenceDate' });
  const county = e.region_code.slice(0, 6);
  const result = scoreAssessment(b.input, await countySettings(tx, county));
  const months = await getSetting(tx, county, 'assessment.validityMonths');
  const row = await assessmentsRepo.insert(tx, {
    elderId,
    regionCode: e.region_code,
    standard: result.standard,
    reason: b.input.info.reason,
    referenceDate: b.referenceDate,
    answers: b.input.answers,
    annex: b.input.info,
    dimensions: result.dimensions,
    total: 'total' in result ? result.total : null,
    preliminaryLevel: result.preliminaryLevel,
    appliedRules: result.appliedRules,
    finalLevel: result.finalLevel,
    levelName: result.levelName.zh,
    assessors: b.assessors,
    validUntil: validUntil(b.referenceDate, months),
    userId: p.userId,
  });
  // An assessment on or after a requested 即时评估 answers that request.
  await tx.exec(sql`update elders set reassess_requested_at = null where id = ${elderId} and reassess_requested_at <= ${b.referenceDate}`);
  await tx.exec(sql`insert into elder_events (elder_id, county_code, region_code, kind, event_date, detail, created_by)
    values (${elderId}, ${county}, ${e.region_code}, 'assessed', ${b.referenceDate},
            ${JSON.stringify({ assessmentId: row!.id, standard: result.standard, finalLevel: result.finalLevel })}::jsonb, ${p.userId})`);
  return { id: row!.id, elder: e, result };
}

export async function loadAssessment(tx: Executor, id: string) {
  const a = await assessmentsRepo.get(tx, id);
  if (!a) throw notFound('评估记录', 'assessment');
  return a;
}

export function presentAssessment(a: AssessmentRow) {
  return {
    id: a.id,
    elderId: a.elder_id,
    standard: a.standard,
    reason: a.reason,
    referenceDate: a.reference_date,
    answers: a.answers,
    info: a.annex,
    dimensions: a.dimension_scores,
    total: a.total,
    preliminaryLevel: a.preliminary_level,
    appliedRules: a.applied_rules,
    finalLevel: a.final_level,
    levelName: a.level_name,
    assessors: a.assessors,
    status: a.status,
    validUntil: a.valid_until,
    voidReason: a.void_reason,
  };
}

/** The assessing organisation printed on the report: the civil-affairs bureau when the
 * assessment was recorded at county level (or by an account the reader cannot see), else the
 * township's government (街道办事处) or the village committee that recorded it. */
export async function assessingOrganisation(tx: Executor, id: string): Promise<string> {
  const r = await assessmentsRepo.recorder(tx, id);
  const county = r?.county ?? '县';
  if (!r?.name || r.level == null || r.level <= 3) return `${county}民政局`;
  if (r.level === 4) return `${county}${r.name}${r.name.endsWith('街道') ? '办事处' : '人民政府'}`;
  return r.name;
}
