/** The rules' month semantics, exclusions and tiers, checked on constructed elders. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../kernel/db.js';
import { buildCounty, buildElder, testDb, type TestCounty, type TestDb } from '../../test/harness.js';
import { linesQuery, regionCohort } from './engine.js';
import { PolicyRules, type BenefitRule } from './rules.js';
import { SHICHENG_RULES } from './samples.js';

let t: TestDb;
let c: TestCounty;
beforeAll(async () => {
  t = await testDb();
  c = await buildCounty(t.db);
});
afterAll(async () => t?.close());

const rule = (over: Partial<BenefitRule> & { code: string }): BenefitRule =>
  ({
    name: over.code,
    payment: 'cash',
    content: '',
    responsible: '县民政局',
    needsApplication: false,
    startsFrom: 'same_month',
    stopsFrom: 'next_month',
    eligibility: {},
    tiers: [{ label: '标准', when: {}, amountCents: 10000 }],
    ...over,
  }) as BenefitRule;

const rules = (benefits: BenefitRule[], exclusions: PolicyRules['exclusions'] = []) => PolicyRules.parse({ benefits, exclusions });

/** Lines of `month` for the elders given (by id), as "benefit:amount:tier". */
async function linesOf(r: PolicyRules, month: string, ids: string[]) {
  const rows = await t.db.system((tx) =>
    tx.rows<{ elder_id: string; benefit_code: string; amount_cents: number; tier: string; facts: Record<string, unknown> }>(
      sql`select q.elder_id::text as elder_id, q.benefit_code, q.amount_cents, q.tier, q.facts from (${linesQuery(r, month, regionCohort(c.county))}) q`,
    ),
  );
  return ids.map((id) =>
    rows
      .filter((x) => x.elder_id === id)
      .map((x) => `${x.benefit_code}:${x.amount_cents}:${x.tier}`)
      .sort(),
  );
}

async function addCategory(elderId: string, region: string, category: string, from: string, to: string | null = null) {
  await t.db.root.exec(sql`insert into elder_categories (elder_id, county_code, region_code, category, valid_from, valid_to)
    values (${elderId}, ${region.slice(0, 6)}, ${region}, ${category}, ${from}, ${to})`);
}

async function addAssessment(elderId: string, region: string, level: number, ref: string, validUntil: string) {
  await t.db.root
    .exec(sql`insert into assessments (elder_id, county_code, region_code, standard, reason, reference_date, answers, preliminary_level, final_level, level_name, assessors, valid_until)
    values (${elderId}, ${region.slice(0, 6)}, ${region}, 'GB/T 42195-2022', '首次评估', ${ref}, '{}', ${level}, ${level}, '等级', '{甲}', ${validUntil})`);
}

