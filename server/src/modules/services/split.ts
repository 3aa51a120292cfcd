/**
 * Pure rules of the services module: the entitlement split of an order, the labels of a visit's
 * flags and the reasons an order is held back from settlement. No database here. (Distances,
 * a visit's flags and dispatch scores are worked out by the statements that use them, with the
 * SQL functions of migrations 0019 and 0020: orders.service.ts.)
 */

export interface Split {
  /** Budget of the month left before this order, in cents. */
  availableCents: number;
  /** Paid by the government (the elder's entitlement), in cents. */
  govCents: number;
  /** Paid by the elder (自付), in cents. */
  copayCents: number;
}

/**
 * Splits an order of `amountCents` against the month's budget: the government pays what is
 * left of the budget (after the government parts of the month's other non-cancelled orders),
 * up to the order's amount; the elder pays the rest. The order that crosses the budget is
 * paid partly by each.
 */
export function splitOrder(o: { budgetCents: number; usedCents: number; amountCents: number }): Split {
  for (const [k, v] of Object.entries(o)) if (!Number.isInteger(v) || v < 0) throw new Error(`splitOrder: ${k} must be a non-negative integer of cents`);
  const availableCents = Math.max(0, o.budgetCents - o.usedCents);
  const govCents = Math.min(o.amountCents, availableCents);
  return { availableCents, govCents, copayCents: o.amountCents - govCents };
}

export type VisitFlag = 'far_checkin' | 'far_checkout' | 'too_short' | 'no_location';

export const FLAG_LABELS: Record<VisitFlag, { zh: string; en: string }> = {
  far_checkin: { zh: '签到位置距老人住址过远', en: 'checked in far from the elder’s address' },
  far_checkout: { zh: '签退位置距老人住址过远', en: 'checked out far from the elder’s address' },
  too_short: { zh: '服务时长过短', en: 'visit too short' },
  no_location: { zh: '老人住址无坐标，无法核验位置', en: 'the elder’s address has no coordinates: location not verifiable' },
};

export type HoldReason = VisitFlag | 'open_complaint' | 'not_confirmed' | 'callback_denied';

export const HOLD_LABELS: Record<HoldReason, { zh: string; en: string }> = {
  ...FLAG_LABELS,
  open_complaint: { zh: '有未办结的投诉', en: 'a complaint is still open' },
  not_confirmed: { zh: '老人未确认也未评价', en: 'neither confirmed nor rated by the elder' },
  callback_denied: { zh: '回访中老人否认接受过服务', en: 'the elder denied the service on a call-back' },
};

/** Why a completed order may not be paid this month (empty: it is paid). */
export function holdReasons(o: { flags: string[]; openComplaints: number; confirmed: boolean; rated: boolean; callbackDenied: boolean }): HoldReason[] {
  const out: HoldReason[] = [];
  for (const f of o.flags) if (f in FLAG_LABELS && f !== 'no_location') out.push(f as VisitFlag);
  if (o.openComplaints > 0) out.push('open_complaint');
  if (!o.confirmed && !o.rated) out.push('not_confirmed');
  if (o.callbackDenied) out.push('callback_denied');
  return out;
}

/** 'YYYY-MM' → first and last day. */
export function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

/** 12345 → "123.45" */
export const yuan = (cents: number) => (cents / 100).toFixed(2);
