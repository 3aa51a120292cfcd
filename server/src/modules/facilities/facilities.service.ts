/** Facilities, beds, residents and compounds: the SQL behind the routes. */
import type { z } from 'zod';
import { sql, type Executor, type SQL } from '../../kernel/db.js';
import { countyToday } from '../../kernel/dates.js';
import { AppError, badRequest, conflict, notFound } from '../../kernel/errors.js';
import { maskIdNumber } from '../../kernel/mask.js';
import { scopeOf } from '../../kernel/scope.js';
import { FACILITY_KINDS, FUNCTION_CODES, KIND_CODES, NURSING_TYPES } from './facilities.schema.js';
import type { AddBedsBody, CompoundBody, CreateFacilityBody, FacilityListQuery, MoveInBody, RatingBody, UpdateFacilityBody } from './facilities.schema.js';

export const today = () => countyToday();

/** A facility operating on a date: opened, not closed, not suspended (alias f). */
export const operatingAt = (asOf: string | SQL) =>
  sql`(f.status <> 'planned' and f.opened_on <= ${asOf}::date
       and not (f.status in ('closed','suspended') and coalesce(f.status_since, f.opened_on) <= ${asOf}::date))`;

/** A bed in place on a date (alias b). */
export const bedAt = (asOf: string | SQL) => sql`(b.added_on <= ${asOf}::date and (b.removed_on is null or b.removed_on > ${asOf}::date))`;

/** A resident living in the facility on a date (alias r). */
export const residentAt = (asOf: string | SQL) => sql`(r.move_in <= ${asOf}::date and (r.move_out is null or r.move_out > ${asOf}::date))`;

const NURSING = sql`array['nursing','dementia','hospice']::text[]`;

const ITEM_COLS = sql`f.id::text as id, f.name, f.kind, f.ownership, f.region_code, v.name as region_name, t.name as township_name,
  f.operator_name, f.functions, f.status, f.opened_on::text as opened_on, f.admits_applicants, f.affordable, f.smart_care_home,
  coalesce(bb.beds, 0)::int as beds, coalesce(bb.nursing, 0)::int as nursing, coalesce(bb.occupied, 0)::int as occupied, coalesce(bb.free, 0)::int as free,
  (select s.stars from facility_star_ratings s where s.facility_id = f.id and (s.valid_until is null or s.valid_until >= current_date)
    order by s.rated_on desc limit 1)::int as stars`;

const ITEM_FROM = sql`from facilities f
  left join regions v on v.code = f.region_code
  left join regions t on t.code = rpad(left(f.region_code, 9), 12, '0') and f.region_code <> rpad(left(f.region_code, 6), 12, '0')
  left join lateral (select count(*) as beds, count(*) filter (where b.type = any(${NURSING})) as nursing,
                            count(*) filter (where b.status = 'occupied') as occupied, count(*) filter (where b.status = 'free') as free
                       from beds b where b.facility_id = f.id and b.removed_on is null) bb on true`;

interface ItemRow {
  id: string;
  name: string;
  kind: string;
  ownership: string;
  region_code: string;
  region_name: string | null;
  township_name: string | null;
  operator_name: string | null;
  functions: string[];
  status: string;
  opened_on: string | null;
  admits_applicants: boolean;
  affordable: boolean;
  smart_care_home: boolean;
  beds: number;
  nursing: number;
  occupied: number;
  free: number;
  stars: number | null;
}

const presentItem = (r: ItemRow) => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  ownership: r.ownership,
  regionCode: r.region_code,
  regionName: r.region_name,
  townshipName: r.township_name,
  operatorName: r.operator_name,
  functions: r.functions,
  status: r.status,
  openedOn: r.opened_on,
  beds: r.beds,
  nursingBeds: r.nursing,
  occupied: r.occupied,
  free: r.free,
  stars: r.stars,
  admitsApplicants: r.admits_applicants,
  affordable: r.affordable,
  smartCareHome: r.smart_care_home,
});

