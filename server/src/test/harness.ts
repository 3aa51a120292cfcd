/**
 * Test harness: a fresh database per test file — in-memory PGlite, or a new database on the
 * PostgreSQL server of DATABASE_URL when TEST_DB=postgres — migrated by the real migrations,
 * plus builders that make a fresh county per call, and signed-in HTTP agents.
 */
import crypto from 'node:crypto';
import pg from 'pg';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app.js';
import { loadConfig } from '../kernel/config.js';
import { arr, openDatabase, sql, type Database } from '../kernel/db.js';
import { hashPassword } from '../kernel/password.js';
import type { Role } from '../kernel/roles.js';
import { makeIdNumber } from '../kernel/idnumber.js';

export const TEST_DB = (process.env.TEST_DB ?? 'pglite') as 'pglite' | 'postgres';

export interface TestDb {
  db: Database;
  close(): Promise<void>;
}

export async function testDb(): Promise<TestDb> {
  if (TEST_DB === 'pglite') {
    const db = await openDatabase({});
    return { db, close: () => db.close() };
  }
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('TEST_DB=postgres needs DATABASE_URL');
  return freshServerDb(base);
}

/** A new, migrated database on the server of `base`, dropped again by close(). */
export async function freshServerDb(base: string, prefix = 'yl_t'): Promise<TestDb & { url: string }> {
  const name = `${prefix}_${crypto.randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: url.toString() });
  return {
    db,
    url: url.toString(),
    async close() {
      await db.close();
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TestApp extends TestDb {
  app: FastifyInstance;
}

export async function testApp(o: { beforeReady?: (app: FastifyInstance) => void } = {}): Promise<TestApp> {
  const t = await testDb();
  const app = await buildApp(t.db, loadConfig({}, { WEB_DIST: '/nonexistent', LOGIN_RATE_PER_MIN: 1_000_000 }));
  o.beforeReady?.(app);
  await app.ready();
  return {
    ...t,
    app,
    async close() {
      await app.close();
      await t.close();
    },
  };
}

let countySeq = 0;

export interface TestCounty {
  county: string;
  /** Township A is a street (001), B a town (100) — neighbours in one county. */
  townshipA: string;
  townshipB: string;
  villageA: string;
  villageA2: string;
  villageB: string;
  providerA: string;
  providerB: string;
}

/** A fresh county with two townships of two villages each, under 山东省/测试市. */
export async function buildCounty(db: Database): Promise<TestCounty> {
  countySeq++;
  if (countySeq > 99) throw new Error('buildCounty: at most 99 counties per test file');
  const c = `3799${String(countySeq).padStart(2, '0')}`;
  const county = c.padEnd(12, '0');
  const t: TestCounty = {
    county,
    townshipA: `${c}001000`,
    townshipB: `${c}100000`,
    villageA: `${c}001001`,
    villageA2: `${c}001200`,
    villageB: `${c}100200`,
    providerA: crypto.randomUUID(),
    providerB: crypto.randomUUID(),
  };
  const rows: [string, string, number, string | null, string | null][] = [
    ['370000000000', '山东省', 1, null, null],
    ['379900000000', '测试市', 2, '370000000000', null],
    [county, `测试县${c}`, 3, '379900000000', null],
    [t.townshipA, '甲街道', 4, county, null],
    [t.townshipB, '乙镇', 4, county, null],
    [t.villageA, '甲一社区居民委员会', 5, t.townshipA, '111'],
    [t.villageA2, '甲二村民委员会', 5, t.townshipA, '220'],
    [t.villageB, '乙一村民委员会', 5, t.townshipB, '220'],
  ];
  await db.system(async (tx) => {
    await tx.exec(sql`insert into regions (code, name, level, parent_code, county_code, urban_rural_code)
      select code, name, level, parent, left(code, 6), ur
        from unnest(${arr(rows.map((r) => r[0]))}::text[], ${arr(rows.map((r) => r[1]))}::text[], ${arr(rows.map((r) => r[2]))}::int[],
                    ${arr(rows.map((r) => r[3]))}::text[], ${arr(rows.map((r) => r[4]))}::text[]) as t(code, name, level, parent, ur)
      on conflict (code) do nothing`);
    await tx.exec(sql`insert into providers (id, county_code, region_code, name) values
      (${t.providerA}, ${c}, ${t.townshipA}, '甲服务中心'), (${t.providerB}, ${c}, ${t.townshipB}, '乙服务中心')`);
  });
  return t;
}

export const TEST_PASSWORD = 'Test12345';
let pwHash: Promise<string> | undefined;

export async function buildUser(db: Database, o: { role: Role; regionCode: string; providerId?: string; username?: string; mustChange?: boolean }) {
  const username = o.username ?? `u_${crypto.randomBytes(4).toString('hex')}`;
  const row = await db.root.one<{
    id: string;
  }>(sql`insert into users (username, display_name, role, region_code, county_code, provider_id, password_hash, must_change_password, phone)
    values (${username}, ${'测试' + username}, ${o.role}, ${o.regionCode}, ${o.regionCode.slice(0, 6)}, ${o.providerId ?? null},
            ${await (pwHash ??= hashPassword(TEST_PASSWORD))}, ${o.mustChange ?? false}, '13800001111') returning id::text as id`);
  return { id: row!.id, username };
}

let elderSeq = 0;
export async function buildElder(db: Database, o: { regionCode: string; name?: string; birthDate?: string; sex?: 'M' | 'F'; categories?: string[] }) {
  elderSeq++;
  const birth = o.birthDate ?? '1945-03-15';
  const sex = o.sex ?? 'F';
  const idNumber = makeIdNumber(o.regionCode.slice(0, 6), birth, (elderSeq % 500) * 2 + (sex === 'M' ? 1 : 0));
  const row = await db.root.one<{
    id: string;
  }>(sql`insert into elders (county_code, region_code, id_number, name, name_pinyin, name_initials, sex, birth_date, phone, address)
    values (${o.regionCode.slice(0, 6)}, ${o.regionCode}, ${idNumber}, ${o.name ?? '测试老人' + elderSeq}, 'ceshi', 'cs', ${sex}, ${birth}, '13912345678', '测试路1号')
    returning id::text as id`);
  for (const c of o.categories ?? [])
    await db.root.exec(sql`insert into elder_categories (elder_id, county_code, region_code, category, valid_from)
      values (${row!.id}, ${o.regionCode.slice(0, 6)}, ${o.regionCode}, ${c}, '2020-01-01')`);
  return { id: row!.id, idNumber };
}

/** A signed-in HTTP client (cookie + CSRF header) over app.inject. */
export class Agent {
  cookie = '';
  csrf = '';
  constructor(readonly app: FastifyInstance) {}

  async login(username: string, password = TEST_PASSWORD): Promise<LightMyRequestResponse> {
    const r = await this.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
    if (r.statusCode === 200) {
      const c = r.cookies.find((x) => x.name === 'yl_sid');
      this.cookie = `yl_sid=${c!.value}`;
      this.csrf = r.json().csrfToken;
    }
    return r;
  }

  request(method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) {
    return this.app.inject({
      method: method as 'GET',
      url,
      payload: payload as never,
      headers: { ...(this.cookie ? { cookie: this.cookie } : {}), ...(this.csrf ? { 'x-csrf-token': this.csrf } : {}), ...headers },
    });
  }
  get = (url: string) => this.request('GET', url);
  post = (url: string, body?: unknown) => this.request('POST', url, body ?? {});
  patch = (url: string, body?: unknown) => this.request('PATCH', url, body ?? {});
}

export async function agentFor(app: FastifyInstance, db: Database, o: Parameters<typeof buildUser>[1]) {
  const u = await buildUser(db, o);
  const a = new Agent(app);
  const r = await a.login(u.username);
  if (r.statusCode !== 200) throw new Error(`login failed: ${r.body}`);
  return Object.assign(a, { user: u });
}

/** A multipart/form-data body with one file field, for upload routes. */
export function multipartFile(buf: Buffer, filename: string, field = 'file', mime = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet') {
  const boundary = `----yinling${crypto.randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${mime}\r\n\r\n`),
    buf,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
