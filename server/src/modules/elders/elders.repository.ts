import { sql, startsWith, type Executor } from '../../kernel/db.js';
import { scopeOf } from '../../kernel/scope.js';

export interface ElderRow {
  id: string;
  name: string;
  id_number: string;
  sex: 'M' | 'F';
  age: number;
  birth_date: string;
  region_code: string;
  region_name: string | null;
  township_name: string | null;
  phone: string | null;
  address: string | null;
  living_arrangement: string | null;
  hukou_region_code: string | null;
  status: string;
  death_date: string | null;
  reassess_requested_at: string | null;
  note: string | null;
  categories: string[];
  ability: { standard: string; level: number; levelName: string; validUntil: string | null } | null;
}

const AGE = sql`extract(year from age(current_date, e.birth_date))::int`;

const COLS = sql`e.id::text as id, e.name, e.id_number, e.sex, ${AGE} as age, e.birth_date::text as birth_date, e.region_code,
  v.name as region_name, t.name as township_name, e.phone, e.address, e.living_arrangement, e.hukou_region_code, e.status,
  e.death_date::text as death_date, e.reassess_requested_at::text as reassess_requested_at, e.note,
  (select jsonb_build_object('standard', ca.standard, 'level', ca.final_level, 'levelName', ca.level_name, 'validUntil', ca.valid_until)
     from elder_current_ability ca where ca.elder_id = e.id) as ability,
  coalesce((select array_agg(c.category order by c.category) from elder_categories c
             where c.elder_id = e.id and c.valid_from <= current_date and (c.valid_to is null or c.valid_to >= current_date)), '{}') as categories`;

const FROM = sql`from elders e left join regions v on v.code = e.region_code left join regions t on t.code = rpad(left(e.region_code, 9), 12, '0')`;

export const COUNT_CAP = 10_000;

export interface ElderFilter {
  regionCode?: string;
  ageBand?: string;
  category?: string;
  status?: string;
  abilityLevel?: number;
  standard?: string;
  q?: string;
  sort: 'name' | 'age' | 'region';
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
  /** Count all matches instead of stopping past COUNT_CAP. */
  exact?: boolean;
}

function where(f: ElderFilter) {
  const parts = [sql`true`];
  if (f.regionCode) {
    const s = scopeOf(f.regionCode);
    parts.push(sql`e.region_code between ${s.lo} and ${s.hi}`);
  }
  if (f.status) parts.push(sql`e.status = ${f.status}`);
  if (f.ageBand) {
    const [lo, hi] = f.ageBand === '100+' ? [100, 200] : f.ageBand.split('-').map(Number);
    // Birth-date range, so the index on birth_date serves the band.
    parts.push(
      sql`e.birth_date > (current_date - make_interval(years => ${hi + 1}))::date and e.birth_date <= (current_date - make_interval(years => ${lo}))::date`,
    );
  }
  if (f.category)
    parts.push(sql`exists (select 1 from elder_categories c where c.elder_id = e.id and c.category = ${f.category}
                     and c.valid_from <= current_date and (c.valid_to is null or c.valid_to >= current_date))`);
  if (f.abilityLevel !== undefined)
    parts.push(sql`exists (select 1 from elder_current_ability ca where ca.elder_id = e.id and ca.final_level = ${f.abilityLevel}
                     ${f.standard ? sql`and ca.standard = ${f.standard}` : sql``})`);
  if (f.q) {
    const q = f.q.toLowerCase();
    parts.push(/^[a-z]+$/.test(q) ? sql`(${startsWith(sql`e.name_initials`, q)} or ${startsWith(sql`e.name_pinyin`, q)})` : startsWith(sql`e.name`, f.q));
  }
  return sql.join(parts, sql` and `);
}

export const eldersRepo = {
  async list(tx: Executor, f: ElderFilter) {
    const dir = f.order === 'desc' ? sql`desc` : sql`asc`;
    const order =
      f.sort === 'name'
        ? sql`e.name_pinyin ${dir}, e.id`
        : f.sort === 'age'
          ? sql`e.birth_date ${f.order === 'desc' ? sql`asc` : sql`desc`}, e.id`
          : sql`e.region_code ${dir}, e.name_pinyin, e.id`;
    const w = where(f);
    const [rows, count] = await Promise.all([
      tx.rows<ElderRow>(sql`select ${COLS} ${FROM} where ${w} order by ${order} limit ${f.limit} offset ${f.offset}`),
      // Counting stops past COUNT_CAP: "10000+" keeps broad searches over a whole county fast;
      // a reader who needs the figure asks for it (`exact`), and only then is every match counted.
      f.exact
        ? tx.one<{ n: number }>(sql`select count(*)::int as n from elders e where ${w}`)
        : tx.one<{ n: number }>(sql`select count(*)::int as n from (select 1 from elders e where ${w} limit ${COUNT_CAP + 1}) x`),
    ]);
    const n = count?.n ?? 0;
    if (f.exact) return { rows, total: n, totalCapped: false };
    return { rows, total: Math.min(n, COUNT_CAP), totalCapped: n > COUNT_CAP };
  },
  get: (tx: Executor, id: string) => tx.one<ElderRow>(sql`select ${COLS} ${FROM} where e.id = ${id}`),
  /** The villages and communities of the caller's area (row-level security), as the import accepts them. */
  villagesInScope: (tx: Executor) =>
    tx.rows<{ code: string; name: string; township: string | null }>(sql`select v.code, v.name, t.name as township
      from regions v left join regions t on t.code = rpad(left(v.code, 9), 12, '0')
     where v.level = 5 and (v.valid_to is null or v.valid_to > current_date) order by v.code limit 20000`),
};