export async function listFacilities(tx: Executor, q: z.infer<typeof FacilityListQuery>) {
  const parts = [sql`true`];
  if (q.regionCode) {
    const s = scopeOf(q.regionCode);
    parts.push(sql`f.region_code between ${s.lo} and ${s.hi}`);
  }
  if (q.kind) parts.push(sql`f.kind = ${q.kind}`);
  if (q.status) parts.push(sql`f.status = ${q.status}`);
  if (q.admits) parts.push(sql`f.admits_applicants = ${q.admits === 'true'}`);
  if (q.q) parts.push(sql`strpos(f.name, ${q.q}) > 0`);
  const where = sql.join(parts, sql` and `);
  const rows = await tx.rows<ItemRow & { total: number }>(sql`select ${ITEM_COLS}, count(*) over()::int as total ${ITEM_FROM}
    where ${where} order by f.region_code, f.kind, f.name limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`);
  return { items: rows.map(presentItem), total: rows[0]?.total ?? 0, page: q.page, pageSize: q.pageSize };
}

interface FacilityRow extends ItemRow {
  county_code: string;
  operator_provider_id: string | null;
  address: string | null;
  lng: number | null;
  lat: number | null;
  registered_on: string | null;
  status_since: string | null;
  clinic: boolean;
  medical_partner: string | null;
  medical_agreement_until: string | null;
  medical_licensed: boolean;
  smart_fire: boolean;
  smart_gas: boolean;
  kitchen_camera: boolean;
}

export async function loadFacility(tx: Executor, id: string): Promise<FacilityRow> {
  const f = await tx.one<FacilityRow>(sql`select ${ITEM_COLS}, f.county_code, f.operator_provider_id::text as operator_provider_id, f.address, f.lng, f.lat,
      f.registered_on::text as registered_on, f.status_since::text as status_since, f.clinic, f.medical_partner,
      f.medical_agreement_until::text as medical_agreement_until, f.medical_licensed, f.smart_fire, f.smart_gas, f.kitchen_camera
    ${ITEM_FROM} where f.id = ${id}`);
  if (!f) throw notFound('养老服务设施', 'facility');
  return f;
}

/** A facility the caller may change (in scope, not only visible as an ancestor's). */
export async function loadWritableFacility(tx: Executor, id: string) {
  const f = await loadFacility(tx, id);
  const ok = await tx.one(sql`select 1 as x from facilities f where f.id = ${id} and yl_in_scope(f.region_code)`);
  if (!ok) throw notFound('养老服务设施', 'facility');
  return f;
}

export async function facilityDetail(tx: Executor, id: string) {
  const f = await loadFacility(tx, id);
  const ratings = await tx.rows<{ id: string; stars: number; rated_on: string; valid_until: string | null; note: string | null }>(sql`
    select id::text as id, stars::int as stars, rated_on::text as rated_on, valid_until::text as valid_until, note
      from facility_star_ratings where facility_id = ${id} order by rated_on desc`);
  // Occupancy at each month end of the last 12 months (today for the current month).
  const occupancy = await tx.rows<{ month: string; beds: number; occupied: number }>(sql`
    with m as (select least((date_trunc('month', d) + interval '1 month - 1 day')::date, ${today()}::date) as at
                 from generate_series(date_trunc('month', ${today()}::date) - interval '11 months', ${today()}::date, interval '1 month') d)
    select to_char(m.at, 'YYYY-MM') as month,
           (select count(*) from beds b where b.facility_id = ${id} and ${bedAt(sql`m.at`)})::int as beds,
           (select count(*) from facility_residents r where r.facility_id = ${id} and r.move_in <= m.at and (r.move_out is null or r.move_out > m.at))::int as occupied
      from m order by m.at`);
  const types = await tx.rows<{ type: string; n: number }>(
    sql`select type, count(*)::int as n from beds where facility_id = ${id} and removed_on is null group by type`,
  );
  return {
    ...presentItem(f),
    operatorProviderId: f.operator_provider_id,
    address: f.address,
    lng: f.lng,
    lat: f.lat,
    registeredOn: f.registered_on,
    statusSince: f.status_since,
    clinic: f.clinic,
    medicalPartner: f.medical_partner,
    medicalAgreementUntil: f.medical_agreement_until,
    medicalLicensed: f.medical_licensed,
    smartFire: f.smart_fire,
    smartGas: f.smart_gas,
    kitchenCamera: f.kitchen_camera,
    ratings: ratings.map((r) => ({ id: r.id, stars: r.stars, ratedOn: r.rated_on, validUntil: r.valid_until, note: r.note })),
    occupancy,
    bedsByType: Object.fromEntries(types.map((t) => [t.type, t.n])),
  };
}

