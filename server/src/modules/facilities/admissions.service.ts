/**
 * Admission to public care homes: applications, the ranked waiting list (computed live from each
 * applicant's categories and ability at the time it is shown), offers with a deadline, and
 * acceptance, which takes a bed in the database (see takeBed). An offer past its deadline counts
 * as expired the moment the deadline passes: no job has to run for the list to move on.
 */
import type { z } from 'zod';
import { arr, sql, type Executor } from '../../kernel/db.js';
import { AppError, badRequest, conflict, notFound } from '../../kernel/errors.js';
import { maskName } from '../../kernel/mask.js';
import { getSetting } from '../../kernel/settings.js';
import { DEFAULT_RULE, offerable, publishedClasses, publishedClassOf, rankApplicants, type RuleBody } from './admission.rules.js';
import type { ApplicationBody, RuleCreateBody } from './facilities.schema.js';
import { loadFacility, takeBed, today } from './facilities.service.js';

export interface Rule {
  version: number;
  validFrom: string;
  note: string;
  body: RuleBody;
}

export async function ruleAt(tx: Executor, countyCode: string, at: string): Promise<Rule> {
  const r = await tx.one<{ version: number; valid_from: string; note: string; body: RuleBody }>(sql`
    select version, valid_from::text as valid_from, note, body from admission_rules
     where county_code = ${countyCode} and valid_from <= ${at}::date order by valid_from desc, version desc limit 1`);
  return r ? { version: r.version, validFrom: r.valid_from, note: r.note, body: r.body } : DEFAULT_RULE;
}

export async function listRules(tx: Executor, countyCode: string): Promise<Rule[]> {
  const rows = await tx.rows<{ version: number; valid_from: string; note: string; body: RuleBody }>(sql`
    select version, valid_from::text as valid_from, note, body from admission_rules where county_code = ${countyCode} order by version desc`);
  return [...rows.map((r) => ({ version: r.version, validFrom: r.valid_from, note: r.note, body: r.body })), DEFAULT_RULE];
}

export async function createRule(tx: Executor, countyCode: string, userId: string, b: z.infer<typeof RuleCreateBody>) {
  const v = await tx.one<{ v: number }>(sql`select coalesce(max(version), 0)::int + 1 as v from admission_rules where county_code = ${countyCode}`);
  await tx.exec(sql`insert into admission_rules (county_code, region_code, version, valid_from, body, note, created_by)
    values (${countyCode}, ${countyCode.padEnd(12, '0')}, ${v!.v}, ${b.validFrom}, ${JSON.stringify(b.body)}::jsonb, ${b.note}, ${userId})`);
  return v!.v;
}

export async function fileApplication(tx: Executor, userId: string, b: z.infer<typeof ApplicationBody>) {
  const f = await loadFacility(tx, b.facilityId);
  if (!f.admits_applicants)
    throw badRequest('NOT_ADMITTING', '该机构不通过轮候接收入住申请', 'this facility does not admit through a waiting list', { field: 'facilityId' });
  if (f.county_code !== undefined && f.county_code !== (await elderCounty(tx, b.elderId)))
    throw badRequest('OTHER_COUNTY', '只能申请本县的公办养老机构', 'apply to a public home of the elder’s own county', { field: 'facilityId' });
  const e = await tx.one<{ region_code: string; status: string }>(sql`select region_code, status from elders where id = ${b.elderId}`);
  if (!e) throw notFound('老年人', 'elder');
  if (e.status !== 'active') throw conflict('ELDER_INACTIVE', '该老年人已死亡或迁出', 'this elder is deceased or moved away');
  const resident = await tx.one(sql`select 1 as x from facility_residents where elder_id = ${b.elderId} and move_out is null`);
  if (resident) throw conflict('ALREADY_RESIDENT', '该老年人已入住机构', 'this elder already lives in a facility');
  const appliedOn = b.appliedOn ?? today();
  if (appliedOn > today()) throw badRequest('FUTURE_DATE', '申请日期不能晚于今天', 'the application date cannot be in the future', { field: 'appliedOn' });
  // Whether the elder is still on the list is the list's answer (the offers lie in the home's region).
  const dup = await tx.one(sql`select 1 as x from yl_admission_queue(${b.facilityId}::uuid, ${today()}::date) q where q.elder_id = ${b.elderId}`);
  if (dup) throw conflict('ALREADY_WAITING', '该老年人已在此机构的轮候名单中', 'this elder is already on this home’s waiting list');
  // An earlier application that ended by a declined or lapsed offer is closed before the new one.
  await tx.exec(sql`update admission_applications a set status = 'lapsed', closed_on = ${today()}
    where a.elder_id = ${b.elderId} and a.facility_id = ${b.facilityId} and a.status = 'waiting'`);
  const row = await tx.one<{ id: string }>(sql`insert into admission_applications (elder_id, facility_id, county_code, region_code, applicant, applicant_name,
      applied_on, note, created_by)
    values (${b.elderId}, ${b.facilityId}, ${e.region_code.slice(0, 6)}, ${e.region_code}, ${b.applicant}, ${b.applicantName ?? null}, ${appliedOn},
            ${b.note ?? null}, ${userId}) returning id::text as id`);
  return { id: row!.id, regionCode: e.region_code, facility: f };
}

