import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../kernel/db.js';
import { makeIdNumber } from '../../kernel/idnumber.js';
import { agentFor, buildCounty, testApp, type TestApp, type TestCounty } from '../../test/harness.js';

describe('elder registry', () => {
  let t: TestApp;
  let c: TestCounty;
  let staff: Awaited<ReturnType<typeof agentFor>>;
  beforeAll(async () => {
    t = await testApp();
    c = await buildCounty(t.db);
    staff = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipA });
  });
  afterAll(() => t.close());

  const idn = (birth: string, seq: number) => makeIdNumber(c.county.slice(0, 6), birth, seq);

  it('registers an elder with birth date, sex and pinyin derived from the ID number', async () => {
    const r = await staff.post('/api/v1/elders', {
      idNumber: idn('1940-02-29', 13).toLowerCase(),
      name: '曾秀英',
      regionCode: c.villageA,
      phone: '13812345678',
      livingArrangement: 'alone',
      categories: [{ category: 'living_alone', validFrom: '2024-03-01', sourceDoc: '民字1号' }],
      contacts: [{ name: '曾建国', relation: '儿子', phone: '13900001111' }],
    });
    expect(r.statusCode).toBe(200);
    const e = r.json();
    expect(e).toMatchObject({ birthDate: '1940-02-29', sex: 'M', name: '曾秀英', categories: ['living_alone'], phone: '138****5678' });
    expect(e.contacts[0]).toMatchObject({ name: '曾*国', relation: '儿子', phone: '139****1111' });
    const row = await t.db.root.one<{ name_pinyin: string; name_initials: string }>(sql`select name_pinyin, name_initials from elders where id = ${e.id}`);
    expect(row).toEqual({ name_pinyin: 'zengxiuying', name_initials: 'zxy' });
    const found = (await staff.get('/api/v1/elders?q=zxy')).json();
    expect(found.items.map((x: { id: string }) => x.id)).toContain(e.id);
  });

  it('rejects a wrong check digit, an impossible date, a 15-digit number that does not convert, and the too young', async () => {
    const good = idn('1950-05-05', 21);
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const r1 = await staff.post('/api/v1/elders', { idNumber: bad, name: '甲', regionCode: c.villageA });
    expect(r1.json().error).toMatchObject({ code: 'INVALID_ID_NUMBER', message: '身份证号校验位错误' });
    const r2 = await staff.post('/api/v1/elders', { idNumber: '370124195002300011', name: '乙', regionCode: c.villageA });
    expect(r2.json().error.code).toBe('INVALID_ID_NUMBER');
    expect(r2.json().error.details.problem).toBe('birth_date');
    const r3 = await staff.post('/api/v1/elders', { idNumber: '370124501332001', name: '丙', regionCode: c.villageA });
    expect(r3.json().error.details.problem).toBe('birth_date');
    const r4 = await staff.post('/api/v1/elders', { idNumber: idn('1990-01-01', 31), name: '丁', regionCode: c.villageA });
    expect(r4.json().error.code).toBe('TOO_YOUNG');
    const r5 = await staff.post('/api/v1/elders', { idNumber: idn('1950-01-01', 41), name: '戊', regionCode: c.villageB });
    expect(r5.json().error.code).toBe('UNKNOWN_VILLAGE');
  });

  it('registers an ID number once, and asks to confirm a likely duplicate', async () => {
    const a = await staff.post('/api/v1/elders', { idNumber: idn('1944-04-04', 51), name: '王重名', regionCode: c.villageA });
    expect(a.statusCode).toBe(200);
    const again = await staff.post('/api/v1/elders', { idNumber: idn('1944-04-04', 51), name: '王重名', regionCode: c.villageA2 });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('DUPLICATE_ID');
    const likely = await staff.post('/api/v1/elders', { idNumber: idn('1944-04-04', 53), name: '王重名', regionCode: c.villageA });
    expect(likely.statusCode).toBe(409);
    expect(likely.json().error).toMatchObject({ code: 'LIKELY_DUPLICATE' });
    expect(likely.json().error.details.matches[0].idNumber).toMatch(/\*{8}/);
    const confirmed = await staff.post('/api/v1/elders', { idNumber: idn('1944-04-04', 53), name: '王重名', regionCode: c.villageA, confirmDuplicate: true });
    expect(confirmed.statusCode).toBe(200);
    // A number registered in the neighbouring township is still refused, without details.
    const other = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipB });
    const cross = await other.post('/api/v1/elders', { idNumber: idn('1944-04-04', 51), name: '王重名', regionCode: c.villageB });
    expect(cross.statusCode).toBe(409);
    expect(cross.body).not.toContain(a.json().id);
  });

  it('records death: status, date, categories end that day, event for other modules, history', async () => {
    const e = (
      await staff.post('/api/v1/elders', {
        idNumber: idn('1930-07-07', 61),
        name: '李逝',
        regionCode: c.villageA,
        categories: [{ category: 'dibao', validFrom: '2020-01-01' }],
      })
    ).json();
    expect((await staff.post(`/api/v1/elders/${e.id}/events`, { kind: 'death', date: '2099-01-01' })).json().error.code).toBe('FUTURE_DATE');
    const d = (await staff.post(`/api/v1/elders/${e.id}/events`, { kind: 'death', date: '2025-06-15', sourceDoc: '死亡证明' })).json();
    expect(d).toMatchObject({ status: 'deceased', deathDate: '2025-06-15', categories: [] });
    expect(d.categoryRecords[0]).toMatchObject({ category: 'dibao', validTo: '2025-06-15', endReason: '死亡' });
    expect((await staff.post(`/api/v1/elders/${e.id}/events`, { kind: 'death', date: '2025-06-16' })).statusCode).toBe(409);
    const ev = await t.db.root.rows<{ kind: string; event_date: string }>(
      sql`select kind, event_date::text as event_date from elder_events where elder_id = ${e.id} order by created_at`,
    );
    expect(ev.map((x) => x.kind)).toEqual(['registered', 'death']);
    expect(ev[1].event_date).toBe('2025-06-15');
    const h = (await staff.get(`/api/v1/elders/${e.id}/history`)).json();
    expect(h.items.map((x: { kind: string }) => x.kind)).toEqual(expect.arrayContaining(['death', 'event:death', 'create', 'registered']));
  });

  it('moves residence within the county (county staff), carrying categories along; township staff cannot move it out', async () => {
    const e = (
      await staff.post('/api/v1/elders', {
        idNumber: idn('1945-08-08', 71),
        name: '赵迁',
        regionCode: c.villageA,
        categories: [{ category: 'empty_nest', validFrom: '2021-01-01' }],
      })
    ).json();
    const out = await staff.post(`/api/v1/elders/${e.id}/events`, { kind: 'residence_change', date: '2025-01-01', regionCode: c.villageB });
    expect(out.statusCode).toBe(400);
    const county = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
    const moved = (await county.post(`/api/v1/elders/${e.id}/events`, { kind: 'residence_change', date: '2025-01-01', regionCode: c.villageB })).json();
    expect(moved).toMatchObject({ regionCode: c.villageB, categories: ['empty_nest'] });
    expect((await staff.get(`/api/v1/elders/${e.id}`)).statusCode).toBe(404);
    const b = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipB });
    expect((await b.get(`/api/v1/elders/${e.id}`)).json().categories).toEqual(['empty_nest']);
  });

  it('starts and ends categories with dates; a health change requests an immediate reassessment', async () => {
    const e = (await staff.post('/api/v1/elders', { idNumber: idn('1941-09-09', 81), name: '孙类', regionCode: c.villageA })).json();
    const cat = (await staff.post(`/api/v1/elders/${e.id}/categories`, { category: 'dibao', validFrom: '2024-01-01', sourceDoc: '低保证' })).json();
    expect((await staff.post(`/api/v1/elders/${e.id}/categories`, { category: 'dibao', validFrom: '2024-02-01' })).json().error.code).toBe('CATEGORY_OPEN');
    expect((await staff.post(`/api/v1/elders/${e.id}/categories/${cat.id}/end`, { validTo: '2023-12-31', reason: '错误' })).json().error.code).toBe(
      'CANNOT_END',
    );
    expect((await staff.post(`/api/v1/elders/${e.id}/categories/${cat.id}/end`, { validTo: '2025-03-31', reason: '收入超标' })).statusCode).toBe(200);
    const d = (await staff.get(`/api/v1/elders/${e.id}`)).json();
    expect(d.categories).toEqual([]);
    expect(d.categoryRecords[0]).toMatchObject({ validFrom: '2024-01-01', validTo: '2025-03-31', endReason: '收入超标' });
    await staff.post(`/api/v1/elders/${e.id}/events`, { kind: 'health_change', date: '2025-05-01', note: '中风住院' });
    const r = await t.db.root.one<{ d: string }>(sql`select reassess_requested_at::text as d from elders where id = ${e.id}`);
    expect(r!.d).toBe('2025-05-01');
  });

  it('keeps personal data masked in the history, and shows a requested reassessment on the detail', async () => {
    const e = (await staff.post('/api/v1/elders', { idNumber: idn('1942-10-10', 91), name: '钱史', regionCode: c.villageA, phone: '13811112222' })).json();
    await staff.patch(`/api/v1/elders/${e.id}`, { phone: '13933334444', note: '独居需关注' });
    const h = await staff.get(`/api/v1/elders/${e.id}/history`);
    expect(h.body).not.toContain('13933334444');
    expect(h.body).not.toContain('13811112222');
    expect(h.body).toContain('139****4444');
    await staff.post(`/api/v1/elders/${e.id}/events`, { kind: 'health_change', date: '2026-01-02' });
    expect((await staff.get(`/api/v1/elders/${e.id}`)).json()).toMatchObject({ reassessRequestedAt: '2026-01-02', note: '独居需关注' });
    const due = (await staff.get('/api/v1/assessments/due?q=qs')).json();
    expect(due.items.map((x: { elderId: string }) => x.elderId)).toEqual([e.id]);
  });
});