function checkLevel(kind: keyof typeof FACILITY_KINDS, regionCode: string) {
  const level = regionCode.endsWith('000000') ? 3 : regionCode.endsWith('000') ? 4 : 5;
  const want = FACILITY_KINDS[kind].level;
  // Township-level kinds may sit in a village too (where the building is); county ones only at the county.
  if (want === 3 ? level !== 3 : want === 4 ? level < 4 : level !== 5)
    throw badRequest(
      'WRONG_LEVEL',
      `${FACILITY_KINDS[kind].zh}应登记在${want === 3 ? '县' : want === 4 ? '乡镇（街道）或村（社区）' : '村（社区）'}一级`,
      `a ${FACILITY_KINDS[kind].en} belongs at the ${want === 3 ? 'county' : want === 4 ? 'township or village' : 'village/community'} level`,
      { field: 'regionCode' },
    );
}

export async function createFacility(tx: Executor, b: z.infer<typeof CreateFacilityBody>) {
  checkLevel(b.kind, b.regionCode);
  if (b.status !== 'planned' && !b.openedOn)
    throw badRequest('OPENED_ON_REQUIRED', '运营中的设施须填写开业日期', 'an operating facility needs its opening date', { field: 'openedOn' });
  const region = await tx.one(sql`select 1 as x from regions where code = ${b.regionCode} and yl_in_scope(code)`);
  if (!region) throw notFound('区划', 'region');
  const row = await tx.one<{ id: string }>(sql`insert into facilities (county_code, region_code, name, kind, ownership, operator_provider_id, operator_name,
      functions, address, lng, lat, opened_on, registered_on, status, status_since, clinic, medical_partner, medical_agreement_until, medical_licensed,
      smart_fire, smart_gas, kitchen_camera, smart_care_home, affordable, admits_applicants)
    values (${b.regionCode.slice(0, 6)}, ${b.regionCode}, ${b.name}, ${b.kind}, ${b.ownership}, ${b.operatorProviderId ?? null}, ${b.operatorName ?? null},
      ${sql.param(b.functions)}::text[], ${b.address ?? null}, ${b.lng ?? null}, ${b.lat ?? null}, ${b.openedOn ?? null}, ${b.registeredOn ?? null},
      ${b.status}, ${b.openedOn ?? null}, ${b.clinic ?? false}, ${b.medicalPartner ?? null}, ${b.medicalAgreementUntil ?? null}, ${b.medicalLicensed ?? false},
      ${b.smartFire ?? false}, ${b.smartGas ?? false}, ${b.kitchenCamera ?? false}, ${b.smartCareHome ?? false}, ${b.affordable ?? false},
      ${b.admitsApplicants ?? false})
    returning id::text as id`);
  return row!.id;
}

const UPDATE_COLS: Record<string, string> = {
  name: 'name',
  ownership: 'ownership',
  operatorName: 'operator_name',
  address: 'address',
  openedOn: 'opened_on',
  registeredOn: 'registered_on',
  status: 'status',
  statusSince: 'status_since',
  clinic: 'clinic',
  medicalPartner: 'medical_partner',
  medicalAgreementUntil: 'medical_agreement_until',
  medicalLicensed: 'medical_licensed',
  smartFire: 'smart_fire',
  smartGas: 'smart_gas',
  kitchenCamera: 'kitchen_camera',
  smartCareHome: 'smart_care_home',
  affordable: 'affordable',
  admitsApplicants: 'admits_applicants',
};

