/**
 * The order lifecycle over HTTP — create → dispatch → accept → check in → check out → rate —
 * with sessions, CSRF, row-level security, the entitlement split, audit entries and order
 * events, by several clients at once; beside the physical limit measured in the same run: a
 * bare Fastify route on the same database that writes one row in its own transaction.
 *   npx tsx bench/services-lifecycle.bench.ts [orders] [concurrency]        # PGlite
 *   DATABASE_URL=postgres://… npx tsx bench/services-lifecycle.bench.ts
 */
import fs from 'node:fs';
import inspector from 'node:inspector/promises';
import Fastify from 'fastify';
import { buildApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/kernel/config.js';
import { countyToday } from '../server/src/kernel/dates.js';
import { sql } from '../server/src/kernel/db.js';
import { startBackground } from '../server/src/background.js';
import { sealAudit } from '../server/src/kernel/audit.js';
import { loadDemo } from '../server/src/demo/generate.js';
import { benchDb, dbLabel, percentile, time } from './lib.js';

const ORDERS = Number(process.argv[2] ?? 400);
const CONC = Number(process.argv[3] ?? 8);
const { db, close } = await benchDb();
const [, loadMs] = await time(() => loadDemo(db, { elders: 5000, seed: 20260101 }));
const app = await buildApp(db, loadConfig({}, { WEB_DIST: '/nonexistent', LOGIN_RATE_PER_MIN: 100_000 }));
await app.listen({ port: 0, host: '127.0.0.1' });
// The server's background work, as `npm start` runs it (audit sealing every 2 s; vacuum where no
// autovacuum runs, the overdue sweep and benefit drafts every minute): both paths run beside it.
const ran: string[] = [];
const background = startBackground(db, { info: (o) => ran.push(...((o as { tables?: string[] }).tables ?? [])), error: (e) => console.error(e) });
const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

// The baseline: the least a write over HTTP can cost on this database.
await db.execScript('CREATE TABLE bench_rows (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), body jsonb)');
const bare = Fastify();
bare.post('/bare', async (req) => {
  await db.system((tx) => tx.exec(sql`insert into bench_rows (body) values (${JSON.stringify(req.body ?? {})}::jsonb)`));
  return { ok: true };
});
await bare.listen({ port: 0, host: '127.0.0.1' });
const bareBase = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}`;

/** CPU time (user + system) of every PostgreSQL process on this machine, in ms (0 if none is visible). */
function postgresCpuMs(): number {
  const tick = 10; // ms per clock tick (USER_HZ = 100 on Linux)
  let t = 0;
  for (const pid of fs.existsSync('/proc') ? fs.readdirSync('/proc') : []) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
      const f = stat.slice(close + 2).split(' ');
      t += (Number(f[11]) + Number(f[12])) * tick;
    } catch {
      // the process ended meanwhile
    }
  }
  return t;
}

interface Client {
  cookie: string;
  csrf: string;
}
async function login(username: string): Promise<Client> {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'Yinling2026' }),
  });
  if (!r.ok) throw new Error(`login ${username}: ${await r.text()}`);
  return { cookie: r.headers.get('set-cookie')!.split(';')[0], csrf: ((await r.json()) as { csrfToken: string }).csrfToken };
}
async function call(c: Client, url: string, body: unknown): Promise<Record<string, unknown>> {
  const r = await fetch(`${base}${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: c.cookie, 'x-csrf-token': c.csrf },
    body: JSON.stringify(body),
  });
  const j = (await r.json()) as Record<string, unknown>;
  if (!r.ok) throw new Error(`${url}: ${r.status} ${JSON.stringify(j)}`);
  return j;
}

const [staff, provider, carer] = await Promise.all([login('yushan'), login('provider'), login('caregiver')]);
const me = (await db.root.one<{ id: string; provider_id: string }>(sql`select c.id::text as id, c.provider_id::text as provider_id
  from caregivers c join users u on u.id = c.user_id where u.username = 'caregiver'`))!;
const item = (await db.root.one<{ id: string }>(sql`select id::text as id from service_items where code = 'ZY01'`))!;
const elders = await db.root.rows<{ id: string; lat: number; lng: number }>(sql`select id::text as id, lat, lng from elders
  where region_code between '370124001000' and '370124001999' and status = 'active' and lat is not null order by id limit ${ORDERS}`);
