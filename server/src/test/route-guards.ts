/**
 * The generic route guards, run over every route of the OpenAPI document:
 *  1. without a session → 401 (public routes: never 5xx);
 *  2. a user of the neighbouring township, with a role the route allows, asking for a record of
 *     township A → 403/404 and no trace of the record; lists as that user never contain it,
 *     while a township-A user does see it (so the check can fail); for a record of one
 *     caregiver's (`caregiverOf`), a second caregiver of the same provider is just as foreign;
 *  3. malformed, oversized, wrongly typed and random bodies, queries and path parameters
 *     (fast-check) → 4xx with the bilingual error shape, never 5xx;
 *  4. a NUL or another control character (or a direction override) in each string field of the
 *     body and in each query parameter → 4xx with the bilingual error shape.
 * A module added later is covered by adding its routes; a route naming a record kind that
 * has no factory here is itself reported.
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { sql, type Database } from '../kernel/db.js';
import type { RouteMeta } from '../kernel/http.js';
import { ROLES, PROVIDER_ROLES, type Role } from '../kernel/roles.js';
import { Agent, buildElder, buildUser, TEST_PASSWORD, type TestCounty } from './harness.js';
import { countyCaregiver, SERVICE_FACTORIES } from '../modules/services/services.fixtures.js';

export interface Fixture {
  /** Values for path parameters, by name. */
  params: Record<string, string>;
  /** Strings that must not appear in what the neighbour sees. */
  markers: string[];
  /** The path names a kind (e.g. a metric), not a record: the neighbour gets 200 with only
   * their own rows, as from a list. */
  listing?: boolean;
  /** Family users reach an elder through a contact link, not a region: the elder the record
   * belongs to, linked to the own-side family user for the positive control. */
  familyOf?: string;
  /** The caregiver record the order is assigned to: the own-side caregiver account is linked to
   * it, and another caregiver of the same provider is a foreign user like the neighbour. */
  caregiverOf?: string;
}

type Factory = (db: Database, c: TestCounty) => Promise<Fixture>;