async function elderCounty(tx: Executor, elderId: string) {
  const e = await tx.one<{ c: string }>(sql`select county_code as c from elders where id = ${elderId}`);
  if (!e) throw notFound('老年人', 'elder');
  return e.c;
}

export async function withdrawApplication(tx: Executor, id: string) {
  const a = await tx.one<{ id: string; region_code: string; status: string }>(
    sql`select id::text as id, region_code, status from admission_applications where id = ${id}`,
  );
  if (!a) throw notFound('入住申请', 'application');
  if (a.status !== 'waiting') throw conflict('WRONG_STATE', '该申请已结束，不能撤回', 'this application is closed and cannot be withdrawn');
  await tx.exec(sql`update admission_applications set status = 'withdrawn', closed_on = ${today()} where id = ${id}`);
  // An open offer lapses with the application: the bed goes to the next.
  await tx.exec(sql`update admission_offers set status = 'declined', responded_at = now() where application_id = ${id} and status = 'open'`);
  return a;
}

interface QueueRow {
  application_id: string;
  elder_id: string;
  elder_name: string;
  elder_region: string;
  region_name: string | null;
  applied_on: string;
  created_at: string;
  status: string;
  applicant: string;
  categories: string[];
  age: number;
  standard: string | null;
  ability_level: number | null;
  in_scope: boolean;
  offer_id: string | null;
  offer_respond_by: string | null;
}

/**
 * The ranked waiting list of one home on a date, live. Applicants outside the caller's region
 * appear with their rank and masked name only: their categories, reason, age, ability and
 * village stay with those who see them (the list of a county home reaches every township).
 * `entries` is the whole list for offers; `view.entries` is what the caller is shown.
 */
export async function waitingList(tx: Executor, facilityId: string, o: { at?: string } = {}) {
  const f = await loadFacility(tx, facilityId);
  const at = o.at ?? today();
  const rule = await ruleAt(tx, f.county_code, at);
  const gb = await getSetting(tx, f.county_code, 'disability.minLevel', at);
  const mz = await getSetting(tx, f.county_code, 'disability.minLevelMzt039', at);
  const rows = await tx.rows<QueueRow>(sql`select application_id::text as application_id, elder_id::text as elder_id, elder_name, elder_region, region_name,
      applied_on::text as applied_on, created_at::text as created_at, status, applicant, categories, age, standard, ability_level, in_scope,
      offer_id::text as offer_id, offer_respond_by::text as offer_respond_by
    from yl_admission_queue(${facilityId}::uuid, ${at}::date) q`);
  const applicants = rows.map((r) => ({
    ...r,
    id: r.application_id,
    appliedOn: r.applied_on,
    createdAt: r.created_at,
    ability: r.standard ? { standard: r.standard, level: r.ability_level! } : null,
    disabled: r.standard ? r.ability_level! >= (r.standard === 'MZ/T 039-2013' ? mz : gb) : false,
    openOffer: r.offer_id && r.offer_respond_by! >= at ? { id: r.offer_id, respondBy: r.offer_respond_by! } : null,
  }));
  const ranked = rankApplicants(rule.body, applicants);
  const stats = await tx.one<{ beds: number; free: number }>(sql`select
      (select count(*) from beds where facility_id = ${facilityId} and removed_on is null)::int as beds,
      (select count(*) from beds where facility_id = ${facilityId} and removed_on is null and status = 'free')::int as free`);
  // Open offers come from the list itself: the offers lie in the home's region, the list is everyone's.
  const openOffers = applicants.filter((a) => a.openOffer).length;
  const entries = ranked.map((r) => ({
    applicationId: r.applicant.id,
    // Only those who see the elder get its id (and so the withdraw / open actions).
    elderId: r.applicant.in_scope ? r.applicant.elder_id : '',
    name: r.applicant.in_scope ? r.applicant.elder_name : maskName(r.applicant.elder_name)!,
    regionName: r.applicant.region_name,
    appliedOn: r.applicant.appliedOn,
    applicant: r.applicant.applicant,
    rank: r.rank,
    standing: r.standing,
    classKey: r.classKey,
    reason: r.reasonZh,
    reasonEn: r.reasonEn,
    categories: r.applicant.categories,
    age: r.applicant.age as number | null,
    ability: r.applicant.ability ? `${r.applicant.ability.standard} ${r.applicant.ability.level}级` : null,
    offer: r.applicant.openOffer,
    offerable: !r.applicant.openOffer && offerable(rule.body, ranked, r, (a) => !!a.openOffer),
  }));
  const outside = (e: (typeof entries)[number]) => ({
    ...e,
    regionName: null,
    applicant: '',
    classKey: null,
    reason: '其他辖区的申请人：仅显示排名和脱敏姓名',
    reasonEn: 'applicant outside your area: rank and masked name only',
    categories: [],
    age: null,
    ability: null,
  });
  return {
    facility: f,
    rule,
    list: ranked,
    entries,
    view: {
      facilityId,
      facilityName: f.name,
      asOf: at,
      rule: { version: rule.version, validFrom: rule.validFrom, note: rule.note },
      beds: stats!.beds,
      freeBeds: stats!.free,
      openOffers,
      entries: entries.map((e, i) => (ranked[i].applicant.in_scope ? e : outside(e))),
    },
  };
}

