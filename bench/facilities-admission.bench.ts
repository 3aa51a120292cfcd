/**
 * Admissions on the demo county (100,000 elders by default): the ranked waiting list of each
 * public home over HTTP (session, row-level security, live categories and ability, ranking,
 * masking) beside the bare queue query run by the owner; then 100 concurrent acceptances for the
 * last free bed of a home (exactly one must win).
 *   npx tsx bench/facilities-admission.bench.ts [elders]          # PGlite
 *   DATABASE_URL=postgres://… npx tsx bench/facilities-admission.bench.ts
 */
import { countyToday } from '../server/src/kernel/dates.js';
import { sql } from '../server/src/kernel/db.js';
import { loadDemo } from '../server/src/demo/generate.js';
import { benchDb, benchServer, dbLabel, percentile, time } from './lib.js';

const N = Number(process.argv[2] ?? 100_000);
const ROUNDS = 100;
const { db, close } = await benchDb();
const [, loadMs] = await time(() => loadDemo(db, { elders: N, seed: 20260101 }));
const { app, base, cookie, csrf } = await benchServer(db);
const today = countyToday();

const homes = await db.root.rows<{ id: string }>(sql`select id::text as id from facilities where admits_applicants order by region_code`);
const http: number[] = [];
const raw: number[] = [];
for (let i = 0; i < ROUNDS + homes.length; i++) {
  const h = homes[i % homes.length];
  const [res, ms] = await time(async () => (await fetch(`${base}/api/v1/facilities/${h.id}/waiting-list`, { headers: { cookie } })).json());
  if (!(res as { entries?: unknown[] }).entries) throw new Error(JSON.stringify(res));
  const [, rms] = await time(() =>
    db.system(async (tx) => {
      await tx.exec(sql`select set_config('yinling.lo', '370124000000', true), set_config('yinling.hi', '370124999999', true)`);
      return tx.rows(sql`select * from yl_admission_queue(${h.id}::uuid, ${today}::date)`);
    }),
  );
  if (i >= homes.length) {
    http.push(ms);
    raw.push(rms);
  }
}

// 100 applicants of one home each hold an open offer; one bed is left.
const home = homes[0].id;
await db.system(async (tx) => {
  await tx.exec(sql`update beds set status = 'maintenance' where facility_id = ${home} and status = 'free'`);
  await tx.exec(sql`update beds set status = 'free' where id = (select id from beds where facility_id = ${home} and status = 'maintenance' limit 1)`);
  await tx.exec(sql`
    with e as (select el.id, el.region_code from elders el where el.status = 'active'
                  and not exists (select 1 from facility_residents r where r.elder_id = el.id and r.move_out is null)
                  and not exists (select 1 from admission_applications a where a.elder_id = el.id) order by el.id limit 100),
         a as (insert into admission_applications (elder_id, facility_id, county_code, region_code, applicant, applied_on)
               select id, ${home}, '370124', region_code, 'elder', ${today} from e returning id)
    insert into admission_offers (application_id, facility_id, county_code, region_code, rank, rank_class, rule_version, offered_on, respond_by)
    select a.id, ${home}, '370124', '370124000000', 1, 'spare', 0, ${today}, ${today}::date + 7 from a`);
});
const offers = await db.root.rows<{ id: string }>(sql`select id::text as id from admission_offers where facility_id = ${home} and status = 'open'`);
const [statuses, raceMs] = await time(() =>
  Promise.all(
    offers.map(async (o) => {
      const r = await fetch(`${base}/api/v1/admission-offers/${o.id}/accept`, {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
        body: '{}',
      });
      return r.status;
    }),
  ),
);
const won = statuses.filter((s) => s === 200).length;
const refused = statuses.filter((s) => s === 409).length;

console.log(`admissions on ${dbLabel()} with ${N} elders (demo load ${(loadMs / 1000).toFixed(0)} s), ${homes.length} public homes, ${http.length} lists`);
console.log(
  `  platform  GET /facilities/:id/waiting-list (HTTP, session, RLS, live ranking, masking): p50 ${percentile(http, 50).toFixed(1)} ms, p95 ${percentile(http, 95).toFixed(1)} ms`,
);
console.log(
  `  baseline  the queue query alone, as the owner, no HTTP:                                p50 ${percentile(raw, 50).toFixed(1)} ms, p95 ${percentile(raw, 95).toFixed(1)} ms`,
);
console.log(`  ${offers.length} concurrent acceptances for the last bed: ${won} accepted, ${refused} refused (409), in ${raceMs.toFixed(0)} ms`);
await app.close();
await close();
if (won !== 1) process.exit(1);
