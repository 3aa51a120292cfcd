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

  /** A sign-in from a given client address. */
  const signIn = (username: string, password: string, ip: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress: ip });
  /** What a caller learns from an answer: status, Retry-After and the error (numbers of seconds aside). */
  const seen = (r: Awaited<ReturnType<typeof signIn>>) => {
    const e = r.json().error;
    return {
      status: r.statusCode,
      retryAfter: r.headers['retry-after'] !== undefined,
      code: e?.code,
      message: e?.message.replace(/\d+/g, 'N'),
      messageEn: e?.messageEn.replace(/\d+/g, 'N'),
    };
  };

  it('answers unknown and known usernames alike, wrong password after wrong password, delays included', async () => {
    const u = await buildUser(t.db, { role: 'village_worker', regionCode: c.villageA });
    for (let i = 0; i < 8; i++) {
      const known = await signIn(u.username, 'wrong-pass1', '10.1.0.1');
      const unknown = await signIn('no_such_user', 'wrong-pass1', '10.1.0.2');
      expect(seen(unknown), `attempt ${i + 1}`).toEqual(seen(known));
      expect(known.statusCode).toBe(i < 5 ? 401 : 429);
      if (i >= 5) expect(Math.abs(Number(known.headers['retry-after']) - Number(unknown.headers['retry-after']))).toBeLessThanOrEqual(1);
    }
    // Failures of a known user are audited; nothing was locked in the users table.
    const log = await t.db.root.rows<{ action: string }>(sql`select action from audit_log where entity_id = ${u.id}`);
    expect(log.filter((l) => l.action === 'login_failed')).toHaveLength(5);
  });

  it('a wrong-password storm from one address does not stop the real user signing in from another', async () => {
    const u = await buildUser(t.db, { role: 'county_admin', regionCode: c.county });
    const storm = [];
    for (let i = 0; i < 25; i++) storm.push((await signIn(u.username, `guess-${i}-pw`, '10.2.0.66')).statusCode);
    expect(storm.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(new Set(storm.slice(5))).toEqual(new Set([429]));
    // Even the right password waits at the attacker's address ...
    const there = await signIn(u.username, TEST_PASSWORD, '10.2.0.66');
    expect(there.statusCode).toBe(429);
    expect(there.json().error).toMatchObject({ code: 'SIGN_IN_DELAYED', message: expect.stringContaining('登录失败次数过多') });
    // ... while the admin at their own desk signs in at once.
    expect((await signIn(u.username, TEST_PASSWORD, '10.2.0.7')).statusCode).toBe(200);
  });

  it('delays grow with each failure after the free ones, and a county admin can release them', async () => {
    const u = await buildUser(t.db, { role: 'village_worker', regionCode: c.villageA });
    const ip = '10.3.0.1';
    for (let i = 0; i < 5; i++) expect((await signIn(u.username, 'wrong-pass1', ip)).statusCode).toBe(401);
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await signIn(u.username, 'wrong-pass1', ip);
      expect(r.statusCode).toBe(429);
      waits.push(Number(r.headers['retry-after']));
      expect(r.json().error.details.retryAfterSeconds).toBe(waits[i]);
      // The wait is over (moved back rather than waited for): the next failure counts again.
      await t.db.root.exec(sql`update login_throttle set blocked_until = now() - interval '1 second' where username = ${u.username}`);
      expect((await signIn(u.username, 'wrong-pass1', ip)).statusCode).toBe(401);
    }
    // 30 s, then doubling: each wait is longer than the one before.
    expect(waits[0]).toBeGreaterThan(25);
    expect(waits[0]).toBeLessThanOrEqual(30);
    for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThan(waits[i - 1] * 1.8);
    // The admin sees the delay and releases it; the user signs in from that address at once.
    const admin = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
    expect((await admin.get(`/api/v1/users/${u.id}`)).json().locked).toBe(true);
    expect((await admin.post(`/api/v1/users/${u.id}/unlock`)).statusCode).toBe(200);
    expect((await admin.get(`/api/v1/users/${u.id}`)).json().locked).toBe(false);
    expect((await signIn(u.username, TEST_PASSWORD, ip)).statusCode).toBe(200);
    const log = await t.db.root.rows<{ action: string }>(sql`select action from audit_log where entity_id = ${u.id}`);
    expect(log.map((l) => l.action)).toContain('unlock');
    // Another county's admin releases nothing of this county's users.
    const other = await buildCounty(t.db);
    const otherAdmin = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: other.county });
    expect((await otherAdmin.post(`/api/v1/users/${u.id}/unlock`)).statusCode).toBe(404);
  });

  it('one address guessing many accounts is delayed for all of them; a distributed attack on one account only slows it', async () => {
    const users = await Promise.all([0, 1, 2].map(() => buildUser(t.db, { role: 'village_worker', regionCode: c.villageA })));
    let last = 0;
    for (let i = 0; i < 30; i++) last = (await signIn(i < 4 ? users[0].username : `nobody_${i}`, 'wrong-pass1', '10.4.0.9')).statusCode;
    expect(last).toBe(401);
    // The address has used its 30 free failures: every account is delayed from there, not elsewhere.
    expect((await signIn(users[1].username, TEST_PASSWORD, '10.4.0.9')).statusCode).toBe(429);
    expect((await signIn(users[1].username, TEST_PASSWORD, '10.4.0.10')).statusCode).toBe(200);
    // An account guessed from many addresses (99 failures so far) reaches its ceiling: a short delay from everywhere, no lock.
    await t.db.root.exec(sql`insert into login_throttle (scope, username, ip, failures) values ('account', ${users[2].username}, '', 99)`);
    expect((await signIn(users[2].username, 'wrong-pass1', '10.5.0.1')).statusCode).toBe(401);
    const slowed = await signIn(users[2].username, TEST_PASSWORD, '10.5.0.2');
    expect(slowed.statusCode).toBe(429);
    expect(Number(slowed.headers['retry-after'])).toBeLessThanOrEqual(10);
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
