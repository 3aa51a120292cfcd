/** `npm start`: open (or create) the database, load the demo county on first start, serve the
 * web UI and API on one port. */
import { buildApp } from './app.js';
import { sealAudit } from './kernel/audit.js';
import { countyToday } from './kernel/dates.js';
import { refreshAllDrafts } from './modules/benefits/drafts.js';
import { resumeStuckRuns } from './modules/benefits/runs.js';
import { loadConfig } from './kernel/config.js';
import { analyzeStale, DataDirLockedError, openDatabase, vacuumStale } from './kernel/db.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, isEmpty, loadDemo } from './demo/generate.js';
import { sweepOverdueOrders } from './modules/services/sweep.js';

async function main() {
  const t0 = Date.now();
  const config = loadConfig();
  process.env.TZ ??= config.COUNTY_TZ;
  const say = (m: string) => console.log(`[yinling] ${m}`);
  let db;
  try {
    db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, timeZone: config.COUNTY_TZ, log: say });
  } catch (e) {
    if (e instanceof DataDirLockedError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  say(`database: ${db.kind === 'pglite' ? `embedded PGlite in ${config.DATA_DIR}` : 'PostgreSQL server (DATABASE_URL)'}`);
  if ((await isEmpty(db)) && config.DEMO_ELDERS > 0) {
    say(`first start: loading the demo county (${config.DEMO_ELDERS} elders, seed ${config.DEMO_SEED}) …`);
    await loadDemo(db, { elders: config.DEMO_ELDERS, seed: config.DEMO_SEED, log: say });
  }
  // PGlite runs no autovacuum: refresh the statistics of tables that changed much.
  if (db.kind === 'pglite') {
    const analyzed = await analyzeStale(db);
    if (analyzed.length) say(`refreshed planner statistics: ${analyzed.join(', ')}`);
  }
  const app = await buildApp(db, config, { logger: { level: config.LOG_LEVEL } });
  await app.listen({ port: config.PORT, host: config.HOST });
  const seal = setInterval(() => sealAudit(db).catch((e) => app.log.error(e, 'audit seal failed')), 2000);
  // Benefit drafts (this month's lines kept current, so previews read totals): refreshed every
  // minute in the background, one pass at a time.
  let drafting: Promise<unknown> | null = null;
  const refreshDrafts = () => {
    if (drafting) return;
    drafting = refreshAllDrafts(db, countyToday())
      .catch((e) => app.log.error(e, 'benefit draft refresh failed'))
      .finally(() => (drafting = null));
  };
  const firstDraft = setTimeout(refreshDrafts, 20_000);
  // Benefit runs a stopped process left half computed are finished now.
  void resumeStuckRuns(db)
    .then((ids) => ids.length && say(`resumed ${ids.length} benefit run(s) left computing`))
    .catch((e) => app.log.error(e, 'resuming benefit runs failed'));
  const drafts = setInterval(refreshDrafts, 60_000);
  // Tables with many dead rows are vacuumed where no autovacuum runs (PGlite; a server with it off).
  let vacuuming: Promise<unknown> | null = null;
  const vacuum = setInterval(() => {
    if (vacuuming) return;
    vacuuming = vacuumStale(db)
      .then((t) => t.length && app.log.info({ tables: t }, 'vacuumed'))
      .catch((e) => app.log.error(e, 'vacuum failed'))
      .finally(() => (vacuuming = null));
  }, 60_000);
  // Orders not accepted in time (超时未接单): re-dispatched or sent back to staff, every minute.
  let sweeping = false;
  const sweep = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    sweepOverdueOrders(db)
      .then((r) => {
        for (const f of r.failed) app.log.error({ orderId: f.orderId }, `overdue sweep: ${f.error}`);
        if (r.timedOut) app.log.info(r, 'overdue sweep');
      })
      .catch((e) => app.log.error(e, 'overdue sweep failed'))
      .finally(() => (sweeping = false));
  }, 60_000);
  const addr = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${(app.server.address() as { port: number }).port}`;
  say(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s — open ${addr}  (API docs: ${addr}/api/docs)`);
  say(`memory: rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB`);
  say(`demo accounts (password ${DEMO_PASSWORD}):`);
  for (const a of DEMO_ACCOUNTS) console.log(`    ${a.username.padEnd(10)} ${a.note}`);
  let closing = false;
  const stop = async (sig: string) => {
    if (closing) return;
    closing = true;
    say(`${sig}: shutting down`);
    clearInterval(seal);
    clearInterval(vacuum);
    clearTimeout(firstDraft);
    clearInterval(drafts);
    clearInterval(sweep);
    await app.close();
    await drafting;
    await vacuuming;
    await sealAudit(db).catch(() => {});
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