/**
 * The published list (公示) of one home: rank, masked name, township, the neutral class label and
 * the application date — no village, age, reason or category — and the rule's classes as text.
 */
export async function publicWaitingList(tx: Executor, facilityId: string) {
  const wl = await waitingList(tx, facilityId);
  const townships = [...new Set(wl.list.map((r) => r.applicant.elder_region.slice(0, 9).padEnd(12, '0')))];
  const names = new Map(
    (await tx.rows<{ code: string; name: string }>(sql`select code, name from regions where code = any(${arr(townships)}::text[])`)).map((r) => [
      r.code,
      r.name,
    ]),
  );
  return {
    facilityId,
    facilityName: wl.facility.name,
    asOf: wl.view.asOf,
    rule: { version: wl.rule.version, validFrom: wl.rule.validFrom, classes: publishedClasses(wl.rule.body) },
    beds: wl.view.beds,
    freeBeds: wl.view.freeBeds,
    entries: wl.list.map((r) => {
      const k = publishedClassOf(r);
      return {
        rank: r.rank,
        name: maskName(r.applicant.elder_name)!,
        township: names.get(r.applicant.elder_region.slice(0, 9).padEnd(12, '0')) ?? null,
        priorityClass: k.label,
        priorityClassEn: k.labelEn,
        appliedOn: r.applicant.appliedOn,
      };
    }),
  };
}

/** What a 公示 says about itself: who issues it, for which county, for how long, whom to call. */
export async function publication(tx: Executor, county: string) {
  const at = today();
  const c = await tx.one<{ name: string }>(sql`select name from regions where code = ${county.padEnd(12, '0')}`);
  const authority = await getSetting(tx, county, 'waitlist.publication.authority', at);
  const days = await getSetting(tx, county, 'waitlist.publication.days', at);
  return {
    county: { code: county, name: c?.name ?? county },
    authority: authority || `${c?.name ?? ''}民政局`,
    period: { from: at, to: addDays(at, days - 1) },
    supervisionPhone: await getSetting(tx, county, 'waitlist.publication.supervisionPhone', at),
  };
}

/** Offers a bed to the given applicant, or to the first one the rule lets have it. */
export async function makeOffer(tx: Executor, facilityId: string, applicationId?: string) {
  const wl = await waitingList(tx, facilityId);
  const { view } = wl;
  if (view.freeBeds - view.openOffers <= 0)
    throw conflict('NO_FREE_BED', '没有未分配的空余床位可发出入住通知', 'no free bed is left that is not already offered to someone');
  // The whole list, not the caller's view: an applicant from another township keeps their class.
  const entry = applicationId ? wl.entries.find((e) => e.applicationId === applicationId) : wl.entries.find((e) => e.offerable);
  if (!entry)
    throw applicationId
      ? notFound('轮候申请', 'waiting application')
      : conflict('NOBODY_WAITING', '轮候名单中没有可发出通知的申请人', 'nobody on the waiting list can be offered a bed now');
  if (!entry.offerable)
    throw conflict(
      'NOT_NEXT',
      entry.offer
        ? '该申请人已有待答复的入住通知'
        : entry.standing === 'pending_assessment'
          ? '该申请人尚无有效能力评估'
          : '优先对象仍在轮候，空余床位暂不向其他老人开放',
      entry.offer
        ? 'this applicant already has an open offer'
        : entry.standing === 'pending_assessment'
          ? 'this applicant has no valid ability assessment'
          : 'priority applicants are still waiting; spare beds are not open to others yet',
    );
  const f = wl.facility;
  const at = view.asOf;
  const respondBy = addDays(at, wl.rule.body.offerDays);
  const row = await tx.one<{
    id: string;
  }>(sql`insert into admission_offers (application_id, facility_id, county_code, region_code, rank, rank_class, rule_version,
      offered_on, respond_by)
    values (${entry.applicationId}, ${facilityId}, ${f.county_code}, ${f.region_code}, ${entry.rank}, ${entry.classKey ?? 'spare'}, ${wl.rule.version},
            ${at}, ${respondBy}) returning id::text as id`);
  return { id: row!.id, facility: f, entry, respondBy, ruleVersion: wl.rule.version };
}

