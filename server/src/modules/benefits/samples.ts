/**
 * Sample policy sets for the demo county, so a user can compare: Shicheng's amounts from its
 * plan (seed 002) and Beijing's 2019 rules (STANDARDS.md §7.1). Amounts the sources give are
 * marked in `source_note`; bands a source leaves open are configuration [C] (in these comments only:
 * the names, notes and contents are what officials read, so they carry no source tags).
 */
import type { PolicyRules } from './rules.js';

const GB = 'GB/T 42195-2022' as const;
const MZ = 'MZ/T 039-2013' as const;
const POOR = ['dibao', 'low_income', 'econ_hardship'];
const TEKUN = ['tekun_dispersed', 'tekun_centralized'];

export const SHICHENG_RULES: PolicyRules = {
  backpayMonths: 6,
  benefits: [
    {
      code: 'old_age_allowance',
      name: '高龄津贴',
      payment: 'cash',
      content: '按年龄段按月发放高龄津贴（50—1000元）',
      responsible: '县民政局',
      needsApplication: false,
      startsFrom: 'same_month',
      stopsFrom: 'next_month',
      eligibility: { minAge: 80 },
      tiers: [
        { label: '100周岁及以上', when: { minAge: 100 }, amountCents: 100000 },
        { label: '90—99周岁', when: { minAge: 90 }, amountCents: 20000 },
        { label: '80—89周岁', when: {}, amountCents: 5000 },
      ],
    },
    {
      code: 'nursing_subsidy',
      name: '护理补贴',
      payment: 'cash',
      content: '经济困难的失能老年人按月发放护理补贴，每人每月不低于50元',
      responsible: '县民政局',
      needsApplication: false,
      startsFrom: 'same_month',
      stopsFrom: 'next_month',
      eligibility: {
        categoriesAny: POOR as never,
        categoriesNone: TEKUN as never,
        ability: [
          { standard: GB, minLevel: 2, maxLevel: 4 },
          { standard: MZ, minLevel: 2, maxLevel: 3 },
        ],
      },
      tiers: [{ label: '经济困难失能老年人', when: {}, amountCents: 5000 }],
    },
    {
      code: 'service_subsidy',
      name: '养老服务补贴',
      payment: 'service',
      content: '经济困难的高龄老年人每月不低于50元的居家养老服务额度，下单时抵扣',
      responsible: '县民政局',
      needsApplication: false,
      startsFrom: 'same_month',
      stopsFrom: 'next_month',
      eligibility: { minAge: 80, categoriesAny: POOR as never, categoriesNone: TEKUN as never },
      tiers: [{ label: '经济困难高龄老年人', when: {}, amountCents: 5000 }],
    },
    {
      code: 'purchased_services_80',
      name: '政府购买居家养老服务（80周岁及以上）',
      payment: 'service',
      content: '80周岁及以上老年人享受政府购买的居家养老服务（平阴县规划），每月服务额度',
      responsible: '县民政局、各镇（街道）',
      needsApplication: false,
      startsFrom: 'same_month',
      stopsFrom: 'next_month',
      eligibility: { minAge: 80, inInstitution: false },
      tiers: [{ label: '80周岁及以上居家老年人', when: {}, amountCents: 6000 }],
    },
    {
      code: 'tekun_living',
      name: '特困人员基本生活费',
      payment: 'cash',
      content: '城乡特困老年人生活费每人每月915元、615元；农村特困失能人员参照城镇执行',
      responsible: '县民政局',
      needsApplication: false,
      startsFrom: 'next_month',
      stopsFrom: 'next_month',
      eligibility: { categoriesAny: TEKUN as never },
      tiers: [
        { label: '城镇', when: { residence: 'urban' }, amountCents: 91500 },
        {
          label: '农村失能（参照城镇）',
          when: {
            ability: [
              { standard: GB, minLevel: 2, maxLevel: 4 },
              { standard: MZ, minLevel: 2, maxLevel: 3 },
            ],
          },
          amountCents: 91500,
        },
        { label: '农村', when: {}, amountCents: 61500 },
      ],
    },
    {
      code: 'tekun_care',
      name: '特困人员照料护理费',
      payment: 'cash',
      content: '失能、部分失能、生活自理的特困人员每月护理费分别为1200元、300元、70元',
      responsible: '县民政局',
      needsApplication: false,
      startsFrom: 'next_month',
      stopsFrom: 'next_month',
      eligibility: { categoriesAny: TEKUN as never },
      tiers: [
        {
          label: '失能',
          when: {
            ability: [
              { standard: GB, minLevel: 3, maxLevel: 4 },
              { standard: MZ, minLevel: 3, maxLevel: 3 },
            ],
          },
          amountCents: 120000,
        },
        {
          label: '部分失能',
          when: {
            ability: [
              { standard: GB, minLevel: 1, maxLevel: 2 },
              { standard: MZ, minLevel: 1, maxLevel: 2 },
            ],
          },
          amountCents: 30000,
        },
        { label: '生活自理', when: {}, amountCents: 7000 },
      ],
    },
  ],
  exclusions: [{ benefits: ['tekun_care', 'nursing_subsidy'], keep: 'highest', note: '特困人员照料护理费与护理补贴不重复享受' }],
};

