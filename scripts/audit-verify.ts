/**
 * `npm run audit:verify [-- --county 370124]`: seals pending audit entries and recomputes the
 * hash chain of every county (or one). Exit code 0 when intact, 3 when tampering is found.
 * With embedded PGlite, stop the server first (one process per data folder), or use the
 * "校验哈希链" button / POST /api/v1/audit/verify while it runs.
 */
import { parseArgs } from 'node:util';
import { sealAudit, verifyAudit } from '../server/src/kernel/audit.js';
import { loadConfig } from '../server/src/kernel/config.js';
import { DataDirLockedError, openDatabase } from '../server/src/kernel/db.js';

const { values } = parseArgs({ options: { county: { type: 'string' } } });
const config = loadConfig();
try {
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, timeZone: config.COUNTY_TZ });
  await sealAudit(db);
  const results = await verifyAudit(db.root, values.county);
  for (const r of results)
    console.log(
      r.ok
        ? `✔ ${r.countyCode}: ${r.checked} entries intact / 审计链完整`
        : `✘ ${r.countyCode}: ${r.problem} after ${r.checked} good entries / 审计链被篡改（第 ${r.firstBadSeq} 条）`,
    );
  if (results.length === 0) console.log('no audit entries yet / 尚无审计记录');
  await db.close();
  process.exit(results.every((r) => r.ok) ? 0 : 3);
} catch (e) {
  if (e instanceof DataDirLockedError) {
    console.error(e.message);
    process.exit(2);
  }
  throw e;
}
