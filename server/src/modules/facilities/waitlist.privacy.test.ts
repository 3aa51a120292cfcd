/**
 * The published waiting list (公示) lets anyone check the order without learning who is poor:
 * rank, masked name, township, a neutral priority class and the application date; the classes'
 * definitions are the published rule. Staff of another township see rank and masked name only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../kernel/db.js';
import { countyToday } from '../../kernel/dates.js';
import { agentFor, buildCounty, buildElder, testApp, type TestApp, type TestCounty } from '../../test/harness.js';
import { CATEGORIES } from '../elders/categories.js';
import { addDays } from './admissions.service.js';

const TODAY = countyToday();
/** Words that would tell an applicant's category, age or need. */
const TELLING = [...Object.values(CATEGORIES).map((c) => c.zh), '特困', '低保', '低收入', '困难', '失能', '高龄', '周岁', '岁', '优先：'];

describe('the published waiting list and other townships’ applicants', () => {
  let t: TestApp;
  let c: TestCounty;
  let admin: Awaited<ReturnType<typeof agentFor>>;
  let staffA: Awaited<ReturnType<typeof agentFor>>;
  let home: string;

  beforeAll(async () => {
    t = await testApp();
    c = await buildCounty(t.db);
    admin = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
    staffA = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipA });
    const r = await admin.post('/api/v1/facilities', {
      regionCode: c.county,
      name: '县社会福利中心',
      kind: 'county_center',
      ownership: 'public',
      openedOn: '2020-01-01',
      functions: ['full_care'],
      admitsApplicants: true,
    });
    expect(r.statusCode, r.body).toBe(200);
    home = r.json().id;
    const applicant = async (name: string, region: string, categories: string[], birth: string, appliedOn: string, level: number | null) => {
      const e = await buildElder(t.db, { regionCode: region, name, categories, birthDate: birth });
      if (level !== null)
        await t.db.root.exec(sql`insert into assessments (elder_id, county_code, region_code, standard, reason, reference_date, answers, preliminary_level,
            final_level, level_name, valid_until)
          values (${e.id}, ${region.slice(0, 6)}, ${region}, 'GB/T 42195-2022', 'first', ${addDays(TODAY, -30)}, '{}', ${level}, ${level}, 'x', ${addDays(TODAY, 300)})`);
      const a = await admin.post('/api/v1/admissions', { elderId: e.id, facilityId: home, applicant: 'village_worker', appliedOn });
      expect(a.statusCode, a.body).toBe(200);
    };
    await applicant('赵特困', c.villageB, ['tekun_dispersed', 'willing_centralized'], '1940-02-02', '2025-03-01', 1);
    await applicant('钱低保', c.villageA, ['dibao'], '1938-05-05', '2025-02-01', 3);
    await applicant('孙普通', c.villageA2, [], '1950-06-06', '2025-01-01', 0);
    await applicant('李未评', c.villageB, ['low_income'], '1949-07-07', '2025-01-15', null);
  });
  afterAll(() => t.close());

  it('publishes rank, masked name, township, a neutral class and the date — no category, age or village', async () => {
    const r = await t.app.inject({ method: 'GET', url: `/api/v1/public/waiting-lists?county=${c.county.slice(0, 6)}` });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    const h = body.homes.find((x: { facilityId: string }) => x.facilityId === home);
    expect(h.entries).toEqual([
      { rank: 1, name: '赵*困', township: '乙镇', priorityClass: '一类', priorityClassEn: 'Class 1', appliedOn: '2025-03-01' },
      { rank: 2, name: '钱*保', township: '甲街道', priorityClass: '二类', priorityClassEn: 'Class 2', appliedOn: '2025-02-01' },
      { rank: 3, name: '孙*通', township: '甲街道', priorityClass: '其他', priorityClassEn: 'Other', appliedOn: '2025-01-01' },
      { rank: null, name: '李*评', township: '乙镇', priorityClass: '待评估', priorityClassEn: 'Awaiting assessment', appliedOn: '2025-01-15' },
    ]);
    // The classes are defined by the published rule in force (version 0: the default).
    expect(h.rule.version).toBe(0);
    expect(h.rule.classes.map((k: { label: string }) => k.label)).toEqual(['一类', '二类', '其他', '待评估']);
    expect(h.rule.classes[0].text).toBe('有集中供养意愿的特困人员');
    // Outside the rule's own text, nothing in the payload names a category, an age or a village.
    const withoutRule = JSON.stringify({ ...body, homes: body.homes.map((x: object) => ({ ...x, rule: null })) });
    for (const w of TELLING) expect(withoutRule, w).not.toContain(w);
    for (const v of ['甲一社区', '甲二村', '乙一村']) expect(withoutRule).not.toContain(v);
    expect(withoutRule).not.toMatch(/"(age|categories|reason|reasonEn|ability|regionName|elderId)"/);
    // What a 公示 says about itself, from the county's settings with defaults.
    expect(body).toMatchObject({
      county: { code: c.county.slice(0, 6), name: `测试县${c.county.slice(0, 6)}` },
      authority: `测试县${c.county.slice(0, 6)}民政局`,
      period: { from: TODAY, to: addDays(TODAY, 6) },
      supervisionPhone: '12345',
    });
  });

  it('takes the authority, 监督电话 and 公示期 from the county settings', async () => {
    const county = c.county.slice(0, 6);
    await t.db.root.exec(sql`insert into county_settings (county_code, key, value) values
      (${county}, 'waitlist.publication.authority', '"测试县民政局（养老服务科）"'),
      (${county}, 'waitlist.publication.supervisionPhone', '"0531-87654321"'),
      (${county}, 'waitlist.publication.days', '10')`);
    const body = (await t.app.inject({ method: 'GET', url: `/api/v1/public/waiting-lists?county=${county}` })).json();
    expect(body).toMatchObject({ authority: '测试县民政局（养老服务科）', supervisionPhone: '0531-87654321', period: { to: addDays(TODAY, 9) } });
  });

  it('shows another township’s applicants on a county home’s list by rank and masked name only', async () => {
    const r = await staffA.get(`/api/v1/facilities/${home}/waiting-list`);
    expect(r.statusCode, r.body).toBe(200);
    const entries = r.json().entries as {
      name: string;
      rank: number | null;
      regionName: string | null;
      reason: string;
      categories: string[];
      age: number | null;
    }[];
    expect(entries.map((e) => [e.rank, e.name])).toEqual([
      [1, '赵*困'],
      [2, '钱低保'],
      [3, '孙普通'],
      [null, '李*评'],
    ]);
    // Own township: the reason, categories and age, as before.
    expect(entries[1]).toMatchObject({ regionName: '甲一社区居民委员会', categories: ['dibao'] });
    expect(entries[1].reason).toContain('低保');
    expect(entries[1].age).toBeGreaterThan(80);
    // Another township: nothing that tells their categories, age or village.
    for (const e of [entries[0], entries[3]]) {
      expect(e).toMatchObject({ regionName: null, categories: [], age: null, ability: null, classKey: null, elderId: '' });
      for (const w of TELLING) expect(e.reason, w).not.toContain(w);
    }
    // The county sees everyone in full.
    const full = (await admin.get(`/api/v1/facilities/${home}/waiting-list`)).json().entries;
    expect(full[0].reason).toContain('特困');
  });
});