/** One record of each kind in township A. New modules add their record kinds here. */
export const RESOURCE_FACTORIES: Record<string, Factory> = {
  elder: async (db, c) => {
    const e = await buildElder(db, { regionCode: c.villageA, name: '甲地老人' });
    // Markers must be long: a short one (say the last four ID digits) can turn up by chance in a random request id.
    return { params: { id: e.id }, markers: [e.id, e.idNumber, '甲地老人'] };
  },
  elderCategory: async (db, c) => {
    const e = await buildElder(db, { regionCode: c.villageA, name: '甲地类别', categories: ['dibao'] });
    const cat = await db.root.one<{ id: string }>(sql`select id::text as id from elder_categories where elder_id = ${e.id}`);
    return { params: { id: e.id, categoryId: cat!.id }, markers: [e.id, cat!.id] };
  },
  assessment: async (db, c) => {
    const e = await buildElder(db, { regionCode: c.villageA, name: '甲地评估' });
    const a = await db.root.one<{ id: string }>(sql`insert into assessments (elder_id, county_code, region_code, standard, reason, reference_date, answers,
        preliminary_level, final_level, level_name, assessors, valid_until)
      values (${e.id}, ${c.county.slice(0, 6)}, ${c.villageA}, 'GB/T 42195-2022', 'first', '2026-01-01', '{}', 1, 1, '能力轻度受损（轻度失能）', '{甲}', '2099-01-01')
      returning id::text as id`);
    return { params: { id: a!.id }, markers: [a!.id, e.id] };
  },
  importJob: async (db, c) => {
    const u = await buildUser(db, { role: 'township_staff', regionCode: c.townshipA });
    const j = await db.root.one<{ id: string }>(sql`insert into import_jobs (county_code, region_code, user_id, kind, mode, file_name)
      values (${c.county.slice(0, 6)}, ${c.townshipA}, ${u.id}, 'elders', 'valid-only', '甲.xlsx') returning id::text as id`);
    return { params: { id: j!.id }, markers: [j!.id, '甲.xlsx'] };
  },
  metric: async (db, c) => {
    const e = await buildElder(db, { regionCode: c.villageA, name: '甲地高龄', birthDate: '1930-01-01' });
    return { params: { metric: 'assessment_rate_80plus' }, markers: [e.id], listing: true };
  },
  plan: async (db, c) => {
    const p = await db.root.one<{ id: string }>(sql`insert into plans (county_code, region_code, title, period_start, period_end, target_year)
      values (${c.county.slice(0, 6)}, ${c.townshipA}, '甲街道养老服务规划', 2021, 2025, 2025) returning id::text as id`);
    return { params: { id: p!.id }, markers: [p!.id, '甲街道养老服务规划'] };
  },
  planIndicator: async (db, c) => {
    const p = await db.root.one<{ id: string }>(sql`insert into plans (county_code, region_code, title, period_start, period_end, target_year)
      values (${c.county.slice(0, 6)}, ${c.townshipA}, '甲街道指标规划', 2021, 2025, 2025) returning id::text as id`);
    const i = await db.root.one<{ id: string }>(sql`insert into plan_indicators (plan_id, county_code, region_code, sort, name, metric, comparator, target)
      values (${p!.id}, ${c.county.slice(0, 6)}, ${c.townshipA}, 1, '甲指标', null, '>=', 50) returning id::text as id`);
    return { params: { id: p!.id, indicatorId: i!.id }, markers: [p!.id, i!.id] };
  },
  elderContact: async (db, c) => {
    const e = await buildElder(db, { regionCode: c.villageA, name: '甲地有家属' });
    const k = await db.root.one<{ id: string }>(sql`insert into elder_contacts (elder_id, county_code, region_code, name, relation, phone)
      values (${e.id}, ${c.county.slice(0, 6)}, ${c.villageA}, '甲家属', '女儿', '13700001111') returning id::text as id`);
    return { params: { id: e.id, contactId: k!.id }, markers: [e.id, k!.id] };
  },
  benefitPolicy: async (db, c) => {
    const p = await db.root.one<{ id: string }>(sql`insert into benefit_policies (county_code, region_code, policy_key, version, name, effective_from, rules)
      values (${c.county.slice(0, 6)}, ${c.townshipA}, 'jia', 1, '甲街道补贴政策草稿', '2031-01-01',
              '{"benefits":[{"code":"jia_bt","name":"甲地补贴","payment":"cash","eligibility":{},"tiers":[{"label":"甲","when":{},"amountCents":100}]}]}')
      returning id::text as id`);
    return { params: { id: p!.id }, markers: [p!.id, '甲街道补贴政策草稿'] };
  },
  benefitRun: async (db, c) => {
    const run = await benefitRunIn(db, c);
    return { params: { id: run.runId }, markers: [run.runId, run.lineId] };
  },
  benefitLine: async (db, c) => {
    const run = await benefitRunIn(db, c);
    return { params: { id: run.lineId }, markers: [run.lineId, run.elderId] };
  },
  benefitRecovery: async (db, c) => {
    const run = await benefitRunIn(db, c);
    const r = await db.root.one<{ id: string }>(sql`insert into benefit_recoveries (county_code, region_code, line_id, elder_id, amount_cents, reason)
      values (${c.county.slice(0, 6)}, ${c.villageA}, ${run.lineId}, ${run.elderId}, 100, '甲地死亡后发放') returning id::text as id`);
    return { params: { id: r!.id }, markers: [r!.id, run.elderId] };
  },
  benefitApplication: async (db, c) => {
    const e = await buildElder(db, { regionCode: c.villageA, name: '甲地申请人' });
    const a = await db.root.one<{ id: string }>(sql`insert into benefit_applications (county_code, region_code, elder_id, benefit_code, applied_on)
      values (${c.county.slice(0, 6)}, ${c.villageA}, ${e.id}, 'jia_bt', '2026-01-05') returning id::text as id`);
    return { params: { id: a!.id }, markers: [a!.id, e.id, '甲地申请人'] };
  },
  benefitDocument: async (db, c) => {
    const e = await buildElder(db, { regionCode: c.villageA, name: '甲地材料人' });
    const a = await db.root.one<{ id: string }>(sql`insert into benefit_applications (county_code, region_code, elder_id, benefit_code, applied_on)
      values (${c.county.slice(0, 6)}, ${c.villageA}, ${e.id}, 'jia_bt', '2026-01-05') returning id::text as id`);
    const d = await db.root.one<{
      id: string;
    }>(sql`insert into benefit_application_docs (application_id, county_code, region_code, filename, mime, size_bytes, content)
      values (${a!.id}, ${c.county.slice(0, 6)}, ${c.villageA}, '甲地低保证明.pdf', 'application/pdf', 8, ${Buffer.from('%PDF-1.4')}) returning id::text as id`);
    return { params: { id: d!.id }, markers: [d!.id, '甲地低保证明'] };
  },
  ...SERVICE_FACTORIES,
  user: async (db, c) => {
    const u = await buildUser(db, { role: 'village_worker', regionCode: c.villageA });
    return { params: { id: u.id }, markers: [u.id, u.username] };
  },
  facility: async (db, c) => {
    const f = await facilityFixture(db, c);
    return { params: { id: f.facility }, markers: [f.facility, '甲地测试敬老院', f.bed, '甲地入住老人'] };
  },
  resident: async (db, c) => {
    const f = await facilityFixture(db, c);
    return { params: { id: f.resident }, markers: [f.resident, '甲地入住老人'] };
  },
  application: async (db, c) => {
    const f = await facilityFixture(db, c);
    return { params: { id: f.application }, markers: [f.application, '甲地申请老人'] };
  },
  offer: async (db, c) => {
    const f = await facilityFixture(db, c);
    return { params: { id: f.offer }, markers: [f.offer, f.application] };
  },
  region: async (_db, c) => ({ params: { code: c.villageA }, markers: [c.villageA, '甲一社区'] }),
  audit: async (db, c) => {
    const marker = `marker-${Math.random().toString(36).slice(2)}`;
    await db.root.exec(sql`insert into audit_log (county_code, action, entity, entity_id, region_code)
      values (${c.villageA.slice(0, 6)}, 'test', 'test', ${marker}, ${c.villageA})`);
    return { params: {}, markers: [marker] };
  },
};

