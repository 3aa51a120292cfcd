/**
 * What the server does in the background while it serves: seals the audit log (every 2 s) and
 * checkpoints each county's head of the chain when it moved (every AUDIT_CHECKPOINT_SECONDS), keeps
 * this month's benefit drafts current (first after 20 s, then every minute), vacuums tables with
 * many dead rows where no autovacuum runs (every minute), acts on service orders not accepted in
 * time (every minute), finishes benefit runs a stopped process left half computed and marks
 * failed the roster imports it left running (at start, then every minute for processes of the
 * same PostgreSQL database that stop meanwhile; kernel/heartbeat.ts).
 * Each job runs one pass at a time. `npm start` runs it; so does the lifecycle bench, so that
 * what it measures is the server as it runs.
 */
import { sealAudit } from './kernel/audit.js';
import { AuditCheckpointer, type AuditAnchor } from './kernel/audit-anchor.js';
import { countyToday } from './kernel/dates.js';
import { vacuumStale, type Database } from './kernel/db.js';
import { refreshAllDrafts } from './modules/benefits/drafts.js';
import { resumeStuckRuns } from './modules/benefits/runs.js';
import { failAbandonedImports } from './modules/elders/elders.import.js';
import { sweepOverdueOrders } from './modules/services/sweep.js';

export interface BackgroundLog {
  info(o: object, msg: string): void;
  error(o: unknown, msg: string): void;
}

export interface Background {
  /** Stops the timers, waits for passes under way, and seals what is left. */
  stop(): Promise<void>;
}

/** A job that runs every `ms` (first after `first` ms), never two passes at once. */
function every(ms: number, job: () => Promise<unknown>, first = ms) {
  let running: Promise<unknown> | null = null;
  let timer: NodeJS.Timeout;
  const run = () => {
    if (!running) running = job().finally(() => (running = null));
  };
  const start = setTimeout(() => {
    run();
    timer = setInterval(run, ms);
  }, first);
  return {
    async stop() {
      clearTimeout(start);
      clearInterval(timer);
      await running;
    },
  };
}

export interface BackgroundOptions {
  /** Where and with what key to checkpoint the audit chain; none: no checkpoints. */
  anchor?: AuditAnchor | null;
  checkpointSeconds?: number;
}

export function startBackground(db: Database, log: BackgroundLog, o: BackgroundOptions = {}): Background {
  const checkpointer = o.anchor ? new AuditCheckpointer(o.anchor) : null;
  // Sealing marks the head as moved; the checkpoint job writes at most once per interval, and
  // only when something was sealed (or at start, to catch up on what was sealed before).
  let sealed = true;
  const seal = () =>
    sealAudit(db).then((n) => {
      if (n) sealed = true;
    });
  const checkpoint = async () => {
    if (!checkpointer || !sealed) return;
    sealed = false;
    const written = await checkpointer.run(db);
    if (written.length) log.info({ counties: written.map((c) => `${c.county}#${c.seq}`) }, 'audit checkpoint');
  };
  const jobs = [
    every(2000, () => seal().catch((e) => log.error(e, 'audit seal failed'))),
    every((o.checkpointSeconds ?? 60) * 1000, () => checkpoint().catch((e) => log.error(e, 'audit checkpoint failed')), 3000),
    every(60_000, () => refreshAllDrafts(db, countyToday()).catch((e) => log.error(e, 'benefit draft refresh failed')), 20_000),
    every(60_000, () =>
      vacuumStale(db)
        .then((t) => t.length && log.info({ tables: t }, 'vacuumed'))
        .catch((e) => log.error(e, 'vacuum failed')),
    ),
    every(60_000, () =>
      sweepOverdueOrders(db)
        .then((r) => {
          for (const f of r.failed) log.error({ orderId: f.orderId }, `overdue sweep: ${f.error}`);
          if (r.timedOut) log.info(r, 'overdue sweep');
        })
        .catch((e) => log.error(e, 'overdue sweep failed')),
    ),
  ];
  const resume = (atStart: boolean) =>
    resumeStuckRuns(db, { atStart })
      .then((ids) => ids.length && log.info({ runs: ids }, `resumed ${ids.length} benefit run(s) left computing`))
      .catch((e) => log.error(e, 'resuming benefit runs failed'));
  const resumed = resume(true);
  jobs.push(every(60_000, () => resumed.then(() => resume(false))));
  const abandon = (atStart: boolean) =>
    failAbandonedImports(db, { atStart })
      .then((ids) => ids.length && log.info({ jobs: ids }, `marked ${ids.length} import job(s) left running by a stopped process as failed`))
      .catch((e) => log.error(e, 'failing abandoned import jobs failed'));
  const abandoned = abandon(true);
  jobs.push(every(60_000, () => abandoned.then(() => abandon(false))));
  return {
    async stop() {
      await Promise.all(jobs.map((j) => j.stop()));
      await resumed;
      await abandoned;
      await seal().catch(() => {});
      await checkpoint().catch((e) => log.error(e, 'audit checkpoint failed'));
    },
  };
}
