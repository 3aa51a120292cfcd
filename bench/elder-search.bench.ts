/**
 * Elder search over a county of 300,000 elders: the list endpoint over HTTP (session, row-level
 * security, name / pinyin / initials search, filters, paging, total count, masking) — beside
 * the same SELECT and COUNT run directly by the database owner, in the same run.
 *   npx tsx bench/elder-search.bench.ts [elders]          # PGlite
 *   DATABASE_URL=postgres://… npx tsx bench/elder-search.bench.ts
 */
import { sql } from '../server/src/kernel/db.js';
import { loadDemo } from '../server/src/demo/generate.js';
import { eldersRepo } from '../server/src/modules/elders/elders.repository.js';
import { benchDb, benchServer, dbLabel, percentile, time } from './lib.js';

const N = Number(process.argv[2] ?? 300_000);
const ROUNDS = 200;
const { db, close } = await benchDb();
const [, loadMs] = await time(() => loadDemo(db, { elders: N, seed: 20260101 }));
const { app, base, cookie } = await benchServer(db);

// What a worker types: surnames, pinyin, initials, with and without filters.
const searches = [
  { q: '王' },
  { q: '李秀' },
  { q: 'zhang' },
  { q: 'wxy' },
  { q: 'liu', regionCode: '370124100000' },
  { q: 'zgm' },
  { regionCode: '370124001000', ageBand: '80-89' },
  { category: 'tekun_dispersed' },
  { q: '赵', ageBand: '90-99' },
  { regionCode: '370124103000', sort: 'age', order: 'desc' },
] as Record<string, string>[];

const http: number[] = [];
const raw: number[] = [];
const byKind = new Map<string, number[]>();
for (let i = 0; i < ROUNDS; i++) {
  const s = searches[i % searches.length];
  const qs = new URLSearchParams({ pageSize: '20', ...s }).toString();
  const [res, ms] = await time(async () => (await fetch(`${base}/api/v1/elders?${qs}`, { headers: { cookie } })).json());
  if (!(res as { items?: unknown[] }).items) throw new Error(JSON.stringify(res));
  if (i >= searches.length) http.push(ms); // first round warms up
  if (process.env.BENCH_DETAIL) byKind.set(qs, [...(byKind.get(qs) ?? []), ms]);
  const [, rms] = await time(() =>
    db.system((tx) => eldersRepo.list(tx, { ...s, sort: (s.sort as 'age') ?? 'region', order: (s.order as 'desc') ?? 'asc', limit: 20, offset: 0 } as never)),
  );
  if (i >= searches.length) raw.push(rms);
}
const n = (await db.root.one<{ n: number }>(sql`select count(*)::int as n from elders`))!.n;
console.log(`elder search over ${n} elders on ${dbLabel()} (demo load ${(loadMs / 1000).toFixed(0)} s), ${http.length} searches of ${searches.length} kinds`);
console.log(
  `  platform  GET /api/v1/elders (HTTP, session, RLS, count, masking): p50 ${percentile(http, 50).toFixed(1)} ms, p95 ${percentile(http, 95).toFixed(1)} ms`,
);
console.log(
  `  baseline  same SELECT + COUNT as the owner, no HTTP:             p50 ${percentile(raw, 50).toFixed(1)} ms, p95 ${percentile(raw, 95).toFixed(1)} ms`,
);
for (const [k, v] of byKind) console.log(`    ${k}: median ${percentile(v, 50).toFixed(1)} ms`);
await app.close();
await close();