export interface Problem {
  route: string;
  problem: string;
}

interface Op {
  method: RouteMeta['method'];
  path: string; // OpenAPI form /x/{id}
  meta: RouteMeta;
  /** The operation in the OpenAPI document (its parameters and request body). */
  spec: OpenApiOperation;
}

async function operations(app: FastifyInstance): Promise<{ ops: Op[]; problems: Problem[] }> {
  const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
  const problems: Problem[] = [];
  const ops: Op[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    if (!path.startsWith('/api/v1/')) continue;
    for (const m of Object.keys(methods)) {
      const method = m.toUpperCase() as RouteMeta['method'];
      const url = path.replace(/\{(\w+)\}/g, ':$1');
      const meta = app.yl.routes.find((r) => r.method === method && r.url === url);
      if (!meta) {
        problems.push({ route: `${method} ${path}`, problem: 'not declared through defineRoute (no guards)' });
        continue;
      }
      ops.push({ method, path, meta, spec: methods[m] as OpenApiOperation });
    }
  }
  return { ops, problems };
}

function fill(path: string, params: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, k) => encodeURIComponent(params[k] ?? 'missing'));
}

const hasParams = (p: string) => /\{\w+\}/.test(p);

function errorShapeProblem(status: number, body: string): string | null {
  if (status >= 500) return `answered ${status}: ${body.slice(0, 200)}`;
  if (status >= 400) {
    try {
      const e = JSON.parse(body).error;
      if (typeof e?.code !== 'string' || typeof e?.message !== 'string' || typeof e?.messageEn !== 'string' || !/[\u4e00-\u9fff]/.test(e.message))
        return `error ${status} without the bilingual shape: ${body.slice(0, 200)}`;
    } catch {
      return `error ${status} not JSON: ${body.slice(0, 200)}`;
    }
  }
  return null;
}

