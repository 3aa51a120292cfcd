/**
 * Rollups for the whole-plan figure: metric values cached by (region, metric, date) and valid for
 * one version token of the region. Statement-level triggers (migration 0011) bump the version of
 * each township a write touches (or of the county, for county-wide data such as settings) in the
 * same transaction as any write to a table a metric reads, so a cached value is used exactly
 * while the data it came from is unchanged; a write in one township leaves the others' figures
 * cached. The answer is always the one a computation from scratch gives (indicators.rollups.test.ts
 * checks it after random writes).
 *
 * Safe under concurrency: the versions are read (in one statement) before computing, so an entry
 * can only be newer than its label, and a reader that sees a later token never uses it. Writers
 * of one township queue on its version row from their first write to their commit. The cache table has
 * row-level security on its region, so a user reads and stores only values of regions in scope.
 */
import { arr, sql, type Executor } from '../../kernel/db.js';
import { regionPrefix } from '../../kernel/scope.js';
import { metricDef, type MetricDef, type MetricValue } from './metrics.js';

/** Tables read by the metrics the registry and assessments modules register (they may declare `reads` themselves). */
const KNOWN_READS: Record<string, string[]> = {
  willing_tekun_centralized_rate: ['elders', 'elder_categories', 'assessments', 'county_settings'],
  disabled_tekun_centralized_rate: ['elders', 'elder_categories', 'assessments', 'county_settings'],
  assessment_rate_80plus: ['elders', 'assessments'],
};

export const readsOf = (d: MetricDef): string[] | undefined => d.reads ?? KNOWN_READS[d.id];

export interface MetricKey {
  metric: string;
  regionCode: string;
  asOf: string;
}

const keyOf = (k: MetricKey) => `${k.regionCode}|${k.metric}|${k.asOf}`;

/** Computes a metric from scratch (no cache). */
export async function computeFresh(tx: Executor, k: MetricKey): Promise<MetricValue> {
  const def = metricDef(k.metric);
  if (!def) throw new Error(`metric ${k.metric} is not registered`);
  return def.compute(tx, { regionCode: k.regionCode, asOf: k.asOf });
}

/**
 * Values of many (metric, region, date) at once: cached ones in one query, the rest computed and
 * stored in one statement. Metrics whose tables are not all tracked are computed every time.
 */
export async function metricValues(tx: Executor, keys: MetricKey[], o: { cache?: boolean } = {}): Promise<Map<string, MetricValue>> {
  const out = new Map<string, MetricValue>();
  const uniq = [...new Map(keys.map((k) => [keyOf(k), k])).values()];
  if (uniq.length === 0) return out;
  const useCache = o.cache ?? true;
  const counties = [...new Set(uniq.map((k) => k.regionCode.slice(0, 6)))];
  const tables = [...new Set(uniq.flatMap((k) => readsOf(metricDef(k.metric)!) ?? []))];
  const state = useCache
    ? await tx.one<{ versions: { c: string; u: string; v: number }[] | null; tracked: string[] | null }>(sql`select
        (select json_agg(json_build_object('c', county_code, 'u', unit, 'v', version)) from indicator_data_versions where county_code = any(${arr(counties)}::text[])) as versions,
        array(select distinct c.relname::text from pg_trigger t join pg_class c on c.oid = t.tgrelid
               where t.tgname = 'yl_indicator_version_ins' and c.relname = any(${arr(tables)}::text[])) as tracked`)
    : undefined;
  const units = state?.versions ?? [];
  const tracked = new Set(state?.tracked ?? []);
  const cacheable = (k: MetricKey) => {
    const r = readsOf(metricDef(k.metric)!);
    return useCache && !!r && r.length > 0 && r.every((t) => tracked.has(t));
  };
  const tokens = new Map<string, number>();
  const vOf = (k: MetricKey) => {
    let tok = tokens.get(k.regionCode);
    if (tok == null) {
      tok = versionToken(units, k.regionCode);
      tokens.set(k.regionCode, tok);
    }
    return tok;
  };

  const want = uniq.filter(cacheable);
  if (want.length > 0) {
    const hits = await tx.rows<{
      region_code: string;
      metric: string;
      as_of: string;
      value: number | null;
      numerator: number | null;
      denominator: number | null;
    }>(sql`
      select c.region_code, c.metric, c.as_of::text as as_of, c.value, c.numerator, c.denominator
        from indicator_cache c
        join unnest(${arr(want.map((k) => k.regionCode))}::text[], ${arr(want.map((k) => k.metric))}::text[],
                    ${arr(want.map((k) => k.asOf))}::date[], ${arr(want.map(vOf))}::bigint[]) as w(region_code, metric, as_of, version)
          on c.region_code = w.region_code and c.metric = w.metric and c.as_of = w.as_of and c.version = w.version`);
    for (const h of hits)
      out.set(keyOf({ regionCode: h.region_code, metric: h.metric, asOf: h.as_of }), {
        value: h.value,
        ...(h.numerator != null ? { numerator: Number(h.numerator) } : {}),
        ...(h.denominator != null ? { denominator: Number(h.denominator) } : {}),
      });
  }
  const store: (MetricKey & MetricValue)[] = [];
  for (const k of uniq) {
    if (out.has(keyOf(k))) continue;
    const v = await computeFresh(tx, k);
    out.set(keyOf(k), v);
    if (cacheable(k)) store.push({ ...k, ...v });
  }
  if (store.length > 0)
    await tx.exec(sql`insert into indicator_cache as c (county_code, region_code, metric, as_of, version, value, numerator, denominator)
      select left(w.region_code, 6), w.region_code, w.metric, w.as_of, w.version, w.value, w.numerator, w.denominator
        from unnest(${arr(store.map((k) => k.regionCode))}::text[], ${arr(store.map((k) => k.metric))}::text[], ${arr(store.map((k) => k.asOf))}::date[],
                    ${arr(store.map(vOf))}::bigint[], ${arr(store.map((k) => k.value))}::float8[], ${arr(store.map((k) => k.numerator ?? null))}::float8[],
                    ${arr(store.map((k) => k.denominator ?? null))}::float8[]) as w(region_code, metric, as_of, version, value, numerator, denominator)
      on conflict (region_code, metric, as_of) do update
        set version = excluded.version, value = excluded.value, numerator = excluded.numerator, denominator = excluded.denominator, computed_at = now()
        where c.version <= excluded.version`);
  return out;
}

/**
 * The version token of a region: the sum of the versions of the county-wide unit and of every
 * township unit overlapping the region (all of them for a county, its own for a township or a
 * village). Versions only grow, so a committed write to any of them changes the sum.
 */
export function versionToken(units: { c: string; u: string; v: number | string }[], regionCode: string): number {
  const p = regionPrefix(regionCode);
  let sum = 0;
  for (const x of units) if (x.c === regionCode.slice(0, 6) && (x.u === '' || x.u.startsWith(p) || p.startsWith(x.u))) sum += Number(x.v);
  return sum;
}

export const valueOf = (m: Map<string, MetricValue>, k: MetricKey) => m.get(keyOf(k));