const today = countyToday();

const steps: Record<string, number[]> = { create: [], dispatch: [], accept: [], checkin: [], checkout: [], rate: [] };
async function lifecycle(e: { id: string; lat: number; lng: number }) {
  const at = { lat: e.lat, lng: e.lng };
  const step = async (name: string, fn: () => Promise<Record<string, unknown>>) => {
    const [r, ms] = await time(fn);
    steps[name].push(ms);
    return r;
  };
  const o = await step('create', () => call(staff, '/api/v1/services/orders', { elderId: e.id, itemId: item.id, quantity: 1, date: today, time: '09:00' }));
  const id = o.id as string;
  await step('dispatch', () => call(staff, `/api/v1/services/orders/${id}/dispatch`, { mode: 'manual', providerId: me.provider_id }));
  await step('accept', () => call(provider, `/api/v1/services/orders/${id}/accept`, { caregiverId: me.id }));
  await step('checkin', () => call(carer, `/api/v1/services/orders/${id}/check-in`, at));
  await step('checkout', () => call(carer, `/api/v1/services/orders/${id}/check-out`, { ...at, workDone: '助浴', elderConfirmed: true }));
  await step('rate', () => call(staff, `/api/v1/services/orders/${id}/rating`, { stars: 5 }));
}

async function pool<T>(xs: T[], n: number, fn: (x: T) => Promise<void>) {
  let i = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (i < xs.length) await fn(xs[i++]);
    }),
  );
}

process.on('uncaughtException', (e) => void close().finally(() => (console.error(e), process.exit(1))));
process.on('unhandledRejection', (e) => void close().finally(() => (console.error(e), process.exit(1))));