export interface GuardOptions {
  county: TestCounty;
  fuzzRuns?: number;
}

export async function checkRoutes(app: FastifyInstance, db: Database, o: GuardOptions): Promise<{ problems: Problem[]; checked: number }> {
  const { county } = o;
  const { ops, problems } = await operations(app);
  const agents = new Map<string, Agent>();
  const userIds = new Map<string, string>();
  /** A signed-in user of `side` with `role`; county admins of side A sit at the county. */
  const agent = async (side: 'A' | 'B', role: Role, fresh = false) => {
    const key = side + role;
    let a = fresh ? undefined : agents.get(key);
    if (!a) {
      const regionCode = side === 'A' ? (role === 'county_admin' ? county.county : county.townshipA) : county.townshipB;
      const providerId = PROVIDER_ROLES.includes(role) ? (side === 'A' ? county.providerA : county.providerB) : undefined;
      const u = await buildUser(db, { role, regionCode, providerId });
      userIds.set(key, u.id);
      // The own-side caregiver is the one fixture orders are assigned to (linked before signing in).
      if (side === 'A' && role === 'caregiver' && !fresh)
        await db.root.exec(sql`update caregivers set user_id = ${u.id} where id = ${await countyCaregiver(db, county)}`);
      a = new Agent(app);
      const r = await a.login(u.username, TEST_PASSWORD);
      if (r.statusCode !== 200) throw new Error(`test login failed: ${r.body}`);
      if (!fresh) agents.set(key, a);
    }
    return a;
  };
  /** A second caregiver of provider A, with a caregiver record of their own. */
  let colleague: Agent | undefined;
  const colleagueAgent = async () => {
    if (!colleague) {
      const u = await buildUser(db, { role: 'caregiver', regionCode: county.townshipA, providerId: county.providerA });
      await db.root.exec(sql`insert into caregivers (provider_id, county_code, region_code, name, skills, user_id)
        values (${county.providerA}, ${county.county.slice(0, 6)}, ${county.townshipA}, '甲地同事护理员', '{bath}', ${u.id})`);
      colleague = new Agent(app);
      const r = await colleague.login(u.username, TEST_PASSWORD);
      if (r.statusCode !== 200) throw new Error(`test login failed: ${r.body}`);
    }
    return colleague;
  };
  const allowed = (m: RouteMeta): Role[] =>
    (m.roles === 'public' || m.roles === 'any' ? ['county_admin'] : [...m.roles]).filter((r) => (ROLES as readonly string[]).includes(r)) as Role[];
  const fixtures = new Map<string, Fixture>();
  // A DELETE consumes its record (the positive control removes it): it gets one of its own.
  const fixture = async (kind: string, method: string) => {
    if (method === 'DELETE') return (fresh.get(kind) ?? fresh.set(kind, await RESOURCE_FACTORIES[kind](db, county)).get(kind))!;
    let f = fixtures.get(kind);
    if (!f) {
      f = await RESOURCE_FACTORIES[kind](db, county);
      fixtures.set(kind, f);
    }
    return f;
  };
  const fresh = new Map<string, Fixture>();

  for (const op of ops) {
    const name = `${op.method} ${op.path}`;
    const isWrite = op.method !== 'GET';
    const anonymous = new Agent(app);
    const fillParams = op.meta.resource && RESOURCE_FACTORIES[op.meta.resource] ? (await fixture(op.meta.resource, op.method)).params : {};
    if (hasParams(op.path) && !op.meta.resource) problems.push({ route: name, problem: 'path names a record but the route declares no resource kind' });
    if (op.meta.resource && !RESOURCE_FACTORIES[op.meta.resource])
      problems.push({ route: name, problem: `no test factory for resource '${op.meta.resource}'` });

    // 1. No session.
    const anon = await anonymous.request(op.method, fill(op.path, fillParams), isWrite ? (op.meta.example ?? {}) : undefined);
    if (op.meta.roles === 'public') {
      const p = errorShapeProblem(anon.statusCode, anon.body);
      if (p) problems.push({ route: name, problem: `anonymous: ${p}` });
    } else if (anon.statusCode !== 401) problems.push({ route: name, problem: `without a session answered ${anon.statusCode}, not 401` });

    // 2. Neighbouring township.
    if (op.meta.resource && RESOURCE_FACTORIES[op.meta.resource] && op.meta.roles !== 'public') {
      const f = await fixture(op.meta.resource, op.method);
      if (isWrite && op.meta.hasBody && op.meta.example === undefined)
        problems.push({ route: name, problem: 'write route on a record without an `example` body' });
      const foreign = allowed(op.meta).flatMap((role) => (role === 'caregiver' && f.caregiverOf ? [role, 'colleague' as const] : [role]));
      for (const who of foreign) {
        const role: Role = who === 'colleague' ? 'caregiver' : who;
        const b = who === 'colleague' ? await colleagueAgent() : await agent('B', role);
        const r = await b.request(op.method, fill(op.path, f.params), isWrite ? (op.meta.example ?? {}) : undefined);
        const leaked = f.markers.find((m) => r.body.includes(m));
        if (hasParams(op.path) && !f.listing) {
          if (![403, 404].includes(r.statusCode)) problems.push({ route: name, problem: `neighbour (${who}) got ${r.statusCode}, not 403/404` });
        } else if (r.statusCode >= 400) problems.push({ route: name, problem: `neighbour (${who}) list answered ${r.statusCode}` });
        if (leaked) problems.push({ route: name, problem: `neighbour (${who}) saw ${leaked}` });
        if (!isWrite && who !== 'colleague') {
          // Positive control: the record's own township sees it.
          const a = await agent('A', role);
          if (role === 'family' && f.familyOf)
            await db.root.exec(sql`insert into elder_contacts (elder_id, county_code, region_code, name, relation, user_id)
              select id, county_code, region_code, '甲地家属', '子女', ${userIds.get('Afamily')}::uuid from elders where id = ${f.familyOf}
                and not exists (select 1 from elder_contacts where elder_id = ${f.familyOf} and user_id = ${userIds.get('Afamily')}::uuid)`);
          const own = await a.request(op.method, fill(op.path, f.params));
          if (own.statusCode !== 200) problems.push({ route: name, problem: `own-township ${role} got ${own.statusCode} (fixture not reachable)` });
          // A file download (PDF) is checked by its status: its bytes need not spell the ids.
          else if (!op.meta.file && !f.markers.some((m) => own.body.includes(m)))
            problems.push({ route: name, problem: `own-township ${role} does not see the record: the check would pass vacuously` });
        }
      }
    }

    // 4. Control characters in every string field and query parameter (file downloads too).
    if (!op.path.endsWith('/logout')) {
      const prober = op.meta.roles === 'public' ? anonymous : await agent('A', allowed(op.meta)[0]);
      for (const probe of controlCharProbes(op.spec, isWrite ? op.meta.example : undefined)) {
        const qs = probe.query ? `?${new URLSearchParams(probe.query).toString()}` : '';
        const r = await prober.request(op.method, fill(op.path, fillParams) + qs, isWrite ? (probe.body ?? op.meta.example ?? {}) : undefined);
        const p = errorShapeProblem(r.statusCode, r.body) ?? (r.statusCode < 400 ? `answered ${r.statusCode}` : null);
        if (p) problems.push({ route: name, problem: `${probe.label}: ${p}` });
      }
    }

    // 3. Malformed input, as a user allowed on the route.
    if (op.meta.file) continue;
    const role = allowed(op.meta)[0];
    // Signing out ends the session: that route gets a session of its own.
    const fuzzAgent = op.meta.roles === 'public' ? anonymous : await agent('A', role, op.path.endsWith('/logout'));
    const check = async (label: string, url: string, payload?: unknown, headers?: Record<string, string>) => {
      const r = await fuzzAgent.request(op.method, url, payload, headers);
      const p = errorShapeProblem(r.statusCode, r.body);
      if (p) problems.push({ route: name, problem: `${label}: ${p}` });
      return r;
    };
    if (isWrite && !op.path.endsWith('/logout')) {
      const url = fill(op.path, fillParams);
      const big = await check('oversized body', url, { x: 'x'.repeat(1_200_000) });
      if (big.statusCode !== 413) problems.push({ route: name, problem: `oversized body answered ${big.statusCode}, not 413` });
      await check('broken JSON', url, '{"a":', { 'content-type': 'application/json' });
      await check('text body', url, 'hello', { 'content-type': 'text/plain' });
    }
    const paramNames = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.anything(),
          fc.json().map((j) => JSON.parse(j)),
          fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null))),
        ),
        fc.dictionary(
          fc.constantFrom(
            'page',
            'pageSize',
            'q',
            'regionCode',
            'sort',
            'order',
            'from',
            'to',
            'level',
            'parent',
            'mode',
            'role',
            'status',
            'category',
            'ageBand',
          ),
          fc.string(),
        ),
        fc.array(fc.oneof(fc.string(), fc.uuid(), fc.constant("1' or '1'='1"), fc.constant('%00'), fc.string({ minLength: 300, maxLength: 400 })), {
          minLength: paramNames.length,
          maxLength: paramNames.length,
        }),
        async (body, query, pvals) => {
          const params = Object.fromEntries(paramNames.map((n, i) => [n, pvals[i] || 'x']));
          const qs = new URLSearchParams(query as Record<string, string>).toString();
          const url = fill(op.path, params) + (qs ? `?${qs}` : '');
          const r = await fuzzAgent.request(op.method, url, isWrite && !op.path.endsWith('/logout') ? (body === undefined ? {} : (body as object)) : undefined);
          const p = errorShapeProblem(r.statusCode, r.body);
          if (p) failures.push(`${url} → ${p}`);
          return true;
        },
      ),
      { numRuns: o.fuzzRuns ?? 25, seed: 20261122 },
    );
    for (const f of failures.slice(0, 3)) problems.push({ route: name, problem: `fuzz: ${f}` });
  }
  return { problems, checked: ops.length };
}