export async function updateFacility(tx: Executor, id: string, b: z.infer<typeof UpdateFacilityBody>) {
  await loadWritableFacility(tx, id);
  const sets = Object.entries(b)
    .filter(([k, v]) => v !== undefined && UPDATE_COLS[k])
    .map(([k, v]) => sql`${sql.identifier(UPDATE_COLS[k])} = ${v}`);
  if (b.functions) sets.push(sql`functions = ${sql.param(b.functions)}::text[]`);
  if (b.status && !b.statusSince) sets.push(sql`status_since = ${today()}::date`);
  if (!sets.length) return;
  await tx.exec(sql`update facilities set ${sql.join(sets, sql`, `)}, updated_at = now() where id = ${id}`);
}

export async function addBeds(tx: Executor, id: string, b: z.infer<typeof AddBedsBody>) {
  const f = await loadWritableFacility(tx, id);
  const n = await tx.exec(sql`insert into beds (facility_id, county_code, region_code, room, label, type, added_on)
    select ${id}, ${f.county_code}, ${f.region_code}, ${b.room}, l, ${b.type}, ${b.addedOn ?? today()} from unnest(${sql.param(b.labels)}::text[]) l`);
  return { facility: f, added: n };
}

export async function listBeds(tx: Executor, id: string) {
  await loadFacility(tx, id);
  const rows = await tx.rows<{
    id: string;
    room: string;
    label: string;
    type: string;
    status: string;
    added_on: string;
    resident_id: string | null;
    elder_id: string | null;
    name: string | null;
    move_in: string | null;
  }>(sql`select b.id::text as id, b.room, b.label, b.type, b.status, b.added_on::text as added_on,
      r.id::text as resident_id, r.elder_id::text as elder_id, e.name, r.move_in::text as move_in
    from beds b left join facility_residents r on r.bed_id = b.id and r.move_out is null left join elders e on e.id = r.elder_id
    where b.facility_id = ${id} and b.removed_on is null order by b.room, b.label`);
  return rows.map((r) => ({
    id: r.id,
    room: r.room,
    label: r.label,
    type: r.type,
    status: r.status,
    addedOn: r.added_on,
    // The resident's name is shown to those who see the elder; others see the bed taken.
    resident: r.resident_id ? { residentId: r.resident_id, elderId: r.elder_id!, name: r.name ?? '（他区老人）', moveIn: r.move_in! } : null,
  }));
}

export async function addRating(tx: Executor, id: string, b: z.infer<typeof RatingBody>) {
  const f = await loadWritableFacility(tx, id);
  const row = await tx.one<{ id: string }>(sql`insert into facility_star_ratings (facility_id, county_code, region_code, stars, rated_on, valid_until, note)
    values (${id}, ${f.county_code}, ${f.region_code}, ${b.stars}, ${b.ratedOn}, ${b.validUntil ?? null}, ${b.note ?? null}) returning id::text as id`);
  return { facility: f, id: row!.id };
}

/**
 * Takes one free bed of the facility for good, in the database: the conditional UPDATE with
 * SKIP LOCKED means two transactions never get the same bed, whatever the timing; the unique
 * index on active residents per bed is the second line.
 */
export async function takeBed(tx: Executor, facilityId: string, bedId?: string): Promise<string> {
  const row = bedId
    ? await tx.one<{ id: string }>(sql`update beds set status = 'occupied' where id = ${bedId} and facility_id = ${facilityId} and status = 'free'
        and removed_on is null returning id::text as id`)
    : await tx.one<{ id: string }>(sql`update beds set status = 'occupied'
        where id = (select id from beds where facility_id = ${facilityId} and status = 'free' and removed_on is null
                     order by (type = any(${NURSING})) desc, room, label limit 1 for update skip locked)
          and status = 'free' returning id::text as id`);
  if (!row)
    throw new AppError(
      409,
      'NO_FREE_BED',
      bedId ? '该床位已被占用或不可用' : '该机构已无空余床位（床位已分配给其他老人）',
      bedId ? 'that bed is taken or out of service' : 'the facility has no free bed left (it went to another elder)',
    );
  return row.id;
}

