import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../kernel/db.js';
import { countyToday } from '../../kernel/dates.js';
import { agentFor, buildCounty, buildElder, testApp, type TestApp, type TestCounty } from '../../test/harness.js';
import { DEFAULT_RULE, rankApplicants, type Applicant } from './admission.rules.js';
import { addDays } from './admissions.service.js';

const TODAY = countyToday();

describe('admission ranking rules (pure)', () => {
  const a = (id: string, o: Partial<Applicant>): Applicant => ({
    id,
    appliedOn: '2026-01-01',
    createdAt: '2026-01-01 10:00:00',
    categories: [],
    age: 70,
    ability: { standard: 'GB/T 42195-2022', level: 0 },
    disabled: false,
    ...o,
  });
  const rank = (xs: Applicant[]) => rankApplicants(DEFAULT_RULE.body, xs).map((r) => [r.applicant.id, r.rank, r.standing, r.classKey]);

  it('puts 特困 willing to live in care first, then poor and vulnerable elders, then others; ties by date', () => {
    const out = rank([
      a('other', { appliedOn: '2025-01-01' }),
      a('poor_old', { categories: ['dibao'], age: 85, appliedOn: '2026-02-01' }),
      a('poor_disabled', { categories: ['low_income'], disabled: true, appliedOn: '2026-01-15', createdAt: '2026-01-15 11:00:00' }),
      a('tekun_late', { categories: ['tekun_dispersed', 'willing_centralized'], appliedOn: '2026-03-01' }),
      a('tekun_early', { categories: ['tekun_dispersed', 'willing_centralized'], appliedOn: '2026-01-02' }),
      a('tekun_unwilling', { categories: ['tekun_dispersed'], appliedOn: '2024-01-01', createdAt: '2024-01-01 08:00:00' }),
      a('poor_only', { categories: ['econ_hardship'], appliedOn: '2024-01-01' }),
      a('empty_nest_rich', { categories: ['empty_nest'], appliedOn: '2024-06-01' }),
      a('fp_poor', { categories: ['econ_hardship', 'fp_special'], appliedOn: '2026-01-15', createdAt: '2026-01-15 09:00:00' }),
      a('unassessed', { categories: ['tekun_dispersed', 'willing_centralized'], ability: null }),
    ]);
    expect(out).toEqual([
      ['tekun_early', 1, 'priority', 'tekun_willing'],
      ['tekun_late', 2, 'priority', 'tekun_willing'],
      // same date: the earlier filing first
      ['fp_poor', 3, 'priority', 'poor_vulnerable'],
      ['poor_disabled', 4, 'priority', 'poor_vulnerable'],
      ['poor_old', 5, 'priority', 'poor_vulnerable'],
      ['tekun_unwilling', 6, 'spare', null],
      ['poor_only', 7, 'spare', null],
      ['empty_nest_rich', 8, 'spare', null],
      ['other', 9, 'spare', null],
      ['unassessed', null, 'pending_assessment', null],
    ]);
  });

  it('gives the reason with the conditions that placed the applicant', () => {
    const [r] = rankApplicants(DEFAULT_RULE.body, [a('x', { categories: ['dibao', 'empty_nest'], age: 82 })]);
    expect(r.reasonZh).toBe('第2优先：经济困难且失能、空巢、留守、重残、高龄或计生特殊家庭的老年人（低保；空巢、80周岁以上）');
  });
});

