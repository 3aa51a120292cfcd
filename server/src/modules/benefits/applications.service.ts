/** Benefit applications (需申请的补贴项目): submit, documents, township review, county decision, withdraw. */
import type { Executor } from '../../kernel/db.js';
import { badRequest, conflict, notFound } from '../../kernel/errors.js';
import { maskIdNumber, maskName } from '../../kernel/mask.js';
import type { Principal } from '../../kernel/principal.js';
import { scopeOf } from '../../kernel/scope.js';
import { today } from '../elders/index.js';
import { monthStart } from './engine.js';
import { policyFor } from './policies.js';
import { benefitsRepo, type ApplicationRow } from './benefits.repository.js';

export const presentApplication = (r: ApplicationRow, names: Map<string, string>) => ({
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

export async function getApplication(tx: Executor, id: string): Promise<ApplicationRow> {
  const r = await benefitsRepo.application(tx, id);
  if (!r) throw notFound('补贴申请', 'application');
  return r;
}

export async function listApplications(
  tx: Executor,
  p: Principal,
  q: { status?: string; benefit?: string; regionCode?: string; page: number; pageSize: number },
) {
  const { rows, total } = await benefitsRepo.applications(tx, {
    status: q.status,
    benefit: q.benefit,
    range: q.regionCode ? scopeOf(q.regionCode) : null,
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  const names = await benefitsRepo.benefitNames(tx, p.countyCode);
  return { items: rows.map((r) => presentApplication(r, names)), total };
}

export async function applicationView(tx: Executor, p: Principal, id: string) {
  return presentApplication(await getApplication(tx, id), await benefitsRepo.benefitNames(tx, p.countyCode));
}

/** Submits an application for an active elder, for a benefit of the active policy that needs one. */
export async function submitApplication(
  tx: Executor,
  p: Principal,
  b: { elderId: string; benefitCode: string; appliedOn: string; note?: string | null },
): Promise<{ id: string; regionCode: string }> {
  const e = await benefitsRepo.elderForApplication(tx, b.elderId);
  if (!e) throw notFound('老年人', 'elder');
  if (e.status !== 'active') throw conflict('ELDER_INACTIVE', '该老人已死亡或迁出，不能申请', 'the elder has died or moved out');
  if (b.appliedOn > today()) throw badRequest('FUTURE_DATE', '申请日期不能晚于今天', 'the application date cannot be in the future');
  const pol = await policyFor(tx, e.county_code, monthStart(today()));
  const rule = pol?.rules.benefits.find((r) => r.code === b.benefitCode);
  if (!rule) throw badRequest('UNKNOWN_BENEFIT', `本县执行的政策中没有补贴项目 ${b.benefitCode}`, `the active policy has no benefit ${b.benefitCode}`);
  if (!rule.needsApplication) throw badRequest('NO_APPLICATION_NEEDED', `${rule.name}无需申请，符合条件自动享受`, `${rule.name} needs no application`);
  const id = await benefitsRepo.insertApplication(tx, e, { ...b, note: b.note ?? null }, p.userId);
  return { id, regionCode: e.region_code };
}

export const DOCUMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'];
export const DOCUMENT_MAX_BYTES = 5 * 1024 * 1024;

/** Stores a document (already checked for type) of an application. */
export async function addDocument(tx: Executor, p: Principal, a: ApplicationRow, f: { filename: string; mime: string; content: Buffer }): Promise<string> {
  if (f.content.length > DOCUMENT_MAX_BYTES) throw badRequest('TOO_LARGE', '单个材料不能超过 5MB', 'a document may not exceed 5 MB');
  return benefitsRepo.insertDocument(tx, a, f, p.userId);
}

export async function getDocument(tx: Executor, id: string) {
  const d = await benefitsRepo.document(tx, id);
  if (!d) throw notFound('申请材料', 'document');
  return d;
}

/**
 * The township's review (submitted → township_approved | refused) or the county's decision
 * (township_approved → approved | refused), as one conditional update: of concurrent
 * decisions exactly one applies, the rest get 409.
 */
export async function decideApplication(
  tx: Executor,
  p: Principal,
  step: 'review' | 'decide',
  id: string,
  b: { approve: boolean; reason?: string | null },
): Promise<{ a: ApplicationRow; to: string }> {
  const a = await getApplication(tx, id);
  const from = step === 'review' ? 'submitted' : 'township_approved';
  if (a.status !== from)
    throw conflict(
      'WRONG_STATE',
      step === 'review' ? '只有待初审的申请可以初审' : '只有乡镇初审通过的申请可以审批',
      step === 'review' ? 'only submitted applications can be reviewed' : 'only applications approved by the township can be decided',
    );
  if (!b.approve && !b.reason) throw badRequest('REASON_REQUIRED', '不通过时请填写理由', 'give the reason for refusal');
  const to = b.approve ? (step === 'review' ? 'township_approved' : 'approved') : 'refused';
  const n = await benefitsRepo.setApplicationStatus(tx, step, { id: a.id, from, to, userId: p.userId, refusalReason: b.approve ? null : b.reason! });
  if (!n) throw conflict('WRONG_STATE', '该申请刚由他人处理，请刷新后查看', 'the application was just handled by someone else; reload it');
  return { a, to };
}

/** Withdraws a pending application (one conditional update). */
export async function withdrawApplication(tx: Executor, id: string): Promise<ApplicationRow> {
  const a = await getApplication(tx, id);
  if (!['submitted', 'township_approved'].includes(a.status))
    throw conflict('WRONG_STATE', '只有审批完成前的申请可以撤回', 'only pending applications can be withdrawn');
  const n = await benefitsRepo.withdrawApplication(tx, a.id);
  if (!n) throw conflict('WRONG_STATE', '该申请刚由他人处理，不能撤回', 'the application was just handled by someone else');
  return a;
}
