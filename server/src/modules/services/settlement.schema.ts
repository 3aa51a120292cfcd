/** Requests and responses of the monthly settlements. */
import { z } from 'zod';
import { MonthStr } from './orders.schema.js';

export const SettlementView = z.object({
  id: z.string(),
  providerId: z.string(),
  providerName: z.string().nullable(),
  month: z.string(),
  status: z.string(),
  orderCount: z.number(),
  govCents: z.number(),
  copayCents: z.number(),
  heldCount: z.number(),
  heldGovCents: z.number(),
  heldCopayCents: z.number(),
  createdAt: z.string().nullable(),
  approvedAt: z.string().nullable(),
  approvedByName: z.string().nullable(),
});
export const SettlementLineView = z.object({
  orderId: z.string(),
  orderNo: z.string(),
  date: z.string(),
  elderName: z.string(),
  itemName: z.string(),
  amountCents: z.number(),
  govCents: z.number(),
  copayCents: z.number(),
  held: z.boolean(),
  holdReasons: z.array(z.object({ code: z.string(), label: z.string(), labelEn: z.string() })),
});
export const SettlementDetail = SettlementView.extend({
  lines: z.array(SettlementLineView),
  reconciliation: z.object({
    ok: z.boolean(),
    lineGovCents: z.number(),
    lineCopayCents: z.number(),
    lineHeldGovCents: z.number(),
    ordersDiffering: z.number(),
  }),
});
export const BuildSettlementBody = z.object({ providerId: z.uuid(), month: MonthStr, replaces: z.uuid().optional() });
export const SettlementListQuery = z.object({ month: MonthStr.optional(), providerId: z.uuid().optional() });
export const SettlementParams = z.object({ id: z.uuid() });
