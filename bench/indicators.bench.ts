/**
 * The whole plan's indicators for a county of 300,000 elders: GET /api/v1/plans/:id over HTTP
 * (session, row-level security, rollups) — beside computing the same plan from scratch in SQL
 * (every metric query, no cache, as the owner, no HTTP), in the same run. Three figures:
 *   platform, warm   the usual case: the county's data unchanged since the figure was last asked;
 *   platform, after a write   the first request after a write in the county (versions bumped);
 *   from scratch     evaluatePlan with the cache off.
 * Plans: the demo's 平阴县 plan (the metrics registered today) and 滕州 (all three registry/
 * assessment metrics), county and each township, three dates.
 *   npx tsx bench/indicators.bench.ts [elders]          # PGlite
 *   DATABASE_URL=postgres://… npx tsx bench/indicators.bench.ts
 */
import { sql } from '../server/src/kernel/db.js';
import { loadDemo } from '../server/src/demo/generate.js';
import { evaluatePlan } from '../server/src/modules/indicators/indicators.service.js';
import { benchDb, benchServer, dbLabel, percentile, time } from './lib.js';

const N = Number(process.argv[2] ?? 300_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 60);
const { db, close } = await benchDb();
const [, loadMs] = await time(() => loadDemo(db, { elders: N, seed: 20260101 }));
const { app, base, cookie, csrf } = await benchServer(db);
const get = async (url: string) => {
  const r = await fetch(`${base}${url}`, { headers: { cookie } });
  if (r.status !== 200) throw new Error(`${url}: ${r.status} ${await r.text()}`);
  return r.json() as Promise<{ id: string; indicators: { source: string }[] }>;
};

const pingyin = (await db.root.one<{ id: string }>(sql`select id::text as id from plans where template = 'pingyin-2021-2025'`))!.id;
const tengzhou = (
  (await (
    await fetch(`${base}/api/v1/plans`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ template: 'tengzhou-2021-2025' }),
    })
  ).json()) as { id: string }
).id;
const county = '370124000000';
const towns = (await db.root.rows<{ code: string }>(sql`select code from regions where parent_code = ${county} and level = 4 order by code`)).map(
  (r) => r.code,
);
const cases = [county, ...towns].flatMap((regionCode) => ['2024-12-31', '2025-12-31', '2026-06-30'].map((asOf) => ({ regionCode, asOf })));
const n = (await db.root.one<{ n: number }>(sql`select count(*)::int as n from elders`))!.n;
console.log(
  `plan indicators over ${n} elders on ${dbLabel()} (demo load ${(loadMs / 1000).toFixed(0)} s); ${cases.length} region × date cases, ${ROUNDS} rounds`,
);

/** A write in the county: one elder's phone. Bumps the county's data version (all its cached figures). */
const write = () => db.root.exec(sql`update elders set phone = '13900000000' where id = (select id from elders where county_code = '370124' limit 1)`);

for (const [label, id] of [
  ['平阴 plan', pingyin],
  ['滕州 plan', tengzhou],
] as const) {
  const computed = (await get(`/api/v1/plans/${id}`)).indicators.filter((i) => i.source === 'computed').length;
  const warm: number[] = [];
  const cold: number[] = [];
  const scratch: number[] = [];
  for (const c of cases) await get(`/api/v1/plans/${id}?regionCode=${c.regionCode}&asOf=${c.asOf}`); // fills the cache
  for (let i = 0; i < ROUNDS; i++) {
    const c = cases[i % cases.length];
    warm.push((await time(() => get(`/api/v1/plans/${id}?regionCode=${c.regionCode}&asOf=${c.asOf}`)))[1]);
    scratch.push((await time(() => db.system((tx) => evaluatePlan(tx, id, c, { cache: false }))))[1]);
  }
  for (let i = 0; i < Math.ceil(ROUNDS / 3); i++) {
    const c = cases[i % cases.length];
    await write();
    cold.push((await time(() => get(`/api/v1/plans/${id}?regionCode=${c.regionCode}&asOf=${c.asOf}`)))[1]);
  }
  const f = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(1)} ms, p95 ${percentile(xs, 95).toFixed(1)} ms`;
  console.log(`  ${label} (${computed} indicators computed by the platform)`);
  console.log(`    platform  GET /api/v1/plans/:id, warm (HTTP, session, RLS, rollups): ${f(warm)}`);
  console.log(`    platform  first GET after a write in the county:                  ${f(cold)}`);
  console.log(`    baseline  the same plan from scratch in SQL (owner, no cache):      ${f(scratch)}`);
}
await app.close();
await close();