/** An approved benefit run of township A (its own month, so each factory call gets a fresh one) with one line. */
let runMonth = 0;
async function benefitRunIn(db: Database, c: TestCounty) {
  const e = await buildElder(db, { regionCode: c.villageA, name: '甲地领取人' });
  const county = c.county.slice(0, 6);
  const month = `20${40 + Math.floor(runMonth / 12)}-${String((runMonth++ % 12) + 1).padStart(2, '0')}-01`;
  const p = await db.root.one<{
    id: string;
  }>(sql`insert into benefit_policies (county_code, region_code, policy_key, version, name, status, effective_from, rules)
    values (${county}, ${c.townshipA}, ${'r' + runMonth}, 1, '甲地政策', 'published', '2020-01-01',
            '{"benefits":[{"code":"jia_bt","name":"甲地补贴","payment":"cash","eligibility":{},"tiers":[{"label":"甲","when":{},"amountCents":100}]}]}')
    returning id::text as id`);
  const r = await db.root.one<{ id: string }>(sql`insert into benefit_runs (county_code, region_code, month, policy_id, status, summary)
    values (${county}, ${c.townshipA}, ${month}, ${p!.id}, 'approved', '{"done":[]}') returning id::text as id`);
  const l = await db.root.one<{
    id: string;
  }>(sql`insert into benefit_lines (county_code, region_code, elder_id, benefit_code, for_month, run_id, kind, payment, amount_cents, policy_id, tier, facts)
    values (${county}, ${c.villageA}, ${e.id}, 'jia_bt', ${month}, ${r!.id}, 'regular', 'cash', 100, ${p!.id}, '甲', '{}') returning id::text as id`);
  await db.root.exec(
    sql`insert into benefit_payments (county_code, region_code, run_id, line_id, amount_cents) values (${county}, ${c.villageA}, ${r!.id}, ${l!.id}, 100)`,
  );
  return { runId: r!.id, lineId: l!.id, elderId: e.id };
}

