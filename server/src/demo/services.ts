/**
 * Demo data of home services: the supplier catalogue (the demo's 颐康 provider and four more),
 * their caregivers (the `caregiver` account is 颐康's 周护理员; `caregiver2` … one per other
 * provider), the county's menu (十助), the `family` account linked to an elder of 东关社区, and
 * a few months of orders — completed, rated, a few flagged or complained about, the past months
 * settled — plus today's tasks for the caregiver account. Seeded with its own constant.
 */
import { arr, sql, type Executor } from '../kernel/db.js';
import { countyToday } from '../kernel/dates.js';
import type { Principal } from '../kernel/principal.js';
import { serviceEntitlement } from '../modules/benefits/entitlement.js';
import { generatePlanOrders } from '../modules/services/beds.service.js';
import { acceptOrder } from '../modules/services/orders.service.js';
import { buildSettlement } from '../modules/services/settlement.service.js';
import { splitOrder } from '../modules/services/split.js';
import { Rng } from './random.js';

const SEED = 20261105;

export const DEMO_ITEMS = [
  { code: 'ZC01', category: 'meal', name: '助餐送餐上门', unit: '餐', price: 1200, minutes: 20, skill: 'meal' },
  { code: 'ZY01', category: 'bath', name: '上门助浴', unit: '次', price: 8000, minutes: 60, skill: 'bath' },
  { code: 'ZJ01', category: 'clean', name: '居室保洁', unit: '小时', price: 3500, minutes: 60, skill: 'clean' },
  { code: 'ZJ02', category: 'clean', name: '衣物清洗', unit: '次', price: 2500, minutes: 45, skill: 'clean' },
  { code: 'ZX01', category: 'walk', name: '陪同出行', unit: '小时', price: 3000, minutes: 60, skill: 'escort' },
  { code: 'ZYI1', category: 'medical', name: '陪同就医', unit: '次', price: 6000, minutes: 120, skill: 'medical' },
  { code: 'ZJI1', category: 'emergency', name: '紧急上门援助', unit: '次', price: 5000, minutes: 30, skill: 'nursing' },
  { code: 'ZL01', category: 'chat', name: '上门陪聊', unit: '小时', price: 2000, minutes: 60, skill: null },
  { code: 'ZG01', category: 'shopping', name: '代购生活用品', unit: '次', price: 1500, minutes: 40, skill: null },
  { code: 'ZXI1', category: 'repair', name: '家电水电维修', unit: '次', price: 4000, minutes: 60, skill: 'repair' },
  { code: 'ZK01', category: 'care', name: '康复护理', unit: '次', price: 7000, minutes: 60, skill: 'rehab' },
  { code: 'ZK02', category: 'care', name: '生活照料（理发、修脚）', unit: '次', price: 3000, minutes: 45, skill: 'nursing' },
] as const;

const PROVIDERS = [
  // The demo's first provider (already inserted by generate.ts): 颐康.
  { name: '平阴县颐康居家养老服务中心', region: '370124001000', areas: ['370124001000', '370124002000'], lat: 36.289, lng: 116.456, credit: 'good' },
  { name: '平阴县锦水社区养老服务驿站', region: '370124002000', areas: ['370124002000', '370124001000'], lat: 36.275, lng: 116.43, credit: 'good' },
  { name: '东阿镇福寿居家养老服务站', region: '370124100000', areas: ['370124100000', '370124101000'], lat: 36.19, lng: 116.38, credit: 'good' },
  {
    name: '孔村镇康乐养老服务有限公司',
    region: '370124103000',
    areas: ['370124103000', '370124104000', '370124105000'],
    lat: 36.36,
    lng: 116.55,
    credit: 'watch',
  },
  { name: '洪范池镇乡村互助养老服务社', region: '370124102000', areas: ['370124102000'], lat: 36.12, lng: 116.33, credit: 'good' },
];
const SKILL_SETS = [
  ['bath', 'nursing', 'clean'],
  ['meal', 'clean', 'escort'],
  ['medical', 'escort', 'nursing'],
  ['rehab', 'nursing'],
  ['repair', 'clean'],
  ['bath', 'rehab'],
];
const CG_NAMES = ['周', '吴', '郑', '王', '冯', '陈', '褚', '卫', '蒋', '沈', '韩', '杨', '朱', '秦', '尤', '许', '何', '吕', '施', '张'];
const CG_GIVEN = ['秀兰', '桂英', '玉梅', '凤霞', '建华', '丽娟', '海燕', '红梅', '春花', '志强'];

