/** Requests and responses of complaints (投诉) and call-backs (回访). */
import { z } from 'zod';
import { MonthStr } from './orders.schema.js';

export const KINDS = ['quality', 'attitude', 'late', 'absent', 'fee', 'other'] as const;

export const ComplaintView = z.object({
  id: z.string(),
  orderId: z.string(),
  orderNo: z.string(),
  elderName: z.string(),
  itemName: z.string(),
  providerName: z.string().nullable(),
  kind: z.string(),
  content: z.string(),
  status: z.string(),
  filedByName: z.string().nullable(),
  filedAt: z.string().nullable(),
  handlerName: z.string().nullable(),
  resolution: z.string().nullable(),
  closedAt: z.string().nullable(),
});

export const UuidParams = z.object({ id: z.uuid() });

export const ComplaintBody = z.object({ kind: z.enum(KINDS), content: z.string().trim().min(1).max(1000) });
export type ComplaintBodyT = z.infer<typeof ComplaintBody>;

export const ComplaintsQuery = z.object({ status: z.enum(['open', 'handling', 'closed']).optional() });

export const HandleBody = z.object({ status: z.enum(['handling', 'closed']), resolution: z.string().trim().min(1).max(1000) });
export type HandleBodyT = z.infer<typeof HandleBody>;

export const SampleQuery = z.object({ month: MonthStr });

export const SampleView = z.object({
  share: z.number(),
  completed: z.number(),
  items: z.array(
    z.object({
      id: z.string(),
      no: z.string(),
      date: z.string(),
      elderName: z.string(),
      elderPhone: z.string().nullable(),
      itemName: z.string(),
      providerName: z.string().nullable(),
    }),
  ),
});

export const CallbackBody = z.object({
  reached: z.boolean(),
  serviceHappened: z.boolean().nullish(),
  satisfied: z.boolean().nullish(),
  notes: z.string().max(1000).nullish(),
});
export type CallbackBodyT = z.infer<typeof CallbackBody>;
