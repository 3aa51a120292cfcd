/**
 * The demo county: deterministic (seeded) and sized by a flag. By default a county shaped like
 * Pingyin (平阴县) in the seeds — 2 streets and 6 towns, about 300 villages and communities,
 * about 100,000 residents aged 60+ with a realistic age pyramid, households and categories in
 * plausible shares. The same generator makes benchmark data at 1M and 10M elders (more elders
 * per village). Later modules add their own demo data in `extend*` functions called from here.
 *
 * Everything is inserted set-wise (unnest of arrays, 10,000 rows a statement) in one
 * transaction: a crash leaves no half-loaded county, and the next start loads it again.
 */
import { pinyin } from 'pinyin-pro';
import { arr, sql, type Database, type Executor } from '../kernel/db.js';
import { makeIdNumber } from '../kernel/idnumber.js';
import { hashPassword } from '../kernel/password.js';
import type { Role } from '../kernel/roles.js';
import { Rng } from './random.js';
import { insertFacilities } from './facilities.js';
import { insertServices } from './services.js';
import type { Principal } from '../kernel/principal.js';
import { createPlan } from '../modules/indicators/indicators.service.js';
import { loadBenefitsDemo } from './benefits.js';
import { GB42195, GB42195_ITEMS, scoreAssessment } from '../modules/assessments/standards/index.js';
import { COMMUNITY_NAMES, FEMALE_CHARS, MALE_CHARS, SURNAMES, VILLAGE_PREFIX, VILLAGE_SUFFIX } from './names.js';

export interface DemoOptions {
  elders: number;
  seed: number;
  /** Reference date of the data ("today" of the demo); ages and category dates follow it. */
  today?: string;
  log?: (m: string) => void;
}

export const DEMO_PASSWORD = 'Yinling2026';
export const COUNTY = { code: '370124000000', name: '平阴县' };

export const TOWNSHIPS = [
  { code: '370124001000', name: '榆山街道', communities: 16, villages: 9 },
  { code: '370124002000', name: '锦水街道', communities: 12, villages: 13 },
  { code: '370124100000', name: '东阿镇', communities: 2, villages: 40 },
  { code: '370124101000', name: '玫瑰镇', communities: 2, villages: 40 },
  { code: '370124102000', name: '洪范池镇', communities: 1, villages: 40 },
  { code: '370124103000', name: '孔村镇', communities: 2, villages: 40 },
  { code: '370124104000', name: '孝直镇', communities: 2, villages: 40 },
  { code: '370124105000', name: '安城镇', communities: 1, villages: 40 },
];

export interface DemoAccount {
  username: string;
  displayName: string;
  role: Role;
  regionCode: string;
  provider?: boolean;
  note: string;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { username: 'admin', displayName: '张敏（县民政局）', role: 'county_admin', regionCode: '370124000000', note: '县民政局管理员' },
  { username: 'admin2', displayName: '刘洋（县民政局审批）', role: 'county_admin', regionCode: '370124000000', note: '第二位县级管理员（审批）' },
  { username: 'yushan', displayName: '王芳（榆山街道）', role: 'township_staff', regionCode: '370124001000', note: '榆山街道工作人员' },
  { username: 'donge', displayName: '李强（东阿镇）', role: 'township_staff', regionCode: '370124100000', note: '东阿镇工作人员' },
  { username: 'village', displayName: '赵丽（东关社区）', role: 'village_worker', regionCode: '370124001001', note: '榆山街道东关社区工作人员' },
  { username: 'provider', displayName: '孙经理（颐康居家养老）', role: 'provider_admin', regionCode: '370124001000', provider: true, note: '服务机构管理员' },
  { username: 'caregiver', displayName: '周护理员', role: 'caregiver', regionCode: '370124001000', provider: true, note: '护理员' },
  { username: 'assessor', displayName: '吴评估员', role: 'assessor', regionCode: '370124000000', note: '第三方评估员' },
  { username: 'inspector', displayName: '郑监管员', role: 'inspector', regionCode: '370124000000', note: '监管人员' },
  { username: 'volunteer', displayName: '钱志愿者', role: 'volunteer', regionCode: '370124001001', note: '时间银行志愿者' },
  { username: 'family', displayName: '陈女士（家属）', role: 'family', regionCode: '370124001001', note: '老年人家属' },
  { username: 'laoren', displayName: '老人本人', role: 'family', regionCode: '370124001001', note: '东关社区一位老人本人（手机上自己下单、评价）' },
];

interface Village {
  code: string;
  name: string;
  urban: boolean;
  weight: number;
}

