/** The policy editor's form model: rules (amounts in 分) ⇄ form values (amounts in 元), and
 * server problem paths ⇄ form field names. */
import type { FormInstance } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { ApiError } from '../../kernel/api';
import type { AbilityBand, Condition, Policy, PolicyRules } from './types';

export interface CondForm {
  minAge?: number | null;
  maxAge?: number | null;
  categoriesAny?: string[];
  categoriesNone?: string[];
  ability?: AbilityBand[];
  residence?: 'urban' | 'rural' | null;
  inInstitution?: 'yes' | 'no' | null;
  localHukou?: boolean;
}

export interface BenefitForm {
  code: string;
  name: string;
  payment: 'cash' | 'service';
  content?: string;
  responsible?: string;
  needsApplication: boolean;
  startsFrom: 'same_month' | 'next_month';
  stopsFrom: 'same_month' | 'next_month';
  eligibility: CondForm;
  tiers: { label: string; when: CondForm; amount: number }[];
}

export interface PolicyForm {
  name: string;
  effectiveFrom: Dayjs;
  sourceNote?: string | null;
  backpayMonths: number;
  benefits: BenefitForm[];
  exclusions: { benefits: string[]; keep: 'highest' | 'first'; note?: string }[];
}

const condToForm = (c: Condition = {}): CondForm => ({
  ...c,
  inInstitution: c.inInstitution == null ? null : c.inInstitution ? 'yes' : 'no',
});

export function condFromForm(f: CondForm = {}): Condition {
  const c: Condition = {};
  if (f.minAge != null) c.minAge = f.minAge;
  if (f.maxAge != null) c.maxAge = f.maxAge;
  if (f.categoriesAny?.length) c.categoriesAny = f.categoriesAny;
  if (f.categoriesNone?.length) c.categoriesNone = f.categoriesNone;
  const bands = (f.ability ?? []).filter((b) => b && b.standard);
  if (bands.length) c.ability = bands.map((b) => ({ standard: b.standard, minLevel: b.minLevel ?? 0, maxLevel: b.maxLevel ?? b.minLevel ?? 0 }));
  if (f.residence) c.residence = f.residence;
  if (f.inInstitution) c.inInstitution = f.inInstitution === 'yes';
  if (f.localHukou) c.localHukou = true;
  return c;
}

export function toForm(p: Policy): PolicyForm {
  return {
    name: p.name,
    effectiveFrom: dayjs(p.effectiveFrom),
    sourceNote: p.sourceNote,
    backpayMonths: p.rules.backpayMonths ?? 6,
    benefits: p.rules.benefits.map((b) => ({
      ...b,
      eligibility: condToForm(b.eligibility),
      tiers: b.tiers.map((t) => ({ label: t.label, when: condToForm(t.when), amount: t.amountCents / 100 })),
    })),
    exclusions: (p.rules.exclusions ?? []).map((x) => ({ ...x })),
  };
}

export function fromForm(v: PolicyForm): { name: string; effectiveFrom: string; sourceNote: string | null; rules: PolicyRules } {
  return {
    name: v.name.trim(),
    effectiveFrom: v.effectiveFrom.startOf('month').format('YYYY-MM-DD'),
    sourceNote: v.sourceNote?.trim() || null,
    rules: {
      backpayMonths: v.backpayMonths ?? 0,
      benefits: (v.benefits ?? []).map((b) => ({
        code: (b.code ?? '').trim(),
        name: (b.name ?? '').trim(),
        payment: b.payment,
        content: b.content ?? '',
        responsible: b.responsible || '县民政局',
        needsApplication: !!b.needsApplication,
        startsFrom: b.startsFrom,
        stopsFrom: b.stopsFrom,
        eligibility: condFromForm(b.eligibility),
        tiers: (b.tiers ?? []).map((t) => ({ label: (t.label ?? '').trim(), when: condFromForm(t.when), amountCents: Math.round((t.amount ?? 0) * 100) })),
      })),
      exclusions: (v.exclusions ?? []).map((x) => ({ benefits: x.benefits ?? [], keep: x.keep ?? 'highest', note: x.note ?? '' })),
    },
  };
}

/** Server path (rules.benefits.0.tiers.1.amountCents) → form name (benefits, 0, tiers, 1, amount). */
export function placeProblems(form: FormInstance, err: ApiError, lang: string) {
  const en = lang.startsWith('en');
  form.setFields(
    err.problems.map((p) => ({
      name: p.path
        .replace(/^rules\./, '')
        .split('.')
        .map((s) => (s === 'amountCents' ? 'amount' : /^\d+$/.test(s) ? Number(s) : s)),
      errors: [en ? p.messageEn : p.message],
    })),
  );
}

export const FIELD_KEYS: Record<string, string> = {
  name: 'benefits.policy.name',
  effectiveFrom: 'benefits.policy.effectiveFrom',
  sourceNote: 'benefits.policy.sourceNote',
  backpayMonths: 'benefits.policy.backpayMonths',
  code: 'benefits.policy.code',
  payment: 'benefits.policy.payment',
  content: 'benefits.policy.content',
  responsible: 'benefits.policy.responsible',
  eligibility: 'benefits.policy.eligibility',
  when: 'benefits.policy.tierWhen',
  label: 'benefits.policy.tier',
  amountCents: 'benefits.policy.amount',
  minAge: 'benefits.cond.minAge',
  maxAge: 'benefits.cond.maxAge',
  categoriesAny: 'benefits.cond.categoriesAny',
  categoriesNone: 'benefits.cond.categoriesNone',
  residence: 'benefits.cond.residence',
  minLevel: 'benefits.cond.ability',
  maxLevel: 'benefits.cond.ability',
};

export const NEW_BENEFIT: BenefitForm = {
  code: '',
  name: '',
  payment: 'cash',
  content: '',
  responsible: '县民政局',
  needsApplication: false,
  startsFrom: 'same_month',
  stopsFrom: 'next_month',
  eligibility: {},
  tiers: [{ label: '', when: {}, amount: 0 }],
};