// Warm up both paths, then measure them in alternating rounds, so that both see the same
// background load of the machine.
const bareLat: number[] = [];
const bareCall = async (i: number) => {
  const [, ms] = await time(async () =>
    (await fetch(`${bareBase}/bare`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ i }) })).json(),
  );
  bareLat.push(ms);
};
// Warm-up: enough lifecycles that each pooled connection has run every statement more than five
// times, so PostgreSQL has settled on its cached plan (the first five executions of a prepared
// statement are planned anew), as in a server that has been running; V8 has compiled the hot code.
const WARM = Math.min(Math.floor(elders.length / 3), 10 * CONC);
await pool(elders.slice(0, WARM), CONC, lifecycle);
await pool(
  Array.from({ length: WARM * 6 }, (_, i) => i),
  CONC,
  bareCall,
);
for (const k of Object.keys(steps)) steps[k] = [];
bareLat.length = 0;
// BENCH_PG_STATEMENTS=1: PostgreSQL's per-statement times of the measured rounds (needs the
// pg_stat_statements extension loaded by the server: shared_preload_libraries).
const pgStatements = process.env.BENCH_PG_STATEMENTS === '1' && dbLabel() !== 'PGlite';
if (pgStatements) {
  await db.execScript('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await db.root.exec(sql`select pg_stat_statements_reset()`);
}
const measured = elders.slice(WARM);
const ROUNDS = 5;
let lifeMs = 0;
let bareMs = 0;
// CPU time spent by this process (server and its HTTP clients) and by PostgreSQL's processes
// (when the server runs on this machine), per path.
const cpu = { life: { node: 0, sys: 0, pg: 0, wal: 0 }, bare: { node: 0, sys: 0, pg: 0, wal: 0 } };
// WAL written, in bytes: the distance the WAL's insert position moved (the whole cluster's, so
// only this bench should be running). pg_stat_wal would lag: backends report to it at most once
// a second, later than a round ends.
const walNow = async () => {
  const w = await db.root.one<{ bytes: string }>(sql`select pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::text as bytes`);
  return { bytes: Number(w?.bytes ?? 0) };
};
const measure = async (which: 'life' | 'bare', fn: () => Promise<void>) => {
  const w0 = await walNow();
  const n0 = process.cpuUsage();
  const p0 = postgresCpuMs();
  const [, ms] = await time(fn);
  const n1 = process.cpuUsage(n0);
  const w1 = await walNow();
  cpu[which].wal += w1.bytes - w0.bytes;
  cpu[which].node += (n1.user + n1.system) / 1000;
  cpu[which].sys += n1.system / 1000;
  cpu[which].pg += postgresCpuMs() - p0;
  return ms;
};
// BENCH_CPU_PROFILE=file.cpuprofile: V8 CPU profiles of the first round (open them in Chrome's
// DevTools): the lifecycle's in that file, the bare writes' beside it (…bare.cpuprofile).
const profileTo = process.env.BENCH_CPU_PROFILE;
async function profiled<T>(to: string | undefined, fn: () => Promise<T>): Promise<T> {
  if (!to) return fn();
  const session = new inspector.Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const out = await fn();
  const { profile } = await session.post('Profiler.stop');
  fs.writeFileSync(to, JSON.stringify(profile));
  session.disconnect();
  return out;
}
for (let r = 0; r < ROUNDS; r++) {
  const part = measured.filter((_, i) => i % ROUNDS === r);
  lifeMs += await profiled(r === 0 ? profileTo : undefined, () =>
    measure('life', async () => {
      await pool(part, CONC, lifecycle);
      // The round's audit entries are sealed in its own time, not in the bare round's that follows.
      await sealAudit(db);
    }),
  );
  const writes = Array.from({ length: part.length * 6 }, (_, i) => i);
  bareMs += await profiled(r === 0 ? profileTo?.replace(/(\.cpuprofile)?$/, '.bare.cpuprofile') : undefined, () =>
    measure('bare', () => pool(writes, CONC, bareCall)),
  );
}
const bareN = bareLat.length;

const all = Object.values(steps).flat();
const rate = all.length / (lifeMs / 1000);
const bareRate = bareN / (bareMs / 1000);
console.log(
  `service order lifecycle on ${dbLabel()} (demo load ${(loadMs / 1000).toFixed(0)} s): ${measured.length} orders × 6 steps after ${WARM} to warm up, ${CONC} clients at once`,
);
console.log(
  `  platform  lifecycle steps over HTTP (session, CSRF, RLS, split, audit, events): ${rate.toFixed(0)} steps/s, p50 ${percentile(all, 50).toFixed(1)} ms, p99 ${percentile(all, 99).toFixed(1)} ms`,
);
for (const [k, v] of Object.entries(steps)) console.log(`    ${k.padEnd(9)} p50 ${percentile(v, 50).toFixed(1)} ms, p99 ${percentile(v, 99).toFixed(1)} ms`);
console.log(
  `  baseline  bare Fastify route, one row in its own transaction:                 ${bareRate.toFixed(0)} writes/s, p50 ${percentile(bareLat, 50).toFixed(1)} ms, p99 ${percentile(bareLat, 99).toFixed(1)} ms`,
);
console.log(`  ratio: ${((rate / bareRate) * 100).toFixed(0)}% of the baseline's rate (goal ≥ 50%), p99 ${percentile(all, 99) < 50 ? 'under' : 'over'} 50 ms`);
const per = (ms: number, n: number) => ((ms / n) * 1000).toFixed(0);
console.log(
  `  CPU per request, µs (this process incl. its HTTP clients / PostgreSQL${dbLabel() === 'PGlite' ? ': in this process' : ''}): ` +
    `lifecycle step ${per(cpu.life.node, all.length)} (kernel ${per(cpu.life.sys, all.length)}) / ${per(cpu.life.pg, all.length)}, ` +
    `bare write ${per(cpu.bare.node, bareN)} (kernel ${per(cpu.bare.sys, bareN)}) / ${per(cpu.bare.pg, bareN)}`,
);
console.log(`  vacuumed by the server's one-minute job during the run: ${[...new Set(ran)].join(', ') || 'nothing'}`);
console.log(`  WAL per request: lifecycle step ${(cpu.life.wal / all.length).toFixed(0)} bytes, bare write ${(cpu.bare.wal / bareN).toFixed(0)} bytes`);
if (pgStatements) {
  const top = await db.root.rows<{ calls: string; exec: number; plan: number; q: string }>(sql`select calls::text, total_exec_time as exec,
    total_plan_time as plan, left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 150) as q from pg_stat_statements order by total_exec_time + total_plan_time desc limit 30`);
  console.log(`  PostgreSQL statements, µs per lifecycle step (exec + plan), calls:`);
  for (const t of top) console.log(`    ${(((t.exec + t.plan) / all.length) * 1000).toFixed(0).padStart(5)}  ${t.calls.padStart(6)}  ${t.q}`);
}
await background.stop();
await bare.close();
await app.close();
await close();
