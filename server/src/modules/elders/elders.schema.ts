import { z } from 'zod';
import { RegionCode } from '../accounts/accounts.schema.js';
import { CATEGORY_CODES } from './categories.js';

export const AGE_BANDS = ['60-69', '70-79', '80-89', '90-99', '100+'] as const;

export const ElderListQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  regionCode: RegionCode.optional(),
  ageBand: z.enum(AGE_BANDS).optional(),
  category: z.enum(CATEGORY_CODES as [string, ...string[]]).optional(),
  status: z.enum(['active', 'deceased', 'moved_out']).optional(),
  /** Name, pinyin or initials. */
  q: z.string().trim().max(40).optional(),
  sort: z.enum(['name', 'age', 'region']).default('region'),
  order: z.enum(['asc', 'desc']).default('asc'),
});

export const ElderListItem = z.object({
  id: z.string(),
  name: z.string(),
  idNumber: z.string().nullable(),
  sex: z.enum(['M', 'F']),
  age: z.number().int(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  townshipName: z.string().nullable(),
  phone: z.string().nullable(),
  status: z.string(),
  categories: z.array(z.string()),
});

export const ElderDetail = ElderListItem.extend({
  birthDate: z.string(),
  address: z.string().nullable(),
  livingArrangement: z.string().nullable(),
  hukouRegionCode: z.string().nullable(),
  deathDate: z.string().nullable(),
  masked: z.boolean(),
});

export const RevealBody = z.object({
  reason: z.string().trim().min(2, '请填写查看原因 / give a reason').max(200),
});
