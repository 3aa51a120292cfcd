/** Shared helpers for benchmarks: a database (PGlite in memory, or a fresh database on the
 * server of DATABASE_URL), timing, percentiles. Benchmarks print figures; they never fail on time. */
import crypto from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../server/src/kernel/db.js';

export async function benchDb(): Promise<{ db: Database; url?: string; close(): Promise<void> }> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const db = await openDatabase({});
    return { db, close: () => db.close() };
  }
  const name = `yl_bench_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: u.toString() });
  return {
    db,
    url: u.toString(),
    async close() {
      await db.close();
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
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