describe('admissions over HTTP', () => {
  let t: TestApp;
  let c: TestCounty;
  let admin: Awaited<ReturnType<typeof agentFor>>;
  let worker: Awaited<ReturnType<typeof agentFor>>;
  let neighbour: Awaited<ReturnType<typeof agentFor>>;

  beforeAll(async () => {
    t = await testApp();
    c = await buildCounty(t.db);
    admin = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
    worker = await agentFor(t.app, t.db, { role: 'village_worker', regionCode: c.villageA });
    neighbour = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipB });
  });
  afterAll(() => t.close());

  async function home(beds: number, name = '测试敬老院') {
    const r = await admin.post('/api/v1/facilities', {
      regionCode: c.townshipA,
      name,
      kind: 'township_home',
      ownership: 'public',
      openedOn: '2020-01-01',
      functions: ['full_care'],
      admitsApplicants: true,
    });
    expect(r.statusCode, r.body).toBe(200);
    const id = r.json().id as string;
    if (beds > 0) {
      const b = await admin.post(`/api/v1/facilities/${id}/beds`, {
        room: '101',
        labels: Array.from({ length: beds }, (_, i) => String(i + 1)),
        type: 'nursing',
      });
      expect(b.statusCode, b.body).toBe(200);
    }
    return id;
  }

  async function assess(elderId: string, regionCode: string, level: number) {
    await t.db.root.exec(sql`insert into assessments (elder_id, county_code, region_code, standard, reason, reference_date, answers, preliminary_level,
        final_level, level_name, valid_until)
      values (${elderId}, ${regionCode.slice(0, 6)}, ${regionCode}, 'GB/T 42195-2022', 'first', ${addDays(TODAY, -30)}, '{}', ${level}, ${level}, 'x', ${addDays(TODAY, 300)})`);
  }

  async function applicant(name: string, categories: string[], _appliedOn: string, o: { level?: number; region?: string; birth?: string } = {}) {
    const region = o.region ?? c.villageA;
    const e = await buildElder(t.db, { regionCode: region, name, categories, birthDate: o.birth ?? '1950-01-01' });
    if (o.level !== undefined) await assess(e.id, region, o.level);
    return e.id;
  }

  async function apply(agent: typeof admin, elderId: string, facilityId: string, appliedOn: string) {
    const r = await agent.post('/api/v1/admissions', { elderId, facilityId, applicant: 'village_worker', applicantName: '代办人', appliedOn });
    expect(r.statusCode, r.body).toBe(200);
    return r.json().id as string;
  }

  const list = async (id: string) => {
    const r = await admin.get(`/api/v1/facilities/${id}/waiting-list`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as {
      freeBeds: number;
      rule: { version: number };
      entries: {
        name: string;
        rank: number | null;
        standing: string;
        reason: string;
        applicationId: string;
        offerable: boolean;
        offer: { id: string } | null;
      }[];
    };
  };

  it('ranks live, re-ranks on a category change, drops a withdrawn applicant, offers, accepts and fills the bed', async () => {
    const h = await home(2);
    const e1 = await applicant('甲特困', ['tekun_dispersed', 'willing_centralized'], '2026-01-05', { level: 1 });
    const e2 = await applicant('乙低保', ['dibao'], '2025-12-01', { level: 3 });
    const e3 = await applicant('丙普通', [], '2025-06-01', { level: 0 });
    const e4 = await applicant('丁未评', ['tekun_dispersed', 'willing_centralized'], '2025-01-01');
    const a1 = await apply(worker, e1, h, '2026-01-05');
    const a2 = await apply(worker, e2, h, '2025-12-01');
    const a3 = await apply(worker, e3, h, '2025-06-01');
    const a4 = await apply(worker, e4, h, '2025-01-01');
    // The same elder twice on one home's list is refused.
    expect((await worker.post('/api/v1/admissions', { elderId: e1, facilityId: h, applicant: 'elder' })).json().error.code).toBe('ALREADY_WAITING');

    let l = await list(h);
    expect(l.rule.version).toBe(0);
    expect(l.entries.map((e) => [e.name, e.rank, e.standing])).toEqual([
      ['甲特困', 1, 'priority'],
      ['乙低保', 2, 'priority'],
      ['丙普通', 3, 'spare'],
      ['丁未评', null, 'pending_assessment'],
    ]);
    expect(l.entries[1].reason).toContain('失能');

    // 乙's 低保 ends: she drops to the spare class, behind 丙 who applied earlier.
    await t.db.root.exec(sql`update elder_categories set valid_to = ${addDays(TODAY, -1)} where elder_id = ${e2}`);
    l = await list(h);
    expect(l.entries.map((e) => [e.name, e.rank])).toEqual([
      ['甲特困', 1],
      ['丙普通', 2],
      ['乙低保', 3],
      ['丁未评', null],
    ]);
    // 丁 is assessed: ranked first among 特困 (earliest application).
    await assess(e4, c.villageA, 2);
    l = await list(h);
    expect(l.entries[0].name).toBe('丁未评');
    // 丁 withdraws.
    expect((await worker.post(`/api/v1/admissions/${a4}/withdraw`)).statusCode).toBe(200);
    l = await list(h);
    expect(l.entries.map((e) => e.applicationId)).toEqual([a1, a3, a2]);
    // Spare beds are closed while a priority applicant waits without an offer.
    const early = await admin.post(`/api/v1/facilities/${h}/offers`, { applicationId: a3 });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('NOT_NEXT');

    // Offer to the next: 甲; then 丙 may get the spare bed.
    const o1 = await admin.post(`/api/v1/facilities/${h}/offers`, {});
    expect(o1.statusCode, o1.body).toBe(200);
    expect(o1.json()).toMatchObject({ applicationId: a1, rank: 1, rankClass: 'tekun_willing', status: 'open', respondBy: addDays(TODAY, 7) });
    const o2 = await admin.post(`/api/v1/facilities/${h}/offers`, {});
    expect(o2.json().applicationId).toBe(a3);
    // Two free beds, two open offers: no third.
    expect((await admin.post(`/api/v1/facilities/${h}/offers`, {})).json().error.code).toBe('NO_FREE_BED');

    // 丙 declines: the offer moves on to the next (乙, spare).
    const d = await admin.post(`/api/v1/admission-offers/${o2.json().id}/decline`);
    expect(d.statusCode, d.body).toBe(200);
    expect(d.json().next.applicationId).toBe(a2);
    // 甲 accepts: a bed is taken and she is a resident.
    const acc = await admin.post(`/api/v1/admission-offers/${o1.json().id}/accept`, {});
    expect(acc.statusCode, acc.body).toBe(200);
    expect(acc.json().status).toBe('accepted');
    const beds = (await admin.get(`/api/v1/facilities/${h}/beds`)).json().items as { status: string; resident: { name: string } | null }[];
    expect(beds.filter((b) => b.status === 'occupied').map((b) => b.resident?.name)).toEqual(['甲特困']);
    // Accepting twice is answered, not repeated.
    expect((await admin.post(`/api/v1/admission-offers/${o1.json().id}/accept`, {})).json().error.code).toBe('OFFER_CLOSED');
    l = await list(h);
    expect(l.entries.map((e) => e.name)).toEqual(['乙低保']);
    expect(l.freeBeds).toBe(1);

    // The public list masks names and shows rank and reason.
    const pub = await t.app.inject({ method: 'GET', url: `/api/v1/public/waiting-lists?county=${c.county.slice(0, 6)}` });
    expect(pub.statusCode, pub.body).toBe(200);
    const ph = pub.json().homes.find((x: { facilityId: string }) => x.facilityId === h);
    expect(ph.entries.map((e: { name: string; rank: number }) => [e.name, e.rank])).toEqual([['乙*保', 1]]);
    expect(pub.body).not.toContain('乙低保');

    // The neighbouring township neither sees the home nor its list.
    expect((await neighbour.get(`/api/v1/facilities/${h}/waiting-list`)).statusCode).toBe(404);
  });

  it('lets an offer expire at its deadline: it cannot be accepted and the bed goes to the next', async () => {
    const h = await home(1, '过期测试敬老院');
    const e1 = await applicant('戊特困', ['tekun_dispersed', 'willing_centralized'], '2026-01-01', { level: 1 });
    const e2 = await applicant('己低保', ['dibao', 'empty_nest'], '2026-01-01', { level: 1 });
    const a1 = await apply(worker, e1, h, '2026-01-01');
    const a2 = await apply(worker, e2, h, '2026-01-02');
    const o1 = (await admin.post(`/api/v1/facilities/${h}/offers`, {})).json();
    expect(o1.applicationId).toBe(a1);
    // The deadline passes.
    await t.db.root.exec(sql`update admission_offers set offered_on = ${addDays(TODAY, -10)}, respond_by = ${addDays(TODAY, -1)} where id = ${o1.id}`);
    const late = await admin.post(`/api/v1/admission-offers/${o1.id}/accept`, {});
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('OFFER_EXPIRED');
    const l = await list(h);
    expect(l.entries.map((e) => e.applicationId)).toEqual([a2]);
    const o2 = (await admin.post(`/api/v1/facilities/${h}/offers`, {})).json();
    expect(o2.applicationId).toBe(a2);
    expect((await admin.post(`/api/v1/admission-offers/${o2.id}/accept`, {})).statusCode).toBe(200);
    // 戊 may apply again.
    expect((await worker.post('/api/v1/admissions', { elderId: e1, facilityId: h, applicant: 'family' })).statusCode).toBe(200);
  });

  it('opens spare beds to other elders only when the priority list is empty', async () => {
    const h = await home(1, '空床测试敬老院');
    const other = await applicant('庚普通', [], '2025-01-01', { level: 0 });
    const aOther = await apply(worker, other, h, '2025-01-01');
    let l = await list(h);
    expect(l.entries[0]).toMatchObject({ applicationId: aOther, standing: 'spare', offerable: true });
    const prio = await applicant('辛特困', ['tekun_dispersed', 'willing_centralized'], '2026-01-01', { level: 2 });
    const aPrio = await apply(worker, prio, h, '2026-01-01');
    l = await list(h);
    expect(l.entries.map((e) => [e.applicationId, e.offerable])).toEqual([
      [aPrio, true],
      [aOther, false],
    ]);
    await admin.post(`/api/v1/admissions/${aPrio}/withdraw`);
    l = await list(h);
    expect(l.entries.map((e) => [e.applicationId, e.offerable])).toEqual([[aOther, true]]);
  });

  it('ranks by the rule version in force and says which', async () => {
    const h = await home(1, '规则版本敬老院');
    const tekun = await applicant('子特困', ['tekun_dispersed', 'willing_centralized'], '2026-01-01', { level: 1 });
    const poor = await applicant('丑低保', ['dibao', 'left_behind'], '2026-01-01', { level: 1 });
    const aT = await apply(worker, tekun, h, '2026-02-01');
    const aP = await apply(worker, poor, h, '2026-01-01');
    expect((await list(h)).entries.map((e) => e.applicationId)).toEqual([aT, aP]);
    // A county publishes a rule that puts poor, vulnerable elders first (version 1, in force today).
    const body = { ...DEFAULT_RULE.body, classes: [DEFAULT_RULE.body.classes[1], DEFAULT_RULE.body.classes[0]] };
    const r = await admin.post('/api/v1/admission-rules', { validFrom: TODAY, note: '测试规则：经济困难优先', body });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().version).toBe(1);
    // A township cannot publish rules.
    const staff = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipA });
    expect((await staff.post('/api/v1/admission-rules', { validFrom: TODAY, note: 'x', body })).statusCode).toBe(403);
    const l = await list(h);
    expect(l.rule.version).toBe(1);
    expect(l.entries.map((e) => [e.applicationId, e.reason.slice(0, 4)])).toEqual([
      [aP, '第1优先'],
      [aT, '第2优先'],
    ]);
    const rules = (await worker.get('/api/v1/admission-rules')).json().items.map((x: { version: number }) => x.version);
    expect(rules).toEqual([1, 0]);
  });

  it('gives the last bed of a home to exactly one of 100 concurrent acceptances', async () => {
    const h = await home(1, '并发测试敬老院');
    const n = 100;
    // 100 applicants, each with an open offer (made when beds were free), one bed left.
    const elders: string[] = [];
    for (let i = 0; i < n; i++) elders.push(await applicant(`并发${i}`, ['dibao', 'empty_nest'], '2026-01-01'));
    const offers = await t.db.root.rows<{ id: string }>(sql`
      with a as (insert into admission_applications (elder_id, facility_id, county_code, region_code, applicant, applied_on)
                 select e, ${h}, ${c.county.slice(0, 6)}, ${c.villageA}, 'elder', '2026-01-01' from unnest(${sql.param(elders)}::uuid[]) e returning id)
      insert into admission_offers (application_id, facility_id, county_code, region_code, rank, rank_class, rule_version, offered_on, respond_by)
      select a.id, ${h}, ${c.county.slice(0, 6)}, ${c.townshipA}, 1, 'poor_vulnerable', 0, ${TODAY}, ${addDays(TODAY, 7)} from a returning id::text as id`);
    expect(offers.length).toBe(n);
    const results = await Promise.all(offers.map((o) => admin.post(`/api/v1/admission-offers/${o.id}/accept`, {})));
    const ok = results.filter((r) => r.statusCode === 200);
    const refused = results.filter((r) => r.statusCode !== 200);
    expect(ok.length).toBe(1);
    expect(refused.every((r) => r.statusCode === 409 && r.json().error.code === 'NO_FREE_BED' && /床位/.test(r.json().error.message))).toBe(true);
    const occ = await t.db.root.one<{ residents: number; accepted: number; occupied: number }>(sql`select
      (select count(*) from facility_residents where facility_id = ${h} and move_out is null)::int as residents,
      (select count(*) from admission_offers where facility_id = ${h} and status = 'accepted')::int as accepted,
      (select count(*) from beds where facility_id = ${h} and status = 'occupied')::int as occupied`);
    expect(occ).toEqual({ residents: 1, accepted: 1, occupied: 1 });
  });

  it('moves residents in and out directly, freeing the bed', async () => {
    const h = await home(1, '直接入住敬老院');
    const e = await applicant('壬老人', [], '2026-01-01');
    const r = await admin.post(`/api/v1/facilities/${h}/residents`, { elderId: e, moveIn: '2026-01-10' });
    expect(r.statusCode, r.body).toBe(200);
    const e2 = await applicant('癸老人', [], '2026-01-01');
    expect((await admin.post(`/api/v1/facilities/${h}/residents`, { elderId: e2 })).json().error.code).toBe('NO_FREE_BED');
    expect((await admin.post(`/api/v1/facility-residents/${r.json().residentId}/move-out`, { moveOut: '2026-01-09', reason: '错' })).statusCode).toBe(400);
    expect((await admin.post(`/api/v1/facility-residents/${r.json().residentId}/move-out`, { moveOut: '2026-02-01', reason: '回家' })).statusCode).toBe(200);
    expect((await admin.post(`/api/v1/facilities/${h}/residents`, { elderId: e2 })).statusCode).toBe(200);
    const res = (await admin.get(`/api/v1/facilities/${h}/residents?all=true`)).json().items;
    expect(res.map((x: { name: string; moveOut: string | null }) => [x.name, !!x.moveOut]).sort()).toEqual([
      ['壬老人', true],
      ['癸老人', false],
    ]);
  });
});
