/** Rules of the supplier catalogue (providers, their caregivers) and the service menu (十助). */
import type { Executor } from '../../kernel/db.js';
import { badRequest, forbidden, notFound } from '../../kernel/errors.js';
import { iso } from '../../kernel/http.js';
import { maskPhone } from '../../kernel/mask.js';
import type { Principal } from '../../kernel/principal.js';
import {
  catalogRepo,
  type CaregiverInput,
  type ItemInput,
  type ItemRow,
  type ProviderInput,
  type ProviderRow,
  type ProviderState,
} from './catalog.repository.js';
import { CATEGORIES } from './catalog.schema.js';

export const presentItem = (r: ItemRow) => ({
  id: r.id,
  code: r.code,
  category: r.category,
  categoryName: CATEGORIES[r.category]?.zh ?? r.category,
  name: r.name,
  unit: r.unit,
  priceCents: r.price_cents,
  durationMin: r.duration_min,
  skill: r.skill,
  description: r.description,
  active: r.active,
});

/** A caregiver sees a provider's phone masked. */
export const presentProvider = (p: ProviderRow, mask = false) => ({
  id: p.id,
  name: p.name,
  regionCode: p.region_code,
  regionName: p.region_name,
  creditCode: p.credit_code,
  kind: p.kind,
  status: p.status,
  qualifications: p.qualifications,
  serviceRegions: p.service_regions,
  contractNo: p.contract_no,
  contractFrom: p.contract_from,
  contractTo: p.contract_to,
  rating: p.rating,
  creditStatus: p.credit_status,
  creditReason: p.credit_reason,
  contactPhone: mask ? maskPhone(p.contact_phone) : p.contact_phone,
  address: p.address,
  lat: p.lat,
  lng: p.lng,
  caregivers: p.caregivers,
  evaluatedAt: iso(p.evaluated_at),
});

// ------------------------------------------------------------ service items
/** Adds an item to the county's menu; returns its id and region (the county). */
export async function createItem(tx: Executor, p: Principal, b: ItemInput): Promise<{ id: string; regionCode: string }> {
  const region = p.countyCode.padEnd(12, '0');
  return { id: await catalogRepo.insertItem(tx, p.countyCode, region, b), regionCode: region };
}

/** Changes an item in scope; returns its region. */
export async function updateItem(tx: Executor, id: string, b: Parameters<typeof catalogRepo.updateItem>[2]): Promise<{ regionCode: string }> {
  const before = await catalogRepo.itemRegion(tx, id);
  if (!before) throw notFound('服务项目', 'service item');
  const n = await catalogRepo.updateItem(tx, id, b);
  if (n === 0) throw notFound('服务项目', 'service item');
  return { regionCode: before.region_code };
}

// ------------------------------------------------------------ providers
/** Service areas lie in the caller's county. */
function checkAreas(areas: string[] | undefined, countyCode: string) {
  const bad = (areas ?? []).find((a) => a.slice(0, 6) !== countyCode);
  if (bad)
    throw badRequest('AREA_OUTSIDE_COUNTY', `服务区域 ${bad} 不在本县`, `service area ${bad} is outside the county`, { field: 'serviceRegions', code: bad });
}

export async function getProvider(tx: Executor, id: string): Promise<ProviderRow> {
  const p = await catalogRepo.provider(tx, id);
  if (!p) throw notFound('服务机构', 'provider');
  return p;
}

/** Enters a provider of the caller's county, serving areas of the county. */
export async function createProvider(tx: Executor, p: Principal, b: Parameters<typeof catalogRepo.insertProvider>[1]): Promise<string> {
  if (b.regionCode.slice(0, 6) !== p.countyCode) throw notFound('行政区划', 'region');
  checkAreas(b.serviceRegions, p.countyCode);
  return catalogRepo.insertProvider(tx, b);
}

/**
 * Changes a provider in scope: areas in the county, a contract that ends after it starts (with
 * the stored dates for those not given), a reason for a change of credit status. Returns the state
 * before and whether the credit status changed (for the audit entry).
 */
export async function updateProvider(tx: Executor, p: Principal, id: string, b: ProviderInput): Promise<{ before: ProviderState; creditChanges: boolean }> {
  const before = await catalogRepo.providerState(tx, id);
  if (!before) throw notFound('服务机构', 'provider');
  checkAreas(b.serviceRegions, p.countyCode);
  const from = b.contractFrom !== undefined ? b.contractFrom : before.contract_from;
  const to = b.contractTo !== undefined ? b.contractTo : before.contract_to;
  if (from && to && from > to)
    throw badRequest('CONTRACT_DATES', '合同结束日期不能早于开始日期', 'the contract cannot end before it starts', { field: 'contractTo' });
  const creditChanges = b.creditStatus !== undefined && b.creditStatus !== before.credit_status;
  if (creditChanges && !b.creditReason)
    throw badRequest('REASON_REQUIRED', '调整信用状态须说明原因', 'a change of credit status needs a reason', { field: 'creditReason' });
  await catalogRepo.updateProvider(tx, id, b, creditChanges);
  return { before, creditChanges };
}

// ------------------------------------------------------------ caregivers
/** A provider's caregivers; only the provider's own admin sees their phones unmasked. */
export async function providerCaregivers(tx: Executor, p: Principal, providerId: string) {
  if (!(await catalogRepo.providerExists(tx, providerId))) throw notFound('服务机构', 'provider');
  const rows = await catalogRepo.caregivers(tx, providerId);
  return rows.map((c) => ({
    id: c.id,
    providerId: c.provider_id,
    name: c.name,
    phone: p.role === 'provider_admin' ? c.phone : maskPhone(c.phone),
    skills: c.skills,
    certificates: c.certificates,
    status: c.status,
    username: c.username,
    openOrders: c.open_orders,
  }));
}

/** Registers a caregiver of a provider in scope (a provider admin: of their own); returns its id and region. */
export async function addCaregiver(
  tx: Executor,
  p: Principal,
  providerId: string,
  b: Parameters<typeof catalogRepo.insertCaregiver>[3],
): Promise<{ id: string; regionCode: string }> {
  if (p.role === 'provider_admin' && p.providerId !== providerId) throw forbidden();
  const home = await catalogRepo.providerHome(tx, providerId);
  if (!home) throw notFound('服务机构', 'provider');
  return { id: await catalogRepo.insertCaregiver(tx, providerId, home, b), regionCode: home.region_code };
}

/** Changes a caregiver (a provider admin: only their own provider's); returns the caregiver before. */
export async function updateCaregiver(tx: Executor, p: Principal, id: string, b: CaregiverInput) {
  const c = await catalogRepo.caregiver(tx, id);
  if (!c || (p.role === 'provider_admin' && c.provider_id !== p.providerId)) throw notFound('护理员', 'caregiver');
  const n = await catalogRepo.updateCaregiver(tx, id, b);
  if (n === 0) throw notFound('护理员', 'caregiver');
  return c;
}