export async function moveIn(tx: Executor, facilityId: string, b: z.infer<typeof MoveInBody>, applicationId: string | null = null) {
  const f = await loadWritableFacility(tx, facilityId);
  const elder = await tx.one<{ id: string; status: string }>(sql`select id::text as id, status from elders where id = ${b.elderId}`);
  if (!elder) throw notFound('老年人', 'elder');
  if (elder.status !== 'active') throw conflict('ELDER_INACTIVE', '该老年人已死亡或迁出', 'this elder is deceased or moved away');
  const already = await tx.one(sql`select 1 as x from facility_residents where elder_id = ${b.elderId} and move_out is null`);
  if (already) throw conflict('ALREADY_RESIDENT', '该老年人已入住机构，请先办理退住', 'this elder already lives in a facility; record the move-out first');
  const bed = await takeBed(tx, facilityId, b.bedId);
  const moveInOn = b.moveIn ?? today();
  const row = await tx.one<{ id: string }>(sql`insert into facility_residents (elder_id, facility_id, bed_id, county_code, region_code, move_in, application_id)
    values (${b.elderId}, ${facilityId}, ${bed}, ${f.county_code}, ${f.region_code}, ${moveInOn}, ${applicationId}) returning id::text as id`);
  return { facility: f, residentId: row!.id, bedId: bed };
}

export async function moveOut(tx: Executor, residentId: string, date: string, reason: string) {
  const r = await tx.one<{ id: string; bed_id: string | null; move_in: string; move_out: string | null; region_code: string; elder_id: string }>(sql`
    select id::text as id, bed_id::text as bed_id, move_in::text as move_in, move_out::text as move_out, region_code, elder_id::text as elder_id
      from facility_residents where id = ${residentId}`);
  if (!r) throw notFound('入住记录', 'residence');
  if (r.move_out) throw conflict('ALREADY_MOVED_OUT', '该老人已退住', 'this resident has already moved out');
  if (date < r.move_in) throw badRequest('BAD_DATE', '退住日期早于入住日期', 'the move-out date is before the move-in date', { field: 'moveOut' });
  await tx.exec(sql`update facility_residents set move_out = ${date}, move_out_reason = ${reason} where id = ${residentId}`);
  if (r.bed_id) await tx.exec(sql`update beds set status = 'free' where id = ${r.bed_id} and status = 'occupied'`);
  return r;
}

export async function listResidents(tx: Executor, facilityId: string, current: boolean) {
  await loadFacility(tx, facilityId);
  const rows = await tx.rows<{
    id: string;
    elder_id: string;
    name: string | null;
    id_number: string | null;
    age: number | null;
    bed_id: string | null;
    bed_label: string | null;
    move_in: string;
    move_out: string | null;
    ability: string | null;
  }>(sql`select r.id::text as id, r.elder_id::text as elder_id, e.name, e.id_number, extract(year from age(current_date, e.birth_date))::int as age,
      r.bed_id::text as bed_id, b.room || '-' || b.label as bed_label, r.move_in::text as move_in, r.move_out::text as move_out,
      (select ca.level_name from elder_current_ability ca where ca.elder_id = r.elder_id) as ability
    from facility_residents r left join elders e on e.id = r.elder_id left join beds b on b.id = r.bed_id
    where r.facility_id = ${facilityId} ${current ? sql`and r.move_out is null` : sql``} order by r.move_in desc limit 500`);
  return rows.map((r) => ({
    id: r.id,
    elderId: r.elder_id,
    name: r.name ?? '（他区老人）',
    idNumber: maskIdNumber(r.id_number),
    age: r.age ?? 0,
    bedId: r.bed_id,
    bedLabel: r.bed_label,
    moveIn: r.move_in,
    moveOut: r.move_out,
    ability: r.ability,
  }));
}