const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export async function insertServices(tx: Executor, today: string, log: (m: string) => void = () => {}) {
  const rng = new Rng(SEED);
  const county = '370124';
  // Providers: the existing 颐康 gets its catalogue entries; the others are added.
  const first = await tx.one<{ id: string }>(sql`select id::text as id from providers where credit_code = '91370124MA3C000001'`);
  if (!first) return;
  const providerIds: string[] = [first.id];
  for (const [i, p] of PROVIDERS.entries()) {
    const common = sql`qualifications = ${arr(['养老服务机构备案', '居家养老服务定点单位'])}::text[], service_regions = ${arr(p.areas)}::text[],
      contract_no = ${`PY-JJ-2026-${String(i + 1).padStart(3, '0')}`}, contract_from = '2026-01-01', contract_to = '2027-12-31',
      rating = ${4 + rng.int(0, 9) / 10}, credit_status = ${p.credit}, contact_phone = ${'0531-8788' + String(rng.int(1000, 9999))},
      address = ${p.name.replace(/有限公司|服务中心|服务站|服务社|服务驿站/, '') + '（平阴县）'}, lat = ${p.lat}, lng = ${p.lng}`;
    if (i === 0) await tx.exec(sql`update providers set ${common} where id = ${first.id}`);
    else {
      const id = rng.uuid();
      await tx.exec(sql`insert into providers (id, county_code, region_code, name, credit_code, kind) values (${id}, ${county}, ${p.region}, ${p.name},
        ${'91370124MA3C' + String(100000 + i).slice(-6)}, 'home_care')`);
      await tx.exec(sql`update providers set ${common} where id = ${id}`);
      providerIds.push(id);
    }
  }
  // Menu.
  await tx.exec(sql`insert into service_items (county_code, region_code, code, category, name, unit, price_cents, duration_min, skill)
    select ${county}, '370124000000', code, cat, name, unit, price, minutes, skill
      from unnest(${arr(DEMO_ITEMS.map((i) => i.code))}::text[], ${arr(DEMO_ITEMS.map((i) => i.category))}::text[], ${arr(DEMO_ITEMS.map((i) => i.name))}::text[],
                  ${arr(DEMO_ITEMS.map((i) => i.unit))}::text[], ${arr(DEMO_ITEMS.map((i) => i.price))}::int[], ${arr(DEMO_ITEMS.map((i) => i.minutes))}::int[],
                  ${arr(DEMO_ITEMS.map((i) => i.skill))}::text[]) as t(code, cat, name, unit, price, minutes, skill)`);
  const items = await tx.rows<{
    id: string;
    code: string;
    category: string;
    name: string;
    unit: string;
    skill: string | null;
    price_cents: number;
    duration_min: number;
  }>(sql`select id::text as id, code, category, name, unit, skill, price_cents, duration_min from service_items where county_code = ${county} order by code`);
  // Caregivers: 6–9 per provider; the `caregiver` account is 颐康's first; `caregiver2` … the others' first.
  const cg = { id: [] as string[], provider: [] as string[], region: [] as string[], name: [] as string[], skills: [] as string[], phone: [] as string[] };
  const byProvider = new Map<string, { id: string; name: string; skills: string[] }[]>();
  for (const [i, pid] of providerIds.entries()) {
    const n = rng.int(6, 9);
    for (let k = 0; k < n; k++) {
      const id = rng.uuid();
      const name = k === 0 && i === 0 ? '周秀兰' : rng.pick(CG_NAMES) + rng.pick(CG_GIVEN);
      const skills = k === 0 ? ['bath', 'nursing', 'clean', 'meal', 'escort', 'medical'] : rng.pick(SKILL_SETS);
      cg.id.push(id);
      cg.provider.push(pid);
      cg.region.push(PROVIDERS[i].region);
      cg.name.push(name);
      cg.skills.push(`{${skills.join(',')}}`);
      cg.phone.push('138' + String(rng.int(10000000, 99999999)));
      byProvider.set(pid, [...(byProvider.get(pid) ?? []), { id, name, skills }]);
    }
  }
  await tx.exec(sql`insert into caregivers (id, provider_id, county_code, region_code, name, phone, skills, certificates)
    select id, provider, ${county}, region, name, phone, skills::text[], '[{"name":"养老护理员职业技能等级证书（四级）"}]'::jsonb
      from unnest(${arr(cg.id)}::uuid[], ${arr(cg.provider)}::uuid[], ${arr(cg.region)}::text[], ${arr(cg.name)}::text[], ${arr(cg.phone)}::text[], ${arr(cg.skills)}::text[])
           as t(id, provider, region, name, phone, skills)`);
  const demoCarer = await tx.one<{ id: string; password_hash: string }>(sql`select id::text as id, password_hash from users where username = 'caregiver'`);
  if (demoCarer) {
    await tx.exec(sql`update caregivers set user_id = ${demoCarer.id} where id = ${byProvider.get(first.id)![0].id}`);
    for (const [i, pid] of providerIds.entries()) {
      if (i === 0) continue;
      const u = await tx.one<{ id: string }>(sql`insert into users (username, display_name, role, region_code, county_code, provider_id, password_hash, phone)
        values (${`caregiver${i + 1}`}, ${byProvider.get(pid)![0].name + '（护理员）'}, 'caregiver', ${PROVIDERS[i].region}, ${county}, ${pid}, ${demoCarer.password_hash},
                ${'137' + String(rng.int(10000000, 99999999))}) returning id::text as id`);
      await tx.exec(sql`update caregivers set user_id = ${u!.id} where id = ${byProvider.get(pid)![0].id}`);
    }
  }

  // Clients: elders 75+ with coordinates, a stable sample; the family account's father first.
  const clients = await tx.rows<{ id: string; region_code: string; name: string; phone: string | null; address: string | null; lat: number; lng: number }>(
    sql`select id::text as id, region_code, name, phone, address, lat, lng from elders
      where status = 'active' and lat is not null and birth_date <= ${addDays(today, -75 * 365)}::date
      order by md5(id::text) limit 300`,
  );
  if (clients.length === 0) return;
  const family = await tx.one<{ id: string }>(sql`select id::text as id from users where username = 'family'`);
  const dad = clients.find((c) => c.region_code === '370124001001') ?? clients[0];
  if (family)
    await tx.exec(sql`insert into elder_contacts (elder_id, county_code, region_code, name, relation, phone, user_id)
      values (${dad.id}, ${county}, ${dad.region_code}, '陈女士', '女儿', '13905310001', ${family.id})`);

  // An elder of the same community with an account of their own (a contact 本人; see POST /elders/:id/account).
  const self = await tx.one<{ id: string }>(sql`select id::text as id from users where username = 'laoren'`);
  const me = await tx.one<{ id: string; region_code: string; name: string; phone: string | null }>(sql`select id::text as id, region_code, name, phone
    from elders where region_code = ${dad.region_code} and status = 'active' and id <> ${dad.id} order by md5(id::text) limit 1`);
  if (self && me) {
    await tx.exec(sql`insert into elder_contacts (elder_id, county_code, region_code, name, relation, phone, user_id)
      values (${me.id}, ${county}, ${me.region_code}, ${me.name}, '本人', ${me.phone}, ${self.id})`);
    await tx.exec(sql`update users set display_name = ${`${me.name}（本人）`} where id = ${self.id}`);
  }

  const servesOf = (region: string) => providerIds.filter((_, i) => PROVIDERS[i].areas.some((a) => region.startsWith(a.slice(0, 9))));
  const monthStart = today.slice(0, 8) + '01';
  const start = addDays(monthStart, -92).slice(0, 8) + '01';
  type O = {
    elder: (typeof clients)[number];
    item: (typeof items)[number];
    date: string;
    time: string;
    status: string;
    provider: string | null;
    caregiver: { id: string; name: string } | null;
    flags: string[];
    rating: number | null;
    confirmed: boolean;
    channel: string;
  };
  const orders: O[] = [];
  for (const e of [dad, ...clients.filter((c) => c !== dad)]) {
    const serving = servesOf(e.region_code);
    const perMonth = e === dad ? 4 : rng.int(1, 4);
    const favourite = rng.pick(items);
    for (let d = start; d <= addDays(today, 7); d = addDays(d, 1)) {
      if (!rng.chance(perMonth / 30) && !(e === dad && d === addDays(today, 2))) continue;
      const item = rng.chance(0.6) ? favourite : rng.pick(items);
      const time = `${String(rng.int(8, 17)).padStart(2, '0')}:${rng.pick(['00', '30'])}`;
      const provider = serving.length ? rng.pick(serving) : null;
      const pool = provider ? byProvider.get(provider)!.filter((c) => !item.skill || c.skills.includes(item.skill)) : [];
      const caregiver = pool.length ? rng.pick(pool) : null;
      const past = d < today;
      let status = 'pending';
      if (!provider || !caregiver) status = past ? 'cancelled' : 'pending';
      else if (past) status = rng.chance(0.04) ? 'cancelled' : 'completed';
      else if (d === today) status = 'accepted';
      else status = rng.pick(['pending', 'dispatched', 'accepted']);
      const flags: string[] = [];
      if (status === 'completed' && rng.chance(0.04)) flags.push('far_checkin');
      if (status === 'completed' && rng.chance(0.03)) flags.push('too_short');
      const rated = status === 'completed' && rng.chance(0.8);
      orders.push({
        elder: e,
        item,
        date: d,
        time,
        status,
        provider: status === 'pending' ? null : provider,
        caregiver: ['accepted', 'completed'].includes(status) || (status === 'cancelled' && caregiver) ? caregiver : null,
        flags,
        rating: rated
          ? rng.weighted([
              [5, 70],
              [4, 20],
              [3, 6],
              [2, 3],
              [1, 1],
            ] as const)
          : null,
        confirmed: status === 'completed' && (rated || rng.chance(0.9)),
        channel: e === dad || rng.chance(0.3) ? 'family' : 'staff',
      });
    }
  }
  // Today's round for the demo caregiver: three visits in 榆山街道 (on the county's today when the
  // demo is loaded for now: at 01:00 in the county it is still yesterday in UTC).
  const county_today = countyToday();
  const round = Math.abs(Date.parse(county_today) - Date.parse(today)) <= 86_400_000 ? county_today : today;
  const yk = byProvider.get(first.id)![0];
  const near = clients.filter((c) => c.region_code.startsWith('370124001')).slice(0, 3);
  for (const [k, e] of near.entries())
    orders.push({
      elder: e,
      item: items.find((i) => i.code === ['ZY01', 'ZJ01', 'ZK02'][k])!,
      date: round,
      time: ['09:00', '14:00', '16:30'][k],
      status: 'accepted',
      provider: first.id,
      caregiver: yk,
      flags: [],
      rating: null,
      confirmed: false,
      channel: 'staff',
    });

  // The split: each elder-month asks the benefits contract once; orders spend it in date order.
  orders.sort((a, b) => (a.date + a.time).localeCompare(b.date + b.time));
  const budget = new Map<string, { budget: number; used: number; sources: unknown[] }>();
  const gov: number[] = [];
  const copay: number[] = [];
  const ent: string[] = [];
  for (const o of orders) {
    const key = `${o.elder.id}|${o.date.slice(0, 7)}`;
    let b = budget.get(key);
    if (!b) {
      const e = await serviceEntitlement(tx, o.elder.id, o.date);
      b = { budget: e.budgetCents, used: 0, sources: e.sources };
      budget.set(key, b);
    }
    const s = splitOrder({ budgetCents: b.budget, usedCents: b.used, amountCents: o.item.price_cents });
    if (o.status !== 'cancelled') b.used += s.govCents;
    gov.push(s.govCents);
    copay.push(s.copayCents);
    ent.push(
      JSON.stringify({
        month: o.date.slice(0, 7),
        budgetCents: b.budget,
        usedBeforeCents: b.used - (o.status !== 'cancelled' ? s.govCents : 0),
        availableCents: s.availableCents,
        sources: b.sources,
      }),
    );
  }
  const col = <T>(f: (o: O, i: number) => T) => arr(orders.map(f));
  const admin = await tx.one<{ id: string }>(sql`select id::text as id from users where username = 'admin'`);
  await tx.exec(sql`insert into service_orders (no, county_code, region_code, elder_id, elder_name, elder_phone, address, lat, lng, item_id, item_code, item_name,
      category, unit, skill, quantity, duration_min, price_cents, amount_cents, gov_cents, copay_cents, entitlement, service_date, service_time, channel, created_by_name,
      status, provider_id, caregiver_id, caregiver_name, dispatch_mode, dispatched_at, accept_deadline, accepted_at, checkin_at, checkin_lat, checkin_lng, checkin_distance_m,
      checkout_at, checkout_lat, checkout_lng, checkout_distance_m, flags, work_done, elder_confirmed_at, rating, rated_at, rated_by_name, cancelled_at, cancel_reason, created_at)
    select 'FW' || to_char(t.d, 'YYYYMMDD') || lpad(nextval('service_order_no')::text, 6, '0'), ${county}, e.region_code, e.id, e.name, e.phone, e.address, e.lat, e.lng,
      i.id, i.code, i.name, i.category, i.unit, i.skill, 1, i.duration_min, i.price_cents, i.price_cents, t.gov, t.copay, t.ent::jsonb, t.d, t.tm, t.channel,
      case when t.channel = 'family' then '陈女士（家属）' else '赵丽（东关社区）' end,
      t.status, t.provider, t.carer, t.carer_name,
      case when t.provider is not null then case when t.k % 3 = 0 then 'manual' else 'auto' end end,
      case when t.provider is not null then (t.d + t.tm::time) - interval '1 day' end,
      case when t.provider is not null then (t.d + t.tm::time) - interval '1 day' + interval '30 minutes' end,
      case when t.carer is not null then (t.d + t.tm::time) - interval '23 hours' end,
      case when t.status = 'completed' then (t.d + t.tm::time) + make_interval(mins => (t.k % 7)) end,
      case when t.status = 'completed' then e.lat + case when 'far_checkin' = any (f.flags) then 0.02 else 0.0003 end end,
      case when t.status = 'completed' then e.lng end,
      case when t.status = 'completed' then case when 'far_checkin' = any (f.flags) then 2224 else 33 end end,
      case when t.status = 'completed' then (t.d + t.tm::time) + make_interval(mins => (t.k % 7) + case when 'too_short' = any (f.flags) then 8 else i.duration_min + t.k % 11 end) end,
      case when t.status = 'completed' then e.lat + 0.0002 end, case when t.status = 'completed' then e.lng end, case when t.status = 'completed' then 22 end,
      f.flags, case when t.status = 'completed' then '已按' || i.name || '服务规范完成服务' end,
      case when t.confirmed then (t.d + t.tm::time) + make_interval(mins => i.duration_min + 10) end,
      t.rating, case when t.rating is not null then (t.d + t.tm::time) + interval '5 hours' end, case when t.rating is not null then '陈女士（家属）' end,
      case when t.status = 'cancelled' then (t.d + t.tm::time) - interval '3 hours' end, case when t.status = 'cancelled' then '老人临时外出' end,
      (t.d + t.tm::time) - interval '2 days'
    from unnest(${col((o) => o.elder.id)}::uuid[], ${col((o) => o.item.id)}::uuid[], ${col((o) => o.date)}::date[], ${col((o) => o.time)}::text[],
                ${col((o) => o.status)}::text[], ${col((o) => o.provider)}::uuid[], ${col((o) => o.caregiver?.id ?? null)}::uuid[], ${col((o) => o.caregiver?.name ?? null)}::text[],
                ${col((o) => `{${o.flags.join(',')}}`)}::text[], ${col((o) => o.rating)}::int[], ${col((o) => o.confirmed)}::boolean[], ${col((o) => o.channel)}::text[],
                ${arr(gov)}::int[], ${arr(copay)}::int[], ${arr(ent)}::text[], ${col((_o, i) => i)}::int[])
         as t(elder, item, d, tm, status, provider, carer, carer_name, flags_text, rating, confirmed, channel, gov, copay, ent, k)
    cross join lateral (select t.flags_text::text[] as flags) f
    join elders e on e.id = t.elder join service_items i on i.id = t.item`);
  void admin;
  log(`demo services: ${providerIds.length} providers, ${cg.id.length} caregivers, ${orders.length} orders`);
  // A few complaints on past orders, most closed.
  await tx.exec(sql`insert into service_complaints (order_id, county_code, region_code, provider_id, elder_id, kind, content, status, filed_by_name, filed_at,
      handler_name, resolution, closed_at)
    select id, county_code, region_code, provider_id, elder_id, (array['late','quality','attitude'])[1 + abs(hashtext(no)) % 3],
      (array['护理员迟到半小时以上','保洁不彻底，厨房未清理','服务态度生硬'])[1 + abs(hashtext(no)) % 3],
      case when service_date < ${monthStart}::date then 'closed' else 'open' end, '陈女士（家属）', checkout_at + interval '1 day',
      case when service_date < ${monthStart}::date then '王芳（榆山街道）' end,
      case when service_date < ${monthStart}::date then '已约谈服务机构，护理员整改并致歉' end,
      case when service_date < ${monthStart}::date then checkout_at + interval '3 days' end
    from service_orders where status = 'completed' and rating <= 2`);
  // Family care beds: disabled clients of 榆山 and 锦水 (valid assessment at level 2 or above) run by 颐康.
  await tx.exec(sql`insert into family_beds (county_code, region_code, elder_id, elder_name, provider_id, assessment_id, ability_standard, ability_level,
      enrolled_on, adaptation, created_by_name)
    select e.county_code, e.region_code, e.id, e.name, ${first.id}::uuid, a.assessment_id, a.standard, a.final_level, ${start}::date,
      '{"items":[{"name":"卫生间扶手","done":true},{"name":"防滑地面","done":true},{"name":"紧急呼叫器","done":true}]}'::jsonb, '王芳（榆山街道）'
      from elders e join elder_current_ability a on a.elder_id = e.id
     where e.id = any (${arr(clients.map((c) => c.id))}::uuid[]) and e.region_code < '370124003000' and a.final_level >= 2
     order by md5(e.id::text) limit 12`);
  await tx.exec(sql`insert into family_bed_plan (bed_id, item_id, county_code, region_code, provider_id, times_per_month)
    select b.id, i.id, b.county_code, b.region_code, b.provider_id, case i.code when 'ZK01' then 4 when 'ZY01' then 2 else 8 end
      from family_beds b join service_items i on i.code in ('ZK01', 'ZY01', 'ZK02') and i.county_code = b.county_code`);
  await tx.exec(sql`update service_orders o set family_bed_id = b.id from family_beds b
     where o.elder_id = b.elder_id and o.provider_id = b.provider_id and o.item_code in ('ZK01', 'ZY01', 'ZK02')`);
  // The past months are settled and approved.
  const principal = { userId: admin?.id ?? null, displayName: '张敏（县民政局）' } as unknown as Principal;
  for (let m = start.slice(0, 7); m < today.slice(0, 7); m = addDays(`${m}-28`, 7).slice(0, 7))
    for (const pid of providerIds) {
      const s = await buildSettlement(tx, principal, pid, m);
      await tx.exec(sql`update settlements set status = 'approved', approved_by = ${admin?.id ?? null}, approved_by_name = '张敏（县民政局）',
        approved_at = ${addDays(`${m}-28`, 10)}::date where id = ${s.id}`);
    }
  // This month's plan orders of two of 锦水's beds, generated from their plans as staff would and
  // accepted by 颐康 (only when the demo's today is the real one: orders are never placed in the
  // past). 榆山's beds are left for the `yushan` account to press 生成本月计划工单.
  const provider = await tx.one<{ id: string }>(sql`select id::text as id from users where username = 'provider'`);
  if (today.slice(0, 7) === countyToday().slice(0, 7) && provider) {
    const planner = { userId: admin?.id ?? null, displayName: '张敏（县民政局）', role: 'county_admin' } as unknown as Principal;
    const runner = { userId: provider.id, displayName: '颐康居家养老服务中心', role: 'provider_admin', providerId: first.id } as unknown as Principal;
    // Dispatch asks yl_provider_capacity(), which answers only for the caller's county.
    await tx.exec(sql`select set_config('yinling.lo', ${county.padEnd(12, '0')}, true), set_config('yinling.hi', ${county.padEnd(12, '9')}, true)`);
    const beds = await tx.rows<{ id: string }>(
      sql`select id::text as id from family_beds where status = 'active' and region_code not like '370124001%' order by id limit 2`,
    );
    let n = 0;
    for (const b of beds)
      for (const o of (await generatePlanOrders(tx, planner, b.id, today.slice(0, 7), async () => {})).orders) {
        if (o.status === 'dispatched') await acceptOrder(tx, runner, o.id);
        n++;
      }
    await tx.exec(sql`select set_config('yinling.lo', '', true), set_config('yinling.hi', '', true)`);
    log(`demo services: ${n} plan orders of ${beds.length} family care beds`);
  }
}
