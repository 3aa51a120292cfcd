import { openDatabase, sql } from './server/src/kernel/db.js';
import { loadDemo } from './server/src/demo/generate.js';
import { scopeOf } from './server/src/kernel/scope.js';
import './server/src/modules/index.js';
import { metricDef } from './server/src/modules/indicators/metrics.js';
const N = Number(process.argv[2] ?? 100000);
const db = await openDatabase({});
await loadDemo(db, { elders: N, seed: 20260101 });
const towns = (await db.root.rows<{ code: string }>(sql`select code from regions where parent_code = '370124000000' and level = 4 order by code`)).map((r) => r.code);
for (const m of ['willing_tekun_centralized_rate', 'disabled_tekun_centralized_rate', 'assessment_rate_80plus']) {
  const def = metricDef(m)!;
  for (const regionCode of ['370124000000', ...towns])
    for (const asOf of ['2024-12-31', '2026-06-30']) {
      let t0 = performance.now();
      await db.scoped(scopeOf('370124000000'), (tx) => def.compute(tx, { regionCode, asOf }));
      const rls = performance.now() - t0;
      t0 = performance.now();
      await db.system((tx) => def.compute(tx, { regionCode, asOf }));
      const own = performance.now() - t0;
      console.log(m, regionCode, asOf, 'rls', rls.toFixed(0), 'owner', own.toFixed(0));
    }
}
await db.close();
