import { z } from 'zod';
import { RegionCode } from '../accounts/accounts.schema.js';

export const URBAN_RURAL = ['111', '112', '121', '122', '123', '210', '220'] as const;
export const URBAN_RURAL_LABELS: Record<(typeof URBAN_RURAL)[number], string> = {
  '111': '主城区',
  '112': '城乡结合区',
  '121': '镇中心区',
  '122': '镇乡结合区',
  '123': '特殊区域',
  '210': '乡中心区',
  '220': '村庄',
};

export const RegionView = z.object({
  code: z.string(),
  name: z.string(),
  level: z.number().int(),
  parentCode: z.string().nullable(),
  countyCode: z.string(),
  urbanRuralCode: z.string().nullable(),
  /** street / town / township for level 4; community / village for level 5. */
  kind: z.string().nullable(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  childCount: z.number().int(),
});

export const RegionListQuery = z.object({
  parent: RegionCode.optional(),
  level: z.coerce.number().int().min(1).max(5).optional(),
  q: z.string().trim().max(40).optional(),
  includeAbolished: z.enum(['true', 'false']).optional(),
});

export const RegionCodeParams = z.object({ code: RegionCode });

export const UpsertRegionBody = z.object({
  code: RegionCode,
  name: z.string().trim().min(1).max(100),
  urbanRuralCode: z.enum(URBAN_RURAL).nullable().optional(),
  validFrom: z.iso.date().optional(),
  validTo: z.iso.date().nullable().optional(),
});

export const UpdateRegionBody = UpsertRegionBody.omit({ code: true }).partial();

export const ImportMode = z.object({ mode: z.enum(['valid-only', 'all-or-nothing']).default('all-or-nothing') });

export const ImportReport = z.object({
  mode: z.string(),
  total: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  rejected: z.number().int(),
  committed: z.boolean(),
  errors: z.array(z.object({ row: z.number().int(), column: z.string(), message: z.string(), messageEn: z.string() })),
});
