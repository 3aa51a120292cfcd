/**
 * A county's benefit policy set as data (STANDARDS.md §7): benefit types, who qualifies, the
 * amount tiers, combination/exclusion rules, when payment starts and stops. Validated here and
 * compiled to SQL by `engine.ts`; the county admin edits it in the UI.
 */
import { z } from 'zod';
import { CATEGORY_CODES } from '../elders/categories.js';

export const STANDARDS = ['GB/T 42195-2022', 'MZ/T 039-2013'] as const;

const categoryList = z.array(z.enum(CATEGORY_CODES as [string, ...string[]])).max(20);

export const AbilityBand = z
  .object({
    standard: z.enum(STANDARDS),
    minLevel: z.number().int().min(0).max(5),
    maxLevel: z.number().int().min(0).max(5),
  })
  .strict()
  .refine((b) => b.minLevel <= b.maxLevel, { message: '最低等级不能高于最高等级 / minLevel must not exceed maxLevel' });

/** Facts an eligibility or tier condition may test. Every present member must hold. */
export const Condition = z
  .object({
    /** Age in full years at the reference date. */
    minAge: z.number().int().min(0).max(150).optional(),
    maxAge: z.number().int().min(0).max(150).optional(),
    /** At least one of these categories is current. */
    categoriesAny: categoryList.optional(),
    /** None of these categories is current (exclusions such as 特困 for the poverty subsidy). */
    categoriesNone: categoryList.optional(),
    /** A current valid assessment in one of these bands (levels of the two standards are never converted). */
    ability: z.array(AbilityBand).min(1).max(4).optional(),
    /** Usual residence in an urban (城乡分类 1xx) or rural (2xx) village/community. */
    residence: z.enum(['urban', 'rural']).optional(),
    /** Living in a care institution. */
    inInstitution: z.boolean().optional(),
    /** Household register (户籍) in this county. */
    localHukou: z.boolean().optional(),
  })
  .strict();
export type Condition = z.infer<typeof Condition>;

export const Tier = z
  .object({
    label: z.string().min(1).max(60),
    when: Condition.default({}),
    amountCents: z.number().int().min(0).max(10_000_000),
  })
  .strict();

export const BenefitRule = z
  .object({
    code: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, '代码只能用小写字母、数字和下划线 / lowercase letters, digits and _ only'),
    name: z.string().min(1).max(60),
    /** cash: paid to the elder's bank account; service: a monthly budget for ordered services. */
    payment: z.enum(['cash', 'service']),
    /** For the published service list: what is provided and to what standard, who is responsible. */
    content: z.string().max(500).default(''),
    responsible: z.string().max(100).default('县民政局'),
    needsApplication: z.boolean().default(false),
    /** A fact that begins during a month counts for that month (same_month) or from the next. */
    startsFrom: z.enum(['same_month', 'next_month']).default('same_month'),
    /** A fact that ends during a month (death, category lost) still pays that month (next_month) or not. */
    stopsFrom: z.enum(['same_month', 'next_month']).default('next_month'),
    eligibility: Condition,
    /** The first tier whose condition holds gives the amount; an elder matching none gets nothing. */
    tiers: z.array(Tier).min(1).max(20),
  })
  .strict();
export type BenefitRule = z.infer<typeof BenefitRule>;

export const PolicyRules = z
  .object({
    benefits: z.array(BenefitRule).min(1).max(40),
    /** Benefits that cannot be combined: an elder qualifying for several keeps one. */
    exclusions: z
      .array(
        z
          .object({
            benefits: z.array(z.string()).min(2).max(10),
            keep: z.enum(['highest', 'first']).default('highest'),
            note: z.string().max(200).default(''),
          })
          .strict(),
      )
      .max(20)
      .default([]),
    /** How many earlier months a late-discovered eligibility is paid back (补发). */
    backpayMonths: z.number().int().min(0).max(24).default(6),
  })
  .strict()
  .superRefine((r, ctx) => {
    const codes = new Set<string>();
    r.benefits.forEach((b, i) => {
      if (codes.has(b.code)) ctx.addIssue({ code: 'custom', path: ['benefits', i, 'code'], message: `补贴代码重复：${b.code} / duplicate benefit code` });
      codes.add(b.code);
    });
    const grouped = new Set<string>();
    r.exclusions.forEach((x, i) =>
      x.benefits.forEach((c, j) => {
        if (!codes.has(c)) ctx.addIssue({ code: 'custom', path: ['exclusions', i, 'benefits', j], message: `没有这个补贴：${c} / unknown benefit` });
        if (grouped.has(c))
          ctx.addIssue({
            code: 'custom',
            path: ['exclusions', i, 'benefits', j],
            message: `一个补贴只能属于一个互斥组：${c} / a benefit may be in one exclusion group only`,
          });
        grouped.add(c);
      }),
    );
  });
export type PolicyRules = z.infer<typeof PolicyRules>;

const CAT_ZH: Record<string, string> = {
  tekun_dispersed: '特困（分散供养）',
  tekun_centralized: '特困（集中供养）',
  dibao: '低保',
  low_income: '低收入',
  econ_hardship: '经济困难',
  empty_nest: '空巢',
  living_alone: '独居',
  left_behind: '留守',
  severe_disability: '重残',
  fp_special: '计划生育特殊家庭',
  entitled_care: '优抚对象',
  willing_centralized: '有集中供养意愿',
};
export const categoryZh = (c: string) => CAT_ZH[c] ?? c;

/** A condition in words, for the service list and the explanation of a line. */
export function describeCondition(c: Condition): string {
  const parts: string[] = [];
  if (c.minAge != null && c.maxAge != null) parts.push(`${c.minAge}–${c.maxAge}周岁`);
  else if (c.minAge != null) parts.push(`${c.minAge}周岁及以上`);
  else if (c.maxAge != null) parts.push(`${c.maxAge}周岁及以下`);
  if (c.categoriesAny?.length) parts.push(c.categoriesAny.map(categoryZh).join('或'));
  if (c.categoriesNone?.length) parts.push(`非${c.categoriesNone.map(categoryZh).join('、')}`);
  if (c.ability?.length)
    parts.push(c.ability.map((b) => `${b.standard} ${b.minLevel === b.maxLevel ? `${b.minLevel}级` : `${b.minLevel}–${b.maxLevel}级`}`).join('或'));
  if (c.residence) parts.push(c.residence === 'urban' ? '城镇居住' : '农村居住');
  if (c.inInstitution != null) parts.push(c.inInstitution ? '入住养老机构' : '居家');
  if (c.localHukou) parts.push('本县户籍');
  return parts.join('，') || '所有老年人';
}

export const yuan = (cents: number) => (cents / 100).toFixed(2).replace(/\.00$/, '');
