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
  /** Current valid ability level (0-4 GB/T 42195, 0-3 MZ/T 039), optionally of one standard. */
  abilityLevel: z.coerce.number().int().min(0).max(4).optional(),
  standard: z.enum(['GB/T 42195-2022', 'MZ/T 039-2013']).optional(),
  /** Name, pinyin or initials. */
  q: z.string().trim().max(40).optional(),
  sort: z.enum(['name', 'age', 'region']).default('region'),
  order: z.enum(['asc', 'desc']).default('asc'),
  /** Count every match (lists otherwise stop counting past 10,000: `totalCapped`). */
  exact: z.enum(['1', 'true']).optional(),
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
  ability: z.object({ standard: z.string(), level: z.number(), levelName: z.string(), validUntil: z.string().nullable() }).nullable(),
});

export const ElderDetail = ElderListItem.extend({
  birthDate: z.string(),
  address: z.string().nullable(),
  livingArrangement: z.string().nullable(),
  hukouRegionCode: z.string().nullable(),
  deathDate: z.string().nullable(),
  reassessRequestedAt: z.string().nullable(),
  note: z.string().nullable(),
  masked: z.boolean(),
  categoryRecords: z.array(
    z.object({
      id: z.string(),
      category: z.string(),
      validFrom: z.string(),
      validTo: z.string().nullable(),
      sourceDoc: z.string().nullable(),
      endReason: z.string().nullable(),
    }),
  ),
  contacts: z.array(z.object({ id: z.string(), name: z.string(), relation: z.string(), phone: z.string().nullable(), hasAccount: z.boolean() })),
});

export const RevealBody = z.object({
  reason: z.string().trim().min(2, '请填写查看原因 / give a reason').max(200),
});

const Phone = z.string().regex(/^(1\d{10}|0\d{2,3}-?\d{7,8})$/, '电话号码格式不正确 / not a valid phone number');
const IsoDate = z.iso.date('日期格式须为 YYYY-MM-DD / write dates as YYYY-MM-DD');
export const LIVING_CODES = ['alone', 'spouse', 'children', 'spouse_children', 'others', 'institution'] as const;
export const CategoryCode = z.enum(CATEGORY_CODES as [string, ...string[]]);

export const ContactInput = z.object({
  name: z.string().trim().min(1).max(50),
  relation: z.string().trim().min(1).max(20),
  phone: Phone.nullable().optional(),
});

export const CategoryInput = z.object({
  category: CategoryCode,
  validFrom: IsoDate,
  sourceDoc: z.string().trim().max(100).nullable().optional(),
});

export const CreateElderBody = z.object({
  idNumber: z.string().trim().min(15).max(18),
  name: z.string().trim().min(1).max(50),
  regionCode: RegionCode,
  hukouRegionCode: RegionCode.nullable().optional(),
  phone: Phone.nullable().optional(),
  address: z.string().trim().max(200).nullable().optional(),
  lat: z.number().min(-90).max(90).nullable().optional(),
  lng: z.number().min(-180).max(180).nullable().optional(),
  livingArrangement: z.enum(LIVING_CODES).nullable().optional(),
  categories: z.array(CategoryInput).max(20).default([]),
  contacts: z.array(ContactInput).max(10).default([]),
  /** Register even though an elder with the same name and birth date exists. */
  confirmDuplicate: z.boolean().default(false),
});

export const UpdateElderBody = z
  .object({
    name: z.string().trim().min(1).max(50),
    hukouRegionCode: RegionCode.nullable(),
    phone: Phone.nullable(),
    address: z.string().trim().max(200).nullable(),
    lat: z.number().min(-90).max(90).nullable(),
    lng: z.number().min(-180).max(180).nullable(),
    livingArrangement: z.enum(LIVING_CODES).nullable(),
    note: z.string().trim().max(500).nullable(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, '至少修改一项 / change at least one field');

export const EVENT_KINDS = ['death', 'move_out', 'move_in', 'residence_change', 'health_change'] as const;
export const EventBody = z.object({
  kind: z.enum(EVENT_KINDS),
  date: IsoDate,
  /** New residence (village/community) for residence_change. */
  regionCode: RegionCode.optional(),
  sourceDoc: z.string().trim().max(100).nullable().optional(),
  note: z.string().trim().max(500).nullable().optional(),
});

export const EndCategoryBody = z.object({
  validTo: IsoDate,
  reason: z.string().trim().min(2, '请填写原因 / give a reason').max(200),
});
export const CategoryParams = z.object({ id: z.uuid(), categoryId: z.uuid() });

export const HistoryItem = z.object({
  at: z.string().nullable(),
  date: z.string().nullable(),
  kind: z.string(),
  source: z.enum(['event', 'audit']),
  detail: z.unknown(),
  actorName: z.string().nullable(),
});

export const CategoryView = z.object({
  id: z.string(),
  category: z.string(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  sourceDoc: z.string().nullable(),
  endReason: z.string().nullable(),
});