/** A public home of township A with a bed, a resident, and an application with an open offer. */
async function facilityFixture(db: Database, c: TestCounty) {
  const cc = c.county.slice(0, 6);
  const f = await db.root.one<{ id: string }>(sql`insert into facilities (county_code, region_code, name, kind, ownership, opened_on, admits_applicants)
    values (${cc}, ${c.townshipA}, '甲地测试敬老院', 'township_home', 'public', '2020-01-01', true) returning id::text as id`);
  const bed = await db.root.one<{ id: string }>(sql`insert into beds (facility_id, county_code, region_code, room, label, type, status, added_on)
    values (${f!.id}, ${cc}, ${c.townshipA}, '101', '1', 'nursing', 'occupied', '2020-01-01') returning id::text as id`);
  await db.root.exec(sql`insert into beds (facility_id, county_code, region_code, room, label, type, added_on)
    values (${f!.id}, ${cc}, ${c.townshipA}, '101', '2', 'nursing', '2020-01-01')`);
  const e = await buildElder(db, { regionCode: c.villageA, name: '甲地入住老人' });
  const r = await db.root.one<{ id: string }>(sql`insert into facility_residents (elder_id, facility_id, bed_id, county_code, region_code, move_in)
    values (${e.id}, ${f!.id}, ${bed!.id}, ${cc}, ${c.townshipA}, '2025-01-01') returning id::text as id`);
  const e2 = await buildElder(db, { regionCode: c.villageA, name: '甲地申请老人' });
  const a = await db.root.one<{ id: string }>(sql`insert into admission_applications (elder_id, facility_id, county_code, region_code, applicant, applied_on)
    values (${e2.id}, ${f!.id}, ${cc}, ${c.villageA}, 'elder', '2026-01-01') returning id::text as id`);
  const o = await db.root.one<{ id: string }>(sql`insert into admission_offers (application_id, facility_id, county_code, region_code, rank, rank_class,
      rule_version, offered_on, respond_by)
    values (${a!.id}, ${f!.id}, ${cc}, ${c.townshipA}, 1, 'spare', 0, current_date, current_date + 30) returning id::text as id`);
  return { facility: f!.id, bed: bed!.id, resident: r!.id, application: a!.id, offer: o!.id };
}

