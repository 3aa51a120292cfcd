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
import { regionLevel, regionPrefix } from '../../kernel/scope.js';
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
    ? await tx.one<{ versions: { c: string; u: string; v: number }[] | null; tracked: string[] | null; region_units: string[] | null }>(sql`select
        array(select distinct left(code, 9) from regions where county_code = any(${arr(counties)}::text[]) and level >= 3) as region_units,
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

  // Counties and townships of metrics with additive parts: combined from parts by township.
  const byParts = (k: MetricKey) => {
    const d = metricDef(k.metric)!;
    const level = regionLevel(k.regionCode);
    return cacheable(k) && !!d.byTownship && !!d.combine && (level === 3 || level === 4);
  };
  await fromParts(tx, uniq.filter(byParts), units, state?.region_units ?? [], out);

  const want = uniq.filter((k) => cacheable(k) && !byParts(k));
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
    if (out.has(keyOf(k)) || byParts(k)) continue;
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

type Units = { c: string; u: string; v: number | string }[];

/** The version token of one township unit's part: its own version and the county-wide one. */
export function unitToken(units: Units, county: string, unit: string): number {
  let sum = 0;
  for (const x of units) if (x.c === county && (x.u === '' || x.u === unit)) sum += Number(x.v);
  return sum;
}

/**
 * Figures of counties and townships combined from additive parts by township: stored parts whose
 * unit token is unchanged are reused, the others computed in one grouped query per (metric, date)
 * and stored. A county sums the parts of every 9-digit prefix of its regions (rows reference
 * regions) and of every unit with a version row (every unit with rows of a tracked table has one:
 * migration 0011 seeds them and the triggers add them).
 */
async function fromParts(tx: Executor, keys: MetricKey[], units: Units, regionUnits: string[], out: Map<string, MetricValue>) {
  if (keys.length === 0) return;
  const groups = new Map<string, MetricKey[]>();
  for (const k of keys) {
    const g = `${k.metric}|${k.asOf}|${k.regionCode.slice(0, 6)}`;
    groups.set(g, [...(groups.get(g) ?? []), k]);
  }
  const stored = await tx.rows<{ region_code: string; metric: string; as_of: string; version: string | number; numerator: number; denominator: number }>(sql`
    select p.region_code, p.metric, p.as_of::text as as_of, p.version, p.numerator, p.denominator
      from indicator_parts p
      join unnest(${arr(keys.map((k) => k.metric))}::text[], ${arr(keys.map((k) => k.asOf))}::date[], ${arr(keys.map((k) => k.regionCode.slice(0, 6)))}::text[])
           as w(metric, as_of, county_code)
        on p.metric = w.metric and p.as_of = w.as_of and p.county_code = w.county_code`);
  const store: { county: string; unit: string; metric: string; asOf: string; version: number; n: number; d: number }[] = [];
  for (const group of groups.values()) {
    const { metric, asOf } = group[0];
    const county = group[0].regionCode.slice(0, 6);
    const def = metricDef(metric)!;
    const wholeCounty = group.some((k) => regionLevel(k.regionCode) === 3);
    const needed = new Set(
      wholeCounty
        ? [...regionUnits.filter((u) => u.startsWith(county)), ...units.filter((x) => x.c === county && x.u !== '').map((x) => x.u)]
        : group.map((k) => k.regionCode.slice(0, 9)),
    );
    const parts = new Map<string, { n: number; d: number }>();
    const have = new Set<string>();
    for (const r of stored)
      if (r.metric === metric && r.as_of === asOf && r.region_code.startsWith(county)) {
        const unit = r.region_code.slice(0, 9);
        if (Number(r.version) === unitToken(units, county, unit)) {
          parts.set(unit, { n: Number(r.numerator), d: Number(r.denominator) });
          have.add(unit);
        }
      }
    const missing = [...needed].filter((u) => !have.has(u));
    if (missing.length > 0) {
      const single = !wholeCounty && group.length === 1;
      const region = single ? group[0].regionCode : county.padEnd(12, '0');
      // Nothing reusable for the whole county: one grouped query without range conditions.
      const all = wholeCounty && have.size === 0;
      const rows = await def.byTownship!(tx, { regionCode: region, asOf }, all ? undefined : missing);
      for (const u of missing) parts.set(u, { n: 0, d: 0 });
      for (const r of rows) parts.set(r.unit, { n: Number(r.numerator), d: Number(r.denominator) });
      for (const u of new Set([...missing, ...(all ? rows.map((r) => r.unit) : [])])) {
        const p = parts.get(u)!;
        store.push({ county, unit: u, metric, asOf, version: unitToken(units, county, u), n: p.n, d: p.d });
      }
    }
    for (const k of group) {
      let n = 0;
      let d = 0;
      if (regionLevel(k.regionCode) === 3)
        for (const p of parts.values()) {
          n += p.n;
          d += p.d;
        }
      else ({ n, d } = parts.get(k.regionCode.slice(0, 9)) ?? { n: 0, d: 0 });
      out.set(keyOf(k), { value: def.combine!(n, d), numerator: n, denominator: d });
    }
  }
  if (store.length > 0)
    await tx.exec(sql`insert into indicator_parts as p (county_code, region_code, metric, as_of, version, numerator, denominator)
      select w.county_code, rpad(w.unit, 12, '0'), w.metric, w.as_of, w.version, w.n, w.d
        from unnest(${arr(store.map((x) => x.county))}::text[], ${arr(store.map((x) => x.unit))}::text[], ${arr(store.map((x) => x.metric))}::text[],
                    ${arr(store.map((x) => x.asOf))}::date[], ${arr(store.map((x) => x.version))}::bigint[], ${arr(store.map((x) => x.n))}::float8[],
                    ${arr(store.map((x) => x.d))}::float8[]) as w(county_code, unit, metric, as_of, version, n, d)
      on conflict (region_code, metric, as_of) do update set version = excluded.version, numerator = excluded.numerator, denominator = excluded.denominator
        where p.version <= excluded.version`);
}

/**
 * The version token of a region: the sum of the versions of the county-wide unit and of every
 * township unit overlapping the region (all of them for a county, its own for a township or a
 * village). Versions only grow, so a committed write to any of them changes the sum.
 */
export function versionToken(units: Units, regionCode: string): number {
  const p = regionPrefix(regionCode);
  let sum = 0;
  for (const x of units) if (x.c === regionCode.slice(0, 6) && (x.u === '' || x.u.startsWith(p) || p.startsWith(x.u))) sum += Number(x.v);
  return sum;
}

export const valueOf = (m: Map<string, MetricValue>, k: MetricKey) => m.get(keyOf(k));
