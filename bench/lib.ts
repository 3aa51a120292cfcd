/** Shared helpers for benchmarks: a database (PGlite in memory, or a fresh database on the
 * server of DATABASE_URL), timing, percentiles. Benchmarks print figures; they never fail on time. */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/kernel/config.js';
import { openDatabase, type Database } from '../server/src/kernel/db.js';
import { freshServerDb } from '../server/src/test/harness.js';

export async function benchDb(): Promise<{ db: Database; url?: string; close(): Promise<void> }> {
  const base = process.env.DATABASE_URL;
  if (base) {
    const t = await freshServerDb(base, 'yl_bench');
    // BENCH_KEEP_DB=1 leaves the database behind to look into afterwards (EXPLAIN, statistics).
    if (process.env.BENCH_KEEP_DB) return { ...t, close: async () => (await t.db.close(), console.log(`  database kept: ${t.url}`)) };
    return t;
  }
  const db = await openDatabase({});
  return { db, close: () => db.close() };
}

export async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await fn();
  return [r, performance.now() - t0];
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

export const dbLabel = () => (process.env.DATABASE_URL ? 'PostgreSQL server' : 'PGlite');

/** The platform on a free port, and a signed-in demo user's cookie and CSRF token. */
export async function benchServer(db: Database, username = 'admin'): Promise<{ app: FastifyInstance; base: string; cookie: string; csrf: string }> {
  const app = await buildApp(db, loadConfig({}, { WEB_DIST: '/nonexistent', LOGIN_RATE_PER_MIN: 1000 }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'Yinling2026' }),
  });
  if (!login.ok) throw new Error(`sign-in failed: ${await login.text()}`);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
  return { app, base, cookie, csrf };
}