/** Regions of the demo county: province, city, county, townships, villages. */
export function demoRegions(rng: Rng) {
  const regions: { code: string; name: string; level: number; parent: string | null; ur: string | null }[] = [
    { code: '370000000000', name: '山东省', level: 1, parent: null, ur: null },
    { code: '370100000000', name: '济南市', level: 2, parent: '370000000000', ur: null },
    { code: COUNTY.code, name: COUNTY.name, level: 3, parent: '370100000000', ur: null },
  ];
  const villages: Village[] = [];
  const used = new Set<string>();
  for (const t of TOWNSHIPS) {
    regions.push({ code: t.code, name: t.name, level: 4, parent: COUNTY.code, ur: null });
    const street = t.code.slice(6, 9) < '100';
    for (let i = 1; i <= t.communities; i++) {
      let n = street ? COMMUNITY_NAMES[(i - 1 + (t.code[8] === '2' ? 12 : 0)) % COMMUNITY_NAMES.length] : `${t.name.slice(0, 2)}${['', '二'][i - 1] ?? i}`;
      while (used.has(n + '社区')) n += '新';
      used.add(n + '社区');
      const code = t.code.slice(0, 9) + String(i).padStart(3, '0');
      const ur = street ? (i <= t.communities - 3 ? '111' : '112') : '121';
      regions.push({ code, name: `${n}社区居民委员会`, level: 5, parent: t.code, ur });
      villages.push({ code, name: `${n}社区`, urban: true, weight: street ? 3.2 : 2 });
    }
    for (let i = 0; i < t.villages; i++) {
      let n: string;
      do n = rng.pick(VILLAGE_PREFIX) + rng.pick(VILLAGE_PREFIX) + rng.pick(VILLAGE_SUFFIX);
      while (used.has(n));
      used.add(n);
      const code = t.code.slice(0, 9) + String(200 + i).padStart(3, '0');
      const ur = street ? '112' : i < 3 ? '122' : '220';
      regions.push({ code, name: `${n}村民委员会`, level: 5, parent: t.code, ur });
      villages.push({ code, name: `${n}村`, urban: false, weight: 1 });
    }
  }
  return { regions, villages };
}

const CATEGORY_SHARES = {
  dibao: 0.05,
  low_income: 0.03,
  severe_disability: 0.015,
  fp_special: 0.005,
  entitled_care: 0.01,
};

/** Age in full years from the pyramid of a county where 28% of people are 60+. */
function drawAge(rng: Rng): number {
  const band = rng.weighted([
    [60, 0.31],
    [65, 0.25],
    [70, 0.19],
    [75, 0.12],
    [80, 0.075],
    [85, 0.038],
    [90, 0.014],
    [95, 0.0025],
    [100, 0.0005],
  ] as const);
  return band + rng.int(0, band === 100 ? 5 : 4);
}

