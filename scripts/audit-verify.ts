/**
 * `npm run audit:verify [-- --county 370124]`: seals pending audit entries, recomputes the hash
 * chain of every county (or one), checks each checkpoint of DATA_DIR/audit-checkpoints.jsonl
 * (its HMAC with AUDIT_KEY or DATA_DIR/audit-key, and that its entry is still in the table), so
 * that changed entries and entries deleted from the tail are both found. Exit code 0 when
 * intact, 3 when tampering is found (the entry or the missing range is named).
 * With embedded PGlite, stop the server first (one process per data folder), or use the
 * "校验哈希链" button / POST /api/v1/audit/verify while it runs.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sealAudit } from '../server/src/kernel/audit.js';
import { CHECKPOINT_FILE, openAuditAnchor, verifyAnchored } from '../server/src/kernel/audit-anchor.js';
import { loadConfig } from '../server/src/kernel/config.js';
import { DataDirLockedError, openDatabase } from '../server/src/kernel/db.js';

const { values } = parseArgs({ options: { county: { type: 'string' } } });
const config = loadConfig();
try {
  const anchor = openAuditAnchor(config, false);
  const file = path.join(config.DATA_DIR, CHECKPOINT_FILE);
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, timeZone: config.COUNTY_TZ });
  await sealAudit(db);
  const results = await verifyAnchored(db.root, anchor, file, values.county);
  for (const r of results) {
    const anchored = r.checkpoints ? `, ${r.checkpoints} checkpoints / ${r.checkpoints} 个检查点` : ', no checkpoint yet / 尚无检查点';
    console.log(
      r.ok
        ? `✔ ${r.countyCode}: ${r.checked} entries intact${anchored} / 审计链完整`
        : r.missing
          ? `✘ ${r.countyCode}: ${r.problem} / 审计记录第 ${r.missing.from}–${r.missing.to} 条已被删除`
          : `✘ ${r.countyCode}: ${r.problem} after ${r.checked} good entries / 审计链被篡改（第 ${r.firstBadSeq ?? '?'} 条）`,
    );
  }
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