describe('month boundaries', () => {
  it('turning 80 on the last day of a month pays that month (same_month) or from the next (next_month)', async () => {
    const nov30 = await buildElder(t.db, { regionCode: c.villageA, birthDate: '1946-11-30' });
    const dec1 = await buildElder(t.db, { regionCode: c.villageA, birthDate: '1946-12-01' });
    const feb28 = await buildElder(t.db, { regionCode: c.villageA, birthDate: '1946-02-28' });
    const same = rules([rule({ code: 'old_age', eligibility: { minAge: 80 } })]);
    const next = rules([rule({ code: 'old_age', eligibility: { minAge: 80 }, startsFrom: 'next_month' })]);
    expect(await linesOf(same, '2026-10-01', [nov30.id, dec1.id])).toEqual([[], []]);
    expect(await linesOf(same, '2026-11-01', [nov30.id, dec1.id])).toEqual([['old_age:10000:标准'], []]);
    expect(await linesOf(same, '2026-12-01', [nov30.id, dec1.id])).toEqual([['old_age:10000:标准'], ['old_age:10000:标准']]);
    expect(await linesOf(next, '2026-11-01', [nov30.id])).toEqual([[]]);
    expect(await linesOf(next, '2026-12-01', [nov30.id])).toEqual([['old_age:10000:标准']]);
    // February's last day is the 28th in 2026.
    expect(await linesOf(same, '2026-02-01', [feb28.id])).toEqual([['old_age:10000:标准']]);
    expect(await linesOf(same, '2026-01-01', [feb28.id])).toEqual([[]]);
  });

  it('a death mid-month pays that month and stops the next (next_month), or stops at once (same_month)', async () => {
    const e = await buildElder(t.db, { regionCode: c.villageA, birthDate: '1940-05-05' });
    await t.db.root.exec(sql`update elders set status = 'deceased', death_date = '2026-10-15' where id = ${e.id}`);
    const stopsNext = rules([rule({ code: 'old_age', eligibility: { minAge: 80 } })]);
    const stopsSame = rules([rule({ code: 'old_age', eligibility: { minAge: 80 }, stopsFrom: 'same_month' })]);
    expect(await linesOf(stopsNext, '2026-09-01', [e.id])).toEqual([['old_age:10000:标准']]);
    expect(await linesOf(stopsNext, '2026-10-01', [e.id])).toEqual([['old_age:10000:标准']]);
    expect(await linesOf(stopsNext, '2026-11-01', [e.id])).toEqual([[]]);
    expect(await linesOf(stopsSame, '2026-10-01', [e.id])).toEqual([[]]);
    expect(await linesOf(stopsSame, '2026-09-01', [e.id])).toEqual([['old_age:10000:标准']]);
  });

  it('a category starting mid-month counts that month (same_month) or from the next (next_month); one ending mid-month still pays that month', async () => {
    const starts = await buildElder(t.db, { regionCode: c.villageA, birthDate: '1950-01-01' });
    const ends = await buildElder(t.db, { regionCode: c.villageA, birthDate: '1950-01-01' });
    await addCategory(starts.id, c.villageA, 'dibao', '2026-10-20');
    await addCategory(ends.id, c.villageA, 'dibao', '2020-01-01', '2026-10-10');
    const same = rules([rule({ code: 'poor', eligibility: { categoriesAny: ['dibao'] } as never })]);
    const next = rules([rule({ code: 'poor', eligibility: { categoriesAny: ['dibao'] } as never, startsFrom: 'next_month' })]);
    expect(await linesOf(same, '2026-09-01', [starts.id, ends.id])).toEqual([[], ['poor:10000:标准']]);
    expect(await linesOf(same, '2026-10-01', [starts.id, ends.id])).toEqual([['poor:10000:标准'], ['poor:10000:标准']]);
    expect(await linesOf(same, '2026-11-01', [starts.id, ends.id])).toEqual([['poor:10000:标准'], []]);
    expect(await linesOf(next, '2026-10-01', [starts.id])).toEqual([[]]);
    expect(await linesOf(next, '2026-11-01', [starts.id])).toEqual([['poor:10000:标准']]);
  });

  it('turning 90 mid-month moves to the higher tier that month', async () => {
    const e = await buildElder(t.db, { regionCode: c.villageA, birthDate: '1936-11-15' });
    const r = rules([
      rule({
        code: 'old_age',
        eligibility: { minAge: 80 },
        tiers: [
          { label: '90+', when: { minAge: 90 }, amountCents: 20000 },
          { label: '80-89', when: {}, amountCents: 5000 },
        ],
      }),
    ]);
    expect(await linesOf(r, '2026-10-01', [e.id])).toEqual([['old_age:5000:80-89']]);
    expect(await linesOf(r, '2026-11-01', [e.id])).toEqual([['old_age:20000:90+']]);
  });
});

