import { z } from 'zod';
import { isIsoDate } from '../../kernel/dates.js';
import { iso } from '../../kernel/http.js';
import { maskAddress, maskPhone } from '../../kernel/mask.js';
import type { OrderRow } from './orders.service.js';
import { FLAG_LABELS } from './split.js';

export const DateStr = z.string().refine(isIsoDate, { message: '日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD' });
export const TimeStr = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式应为 HH:MM / time must be HH:MM');
export const MonthStr = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM / month must be YYYY-MM');
const Text = (max: number) => z.string().trim().min(1).max(max);

export const OrderBody = z.object({
  elderId: z.uuid(),
  itemId: z.uuid(),
  quantity: z.number().int().min(1).max(20).default(1),
  date: DateStr,
  time: TimeStr,
  note: z.string().max(500).nullish(),
  /** An order of a family care bed's plan. */
  familyBedId: z.uuid().nullish(),
});

export const QuoteView = z.object({
  elderName: z.string(),
  itemName: z.string(),
  unit: z.string(),
  quantity: z.number(),
  priceCents: z.number(),
  amountCents: z.number(),
  govCents: z.number(),
  copayCents: z.number(),
  availableCents: z.number(),
  entitlement: z.unknown(),
});

export const STATUSES = ['pending', 'dispatched', 'refused', 'accepted', 'in_service', 'completed', 'cancelled'] as const;

export const OrdersQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  status: z.enum(STATUSES).optional(),
  from: DateStr.optional(),
  to: DateStr.optional(),
  providerId: z.uuid().optional(),
  elderId: z.uuid().optional(),
  regionCode: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
  overdue: z.enum(['unaccepted', 'late', 'any']).optional(),
  flagged: z.enum(['true', 'false']).optional(),
  /** Orders the overdue sweep sent back to staff (需重新派单) and not dispatched or cancelled since. */
  escalated: z.enum(['true', 'false']).optional(),
  /** An order number, or the start of the elder's name. */
  q: z.string().trim().max(40).optional(),
});

export const OrderView = z.object({
  id: z.string(),
  no: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  elderId: z.string(),
  elderName: z.string(),
  elderPhone: z.string().nullable(),
  address: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  itemId: z.string(),
  itemName: z.string(),
  category: z.string(),
  unit: z.string(),
  skill: z.string().nullable(),
  quantity: z.number(),
  durationMin: z.number(),
  priceCents: z.number(),
  amountCents: z.number(),
  govCents: z.number(),
  copayCents: z.number(),
  entitlement: z.unknown(),
  date: z.string(),
  time: z.string(),
  note: z.string().nullable(),
  channel: z.string(),
  createdByName: z.string().nullable(),
  status: z.string(),
  providerId: z.string().nullable(),
  providerName: z.string().nullable(),
  caregiverId: z.string().nullable(),
  caregiverName: z.string().nullable(),
  dispatchMode: z.string().nullable(),
  dispatchedAt: z.string().nullable(),
  acceptDeadline: z.string().nullable(),
  acceptedAt: z.string().nullable(),
  checkinAt: z.string().nullable(),
  checkinDistanceM: z.number().nullable(),
  checkoutAt: z.string().nullable(),
  checkoutDistanceM: z.number().nullable(),
  flags: z.array(z.object({ code: z.string(), label: z.string(), labelEn: z.string() })),
  workDone: z.string().nullable(),
  serviceNotes: z.string().nullable(),
  elderConfirmedAt: z.string().nullable(),
  rating: z.number().nullable(),
  ratingComment: z.string().nullable(),
  ratedAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
  callbackAt: z.string().nullable(),
  settlementId: z.string().nullable(),
  createdAt: z.string().nullable(),
  overdue: z.string().nullable(),
  /** Sent back to staff by the overdue sweep (需重新派单): when and why (timeout / no_provider). */
  escalatedAt: z.string().nullable(),
  escalation: z.string().nullable(),
  photoIds: z.array(z.string()),
});
export type OrderViewT = z.infer<typeof OrderView>;

