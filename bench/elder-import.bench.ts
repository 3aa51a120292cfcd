/**
 * Roster import: 100,000 rows from a real .xlsx through the platform's import (stream-read,
 * validate every row and column, check duplicates against the county, insert elders,
 * categories, contacts and events in one transaction) — beside PostgreSQL COPY of the same
 * rows into a table shaped like `elders` (same columns and indexes), in the same run.
 *   npx tsx bench/elder-import.bench.ts [rows]          # PGlite
 *   DATABASE_URL=postgres://… npx tsx bench/elder-import.bench.ts
 */
import { PassThrough } from 'node:stream';
import ExcelJS from '../server/src/kernel/excel.js';
import { sql } from '../server/src/kernel/db.js';
import { makeIdNumber } from '../server/src/kernel/idnumber.js';
import type { Principal } from '../server/src/kernel/principal.js';
import { loadDemo } from '../server/src/demo/generate.js';
import { Rng } from '../server/src/demo/random.js';
import { ELDER_HEADERS, importRoster, readRoster } from '../server/src/modules/elders/elders.import.js';
import { namePinyin } from '../server/src/modules/elders/elders.service.js';
import { benchDb, dbLabel, time } from './lib.js';

const N = Number(process.argv[2] ?? 100_000);
const { db, close } = await benchDb();
await loadDemo(db, { elders: 0, seed: 1 });
const villages = (await db.root.rows<{ code: string }>(sql`select code from regions where level = 5 order by code`)).map((r) => r.code);
const admin = (await db.root.one<{ id: string }>(sql`select id::text as id from users where username = 'admin'`))!;
const p: Principal = {
  userId: admin.id,
  username: 'admin',
  displayName: '张敏',
  role: 'county_admin',
  regionCode: '370124000000',
  countyCode: '370124',
  providerId: null,
  sessionId: '',
  csrfToken: '',
  mustChangePassword: false,
};

// The roster: valid rows in the demo county's villages (hukou code 370126 so numbers never clash).
const rng = new Rng(42);
const rows: string[][] = [];
const perDay = new Map<string, number>();
for (let i = 0; i < N; i++) {
  const birth = `${1930 + rng.int(0, 35)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
  const k = perDay.get(birth) ?? 0;
  perDay.set(birth, k + 1);
  const idn = makeIdNumber(['370126', '370112', '370113', '370114'][Math.floor(k / 999)] ?? '370115', birth, k % 999);
  rows.push([
    idn,
    rng.pick(['王', '李', '张', '刘']) + rng.pick(['秀英', '桂兰', '建国', '玉珍', '德福']),
    rng.pick(villages),
    '',
    `139${String(rng.int(0, 99999999)).padStart(8, '0')}`,
    '某村1号',
    '独居',
    rng.chance(0.1) ? '低保' : '',
    '2024-01-01',
    '',
    '',
    '',
    '',
  ]);
}
const out = new PassThrough();
const chunks: Buffer[] = [];
out.on('data', (c: Buffer) => chunks.push(c));
const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false });
const ws = wb.addWorksheet('名册');
ws.addRow([...ELDER_HEADERS]).commit();
for (const r of rows) ws.addRow(r).commit();
ws.commit();
await wb.commit();
const file = Buffer.concat(chunks);

const [report, ms] = await time(async () => importRoster(db, p, await readRoster(file), 'all-or-nothing'));
if (!report.committed || report.imported !== N)
  throw new Error(`import did not take all rows: ${JSON.stringify({ ...report, errors: report.errors.slice(0, 3) })}`);

// Baseline: COPY of the same rows (pre-parsed, pinyin included) into a table like elders.
await db.execScript(`CREATE TABLE bench_elders (LIKE elders INCLUDING DEFAULTS INCLUDING INDEXES)`);
const csv = rows
  .map((r) => {
    const py = namePinyin(r[1]);
    const birth = `${r[0].slice(6, 10)}-${r[0].slice(10, 12)}-${r[0].slice(12, 14)}`;
    return [r[2].slice(0, 6), r[2], r[0], r[1], py.full, py.initials, Number(r[0][16]) % 2 ? 'M' : 'F', birth, r[4], r[5], 'alone'].join(',');
  })
  .join('\n');
const cols = '(county_code, region_code, id_number, name, name_pinyin, name_initials, sex, birth_date, phone, address, living_arrangement)';
const [, copyMs] = await time(() => db.copyCsv(`bench_elders ${cols}`, csv));

console.log(`elder import, ${N} rows (.xlsx ${(file.length / 1048576).toFixed(1)} MiB) on ${dbLabel()}`);
console.log(
  `  platform import (read + validate + duplicate check + insert, one transaction): ${(ms / 1000).toFixed(2)} s = ${Math.round(N / (ms / 1000))} rows/s`,
);
console.log(
  `  baseline COPY of the same rows into a table like elders:                       ${(copyMs / 1000).toFixed(2)} s = ${Math.round(N / (copyMs / 1000))} rows/s`,
);
console.log(`  ratio: ${(ms / copyMs).toFixed(1)}× COPY`);
await close();