describe('exclusions, ability, residence and applications', () => {
  it('an exclusion group keeps the highest (or the first listed) benefit', async () => {
    const e = await buildElder(t.db, { regionCode: c.villageA, birthDate: '1940-01-01' });
    const a = rule({ code: 'a_small', tiers: [{ label: 'A', when: {}, amountCents: 10000 }], eligibility: { minAge: 80 } });
    const b = rule({ code: 'b_large', tiers: [{ label: 'B', when: {}, amountCents: 30000 }], eligibility: { minAge: 80 } });
    const other = rule({ code: 'c_other', eligibility: { minAge: 80 } });
    expect(await linesOf(rules([a, b, other]), '2026-10-01', [e.id])).toEqual([['a_small:10000:A', 'b_large:30000:B', 'c_other:10000:标准']]);
    expect(await linesOf(rules([a, b, other], [{ benefits: ['a_small', 'b_large'], keep: 'highest', note: '' }]), '2026-10-01', [e.id])).toEqual([
      ['b_large:30000:B', 'c_other:10000:标准'],
    ]);
    expect(await linesOf(rules([a, b, other], [{ benefits: ['a_small', 'b_large'], keep: 'first', note: '' }]), '2026-10-01', [e.id])).toEqual([
      ['a_small:10000:A', 'c_other:10000:标准'],
    ]);
  });

  it('Shicheng: 特困 living allowance by residence and care fee by a valid assessment', async () => {
    const urban = await buildElder(t.db, { regionCode: c.villageA, birthDate: '1950-01-01', categories: ['tekun_dispersed'] });
    const rural = await buildElder(t.db, { regionCode: c.villageA2, birthDate: '1950-01-01', categories: ['tekun_dispersed'] });
    const ruralDisabled = await buildElder(t.db, { regionCode: c.villageA2, birthDate: '1950-01-01', categories: ['tekun_dispersed'] });
    const expired = await buildElder(t.db, { regionCode: c.villageA2, birthDate: '1950-01-01', categories: ['tekun_dispersed'] });
    await addAssessment(ruralDisabled.id, c.villageA2, 3, '2026-03-01', '2027-03-01');
    await addAssessment(expired.id, c.villageA2, 3, '2025-01-01', '2026-01-01');
    const shicheng = PolicyRules.parse(SHICHENG_RULES);
    expect(await linesOf(shicheng, '2026-10-01', [urban.id, rural.id, ruralDisabled.id, expired.id])).toEqual([
      ['tekun_care:7000:生活自理', 'tekun_living:91500:城镇'],
      ['tekun_care:7000:生活自理', 'tekun_living:61500:农村'],
      ['tekun_care:120000:失能', 'tekun_living:91500:农村失能（参照城镇）'],
      ['tekun_care:7000:生活自理', 'tekun_living:61500:农村'],
    ]);
  });

  it('a benefit that needs an application pays from the month of an approved application', async () => {
    const e = await buildElder(t.db, { regionCode: c.villageA, birthDate: '1950-01-01', categories: ['dibao'] });
    const r = rules([rule({ code: 'poor', needsApplication: true, eligibility: { categoriesAny: ['dibao'] } as never })]);
    expect(await linesOf(r, '2026-10-01', [e.id])).toEqual([[]]);
    await t.db.root.exec(sql`insert into benefit_applications (county_code, region_code, elder_id, benefit_code, applied_on, status)
      values (${c.county.slice(0, 6)}, ${c.villageA}, ${e.id}, 'poor', '2026-10-05', 'approved')`);
    expect(await linesOf(r, '2026-09-01', [e.id])).toEqual([[]]);
    expect(await linesOf(r, '2026-10-01', [e.id])).toEqual([['poor:10000:标准']]);
  });

  it('facts name the age, reference date, categories with their start and the assessment', async () => {
    const e = await buildElder(t.db, { regionCode: c.villageA, birthDate: '1941-06-01' });
    await addCategory(e.id, c.villageA, 'dibao', '2024-03-01');
    await addAssessment(e.id, c.villageA, 3, '2026-01-10', '2027-01-10');
    const rows = await t.db.system((tx) =>
      tx.rows<{ facts: Record<string, unknown> }>(
        sql`select q.facts from (${linesQuery(rules([rule({ code: 'xx', eligibility: { minAge: 80 } })]), '2026-10-01', regionCohort(c.villageA))}) q where q.elder_id = ${e.id}`,
      ),
    );
    expect(rows[0]!.facts).toMatchObject({
      age: 85,
      refDate: '2026-10-31',
      categories: ['dibao'],
      since: { dibao: '2024-03-01' },
      ability: { standard: 'GB/T 42195-2022', level: 3, date: '2026-01-10' },
      residence: 'urban',
    });
  });
});

describe('rules validation', () => {
  it('rejects duplicate codes and exclusions naming unknown benefits, in both languages', () => {
    const r = PolicyRules.safeParse({
      benefits: [rule({ code: 'a_a' }), rule({ code: 'a_a' })],
      exclusions: [{ benefits: ['a_a', 'zz'], keep: 'highest' }],
    });
    expect(r.success).toBe(false);
    const msgs = r.error!.issues.map((i) => i.message).join('\n');
    expect(msgs).toMatch(/补贴代码重复.*duplicate/);
    expect(msgs).toMatch(/没有这个补贴.*unknown benefit/);
  });
});

describe('living in care', () => {
  it('a resident of a care home at the month end is in an institution; one who moved out mid-month is not', async () => {
    const inHome = await buildElder(t.db, { regionCode: c.villageA, birthDate: '1940-01-01' });
    const left = await buildElder(t.db, { regionCode: c.villageA, birthDate: '1940-01-01' });
    const cc = c.county.slice(0, 6);
    const f = await t.db.root.one<{ id: string }>(sql`insert into facilities (county_code, region_code, name, kind, ownership, opened_on, admits_applicants)
      values (${cc}, ${c.townshipA}, '测试敬老院', 'township_home', 'public', '2020-01-01', true) returning id::text as id`);
    await t.db.root.exec(sql`insert into facility_residents (elder_id, facility_id, county_code, region_code, move_in, move_out)
      values (${inHome.id}, ${f!.id}, ${cc}, ${c.townshipA}, '2026-03-01', null), (${left.id}, ${f!.id}, ${cc}, ${c.townshipA}, '2025-01-01', '2026-10-10')`);
    const r = rules([rule({ code: 'home_svc', eligibility: { minAge: 80, inInstitution: false } })]);
    expect(await linesOf(r, '2026-11-01', [inHome.id, left.id])).toEqual([[], ['home_svc:10000:标准']]);
    // October: moved out on the 10th — at home at the month end, so the home service counts that month.
    expect(await linesOf(r, '2026-10-01', [left.id])).toEqual([['home_svc:10000:标准']]);
    expect(await linesOf(r, '2026-09-01', [left.id])).toEqual([[]]);
  });
});
