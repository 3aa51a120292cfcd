/** SQL of the registry's writes: elders, their categories, contacts and life events. */
import { sql, type Executor } from '../../kernel/db.js';

export interface NewElder {
  countyCode: string;
  regionCode: string;
  hukouRegionCode: string | null;
  idNumber: string;
  name: string;
  namePinyin: string;
  nameInitials: string;
  sex: 'M' | 'F';
  birthDate: string;
  phone: string | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
  livingArrangement: string | null;
}

export const registryRepo = {
  insertElder: (tx: Executor, e: NewElder) =>
    tx.one<{ id: string }>(sql`insert into elders (county_code, region_code, hukou_region_code, id_number, name, name_pinyin, name_initials,
        sex, birth_date, phone, address, lat, lng, living_arrangement)
      values (${e.countyCode}, ${e.regionCode}, ${e.hukouRegionCode}, ${e.idNumber}, ${e.name}, ${e.namePinyin}, ${e.nameInitials},
        ${e.sex}, ${e.birthDate}, ${e.phone}, ${e.address}, ${e.lat}, ${e.lng}, ${e.livingArrangement})
      returning id::text as id`),

  likelyDuplicates: (tx: Executor, countyCode: string, name: string, birthDate: string, idNumber: string) =>
    tx.rows<{ id: string; id_number: string; region_code: string; region_name: string | null; township_name: string | null }>(sql`select e.id::text as id,
        e.id_number, e.region_code, v.name as region_name, t.name as township_name
      from elders e left join regions v on v.code = e.region_code left join regions t on t.code = rpad(left(e.region_code, 9), 12, '0')
      where e.county_code = ${countyCode} and e.name = ${name} and e.birth_date = ${birthDate} and e.id_number <> ${idNumber} limit 5`),

  update: (tx: Executor, id: string, f: Record<string, unknown>) => {
    const cols: Record<string, string> = {
      name: 'name',
      namePinyin: 'name_pinyin',
      nameInitials: 'name_initials',
      hukouRegionCode: 'hukou_region_code',
      phone: 'phone',
      address: 'address',
      lat: 'lat',
      lng: 'lng',
      livingArrangement: 'living_arrangement',
      note: 'note',
    };
    const sets = Object.entries(f)
      .filter(([k, v]) => cols[k] && v !== undefined)
      .map(([k, v]) => sql`${sql.identifier(cols[k])} = ${v}`);
    return tx.exec(sql`update elders set ${sql.join([...sets, sql`updated_at = now()`], sql`, `)} where id = ${id}`);
  },

  insertCategory: (tx: Executor, elderId: string, regionCode: string, c: { category: string; validFrom: string; sourceDoc?: string | null }) =>
    tx.one<{ id: string }>(sql`insert into elder_categories (elder_id, county_code, region_code, category, valid_from, source_doc)
      values (${elderId}, ${regionCode.slice(0, 6)}, ${regionCode}, ${c.category}, ${c.validFrom}, ${c.sourceDoc ?? null}) returning id::text as id`),

  openCategory: (tx: Executor, elderId: string, category: string) =>
    tx.one<{ id: string }>(sql`select id::text as id from elder_categories where elder_id = ${elderId} and category = ${category} and valid_to is null`),

  endCategory: (tx: Executor, elderId: string, categoryId: string, validTo: string, reason: string) =>
    tx.one<{ category: string; valid_from: string }>(sql`update elder_categories set valid_to = ${validTo}, end_reason = ${reason}
      where id = ${categoryId} and elder_id = ${elderId} and valid_to is null and valid_from <= ${validTo}
      returning category, valid_from::text as valid_from`),

  endAllCategories: (tx: Executor, elderId: string, validTo: string, reason: string) =>
    tx.exec(sql`update elder_categories set valid_to = greatest(valid_from, ${validTo}::date), end_reason = ${reason}
      where elder_id = ${elderId} and (valid_to is null or valid_to > ${validTo})`),

  categories: (tx: Executor, elderId: string) =>
    tx.rows<{ id: string; category: string; valid_from: string; valid_to: string | null; source_doc: string | null; end_reason: string | null }>(
      sql`select id::text as id, category, valid_from::text as valid_from, valid_to::text as valid_to, source_doc, end_reason
            from elder_categories where elder_id = ${elderId} order by valid_from, category`,
    ),

  insertContact: (tx: Executor, elderId: string, regionCode: string, c: { name: string; relation: string; phone?: string | null }) =>
    tx.exec(sql`insert into elder_contacts (elder_id, county_code, region_code, name, relation, phone)
      values (${elderId}, ${regionCode.slice(0, 6)}, ${regionCode}, ${c.name}, ${c.relation}, ${c.phone ?? null})`),

  contacts: (tx: Executor, elderId: string) =>
    tx.rows<{ id: string; name: string; relation: string; phone: string | null; has_account: boolean }>(
      sql`select id::text as id, name, relation, phone, user_id is not null as has_account from elder_contacts where elder_id = ${elderId} order by created_at`,
    ),

  insertEvent: (
    tx: Executor,
    e: { elderId: string; regionCode: string; kind: string; date: string; detail?: unknown; sourceDoc?: string | null; userId?: string | null },
  ) =>
    tx.exec(sql`insert into elder_events (elder_id, county_code, region_code, kind, event_date, detail, source_doc, created_by)
      values (${e.elderId}, ${e.regionCode.slice(0, 6)}, ${e.regionCode}, ${e.kind}, ${e.date}, ${JSON.stringify(e.detail ?? {})}::jsonb,
              ${e.sourceDoc ?? null}, ${e.userId ?? null})`),

  setStatus: (tx: Executor, id: string, f: { status: string; deathDate?: string | null; movedOutDate?: string | null; movedInDate?: string | null }) =>
    tx.exec(sql`update elders set status = ${f.status},
        death_date = case when ${f.deathDate !== undefined} then ${f.deathDate ?? null}::date else death_date end,
        moved_out_date = case when ${f.movedOutDate !== undefined} then ${f.movedOutDate ?? null}::date else moved_out_date end,
        moved_in_date = case when ${f.movedInDate !== undefined} then ${f.movedInDate ?? null}::date else moved_in_date end,
        updated_at = now() where id = ${id}`),

  /** Moves the elder and every row that carries its region (they are scoped by it). */
  async moveResidence(tx: Executor, id: string, regionCode: string) {
    const county = regionCode.slice(0, 6);
    for (const t of ['elder_categories', 'elder_contacts', 'elder_events', 'assessments'])
      await tx.exec(sql`update ${sql.identifier(t)} set region_code = ${regionCode}, county_code = ${county} where elder_id = ${id}`);
    await tx.exec(sql`update elders set region_code = ${regionCode}, county_code = ${county}, updated_at = now() where id = ${id}`);
  },

  requestReassessment: (tx: Executor, id: string, date: string) => tx.exec(sql`update elders set reassess_requested_at = ${date} where id = ${id}`),

  history: (tx: Executor, id: string) =>
    tx.rows<{ at: string | null; date: string | null; kind: string; source: 'event' | 'audit'; detail: unknown; actor_name: string | null }>(sql`
      select e.created_at::text as at, e.event_date::text as date, e.kind, 'event' as source, e.detail, u.display_name as actor_name
        from elder_events e left join users u on u.id = e.created_by where e.elder_id = ${id}
      union all
      select a.at::text, null, a.action, 'audit', jsonb_build_object('before', a.before, 'after', a.after, 'reason', a.reason), a.actor_name
        from audit_log a where a.entity = 'elder' and a.entity_id = ${id}
      order by 1 desc limit 500`),
};
