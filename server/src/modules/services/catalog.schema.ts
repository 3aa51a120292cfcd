/** Requests and responses of the supplier catalogue (供应商库) and the service menu (十助). */
import { z } from 'zod';
import { isIsoDate } from '../../kernel/dates.js';

export const CATEGORIES = {
  meal: { zh: '助餐', en: 'Meals' },
  bath: { zh: '助浴', en: 'Bathing' },
  clean: { zh: '助洁', en: 'Cleaning' },
  walk: { zh: '助行', en: 'Escort' },
  medical: { zh: '助医', en: 'Medical escort' },
  emergency: { zh: '助急', en: 'Emergency' },
  chat: { zh: '助聊', en: 'Company' },
  shopping: { zh: '助购', en: 'Shopping' },
  repair: { zh: '助修', en: 'Repairs' },
  care: { zh: '助康', en: 'Care & rehab' },
} as const;
export const CATEGORY_CODES = Object.keys(CATEGORIES) as (keyof typeof CATEGORIES)[];

export const SKILLS = {
  meal: '助餐配送',
  bath: '助浴',
  clean: '保洁',
  escort: '陪同出行',
  medical: '陪诊',
  nursing: '生活照料',
  rehab: '康复护理',
  repair: '维修',
} as const;

const CREDIT = ['good', 'watch', 'red', 'black'] as const;
const Region = z.string().regex(/^\d{12}$/, '区划代码为12位数字 / a region code has 12 digits');
const DateStr = z.string().refine(isIsoDate, { message: '日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD' });

export const ProviderView = z.object({
  id: z.string(),
  name: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  creditCode: z.string().nullable(),
  kind: z.string(),
  status: z.string(),
  qualifications: z.array(z.string()),
  serviceRegions: z.array(z.string()),
  contractNo: z.string().nullable(),
  contractFrom: z.string().nullable(),
  contractTo: z.string().nullable(),
  rating: z.number(),
  creditStatus: z.string(),
  creditReason: z.string().nullable(),
  contactPhone: z.string().nullable(),
  address: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  caregivers: z.number(),
  evaluatedAt: z.string().nullable(),
});

/** A contract ends on or after it starts. */
const contractOrder = (b: { contractFrom?: string | null; contractTo?: string | null }) => !b.contractFrom || !b.contractTo || b.contractFrom <= b.contractTo;
const CONTRACT_ORDER = { message: '合同结束日期不能早于开始日期 / the contract cannot end before it starts', path: ['contractTo'] };

const ProviderFields = z.object({
  name: z.string().trim().min(1).max(200),
  regionCode: Region,
  creditCode: z.string().max(18).nullish(),
  kind: z.enum(['home_care', 'care_home', 'canteen', 'day_care']).default('home_care'),
  qualifications: z.array(z.string().trim().min(1).max(100)).max(20).default([]),
  serviceRegions: z.array(Region).max(500).default([]),
  contractNo: z.string().max(60).nullish(),
  contractFrom: DateStr.nullish(),
  contractTo: DateStr.nullish(),
  contactPhone: z.string().max(20).nullish(),
  address: z.string().max(200).nullish(),
  lat: z.number().min(-90).max(90).nullish(),
  lng: z.number().min(-180).max(180).nullish(),
});
export const ProviderBody = ProviderFields.refine(contractOrder, CONTRACT_ORDER);
export const ProviderPatch = ProviderFields.omit({ regionCode: true })
  .partial()
  .extend({
    status: z.enum(['active', 'suspended', 'closed']).optional(),
    creditStatus: z.enum(CREDIT).optional(),
    /** Why the credit status changes: required when it does (audited). */
    creditReason: z.string().trim().min(1).max(200).optional(),
    rating: z.number().min(0).max(5).optional(),
  })
  .refine(contractOrder, CONTRACT_ORDER);

export const CaregiverView = z.object({
  id: z.string(),
  providerId: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  skills: z.array(z.string()),
  certificates: z.array(z.object({ name: z.string(), no: z.string().nullish(), validUntil: z.string().nullish() })),
  status: z.string(),
  username: z.string().nullable(),
  openOrders: z.number(),
});
const Skills = z.array(z.enum(Object.keys(SKILLS) as [keyof typeof SKILLS])).max(10);
/** A certificate: its type (name), number and the last day it is valid. */
const Certificates = z
  .array(z.object({ name: z.string().trim().min(1).max(60), no: z.string().trim().max(60).nullish(), validUntil: DateStr.nullish() }))
  .max(10);
export const CaregiverBody = z.object({
  name: z.string().trim().min(1).max(50),
  phone: z.string().max(20).nullish(),
  skills: Skills.default([]),
  certificates: Certificates.default([]),
});
export const CaregiverPatch = z.object({
  name: z.string().trim().min(1).max(50).optional(),
  phone: z.string().max(20).nullish(),
  skills: Skills.optional(),
  certificates: Certificates.optional(),
  status: z.enum(['active', 'inactive']).optional(),
});

export const ItemView = z.object({
  id: z.string(),
  code: z.string(),
  category: z.string(),
  categoryName: z.string(),
  name: z.string(),
  unit: z.string(),
  priceCents: z.number(),
  durationMin: z.number(),
  skill: z.string().nullable(),
  description: z.string().nullable(),
  active: z.boolean(),
});
export const ItemBody = z.object({
  code: z.string().regex(/^[A-Za-z0-9_-]{1,20}$/, '编码为1-20位字母数字 / 1-20 letters or digits'),
  category: z.enum(CATEGORY_CODES as [keyof typeof CATEGORIES]),
  name: z.string().trim().min(1).max(60),
  unit: z.string().trim().min(1).max(10),
  priceCents: z.number().int().min(0).max(10_000_000),
  durationMin: z.number().int().min(1).max(1440),
  skill: z.enum(Object.keys(SKILLS) as [keyof typeof SKILLS]).nullish(),
  description: z.string().max(500).nullish(),
});

export const ItemPatch = ItemBody.omit({ code: true }).partial().extend({ active: z.boolean().optional() });
export const ItemsQuery = z.object({ all: z.enum(['true', 'false']).optional() });
export const UuidParams = z.object({ id: z.uuid() });
