import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../kernel/db.js';
import { Agent, agentFor, buildCounty, buildUser, TEST_PASSWORD, testApp, type TestApp, type TestCounty } from '../../test/harness.js';

describe('sign-in, sessions and accounts', () => {
  let t: TestApp;
  let c: TestCounty;
  beforeAll(async () => {
    t = await testApp();
    c = await buildCounty(t.db);
  });
  afterAll(() => t.close());

  it('signs in with an httpOnly SameSite cookie and answers /me with the region path', async () => {
    const u = await buildUser(t.db, { role: 'township_staff', regionCode: c.townshipA });
    const a = new Agent(t.app);
    const r = await a.login(u.username);
    expect(r.statusCode).toBe(200);
    const cookie = r.cookies.find((x) => x.name === 'yl_sid')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    const me = (await a.get('/api/v1/auth/me')).json();
    expect(me.user).toMatchObject({ username: u.username, role: 'township_staff', regionName: '甲街道', roleLabel: { zh: '乡镇（街道）工作人员' } });
    expect(me.user.regionPath.map((p: { name: string }) => p.name)).toEqual(['山东省', '测试市', expect.stringContaining('测试县'), '甲街道']);
    expect(me.csrfToken).toBe(a.csrf);
  });

  it('refuses wrong passwords alike for unknown users, and locks after five failures', async () => {
    const u = await buildUser(t.db, { role: 'village_worker', regionCode: c.villageA });
    const a = new Agent(t.app);
    const unknown = await a.login('no_such_user', 'whatever1');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error).toMatchObject({ code: 'BAD_CREDENTIALS', message: '用户名或密码错误' });
    for (let i = 0; i < 4; i++) expect((await a.login(u.username, 'wrong-pass1')).statusCode).toBe(401);
    const fifth = await a.login(u.username, 'wrong-pass1');
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().error.code).toBe('ACCOUNT_LOCKED');
    // Even the right password is refused while locked.
    expect((await a.login(u.username)).statusCode).toBe(423);
    const admin = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
    expect((await admin.post(`/api/v1/users/${u.id}/unlock`)).statusCode).toBe(200);
    expect((await a.login(u.username)).statusCode).toBe(200);
    const log = await t.db.root.rows<{ action: string }>(sql`select action from audit_log where entity_id = ${u.id} order by at`);
    expect(log.filter((l) => l.action === 'login_failed')).toHaveLength(5);
    expect(log.map((l) => l.action)).toContain('unlock');
  });

  it('refuses writes without the CSRF token', async () => {
    const a = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
    const r = await a.request(
      'POST',
      '/api/v1/users',
      { username: 'x_csrf', displayName: 'x', role: 'village_worker', regionCode: c.villageA, password: 'Songbai2026' },
      { 'x-csrf-token': 'forged' },
    );
    expect(r.statusCode).toBe(403);
    expect(r.json().error.code).toBe('CSRF');
  });

  it('makes a new user change the initial password, then ends other sessions on change', async () => {
    const admin = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
    const created = await admin.post('/api/v1/users', {
      username: 'new_worker',
      displayName: '新人',
      role: 'village_worker',
      regionCode: c.villageA,
      password: 'Chunfeng2026',
    });
    expect(created.statusCode).toBe(200);
    expect(created.json()).toMatchObject({ username: 'new_worker', regionName: '甲一社区居民委员会' });
    const a = new Agent(t.app);
    const b = new Agent(t.app);
    expect((await a.login('new_worker', 'Chunfeng2026')).json().user.mustChangePassword).toBe(true);
    await b.login('new_worker', 'Chunfeng2026');
    expect((await a.get('/api/v1/elders')).json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await a.post('/api/v1/auth/password', { currentPassword: 'Chunfeng2026', newPassword: 'short' })).json().error.code).toBe('WEAK_PASSWORD');
    expect((await a.post('/api/v1/auth/password', { currentPassword: 'Chunfeng2026', newPassword: 'Kaiyuan2026x' })).statusCode).toBe(200);
    expect((await a.get('/api/v1/elders')).statusCode).toBe(200);
    // b's session ended with the change (after its cache window at most; the store drops it at once here).
    expect((await b.get('/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('refuses common and guessable passwords, saying why in Chinese and English', async () => {
    const a = await agentFor(t.app, t.db, { role: 'village_worker', regionCode: c.villageA });
    const change = (newPassword: string) => a.post('/api/v1/auth/password', { currentPassword: TEST_PASSWORD, newPassword });
    for (const [pw, why] of [
      ['abc12345', '常用密码'],
      ['aaaaaaa1', '重复'],
      ['Password1', '常用密码'],
    ] as const) {
      const r = await change(pw);
      expect(r.statusCode, pw).toBe(400);
      const e = r.json().error;
      expect(e.code).toBe('WEAK_PASSWORD');
      expect(e.message).toContain('密码太容易被猜中');
      expect(e.message).toContain(why);
      expect(e.messageEn).toContain('too easy to guess');
    }
    // The user's own name counts as guessable too.
    const admin = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
    const named = await admin.post('/api/v1/users', {
      username: 'li_guess',
      displayName: 'Zhangsanfeng',
      role: 'village_worker',
      regionCode: c.villageA,
      password: 'Zhangsanfeng1',
    });
    expect(named.json().error.code).toBe('WEAK_PASSWORD');
    // The demo password and a long uncommon one pass.
    expect((await change('Yinling2026')).statusCode).toBe(200);
  });

  it('lets a county admin manage only users of its own county', async () => {
    const admin = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
    const other = await buildCounty(t.db);
    const otherAdmin = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: other.county });
    const u = await buildUser(t.db, { role: 'village_worker', regionCode: c.villageA });
    expect((await otherAdmin.get(`/api/v1/users/${u.id}`)).statusCode).toBe(404);
    expect((await otherAdmin.patch(`/api/v1/users/${u.id}`, { displayName: '改' })).statusCode).toBe(404);
    // Creating a user in another county is refused as unknown region.
    const foreign = await otherAdmin.post('/api/v1/users', {
      username: 'x_foreign',
      displayName: 'x',
      role: 'village_worker',
      regionCode: c.villageA,
      password: 'Songbai2026',
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.code).toBe('UNKNOWN_REGION');
    // Moving a user out of one's own county is refused by row-level security.
    const moved = await admin.patch(`/api/v1/users/${u.id}`, { regionCode: other.villageA });
    expect(moved.statusCode).toBeGreaterThanOrEqual(400);
    expect(moved.statusCode).toBeLessThan(500);
    const list = (await admin.get('/api/v1/users?pageSize=200')).json();
    expect(list.items.every((x: { regionCode: string }) => x.regionCode.startsWith(c.county.slice(0, 6)))).toBe(true);
    expect(list.items.find((x: { id: string }) => x.id === u.id).phone).toBe('138****1111');
    // Township staff may not manage users at all.
    const staff = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipA });
    expect((await staff.get('/api/v1/users')).statusCode).toBe(403);
  });

  it('disabling a user ends the session at once', async () => {
    const admin = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
    const w = await agentFor(t.app, t.db, { role: 'village_worker', regionCode: c.villageA });
    expect((await w.get('/api/v1/auth/me')).statusCode).toBe(200);
    expect((await admin.patch(`/api/v1/users/${w.user.id}`, { status: 'disabled' })).json().status).toBe('disabled');
    expect((await w.get('/api/v1/auth/me')).statusCode).toBe(401);
    const again = await new Agent(t.app).login(w.user.username, TEST_PASSWORD);
    expect(again.statusCode).toBe(403);
    expect(again.json().error.code).toBe('ACCOUNT_DISABLED');
  });
});
