/** Shared helpers for benchmarks: a database (PGlite in memory, or a fresh database on the
 * server of DATABASE_URL), timing, percentiles. Benchmarks print figures; they never fail on time. */
import { openDatabase, type Database } from '../server/src/kernel/db.js';
import { freshServerDb } from '../server/src/test/harness.js';

export async function benchDb(): Promise<{ db: Database; url?: string; close(): Promise<void> }> {
  const base = process.env.DATABASE_URL;
  if (base) return freshServerDb(base, 'yl_bench');
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