function addDays(date: string, days: number): string {
  const d = new Date(date + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const pinyinCache = new Map<string, string>();
function py(ch: string, surname: boolean): string {
  const k = (surname ? 's' : 'g') + ch;
  let v = pinyinCache.get(k);
  if (v === undefined) {
    v = pinyin(ch, { toneType: 'none', type: 'array', surname: surname ? 'head' : 'off' })
      .join('')
      .replace('ü', 'v');
    pinyinCache.set(k, v);
  }
  return v;
}

// Hukou address codes used when a birth date's 500 sequence numbers per sex are used up
// (only at benchmark sizes): Pingyin first, then other Jinan districts.
const ADDRESS_CODES = ['370124', '370102', '370103', '370104', '370105', '370112', '370113', '370114', '370115', '370116', '370117', '370126'];

export async function loadDemo(db: Database, opts: DemoOptions): Promise<{ elders: number; regions: number; ms: number }> {
  const t0 = Date.now();
  const log = opts.log ?? (() => {});
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const rng = new Rng(opts.seed);
  const { regions, villages } = demoRegions(rng);
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  await db.system(async (tx) => {
    await insertRegions(tx, regions);
    const providerId = rng.uuid();
    await tx.exec(sql`insert into providers (id, county_code, region_code, name, credit_code, kind)
      values (${providerId}, '370124', '370124001000', '平阴县颐康居家养老服务中心', '91370124MA3C000001', 'home_care')`);
    for (const a of DEMO_ACCOUNTS)
      await tx.exec(sql`insert into users (username, display_name, role, region_code, county_code, provider_id, password_hash, phone)
        values (${a.username}, ${a.displayName}, ${a.role}, ${a.regionCode}, ${a.regionCode.slice(0, 6)}, ${a.provider ? providerId : null},
                ${passwordHash}, ${'139' + String(rng.int(10000000, 99999999))})`);
    await tx.exec(sql`insert into county_settings (county_code, key, value, note) values
      ('370124', 'assessment.standard', '"GB/T 42195-2022"', '本县执行的能力评估标准'),
      ('370124', 'disability.minLevel', '2', '“失能”口径：GB/T 42195 等级≥2（中度失能）'),
      ('370124', 'assessment.validityMonths', '12', '能力评估有效期（月）[C]')`);
    await insertElders(tx, rng, villages, opts.elders, today, log);
    await insertAssessments(tx, rng, today);
    await insertFacilities(tx, today);
    // Benefits before services: demo orders are split against the elders' service entitlement.
    await loadBenefitsDemo(tx, COUNTY.code.slice(0, 6), today);
    await insertServices(tx, today, log);
    // The county's own plan, made from its seed template (平阴县“十四五”养老服务体系规划).
    const admin = await tx.one<{ id: string }>(sql`select id::text as id from users where username = 'admin'`);
    await createPlan(tx, { userId: admin!.id, regionCode: COUNTY.code } as Principal, { template: 'pingyin-2021-2025' });
  });
  // Fresh statistics: without them the planner misjudges the region ranges of row-level security.
  await db.execScript('ANALYZE');
  log(`demo county loaded: ${regions.length} regions, ${opts.elders} elders in ${Date.now() - t0} ms`);
  return { elders: opts.elders, regions: regions.length, ms: Date.now() - t0 };
}

async function insertRegions(tx: Executor, regions: ReturnType<typeof demoRegions>['regions']) {
  await tx.exec(sql`insert into regions (code, name, level, parent_code, county_code, urban_rural_code)
    select code, name, level, parent, left(code, 6), ur
      from unnest(${arr(regions.map((r) => r.code))}::text[], ${arr(regions.map((r) => r.name))}::text[], ${arr(regions.map((r) => r.level))}::int[],
                  ${arr(regions.map((r) => r.parent))}::text[], ${arr(regions.map((r) => r.ur))}::text[]) as t(code, name, level, parent, ur)
     order by level`);
}

async function insertElders(tx: Executor, rng: Rng, villages: Village[], total: number, today: string, log: (m: string) => void) {
  const weights = villages.map((v) => [v, v.weight] as const);
  const seqCount = new Map<string, number>();
  const BATCH = 10_000;
  const todayYear = Number(today.slice(0, 4));
  let made = 0;
  while (made < total) {
    const n = Math.min(BATCH, total - made);
    const E = {
      id: [] as string[],
      region: [] as string[],
      idn: [] as string[],
      name: [] as string[],
      py: [] as string[],
      ini: [] as string[],
      sex: [] as string[],
      birth: [] as string[],
      phone: [] as (string | null)[],
      addr: [] as string[],
      living: [] as string[],
      hh: [] as string[],
      status: [] as string[],
      death: [] as (string | null)[],
      lat: [] as number[],
      lng: [] as number[],
    };
    const H = { id: [] as string[], region: [] as string[], addr: [] as string[] };
    const C = { elder: [] as string[], region: [] as string[], cat: [] as string[], from: [] as string[], doc: [] as string[] };
    let i = 0;
    while (i < n) {
      const v = rng.weighted(weights);
      const hid = rng.uuid();
      const addr = `${v.name}${rng.int(1, 300)}号`;
      H.id.push(hid);
      H.region.push(v.code);
      H.addr.push(addr);
      // Households: couples (both 60+) or one elder; living arrangement follows.
      const couple = i + 1 < n && rng.chance(0.55);
      const withChildren = rng.chance(v.urban ? 0.3 : 0.38);
      const members = couple ? 2 : 1;
      const baseAge = drawAge(rng);
      const poor = rng.chance(0.012);
      const rural = !v.urban;
      for (let m = 0; m < members; m++) {
        const sex = members === 2 ? (m === 0 ? 'M' : 'F') : rng.chance(baseAge >= 80 ? 0.62 : 0.52) ? 'F' : 'M';
        const age = m === 0 ? baseAge : Math.max(60, Math.min(105, baseAge + rng.int(-5, 3)));
        const year = todayYear - age - (rng.chance(0.5) ? 1 : 0);
        const birth = addDays(`${year}-01-01`, rng.int(0, 364));
        const key = birth + sex;
        const k = seqCount.get(key) ?? 0;
        seqCount.set(key, k + 1);
        const address6 = ADDRESS_CODES[Math.floor(k / 500) % ADDRESS_CODES.length];
        const seq = (k % 500) * 2 + (sex === 'M' ? 1 : 0);
        const idn = makeIdNumber(address6, birth, seq);
        const surname = rng.weighted(SURNAMES);
        const chars = sex === 'M' ? MALE_CHARS : FEMALE_CHARS;
        const given = rng.chance(0.7) ? rng.pick(chars) + rng.pick(chars) : rng.pick(chars);
        const name = surname + given;
        const pys = [py(surname, true), ...[...given].map((c) => py(c, false))];
        const id = rng.uuid();
        const living = members === 1 ? (withChildren ? 'children' : 'alone') : withChildren ? 'spouse_children' : 'spouse';
        const deceased = rng.chance(age >= 85 ? 0.05 : 0.01);
        E.id.push(id);
        E.region.push(v.code);
        E.idn.push(idn);
        E.name.push(name);
        E.py.push(pys.join(''));
        E.ini.push(pys.map((p) => p[0]).join(''));
        E.sex.push(sex);
        E.birth.push(birth);
        E.phone.push(rng.chance(0.8) ? `1${rng.pick(['35', '38', '39', '58', '59', '87', '88', '86'])}${String(rng.int(0, 99999999)).padStart(8, '0')}` : null);
        E.addr.push(addr);
        E.living.push(living);
        E.hh.push(hid);
        E.status.push(deceased ? 'deceased' : 'active');
        E.death.push(deceased ? addDays(today, -rng.int(1, 365)) : null);
        E.lat.push(36.29 + (Number(v.code.slice(6, 9)) % 50) * 0.004 + rng.next() * 0.02);
        E.lng.push(116.45 + (Number(v.code.slice(9)) % 60) * 0.002 + rng.next() * 0.02);
        const cats: string[] = [];
        if (poor) cats.push(rng.chance(0.25) ? 'tekun_centralized' : 'tekun_dispersed');
        if (poor && cats[0] === 'tekun_dispersed' && rng.chance(0.35)) cats.push('willing_centralized');
        if (!poor) for (const [c, p] of Object.entries(CATEGORY_SHARES)) if (rng.chance(p * (rural && c === 'dibao' ? 1.3 : 1))) cats.push(c);
        if (cats.includes('dibao') || cats.includes('low_income') || poor) cats.push('econ_hardship');
        if (!withChildren) cats.push('empty_nest');
        if (living === 'alone') cats.push('living_alone');
        if (rural && !withChildren && rng.chance(0.35)) cats.push('left_behind');
        for (const c of cats) {
          C.elder.push(id);
          C.region.push(v.code);
          C.cat.push(c);
          C.from.push(addDays(today, -rng.int(30, 3650)));
          C.doc.push(`平民字〔${rng.int(2016, todayYear)}〕${rng.int(1, 120)}号`);
        }
        i++;
      }
    }
    await tx.exec(sql`insert into households (id, county_code, region_code, address)
      select id, left(r, 6), r, a from unnest(${arr(H.id)}::uuid[], ${arr(H.region)}::text[], ${arr(H.addr)}::text[]) as t(id, r, a)`);
    await tx.exec(sql`insert into elders (id, county_code, region_code, hukou_region_code, id_number, name, name_pinyin, name_initials, sex, birth_date,
        phone, address, lat, lng, living_arrangement, household_id, status, death_date)
      select id, left(r, 6), r, r, idn, nm, py, ini, sx, b, ph, ad, la, ln, lv, hh, st, dd
        from unnest(${arr(E.id)}::uuid[], ${arr(E.region)}::text[], ${arr(E.idn)}::text[], ${arr(E.name)}::text[], ${arr(E.py)}::text[], ${arr(E.ini)}::text[], ${arr(E.sex)}::text[],
                    ${arr(E.birth)}::date[], ${arr(E.phone)}::text[], ${arr(E.addr)}::text[], ${arr(E.lat)}::float8[], ${arr(E.lng)}::float8[], ${arr(E.living)}::text[],
                    ${arr(E.hh)}::uuid[], ${arr(E.status)}::text[], ${arr(E.death)}::date[])
             as t(id, r, idn, nm, py, ini, sx, b, ph, ad, la, ln, lv, hh, st, dd)`);
    await tx.exec(sql`insert into elder_categories (elder_id, county_code, region_code, category, valid_from, source_doc)
      select e, left(r, 6), r, c, f, d from unnest(${arr(C.elder)}::uuid[], ${arr(C.region)}::text[], ${arr(C.cat)}::text[], ${arr(C.from)}::date[], ${arr(C.doc)}::text[]) as t(e, r, c, f, d)`);
    made += n;
    if (made % 50_000 === 0 || made === total) log(`  elders ${made}/${total}`);
  }
}

/** Answers of GB/T 42195 whose scores sum to `total` (greedy over the option tables). */
function answersWithTotal(total: number): Record<string, string> {
  let left = total;
  const out: Record<string, string> = {};
  for (const item of GB42195_ITEMS) {
    const opts = [...item.options].sort((a, b) => b.score - a.score);
    const pick = opts.find((o) => o.score <= left) ?? opts[opts.length - 1];
    out[item.code] = pick.code;
    left -= pick.score;
  }
  return out;
}

/**
 * Ability assessments for most elders 80+ and a quarter of the younger ones, dated over the
 * last 18 months (so some have lapsed and show as overdue), with ability falling with age.
 * Scored by the real engine, once per distinct total.
 */
async function insertAssessments(tx: Executor, rng: Rng, today: string) {
  const elders = await tx.rows<{ id: string; region_code: string; birth_date: string }>(
    sql`select id::text as id, region_code, birth_date::text as birth_date from elders where status = 'active' order by id`,
  );
  const info = { reason: 'first', diagnoses: [], riskEvents30d: { fall: 0, wander: 0, choke: 0, suicide_self_harm: 0, other: 0 }, comaA511: false };
  const scored = new Map<number, ReturnType<typeof scoreAssessment> & { answers: Record<string, string> }>();
  const byTotal = (total: number) => {
    let r = scored.get(total);
    if (!r) {
      const answers = answersWithTotal(total);
      r = { ...scoreAssessment({ standard: GB42195, answers, info }), answers };
      scored.set(total, r);
    }
    return r;
  };
  const todayYear = Number(today.slice(0, 4));
  const A = {
    elder: [] as string[],
    region: [] as string[],
    ref: [] as string[],
    until: [] as string[],
    answers: [] as string[],
    dims: [] as string[],
    total: [] as number[],
    pl: [] as number[],
    fl: [] as number[],
    name: [] as string[],
  };
  for (const e of elders) {
    const age = todayYear - Number(e.birth_date.slice(0, 4));
    if (!rng.chance(age >= 80 ? 0.85 : 0.25)) continue;
    const level = rng.weighted(
      age >= 90
        ? ([
            [0, 10],
            [1, 30],
            [2, 25],
            [3, 20],
            [4, 15],
          ] as const)
        : age >= 80
          ? ([
              [0, 25],
              [1, 35],
              [2, 20],
              [3, 12],
              [4, 8],
            ] as const)
          : ([
              [0, 55],
              [1, 30],
              [2, 9],
              [3, 4],
              [4, 2],
            ] as const),
    );
    const total = level === 0 ? 90 : level === 1 ? rng.int(66, 89) : level === 2 ? rng.int(46, 65) : level === 3 ? rng.int(30, 45) : rng.int(5, 29);
    const r = byTotal(total);
    const ref = addDays(today, -rng.int(1, 540));
    A.elder.push(e.id);
    A.region.push(e.region_code);
    A.ref.push(ref);
    A.until.push(addDays(addDays(ref, 365), -1));
    A.answers.push(JSON.stringify(r.answers));
    A.dims.push(JSON.stringify(r.dimensions));
    A.total.push('total' in r ? r.total : 0);
    A.pl.push(r.preliminaryLevel);
    A.fl.push(r.finalLevel);
    A.name.push(r.levelName.zh);
  }
  for (let i = 0; i < A.elder.length; i += 10_000) {
    const s = <T>(xs: T[]) => arr(xs.slice(i, i + 10_000));
    await tx.exec(sql`insert into assessments (elder_id, county_code, region_code, standard, reason, reference_date, valid_until, answers, annex,
        dimension_scores, total, preliminary_level, applied_rules, final_level, level_name, assessors)
      select e, left(r, 6), r, ${GB42195}, 'first', ref, vu, an, ${JSON.stringify(info)}::jsonb, dm, tt, pl, '[]'::jsonb, fl, nm, '{县评估中心}'
        from unnest(${s(A.elder)}::uuid[], ${s(A.region)}::text[], ${s(A.ref)}::date[], ${s(A.until)}::date[], ${s(A.answers)}::jsonb[],
                    ${s(A.dims)}::jsonb[], ${s(A.total)}::int[], ${s(A.pl)}::int[], ${s(A.fl)}::int[], ${s(A.name)}::text[])
             as t(e, r, ref, vu, an, dm, tt, pl, fl, nm)`);
  }
}

/** True when the database holds no county yet (first start). */
export async function isEmpty(db: Database): Promise<boolean> {
  return !(await db.root.one(sql`select 1 as x from regions limit 1`));
}