/** By township: which kinds and functions operate there, village coverage, beds and occupancy. */
export async function coverage(tx: Executor, regionCode: string) {
  const s = scopeOf(regionCode);
  const asOf = today();
  const rows = await tx.rows<{
    code: string;
    name: string;
    kinds: Record<string, number> | null;
    functions: string[] | null;
    villages: number;
    covered: number;
    beds: number;
    occupied: number;
  }>(sql`
    select t.code, t.name,
      (select jsonb_object_agg(k.kind, k.n) from (select f.kind, count(*)::int as n from facilities f
          where left(f.region_code, 9) = left(t.code, 9) and ${operatingAt(asOf)} group by f.kind) k) as kinds,
      (select array_agg(distinct fn) from facilities f, unnest(f.functions) fn where left(f.region_code, 9) = left(t.code, 9) and ${operatingAt(asOf)}) as functions,
      (select count(*)::int from regions v where v.parent_code = t.code and v.level = 5) as villages,
      (select count(*)::int from regions v where v.parent_code = t.code and v.level = 5
          and exists (select 1 from facilities f where f.region_code = v.code and ${operatingAt(asOf)})) as covered,
      (select count(*)::int from beds b join facilities f on f.id = b.facility_id where left(b.region_code, 9) = left(t.code, 9) and b.removed_on is null and ${operatingAt(asOf)}) as beds,
      (select count(*)::int from beds b where left(b.region_code, 9) = left(t.code, 9) and b.removed_on is null and b.status = 'occupied') as occupied
    from regions t where t.level = 4 and t.code between ${s.lo} and ${s.hi} order by t.code`);
  return {
    kinds: KIND_CODES as unknown as string[],
    functions: FUNCTION_CODES as unknown as string[],
    townships: rows.map((r) => ({
      code: r.code,
      name: r.name,
      kinds: r.kinds ?? {},
      functions: r.functions ?? [],
      villages: r.villages,
      villagesCovered: r.covered,
      beds: r.beds,
      occupied: r.occupied,
    })),
  };
}

export async function listCompounds(tx: Executor, regionCode?: string) {
  const s = regionCode ? scopeOf(regionCode) : null;
  const rows = await tx.rows<{
    id: string;
    region_code: string;
    region_name: string | null;
    name: string;
    kind: string;
    households: number;
    area: number;
    assessed_on: string;
  }>(sql`select c.id::text as id, c.region_code, r.name as region_name, c.name, c.kind, c.households, c.facility_area_m2::float8 as area,
      c.assessed_on::text as assessed_on from residential_compounds c left join regions r on r.code = c.region_code
     ${s ? sql`where c.region_code between ${s.lo} and ${s.hi}` : sql``} order by c.region_code, c.name limit 1000`);
  return rows.map((c) => {
    const per100 = Math.round(((c.area * 100) / c.households) * 100) / 100;
    const required = c.kind === 'new' ? 20 : 15;
    return {
      id: c.id,
      regionCode: c.region_code,
      regionName: c.region_name,
      name: c.name,
      kind: c.kind,
      households: c.households,
      facilityAreaM2: c.area,
      per100,
      required,
      compliant: per100 >= required,
      assessedOn: c.assessed_on,
    };
  });
}

export async function createCompound(tx: Executor, b: z.infer<typeof CompoundBody>) {
  const row = await tx.one<{
    id: string;
  }>(sql`insert into residential_compounds (county_code, region_code, name, kind, households, facility_area_m2, assessed_on)
    values (${b.regionCode.slice(0, 6)}, ${b.regionCode}, ${b.name}, ${b.kind}, ${b.households}, ${b.facilityAreaM2}, ${b.assessedOn}) returning id::text as id`);
  return row!.id;
}

export { NURSING_TYPES };
