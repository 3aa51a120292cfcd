/**
 * SQL of the supplier catalogue and the service menu. Statement texts are kept as they were in the
 * routes (statements are prepared by text).
 */
import { arr, sql, type Executor } from '../../kernel/db.js';
import type { CATEGORIES } from './catalog.schema.js';

export interface ItemRow {
  id: string;
  code: string;
  category: keyof typeof CATEGORIES;
  name: string;
  unit: string;
  price_cents: number;
  duration_min: number;
  skill: string | null;
  description: string | null;
  active: boolean;
}

export interface ProviderRow {
  id: string;
  name: string;
  region_code: string;
  region_name: string | null;
  credit_code: string | null;
  kind: string;
  status: string;
  qualifications: string[];
  service_regions: string[];
  contract_no: string | null;
  contract_from: string | null;
  contract_to: string | null;
  rating: number;
  credit_status: string;
  credit_reason: string | null;
  contact_phone: string | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
  caregivers: number;
  evaluated_at: string | null;
}

/** What an update of a provider may compare with (and the audit entry shows as before). */
export interface ProviderState {
  region_code: string;
  credit_status: string;
  credit_reason: string | null;
  contract_from: string | null;
  contract_to: string | null;
  rating: number;
  status: string;
}

export interface CaregiverRow {
  id: string;
  provider_id: string;
  name: string;
  phone: string | null;
  skills: string[];
  certificates: { name: string; no?: string | null; validUntil?: string | null }[];
  status: string;
  username: string | null;
  open_orders: number;
}

export interface ItemInput {
  code: string;
  category: string;
  name: string;
  unit: string;
  priceCents: number;
  durationMin: number;
  skill?: string | null;
  description?: string | null;
}

export interface ProviderInput {
  name?: string;
  regionCode?: string;
  creditCode?: string | null;
  kind?: string;
  status?: string;
  qualifications?: string[];
  serviceRegions?: string[];
  contractNo?: string | null;
  contractFrom?: string | null;
  contractTo?: string | null;
  contactPhone?: string | null;
  address?: string | null;
  lat?: number | null;
  lng?: number | null;
  creditStatus?: string;
  creditReason?: string;
  rating?: number;
}

export interface CaregiverInput {
  name?: string;
  phone?: string | null;
  skills?: string[];
  certificates?: { name: string; no?: string | null; validUntil?: string | null }[];
  status?: string;
}

const PROVIDER_SELECT = sql`p.id::text as id, p.name, p.region_code, r.name as region_name, p.credit_code, p.kind, p.status, p.qualifications,
  p.service_regions, p.contract_no, p.contract_from::text as contract_from, p.contract_to::text as contract_to, p.rating::float8 as rating,
  p.credit_status, p.credit_reason, p.contact_phone, p.address, p.lat, p.lng, p.evaluated_at::text as evaluated_at,
  (select count(*)::int from caregivers c where c.provider_id = p.id and c.status = 'active') as caregivers
  from providers p left join regions r on r.code = p.region_code`;