export const BEIJING_RULES: PolicyRules = {
  backpayMonths: 6,
  benefits: [
    {
      code: 'poverty_service_subsidy',
      name: '困难老年人养老服务补贴',
      payment: 'service',
      content: '低保老年人300元、低收入家庭老年人200元、计划生育特殊家庭老年人100元，按月计入养老助残卡',
      responsible: '区民政局',
      needsApplication: true,
      startsFrom: 'same_month',
      stopsFrom: 'next_month',
      eligibility: { categoriesAny: ['dibao', 'low_income', 'fp_special'] as never, categoriesNone: TEKUN as never, localHukou: true },
      tiers: [
        { label: '低保', when: { categoriesAny: ['dibao'] as never }, amountCents: 30000 },
        { label: '低收入', when: { categoriesAny: ['low_income'] as never }, amountCents: 20000 },
        { label: '计划生育特殊家庭', when: {}, amountCents: 10000 },
      ],
    },
    {
      code: 'disability_care_subsidy',
      name: '失能老年人护理补贴',
      payment: 'service',
      content: '经能力综合评估为重度失能的老年人每月600元；重度残疾老年人400元',
      responsible: '区民政局',
      needsApplication: true,
      startsFrom: 'same_month',
      stopsFrom: 'next_month',
      eligibility: { categoriesNone: TEKUN as never, localHukou: true },
      tiers: [
        { label: '重度失能', when: { ability: [{ standard: GB, minLevel: 3, maxLevel: 4 }] }, amountCents: 60000 },
        { label: '重度残疾', when: { categoriesAny: ['severe_disability'] as never }, amountCents: 40000 },
      ],
    },
    {
      code: 'old_age_allowance',
      name: '高龄老年人津贴',
      payment: 'cash',
      content: '80—89周岁每月100元，90—99周岁500元，100周岁及以上800元（北京需申请；本县按档案自动认定）',
      responsible: '区民政局',
      needsApplication: false,
      startsFrom: 'same_month',
      stopsFrom: 'next_month',
      eligibility: { minAge: 80, localHukou: true },
      tiers: [
        { label: '100周岁及以上', when: { minAge: 100 }, amountCents: 80000 },
        { label: '90—99周岁', when: { minAge: 90 }, amountCents: 50000 },
        { label: '80—89周岁', when: {}, amountCents: 10000 },
      ],
    },
  ],
  exclusions: [],
};

export const SAMPLE_SETS = [
  {
    policyKey: 'shicheng',
    name: '县级补贴标准（参照石城县“十四五”规划）',
    sourceNote:
      '依据石城县“十四五”养老服务体系规划：高龄津贴50—1000元（分档金额由县民政局确定）；护理补贴、养老服务补贴不低于50元；特困生活费915/615元；护理费1200/300/70元',
    rules: SHICHENG_RULES,
  },
  {
    policyKey: 'beijing',
    name: '北京市标准（京民养老发〔2019〕160号）',
    sourceNote: '依据京民养老发〔2019〕160号：三项补贴可同时享受；自申请当月起发放；死亡等变化次月停发',
    rules: BEIJING_RULES,
  },
];
