/**
 * Who sees an order's personal data (the elder's phone, address and the coordinates of the
 * home) unmasked, and the audit entry of every response that shows it.
 *
 *  - lists for staff, inspectors and provider admins: masked;
 *  - the order detail for staff, inspectors and provider admins: full, audited;
 *  - a caregiver (who sees only the orders assigned to them, row-level security): full for the
 *    visits still to make (accepted, in service) and today's completed ones, masked for the
 *    visits done on earlier days; audited;
 *  - family users (their linked elders only): full, audited.
 * The elder's ID number is never part of an order. Each response that reveals anything writes
 * one audit row ('view' of 'service_order') listing the orders revealed, in the smallest region
 * that holds them all, written with the commit.
 */
import type { AuditEntry } from '../../kernel/audit.js';
import { countyToday } from '../../kernel/dates.js';
import type { Principal } from '../../kernel/principal.js';
import { commonRegion } from '../../kernel/scope.js';
import { presentOrder, type OrderViewT } from './orders.schema.js';
import type { OrderRow } from './orders.service.js';

/** The fields an unmasked order shows, as the audit entry lists them. */
const FIELDS = ['elderPhone', 'address', 'lat', 'lng'];

/** Whether `p` sees order `o` unmasked; `detail` for the detail view of one order. */
export function orderUnmasked(p: Pick<Principal, 'role'>, o: Pick<OrderRow, 'status' | 'service_date'>, detail: boolean, today = countyToday()): boolean {
  if (p.role === 'family') return true;
  if (p.role === 'caregiver') return o.status === 'accepted' || o.status === 'in_service' || (o.status === 'completed' && o.service_date === today);
  return detail;
}

/**
 * Orders as `p` may see them, masked or not by the rule above, and one audit entry when any
 * is shown unmasked.
 */
export async function presentOrdersFor<T extends OrderRow>(
  p: Pick<Principal, 'role'>,
  rows: T[],
  audit: (e: AuditEntry) => Promise<void>,
  o: { detail?: boolean; what?: string } = {},
): Promise<OrderViewT[]> {
  const today = countyToday();
  const revealed: T[] = [];
  const out = rows.map((r) => {
    const full = orderUnmasked(p, r, o.detail ?? false, today);
    if (full) revealed.push(r);
    return presentOrder(r, !full);
  });
  if (revealed.length > 0)
    await audit({
      action: 'view',
      entity: 'service_order',
      entityId: revealed.length === 1 ? revealed[0].id : null,
      regionCode: commonRegion(revealed.map((r) => r.region_code)),
      after: { what: o.what ?? (o.detail ? 'detail' : 'list'), ids: revealed.map((r) => r.id), fields: FIELDS },
    });
  return out;
}
