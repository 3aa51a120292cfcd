/**
 * The demo county's facility network (四级养老服务网络): a county centre, a comprehensive centre in
 * most townships (洪范池镇 and 安城镇 still without one), a 敬老院 per town, a few private homes,
 * day-care in most urban communities, happiness homes in most villages, canteens, senior
 * universities and rental points; beds by room, residents (特困 集中供养 first), residential
 * compounds, and waiting lists at the public homes. Its own seeded Rng, so the elders and
 * assessments of the other generators stay as they were.
 */
import { arr, sql, type Executor } from '../kernel/db.js';
import { Rng } from './random.js';

const COUNTY = '370124';
const TOWNS = [
  { code: '370124001000', name: '榆山街道', centre: true },
  { code: '370124002000', name: '锦水街道', centre: true },
  { code: '370124100000', name: '东阿镇', centre: true },
  { code: '370124101000', name: '玫瑰镇', centre: true },
  { code: '370124102000', name: '洪范池镇', centre: false },
  { code: '370124103000', name: '孔村镇', centre: true },
  { code: '370124104000', name: '孝直镇', centre: true },
  { code: '370124105000', name: '安城镇', centre: false },
];

interface F {
  id: string;
  region: string;
  name: string;
  kind: string;
  ownership: string;
  operator: string | null;
  functions: string[];
  opened: string;
  clinic: boolean;
  partner: string | null;
  partnerUntil: string | null;
  licensed: boolean;
  smart: boolean;
  iot: boolean;
  affordable: boolean;
  admits: boolean;
  /** [general, nursing, dementia, hospice] */
  beds: [number, number, number, number];
  /** Share of beds occupied. */
  fill: number;
}

