/** `npm start`: open (or create) the database, load the demo county on first start, serve the
 * web UI and API on one port. */
import { buildApp } from './app.js';
import { openAuditAnchor } from './kernel/audit-anchor.js';
import { startBackground } from './background.js';
import { loadConfig } from './kernel/config.js';
import { analyzeStale, DataDirLockedError, openDatabase } from './kernel/db.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, isEmpty, loadDemo } from './demo/generate.js';

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
  const anchor = openAuditAnchor(config, true);
  say(`audit checkpoints: ${anchor!.file} (key: ${anchor!.keySource})`);
  const background = startBackground(db, app.log, { anchor, checkpointSeconds: config.AUDIT_CHECKPOINT_SECONDS });
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
    await app.close();
    await background.stop();
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