export const catalogRepo = {
  // ------------------------------------------------------------ service items
  items: (tx: Executor, county: string, all: boolean) =>
    tx.rows<ItemRow>(sql`select id::text as id, code, category, name, unit, price_cents, duration_min, skill, description, active from service_items
        where county_code = ${county} and (${all} or active) order by category, code`),

  insertItem: async (tx: Executor, county: string, region: string, b: ItemInput) =>
    (await tx.one<{
      id: string;
    }>(sql`insert into service_items (county_code, region_code, code, category, name, unit, price_cents, duration_min, skill, description)
        values (${county}, ${region}, ${b.code}, ${b.category}, ${b.name}, ${b.unit}, ${b.priceCents}, ${b.durationMin},
                ${b.skill ?? null}, ${b.description ?? null}) returning id::text as id`))!.id,

  itemRegion: (tx: Executor, id: string) =>
    tx.one<{ region_code: string }>(sql`select region_code from service_items where id = ${id} and yl_in_scope(region_code)`),

  updateItem: (tx: Executor, id: string, body: Partial<Omit<ItemInput, 'code'>> & { active?: boolean }) =>
    tx.exec(sql`update service_items set
          category = coalesce(${body.category ?? null}, category), name = coalesce(${body.name ?? null}, name), unit = coalesce(${body.unit ?? null}, unit),
          price_cents = coalesce(${body.priceCents ?? null}::int, price_cents), duration_min = coalesce(${body.durationMin ?? null}::int, duration_min),
          skill = case when ${body.skill !== undefined} then ${body.skill ?? null} else skill end,
          description = case when ${body.description !== undefined} then ${body.description ?? null} else description end,
          active = coalesce(${body.active ?? null}::boolean, active), updated_at = now()
        where id = ${id}`),

  // ------------------------------------------------------------ providers
  providers: (tx: Executor) => tx.rows<ProviderRow>(sql`select ${PROVIDER_SELECT} order by p.rating desc, p.name`),

  provider: (tx: Executor, id: string) => tx.one<ProviderRow>(sql`select ${PROVIDER_SELECT} where p.id = ${id}`),

  insertProvider: async (
    tx: Executor,
    body: ProviderInput & { regionCode: string; name: string; kind: string; qualifications: string[]; serviceRegions: string[] },
  ) =>
    (await tx.one<{ id: string }>(sql`insert into providers (county_code, region_code, name, credit_code, kind, qualifications, service_regions,
          contract_no, contract_from, contract_to, contact_phone, address, lat, lng)
        values (${body.regionCode.slice(0, 6)}, ${body.regionCode}, ${body.name}, ${body.creditCode ?? null}, ${body.kind}, ${arr(body.qualifications)}::text[],
          ${arr(body.serviceRegions)}::text[], ${body.contractNo ?? null}, ${body.contractFrom ?? null}, ${body.contractTo ?? null}, ${body.contactPhone ?? null},
          ${body.address ?? null}, ${body.lat ?? null}, ${body.lng ?? null}) returning id::text as id`))!.id,

  providerState: (tx: Executor, id: string) =>
    tx.one<ProviderState>(sql`select region_code, credit_status, credit_reason, contract_from::text as contract_from, contract_to::text as contract_to,
          rating::float8 as rating, status from providers where id = ${id} and yl_in_scope(region_code)`),

  /** Updates the fields given (undefined: unchanged); the credit reason only when `creditChanges`. */
  updateProvider: (tx: Executor, id: string, body: ProviderInput, creditChanges: boolean) => {
    const set = (v: unknown) => v !== undefined;
    return tx.exec(sql`update providers set
          name = coalesce(${body.name ?? null}, name),
          credit_code = case when ${set(body.creditCode)} then ${body.creditCode ?? null} else credit_code end,
          kind = coalesce(${body.kind ?? null}, kind), status = coalesce(${body.status ?? null}, status),
          qualifications = coalesce(${body.qualifications ? arr(body.qualifications) : null}::text[], qualifications),
          service_regions = coalesce(${body.serviceRegions ? arr(body.serviceRegions) : null}::text[], service_regions),
          contract_no = case when ${set(body.contractNo)} then ${body.contractNo ?? null} else contract_no end,
          contract_from = case when ${set(body.contractFrom)} then ${body.contractFrom ?? null}::date else contract_from end,
          contract_to = case when ${set(body.contractTo)} then ${body.contractTo ?? null}::date else contract_to end,
          contact_phone = case when ${set(body.contactPhone)} then ${body.contactPhone ?? null} else contact_phone end,
          address = case when ${set(body.address)} then ${body.address ?? null} else address end,
          lat = case when ${set(body.lat)} then ${body.lat ?? null}::float8 else lat end, lng = case when ${set(body.lng)} then ${body.lng ?? null}::float8 else lng end,
          credit_status = coalesce(${body.creditStatus ?? null}, credit_status), rating = coalesce(${body.rating ?? null}::numeric, rating),
          credit_reason = case when ${creditChanges} then ${body.creditReason ?? null} else credit_reason end,
          evaluated_at = case when ${set(body.rating) || set(body.creditStatus)} then now() else evaluated_at end, updated_at = now()
        where id = ${id}`);
  },

  providerExists: async (tx: Executor, id: string) => !!(await tx.one(sql`select 1 as x from providers where id = ${id}`)),

  /** The provider's home, if in the caller's scope or the caller's own provider. */
  providerHome: (tx: Executor, id: string) =>
    tx.one<{ region_code: string; county_code: string }>(
      sql`select region_code, county_code from providers where id = ${id} and (yl_in_scope(region_code) or id::text = current_setting('yinling.provider', true))`,
    ),

  // ------------------------------------------------------------ caregivers
  caregivers: (tx: Executor, providerId: string) =>
    tx.rows<CaregiverRow>(sql`select c.id::text as id, c.provider_id::text as provider_id, c.name, c.phone, c.skills, c.certificates, c.status, u.username,
          (select count(*)::int from service_orders o where o.caregiver_id = c.id and o.status in ('accepted','in_service')) as open_orders
        from caregivers c left join users u on u.id = c.user_id where c.provider_id = ${providerId} order by c.status, c.name`),

  insertCaregiver: async (
    tx: Executor,
    providerId: string,
    p: { region_code: string; county_code: string },
    body: { name: string; phone?: string | null; skills: string[]; certificates: unknown[] },
  ) =>
    (await tx.one<{ id: string }>(sql`insert into caregivers (provider_id, county_code, region_code, name, phone, skills, certificates)
        values (${providerId}, ${p.county_code}, ${p.region_code}, ${body.name}, ${body.phone ?? null}, ${arr(body.skills)}::text[], ${JSON.stringify(body.certificates)}::jsonb)
        returning id::text as id`))!.id,

  caregiver: (tx: Executor, id: string) =>
    tx.one<{
      provider_id: string;
      region_code: string;
      name: string;
      skills: string[];
      certificates: unknown;
      status: string;
    }>(sql`select provider_id::text as provider_id, region_code, name, skills, certificates, status from caregivers where id = ${id}`),

  updateCaregiver: (tx: Executor, id: string, body: CaregiverInput) =>
    tx.exec(sql`update caregivers set name = coalesce(${body.name ?? null}, name),
          phone = case when ${body.phone !== undefined} then ${body.phone ?? null} else phone end,
          skills = coalesce(${body.skills ? arr(body.skills) : null}::text[], skills),
          certificates = coalesce(${body.certificates ? JSON.stringify(body.certificates) : null}::jsonb, certificates),
          status = coalesce(${body.status ?? null}, status), updated_at = now()
        where id = ${id}`),
};
