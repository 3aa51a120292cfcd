/** Records of the services module for the generic route guards (server/src/test/route-guards.ts):
 * one of each kind in township A, served by provider A. */
import { sql, type Database } from '../../kernel/db.js';
import { buildElder, type TestCounty } from '../../test/harness.js';

interface Fixture {
  params: Record<string, string>;
  markers: string[];
  familyOf?: string;
  caregiverOf?: string;
}

/** The caregiver of provider A that every fixture order is assigned to (one per county: the
 * own-side caregiver account of the route guards is linked to it). */
export async function countyCaregiver(db: Database, c: TestCounty): Promise<string> {
  const found = await db.root.one<{ id: string }>(sql`select id::text as id from caregivers where provider_id = ${c.providerA} and name = '甲地护理员'`);
  if (found) return found.id;
  const cg = await db.root.one<{ id: string }>(sql`insert into caregivers (provider_id, county_code, region_code, name, skills)
    values (${c.providerA}, ${c.county.slice(0, 6)}, ${c.townshipA}, '甲地护理员', '{bath}') returning id::text as id`);
  return cg!.id;
}

async function serviceOrder(db: Database, c: TestCounty) {
  const e = await buildElder(db, { regionCode: c.villageA, name: '甲地服务老人' });
  const county = c.county.slice(0, 6);
  const item = await db.root.one<{
    id: string;
  }>(sql`insert into service_items (county_code, region_code, code, category, name, unit, price_cents, duration_min, skill)
    values (${county}, ${c.county}, ${'G' + Math.random().toString(36).slice(2, 10)}, 'bath', '甲地助浴', '次', 8000, 60, 'bath') returning id::text as id`);
  const cg = { id: await countyCaregiver(db, c) };
  const no = `FWGUARD${Math.random().toString().slice(2, 12)}`;
  const o = await db.root.one<{ id: string }>(sql`insert into service_orders (no, county_code, region_code, elder_id, elder_name, item_id, item_code, item_name,
      category, unit, skill, quantity, duration_min, price_cents, amount_cents, gov_cents, copay_cents, entitlement, service_date, service_time, channel,
      status, provider_id, caregiver_id, caregiver_name)
    values (${no}, ${county}, ${c.villageA}, ${e.id}, '甲地服务老人', ${item!.id}, 'G1', '甲地助浴', 'bath', '次', 'bath', 1, 60, 8000, 8000, 0, 8000, '{}',
      '2026-11-20', '09:00', 'staff', 'completed', ${c.providerA}, ${cg.id}, '甲地护理员') returning id::text as id`);
  return { id: o!.id, no, elderId: e.id, itemId: item!.id, county, caregiverId: cg.id };
}

export const SERVICE_FACTORIES: Record<string, (db: Database, c: TestCounty) => Promise<Fixture>> = {
  serviceOrder: async (db, c) => {
    const o = await serviceOrder(db, c);
    return { params: { id: o.id }, markers: [o.id, o.no, '甲地服务老人'], caregiverOf: o.caregiverId };
  },
  serviceOrderPhoto: async (db, c) => {
    const o = await serviceOrder(db, c);
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(16, 7)]);
    const ph = await db.root.one<{
      id: string;
    }>(sql`insert into service_order_photos (order_id, county_code, region_code, provider_id, elder_id, mime, size, data)
      values (${o.id}, ${o.county}, ${c.villageA}, ${c.providerA}, ${o.elderId}, 'image/png', ${png.length}, ${png}) returning id::text as id`);
    return { params: { id: o.id, photoId: ph!.id }, markers: [o.id, ph!.id], familyOf: o.elderId, caregiverOf: o.caregiverId };
  },
  serviceComplaint: async (db, c) => {
    const o = await serviceOrder(db, c);
    const k = await db.root.one<{ id: string }>(sql`insert into service_complaints (order_id, county_code, region_code, provider_id, elder_id, kind, content)
      values (${o.id}, ${o.county}, ${c.villageA}, ${c.providerA}, ${o.elderId}, 'late', '甲地投诉内容') returning id::text as id`);
    return { params: { id: k!.id }, markers: [k!.id, '甲地投诉内容'] };
  },
  serviceItem: async (db, c) => {
    const i = await db.root.one<{ id: string }>(sql`insert into service_items (county_code, region_code, code, category, name, unit, price_cents, duration_min)
      values (${c.county.slice(0, 6)}, ${c.county}, ${'I' + Math.random().toString(36).slice(2, 10)}, 'clean', '甲地助洁项目', '小时', 3000, 60) returning id::text as id`);
    return { params: { id: i!.id }, markers: [i!.id] };
  },
  provider: async (db, c) => {
    await db.root.exec(sql`insert into caregivers (provider_id, county_code, region_code, name, skills)
      values (${c.providerA}, ${c.county.slice(0, 6)}, ${c.townshipA}, '甲服务中心护理员', '{clean}')`);
    return { params: { id: c.providerA }, markers: [c.providerA, '甲服务中心'] };
  },
  caregiver: async (db, c) => {
    const cg = await db.root.one<{ id: string }>(sql`insert into caregivers (provider_id, county_code, region_code, name, skills, certificates)
      values (${c.providerA}, ${c.county.slice(0, 6)}, ${c.townshipA}, '甲地登记护理员', '{bath}', '[{"name":"甲地护理证书","no":"JIA-0001"}]')
      returning id::text as id`);
    return { params: { id: cg!.id }, markers: [cg!.id, '甲地登记护理员', 'JIA-0001'] };
  },
  familyBed: async (db, c) => {
    const o = await serviceOrder(db, c);
    const b = await db.root.one<{ id: string }>(sql`insert into family_beds (county_code, region_code, elder_id, elder_name, provider_id, ability_standard,
        ability_level, enrolled_on) values (${o.county}, ${c.villageA}, ${o.elderId}, '甲地床位老人', ${c.providerA}, 'GB/T 42195-2022', 3, '2026-11-01')
      returning id::text as id`);
    // With a care plan and one of its orders, so a neighbour reading the bed's statement or generating its plan orders meets real rows.
    await db.root.exec(sql`insert into family_bed_plan (bed_id, item_id, county_code, region_code, provider_id, times_per_month)
      values (${b!.id}, ${o.itemId}, ${o.county}, ${c.villageA}, ${c.providerA}, 2)`);
    await db.root.exec(sql`update service_orders set family_bed_id = ${b!.id}, plan_slot = ${`2026-11:${o.itemId}:1`} where id = ${o.id}`);
    return { params: { id: b!.id }, markers: [b!.id, '甲地床位老人', o.no] };
  },
  settlement: async (db, c) => {
    const s = await db.root.one<{ id: string }>(sql`insert into settlements (county_code, region_code, provider_id, month, order_count, gov_cents, copay_cents,
        held_count, held_gov_cents, held_copay_cents)
      values (${c.county.slice(0, 6)}, ${c.townshipA}, ${c.providerA}, '2026-10', 0, 0, 0, 0, 0, 0) returning id::text as id`);
    return { params: { id: s!.id }, markers: [s!.id] };
  },
};
