/**
 * Heartbeats of work that outlives its request (a benefit run's compute, a roster import): the
 * process doing it sets the row's `heartbeat_at` every HEARTBEAT_MS. A row still marked as in
 * progress whose heartbeat is older than STALE_SECONDS was left by a process that stopped (or
 * hangs): on PostgreSQL several processes may share the database, so only such rows are taken
 * over. On PGlite one process holds the data folder (proper-lockfile), so at start every row in
 * progress is an orphan. See docs/architecture.md ("Work left by a stopped process").
 */
import { sql, type SQL } from './db.js';

export const HEARTBEAT_MS = 10_000;
export const STALE_SECONDS = 60;
/** True for a heartbeat (a column or expression) that is stale, or missing. */
export const staleBeat = (col: SQL) => sql`coalesce(${col}, '-infinity'::timestamptz) < now() - ${sql.raw(`interval '${STALE_SECONDS} seconds'`)}`;

/** Calls `beat` every HEARTBEAT_MS until the returned function is called; errors are ignored
 * (a missed beat only makes the work look stopped sooner). */
export function keepBeating(beat: () => Promise<unknown>): () => void {
  const t = setInterval(() => void beat().catch(() => {}), HEARTBEAT_MS);
  t.unref();
  return () => clearInterval(t);
}