/** An order as the API shows it; lists mask the elder's phone and address (`mask`). */
export function presentOrder(o: OrderRow, mask = false): OrderViewT {
  return {
    id: o.id,
    no: o.no,
    regionCode: o.region_code,
    regionName: o.region_name,
    elderId: o.elder_id,
    elderName: o.elder_name,
    elderPhone: mask ? maskPhone(o.elder_phone) : o.elder_phone,
    address: mask ? maskAddress(o.address) : o.address,
    lat: mask ? null : o.lat,
    lng: mask ? null : o.lng,
    itemId: o.item_id,
    itemName: o.item_name,
    category: o.category,
    unit: o.unit,
    skill: o.skill,
    quantity: o.quantity,
    durationMin: o.duration_min,
    priceCents: o.price_cents,
    amountCents: o.amount_cents,
    govCents: o.gov_cents,
    copayCents: o.copay_cents,
    entitlement: o.entitlement,
    date: o.service_date,
    time: o.service_time,
    note: o.note,
    channel: o.channel,
    createdByName: o.created_by_name,
    status: o.status,
    providerId: o.provider_id,
    providerName: o.provider_name,
    caregiverId: o.caregiver_id,
    caregiverName: o.caregiver_name,
    dispatchMode: o.dispatch_mode,
    dispatchedAt: iso(o.dispatched_at),
    acceptDeadline: iso(o.accept_deadline),
    acceptedAt: iso(o.accepted_at),
    checkinAt: iso(o.checkin_at),
    checkinDistanceM: o.checkin_distance_m,
    checkoutAt: iso(o.checkout_at),
    checkoutDistanceM: o.checkout_distance_m,
    flags: o.flags.map((f) => ({
      code: f,
      label: FLAG_LABELS[f as keyof typeof FLAG_LABELS]?.zh ?? f,
      labelEn: FLAG_LABELS[f as keyof typeof FLAG_LABELS]?.en ?? f,
    })),
    workDone: o.work_done,
    serviceNotes: o.service_notes,
    elderConfirmedAt: iso(o.elder_confirmed_at),
    rating: o.rating,
    ratingComment: o.rating_comment,
    ratedAt: iso(o.rated_at),
    cancelledAt: iso(o.cancelled_at),
    cancelReason: o.cancel_reason,
    callbackAt: iso(o.callback_at),
    settlementId: o.settlement_id,
    createdAt: iso(o.created_at),
    overdue: o.overdue,
    escalatedAt: ['pending', 'refused'].includes(o.status) ? iso(o.escalated_at) : null,
    escalation: ['pending', 'refused'].includes(o.status) ? o.escalation : null,
    photoIds: o.photo_ids ?? [],
  };
}

export const Reason = z.object({ reason: Text(200) });
export const DispatchBody = z.object({ mode: z.enum(['manual', 'auto']).default('manual'), providerId: z.uuid().optional() });
export const AcceptBody = z.object({ caregiverId: z.uuid().optional() });
export const AssignBody = z.object({ caregiverId: z.uuid() });
export const Location = z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) });
/** A check-in: where, and why — required when the place is far from the elder's address. */
export const CheckinBody = Location.extend({ reason: z.string().trim().max(200).nullish() });
export const CheckoutBody = Location.extend({ workDone: Text(1000), notes: z.string().max(1000).nullish(), elderConfirmed: z.boolean().default(false) });
export const RatingBody = z.object({ stars: z.number().int().min(1).max(5), comment: z.string().max(500).nullish() });
export const RescheduleBody = z.object({ date: DateStr, time: TimeStr });
export const EventView = z.object({
  at: z.string().nullable(),
  kind: z.string(),
  actorName: z.string().nullable(),
  reason: z.string().nullable(),
  data: z.unknown(),
});
