import { arr, sql, type Executor } from '../../kernel/db.js';

export interface RegionRow {
  code: string;
  name: string;
  level: number;
  parent_code: string | null;
  county_code: string;
  urban_rural_code: string | null;
  valid_from: string;
  valid_to: string | null;
  child_count: number;
}

const COLS = sql`r.code, r.name, r.level::int as level, r.parent_code, r.county_code, r.urban_rural_code,
  r.valid_from::text as valid_from, r.valid_to::text as valid_to,
  (select count(*)::int from regions c where c.parent_code = r.code) as child_count`;

export const regionsRepo = {
  get: (tx: Executor, code: string) => tx.one<RegionRow>(sql`select ${COLS} from regions r where r.code = ${code}`),

  list: (tx: Executor, f: { parent?: string; level?: number; q?: string; includeAbolished?: boolean }) =>
    tx.rows<RegionRow>(sql`select ${COLS} from regions r where true
      ${f.parent ? sql`and r.parent_code = ${f.parent}` : sql``}
      ${f.level ? sql`and r.level = ${f.level}` : sql``}
      ${f.q ? sql`and r.name like ${'%' + f.q + '%'}` : sql``}
      ${f.includeAbolished ? sql`` : sql`and (r.valid_to is null or r.valid_to > current_date)`}
      order by r.code limit 2000`),

  /** The region and its ancestors, top first. */
  path: (tx: Executor, code: string) =>
    tx.rows<{ code: string; name: string; level: number }>(sql`select code, name, level::int as level from regions
      where code in (${sql.join(
        ancestorCodes(code).map((c) => sql`${c}`),
        sql`, `,
      )}) order by level`),

  existing: (tx: Executor, codes: string[]) => tx.rows<{ code: string }>(sql`select code from regions where code = any(${arr(codes)}::text[])`),

  upsert: (
    tx: Executor,
    r: {
      code: string;
      name: string;
      level: number;
      parentCode: string | null;
      urbanRuralCode: string | null;
      validFrom: string | null;
      validTo: string | null;
    },
  ) =>
    tx.one<{ inserted: boolean }>(sql`insert into regions (code, name, level, parent_code, county_code, urban_rural_code, valid_from, valid_to)
      values (${r.code}, ${r.name}, ${r.level}, ${r.parentCode}, ${r.code.slice(0, 6)}, ${r.urbanRuralCode},
              coalesce(${r.validFrom}::date, date '2000-01-01'), ${r.validTo}::date)
      on conflict (code) do update set name = excluded.name, urban_rural_code = excluded.urban_rural_code,
        valid_from = excluded.valid_from, valid_to = excluded.valid_to, updated_at = now()
      returning (xmax = 0) as inserted`),

  update: (tx: Executor, code: string, r: { name?: string; urbanRuralCode?: string | null; validFrom?: string; validTo?: string | null }) =>
    tx.exec(sql`update regions set name = coalesce(${r.name ?? null}, name),
        urban_rural_code = case when ${r.urbanRuralCode !== undefined} then ${r.urbanRuralCode ?? null} else urban_rural_code end,
        valid_from = coalesce(${r.validFrom ?? null}::date, valid_from),
        valid_to = case when ${r.validTo !== undefined} then ${r.validTo ?? null}::date else valid_to end,
        updated_at = now()
      where code = ${code}`),
};

export function ancestorCodes(code: string): string[] {
  const out = [code.slice(0, 2).padEnd(12, '0'), code.slice(0, 4).padEnd(12, '0'), code.slice(0, 6).padEnd(12, '0'), code.slice(0, 9).padEnd(12, '0'), code];
  return [...new Set(out)];
}
