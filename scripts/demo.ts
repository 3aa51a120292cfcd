/**
 * `npm run demo -- --elders 1000000 [--seed N]`: loads the demo county into an empty database
 * (DATA_DIR or DATABASE_URL), e.g. benchmark data at 1M or 10M elders. Refuses a database
 * that already holds a county.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/src/kernel/config.js';
import { openDatabase } from '../server/src/kernel/db.js';
import { isEmpty, loadDemo } from '../server/src/demo/generate.js';

const { values } = parseArgs({ options: { elders: { type: 'string', default: '100000' }, seed: { type: 'string', default: '20260101' } } });
const config = loadConfig();
const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, timeZone: config.COUNTY_TZ, log: console.log });
if (!(await isEmpty(db))) {
  console.error('数据库中已有区划数据，请使用空数据库 / the database already holds a county; use an empty one');
  await db.close();
  process.exit(2);
}
await loadDemo(db, { elders: Number(values.elders), seed: Number(values.seed), log: console.log });
await db.close();
