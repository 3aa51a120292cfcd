/** The five seed plans' indicator tables (copied verbatim from shared/plans), as templates. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const TemplateIndicator = z.object({
  name: z.string(),
  metric: z.string().nullable(),
  comparator: z.enum(['>=', '<=', '=', 'grow']),
  target: z.number().nullable().optional(),
  unit: z.string().default('%'),
  binding: z.boolean().default(false),
  baseline: z.number().nullable().optional(),
  baselineYear: z.number().int().nullable().optional(),
});

export const PlanTemplate = z.object({
  key: z.string(),
  region: z.string(),
  regionCode: z.string(),
  title: z.string(),
  period: z.tuple([z.number().int(), z.number().int()]),
  targetYear: z.number().int(),
  source: z.string(),
  indicators: z.array(TemplateIndicator),
});
export type PlanTemplate = z.infer<typeof PlanTemplate>;

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'templates');

let cache: PlanTemplate[] | undefined;
export function planTemplates(): PlanTemplate[] {
  cache ??= fs
    .readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => PlanTemplate.parse({ key: f.replace(/\.json$/, ''), ...JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')) }));
  return cache;
}