interface JsonSchema {
  type?: string | string[];
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
}
interface OpenApiOperation {
  parameters?: { in: string; name: string; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

const takesString = (s: JsonSchema | undefined): boolean =>
  !!s && (s.type === 'string' || (Array.isArray(s.type) && s.type.includes('string')) || !!s.anyOf?.some(takesString));

/** Characters no field may carry, one per probe in turn (NUL first). */
const CONTROL_CHARS = ['\u0000', '\u0001', '\u001b', '\u007f', '\u202e'];

/** One request per string field of the JSON body (the route's example with that field spoiled)
 * and per query parameter. */
export function controlCharProbes(spec: OpenApiOperation, example: unknown): { label: string; query?: Record<string, string>; body?: unknown }[] {
  const probes: { label: string; query?: Record<string, string>; body?: unknown }[] = [];
  const bad = (i: number) => `甲${CONTROL_CHARS[i % CONTROL_CHARS.length]}乙`;
  for (const p of spec.parameters ?? [])
    if (p.in === 'query') probes.push({ label: `control character in ?${p.name}`, query: { [p.name]: bad(probes.length) } });
  const props = spec.requestBody?.content?.['application/json']?.schema?.properties ?? {};
  const base = example && typeof example === 'object' && !Array.isArray(example) ? example : {};
  for (const [name, s] of Object.entries(props))
    if (takesString(s)) probes.push({ label: `control character in body.${name}`, body: { ...base, [name]: bad(probes.length) } });
  return probes;
}