export function addDays(d: string, n: number) {
  const x = new Date(d + 'T00:00:00Z');
  x.setUTCDate(x.getUTCDate() + n);
  return x.toISOString().slice(0, 10);
}

interface OfferRow {
  id: string;
  application_id: string;
  facility_id: string;
  region_code: string;
  rank: number;
  rank_class: string;
  rule_version: number;
  offered_on: string;
  respond_by: string;
  status: string;
  bed_id: string | null;
}
const OFFER_COLS = sql`id::text as id, application_id::text as application_id, facility_id::text as facility_id, region_code, rank, rank_class, rule_version,
  offered_on::text as offered_on, respond_by::text as respond_by, status, bed_id::text as bed_id`;

export const presentOffer = (o: OfferRow) => ({
  id: o.id,
  applicationId: o.application_id,
  rank: o.rank,
  rankClass: o.rank_class,
  ruleVersion: o.rule_version,
  offeredOn: o.offered_on,
  respondBy: o.respond_by,
  status: o.status === 'open' && o.respond_by < today() ? 'expired' : o.status,
  bedId: o.bed_id,
});

async function closedOfferError(tx: Executor, id: string): Promise<AppError> {
  const o = await tx.one<OfferRow>(sql`select ${OFFER_COLS} from admission_offers where id = ${id}`);
  if (!o) return notFound('入住通知', 'offer');
  if (o.status === 'open' || o.status === 'expired')
    return conflict('OFFER_EXPIRED', `入住通知已于 ${o.respond_by} 过期`, `the offer expired on ${o.respond_by}`);
  return conflict('OFFER_CLOSED', '该入住通知已答复', 'this offer has already been answered');
}

/**
 * Accepts an offer: the offer closes (only once), the application is admitted, a bed is taken
 * and the elder becomes a resident — all in one transaction, or not at all.
 */
export async function acceptOffer(tx: Executor, id: string, moveIn?: string) {
  const at = today();
  const o = await tx.one<OfferRow>(sql`update admission_offers set status = 'accepted', responded_at = now()
    where id = ${id} and status = 'open' and respond_by >= ${at}::date returning ${OFFER_COLS}`);
  if (!o) throw await closedOfferError(tx, id);
  const app = await tx.one<{ elder_id: string; region_code: string }>(sql`update admission_applications set status = 'admitted', closed_on = ${at}
    where id = ${o.application_id} and status = 'waiting' returning elder_id::text as elder_id, region_code`);
  if (!app) {
    const closed = await tx.one(sql`select 1 as x from admission_applications where id = ${o.application_id}`);
    if (closed) throw conflict('APPLICATION_CLOSED', '该入住申请已撤回或已结束', 'the application was withdrawn or has ended');
    throw notFound('入住申请', 'application');
  }
  const already = await tx.one(sql`select 1 as x from facility_residents where elder_id = ${app.elder_id} and move_out is null`);
  if (already) throw conflict('ALREADY_RESIDENT', '该老年人已入住机构', 'this elder already lives in a facility');
  const f = await loadFacility(tx, o.facility_id);
  const bed = await takeBed(tx, o.facility_id);
  const r = await tx.one<{ id: string }>(sql`insert into facility_residents (elder_id, facility_id, bed_id, county_code, region_code, move_in, application_id)
    values (${app.elder_id}, ${o.facility_id}, ${bed}, ${f.county_code}, ${f.region_code}, ${moveIn ?? at}, ${o.application_id}) returning id::text as id`);
  await tx.exec(sql`update admission_offers set bed_id = ${bed} where id = ${id}`);
  return { offer: { ...o, status: 'accepted', bed_id: bed }, residentId: r!.id, bedId: bed, elderId: app.elder_id, elderRegion: app.region_code };
}

export async function declineOffer(tx: Executor, id: string) {
  const o = await tx.one<OfferRow>(sql`update admission_offers set status = 'declined', responded_at = now()
    where id = ${id} and status = 'open' returning ${OFFER_COLS}`);
  if (!o) throw await closedOfferError(tx, id);
  return o;
}

export async function loadOffer(tx: Executor, id: string) {
  const o = await tx.one<OfferRow>(sql`select ${OFFER_COLS} from admission_offers where id = ${id}`);
  if (!o) throw notFound('入住通知', 'offer');
  return o;
}