function addDays(date: string, days: number): string {
  const d = new Date(date + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export async function insertFacilities(tx: Executor, today: string): Promise<void> {
  const rng = new Rng(20260606);
  // The elders were inserted in this same transaction: without statistics the planner takes the
  // per-elder lookups below for nested loops over whole tables (minutes at 100,000 elders).
  await tx.exec(sql`analyze elders, elder_categories, assessments`);
  const villages = await tx.rows<{ code: string; name: string; ur: string | null }>(sql`select code, name, urban_rural_code as ur from regions
    where county_code = ${COUNTY} and level = 5 order by code`);
  const fs: F[] = [];
  const base = (o: Partial<F> & Pick<F, 'region' | 'name' | 'kind'>): F => ({
    id: rng.uuid(),
    ownership: 'public',
    operator: null,
    functions: [],
    opened: addDays(today, -rng.int(200, 3000)),
    clinic: false,
    partner: null,
    partnerUntil: null,
    licensed: false,
    smart: false,
    iot: rng.chance(0.6),
    affordable: false,
    admits: false,
    beds: [0, 0, 0, 0],
    fill: 0,
    ...o,
  });

  fs.push(
    base({
      region: COUNTY + '000000',
      name: '平阴县综合养老服务中心',
      kind: 'county_center',
      functions: ['full_care', 'day_care', 'home_visits', 'meals', 'medical', 'guidance'],
      opened: '2019-09-01',
      clinic: true,
      licensed: true,
      smart: true,
      iot: true,
      admits: true,
      beds: [20, 50, 16, 6],
      fill: 0.82,
    }),
  );
  for (const t of TOWNS) {
    if (t.centre)
      fs.push(
        base({
          region: t.code,
          name: `${t.name}综合养老服务中心`,
          kind: 'township_center',
          ownership: 'public_private',
          operator: rng.pick(['山东颐和养老服务有限公司', '平阴县康宁养老服务中心', '济南福寿康养老服务有限公司']),
          functions: ['day_care', 'home_visits', 'meals', 'guidance', 'respite'],
          beds: [6, 10, 0, 0],
          fill: 0.5,
        }),
      );
    if (t.code.slice(6, 9) >= '100')
      fs.push(
        base({
          region: t.code,
          name: `${t.name}敬老院`,
          kind: 'township_home',
          functions: ['full_care', 'meals'],
          partner: `${t.name}卫生院`,
          partnerUntil: addDays(today, rng.int(-60, 700)),
          admits: true,
          beds: [rng.int(16, 30), rng.int(14, 24), 0, 0],
          fill: 0.5 + rng.next() * 0.2,
        }),
      );
    if (rng.chance(0.6) || t.code.slice(6, 9) < '100')
      fs.push(base({ region: t.code, name: `${t.name}老年大学`, kind: 'senior_university', functions: ['learning'] }));
    if (rng.chance(0.4)) fs.push(base({ region: t.code, name: `${t.name}康复辅助器具租赁点`, kind: 'assistive_rental', functions: ['rental'] }));
  }
  fs.push(
    base({
      region: '370124001000',
      name: '平阴县颐康护理院',
      kind: 'care_home',
      ownership: 'private',
      operator: '平阴县颐康护理院有限公司',
      functions: ['full_care', 'medical', 'rehab'],
      clinic: true,
      licensed: true,
      smart: true,
      affordable: true,
      beds: [20, 40, 10, 4],
      fill: 0.75,
    }),
    base({
      region: '370124002000',
      name: '锦水颐养院',
      kind: 'care_home',
      ownership: 'private',
      operator: '平阴锦水颐养服务有限公司',
      functions: ['full_care', 'day_care'],
      partner: '平阴县人民医院',
      partnerUntil: addDays(today, 400),
      affordable: true,
      beds: [30, 20, 0, 0],
      fill: 0.6,
    }),
    base({
      region: '370124100000',
      name: '东阿镇康乐养老院',
      kind: 'care_home',
      ownership: 'private',
      operator: '东阿镇康乐养老服务中心',
      functions: ['full_care'],
      beds: [24, 6, 0, 0],
      fill: 0.45,
    }),
  );
  for (const v of villages) {
    const community = Number(v.code.slice(9)) < 200;
    const short = v.name.replace(/(社区居民委员会|村民委员会)$/, '');
    if (community && rng.chance(0.85))
      fs.push(
        base({
          region: v.code,
          name: `${short}社区日间照料中心`,
          kind: 'daycare',
          functions: ['day_care', 'meals', 'home_visits'],
          beds: [rng.int(0, 4), 0, 0, 0],
        }),
      );
    if (community && v.code.startsWith('370124001') && ['001', '003'].includes(v.code.slice(9)))
      fs.push(
        base({
          region: v.code,
          name: `${short}嵌入式养老院`,
          kind: 'embedded_home',
          ownership: 'public_private',
          functions: ['full_care', 'day_care'],
          beds: [8, 12, 4, 0],
          fill: 0.6,
        }),
      );
    if (!community && rng.chance(0.7))
      fs.push(base({ region: v.code, name: `${short}村农村幸福院`, kind: 'happiness_home', functions: ['day_care', 'meals'] }));
    if (rng.chance(0.1)) fs.push(base({ region: v.code, name: `${short}孝善食堂`, kind: 'canteen', functions: ['meals'] }));
  }

  const col = <K extends keyof F>(k: K) => arr(fs.map((f) => f[k]));
  await tx.exec(sql`insert into facilities (id, county_code, region_code, name, kind, ownership, operator_name, functions, opened_on, registered_on, status,
      status_since, clinic, medical_partner, medical_agreement_until, medical_licensed, smart_fire, smart_gas, kitchen_camera, smart_care_home, affordable,
      admits_applicants, address)
    select id, ${COUNTY}, region, name, kind, own, op, string_to_array(fn, ','), opened, opened, 'operating', opened, clinic, partner, until, licensed,
           iot, iot, iot, smart, affordable, admits, name || '（示例地址）'
      from unnest(${col('id')}::uuid[], ${col('region')}::text[], ${col('name')}::text[], ${col('kind')}::text[], ${col('ownership')}::text[],
                  ${col('operator')}::text[], ${arr(fs.map((f) => f.functions.join(',')))}::text[], ${col('opened')}::date[], ${col('clinic')}::boolean[],
                  ${col('partner')}::text[], ${col('partnerUntil')}::date[], ${col('licensed')}::boolean[], ${col('iot')}::boolean[],
                  ${col('smart')}::boolean[], ${col('affordable')}::boolean[], ${col('admits')}::boolean[])
        as t(id, region, name, kind, own, op, fn, opened, clinic, partner, until, licensed, iot, smart, affordable, admits)`);

  // Beds: ten to a floor, two to a room; types in the order nursing, dementia, hospice, general.
  const bf: string[] = [];
  const rooms: string[] = [];
  const labels: string[] = [];
  const types: string[] = [];
  const added: string[] = [];
  for (const f of fs) {
    const seq = [
      ...Array(f.beds[1]).fill('nursing'),
      ...Array(f.beds[2]).fill('dementia'),
      ...Array(f.beds[3]).fill('hospice'),
      ...Array(f.beds[0]).fill('general'),
    ];
    seq.forEach((type, i) => {
      bf.push(f.id);
      rooms.push(String(100 * (1 + Math.floor(i / 20)) + 1 + Math.floor((i % 20) / 2)));
      labels.push(String(1 + (i % 2)));
      types.push(type);
      // Some nursing beds were added this year (new nursing beds).
      added.push(type !== 'general' && i % 9 === 0 ? addDays(today, -rng.int(10, 150)) : f.opened);
    });
  }
  await tx.exec(sql`insert into beds (facility_id, county_code, region_code, room, label, type, added_on)
    select t.f, ${COUNTY}, f.region_code, t.room, t.label, t.type, t.added
      from unnest(${arr(bf)}::uuid[], ${arr(rooms)}::text[], ${arr(labels)}::text[], ${arr(types)}::text[], ${arr(added)}::date[]) as t(f, room, label, type, added)
      join facilities f on f.id = t.f`);

  // Residents: 特困 (集中供养) of the home's area first, then others; a few have moved out.
  for (const f of fs.filter((x) => x.fill > 0)) {
    const total = f.beds.reduce((a, b) => a + b, 0);
    const n = Math.round(total * f.fill);
    const lo = f.region.endsWith('000000') ? f.region.slice(0, 6) : f.region.slice(0, 9);
    await tx.exec(sql`
      with e as (select el.id, row_number() over (order by exists (select 1 from elder_categories c where c.elder_id = el.id
                        and c.category = 'tekun_centralized' and c.valid_to is null) desc, md5(el.id_number)) as rn
                   from elders el
                  where el.county_code = ${COUNTY} and left(el.region_code, ${lo.length}) = ${lo} and el.status = 'active'
                    and extract(year from age(${today}::date, el.birth_date)) >= 70
                    and not exists (select 1 from facility_residents r where r.elder_id = el.id)
                  order by rn limit ${n}),
           b as (select id, row_number() over (order by room, label) as rn from beds where facility_id = ${f.id})
      insert into facility_residents (elder_id, facility_id, bed_id, county_code, region_code, move_in)
      select e.id, ${f.id}, b.id, ${COUNTY}, ${f.region}, greatest(${f.opened}::date, ${today}::date - ((e.rn * 37) % 900)::int)
        from e join b on b.rn = e.rn`);
  }
  await tx.exec(
    sql`update beds b set status = 'occupied' from facility_residents r where r.bed_id = b.id and r.move_out is null and b.county_code = ${COUNTY}`,
  );
  // Occupancy history: a few former residents who left earlier this year.
  await tx.exec(sql`
    with e as (select el.id, row_number() over (order by md5(el.id_number || 'out')) as rn from elders el
                where el.county_code = ${COUNTY} and el.status = 'active' and extract(year from age(${today}::date, el.birth_date)) >= 75
                  and not exists (select 1 from facility_residents r where r.elder_id = el.id) limit 30),
         b as (select b.id, b.facility_id, b.region_code, row_number() over (order by md5(b.id::text)) as rn from beds b
                where b.county_code = ${COUNTY} and b.status = 'free' and exists (select 1 from facilities f where f.id = b.facility_id and f.kind <> 'daycare'))
    insert into facility_residents (elder_id, facility_id, bed_id, county_code, region_code, move_in, move_out, move_out_reason)
    select e.id, b.facility_id, b.id, ${COUNTY}, b.region_code, ${today}::date - 400 - e.rn::int * 5, ${today}::date - 20 - e.rn::int * 9, '回家居住'
      from e join b on b.rn = e.rn`);

  // Waiting lists at the public homes: 特困 willing to live in care, poor elders who are old or
  // alone, and others, applied over the past year.
  const homes = fs.filter((f) => f.admits);
  const prefix = (r: string) => (r.endsWith('000000') ? r.slice(0, 6) : r.slice(0, 9));
  // One statement for every home: each elder's flags once (hash joins), then the first few of
  // each group per home. Most applicants were assessed for admission (入住评估); a few still wait.
  await tx.exec(sql`
    with homes as (select * from unnest(${arr(homes.map((h) => h.id))}::uuid[], ${arr(homes.map((h) => prefix(h.region)))}::text[],
                                        ${arr(homes.map((_, i) => String(i)))}::text[]) as h(id, lo, k)),
         cats as (select elder_id, bool_or(category = 'willing_centralized') as willing,
                         bool_or(category in ('dibao','low_income','econ_hardship')) as poor
                    from elder_categories where county_code = ${COUNTY} and valid_to is null group by elder_id),
         ass as (select distinct elder_id from assessments
                  where county_code = ${COUNTY} and status = 'completed' and (valid_until is null or valid_until >= ${today}::date)),
         pool as (select el.id, el.region_code, el.id_number, coalesce(c.willing, false) as willing, coalesce(c.poor, false) as poor,
                         a.elder_id is not null as assessed
                    from elders el left join cats c on c.elder_id = el.id left join ass a on a.elder_id = el.id
                   where el.county_code = ${COUNTY} and el.status = 'active'
                     and el.id not in (select elder_id from facility_residents where move_out is null)),
         cand as (select h.id as home, p.id, p.region_code, p.willing, p.poor,
                         row_number() over (partition by h.id, p.willing, p.poor and not p.willing order by p.assessed desc, md5(p.id_number || h.k)) as rn
                    from homes h join pool p on left(p.region_code, length(h.lo)) = h.lo)
    insert into admission_applications (elder_id, facility_id, county_code, region_code, applicant, applied_on)
    select id, home, ${COUNTY}, region_code, (array['elder','family','village_worker'])[1 + (rn % 3)::int],
           ${today}::date - ((abs(hashtext(id::text || home::text)) % 330) + 5)
      from cand where (willing and rn <= 3) or (poor and not willing and rn <= 4) or (not poor and not willing and rn <= 3)`);

  // Residential compounds of the two streets, assessed against the area standard.
  const cs: { region: string; name: string; kind: string; hh: number; area: number }[] = [];
  const urban = villages.filter((v) => v.code.slice(6, 9) < '100' && Number(v.code.slice(9)) < 200);
  for (const [i, v] of urban.entries()) {
    if (i % 2) continue;
    const kind = i % 4 === 0 ? 'new' : 'old';
    const hh = rng.int(300, 1500);
    const per100 = kind === 'new' ? rng.pick([14, 18, 20, 22, 25]) : rng.pick([10, 15, 16, 18]);
    cs.push({
      region: v.code,
      name: `${v.name.replace(/社区居民委员会$/, '')}${kind === 'new' ? '新苑' : '小区'}`,
      kind,
      hh,
      area: Math.round((hh * per100) / 100),
    });
  }
  await tx.exec(sql`insert into residential_compounds (county_code, region_code, name, kind, households, facility_area_m2, assessed_on)
    select ${COUNTY}, r, n, k, h, a, ${addDays(today, -90)}::date
      from unnest(${arr(cs.map((c) => c.region))}::text[], ${arr(cs.map((c) => c.name))}::text[], ${arr(cs.map((c) => c.kind))}::text[],
                  ${arr(cs.map((c) => c.hh))}::int[], ${arr(cs.map((c) => c.area))}::numeric[]) as t(r, n, k, h, a)`);

  // Star ratings of the homes (GB/T 37276).
  await tx.exec(sql`insert into facility_star_ratings (facility_id, county_code, region_code, stars, rated_on, valid_until, note)
    select f.id, ${COUNTY}, f.region_code, case when f.kind = 'county_center' then 4 when f.ownership = 'private' then 3 else 2 end,
           ${addDays(today, -200)}::date, ${addDays(today, 900)}::date, '县级星级评定'
      from facilities f where f.county_code = ${COUNTY} and f.kind in ('county_center','care_home','township_home')`);
}
