/**
 * Admission ranking for public care homes (入住评估与轮候). The rule is data, versioned per county
 * (table admission_rules); the default is the seeds' order (Wudi, Tengzhou): 特困 elders willing
 * to live in care first, then economically poor elders who are disabled, empty-nest, left-behind,
 * severely disabled, very old or of a 计生特殊家庭; everyone else only for spare beds once the
 * priority list is empty. Ties go by application date, then filing time. Ranking is pure: it
 * takes each applicant's live categories, age and ability and returns rank, class and reason.
 */
import { z } from 'zod';
import { CATEGORIES, type Category } from '../elders/categories.js';

export const Condition = z.union([
  z.object({ category: z.enum(Object.keys(CATEGORIES) as [Category, ...Category[]]) }),
  z.object({ disabled: z.literal(true) }),
  z.object({ ageAtLeast: z.number().int().min(60).max(120) }),
]);
export type Condition = z.infer<typeof Condition>;

export const RankClass = z.object({
  key: z.string().regex(/^[a-z0-9_]{1,40}$/),
  zh: z.string().min(1).max(100),
  en: z.string().min(1).max(200),
  /** Every group must hold; within a group any one condition. */
  groups: z.array(z.array(Condition).min(1).max(20)).max(10),
});
export type RankClass = z.infer<typeof RankClass>;

export const RuleBody = z.object({
  /** An assessment valid on the day of the list is required to be ranked. */
  requireAssessment: z.boolean(),
  /** Priority classes in order; an applicant falls in the first that holds. */
  classes: z.array(RankClass).min(1).max(10),
  /** Applicants in no class may be offered spare beds when no priority applicant is waiting. */
  spareBedsToOthers: z.boolean(),
  /** Days an elder has to answer an offer. */
  offerDays: z.number().int().min(1).max(60),
});
export type RuleBody = z.infer<typeof RuleBody>;

const POOR: Condition[] = [{ category: 'dibao' }, { category: 'low_income' }, { category: 'econ_hardship' }];

export const DEFAULT_RULE: { version: number; validFrom: string; note: string; body: RuleBody } = {
  version: 0,
  validFrom: '2000-01-01',
  note: '默认规则（据无棣县、滕州市规划）：有集中供养意愿的特困人员优先，其次为失能、空巢、留守、重残、高龄或计生特殊家庭的经济困难老年人；同类按申请日期先后',
  body: {
    requireAssessment: true,
    offerDays: 7,
    spareBedsToOthers: true,
    classes: [
      {
        key: 'tekun_willing',
        zh: '有集中供养意愿的特困人员',
        en: 'Extreme-poverty elder willing to live in care',
        groups: [[{ category: 'tekun_dispersed' }, { category: 'tekun_centralized' }], [{ category: 'willing_centralized' }]],
      },
      {
        key: 'poor_vulnerable',
        zh: '经济困难且失能、空巢、留守、重残、高龄或计生特殊家庭的老年人',
        en: 'Economically poor elder who is disabled, empty-nest, left-behind, severely disabled, very old or of a family-planning special family',
        groups: [
          POOR,
          [
            { disabled: true },
            { category: 'empty_nest' },
            { category: 'left_behind' },
            { category: 'severe_disability' },
            { ageAtLeast: 80 },
            { category: 'fp_special' },
          ],
        ],
      },
    ],
  },
};

export interface Applicant {
  id: string;
  appliedOn: string;
  createdAt: string;
  categories: string[];
  age: number;
  /** Current valid assessment on the list's date, if any. */
  ability: { standard: string; level: number } | null;
  /** At or above the county's disability level. */
  disabled: boolean;
}

export interface Ranked<A extends Applicant> {
  applicant: A;
  /** 1-based position on the list; null when not ranked (no valid assessment). */
  rank: number | null;
  classKey: string | null;
  classIndex: number;
  /** 'priority' | 'spare' (only for spare beds) | 'pending_assessment'. */
  standing: 'priority' | 'spare' | 'pending_assessment';
  reasonZh: string;
  reasonEn: string;
}

function conditionLabel(c: Condition): { zh: string; en: string } {
  if ('category' in c) return CATEGORIES[c.category];
  if ('disabled' in c) return { zh: '失能', en: 'disabled' };
  return { zh: `${c.ageAtLeast}周岁以上`, en: `aged ${c.ageAtLeast}+` };
}

function holds(c: Condition, a: Applicant): boolean {
  if ('category' in c) return a.categories.includes(c.category);
  if ('disabled' in c) return a.disabled;
  return a.age >= c.ageAtLeast;
}

/** Ranks applicants: by class, then application date, then filing time. */
export function rankApplicants<A extends Applicant>(rule: RuleBody, applicants: A[]): Ranked<A>[] {
  const out: Ranked<A>[] = applicants.map((a) => {
    if (rule.requireAssessment && !a.ability)
      return {
        applicant: a,
        rank: null,
        classKey: null,
        classIndex: Number.MAX_SAFE_INTEGER,
        standing: 'pending_assessment',
        reasonZh: '无有效能力评估，待评估后排序',
        reasonEn: 'no valid ability assessment: ranked once assessed',
      };
    for (const [i, k] of rule.classes.entries()) {
      const matched = k.groups.map((g) => g.filter((c) => holds(c, a)));
      if (matched.every((m) => m.length > 0)) {
        const why = matched.map((m) => m.map(conditionLabel));
        return {
          applicant: a,
          rank: 0,
          classKey: k.key,
          classIndex: i,
          standing: 'priority',
          reasonZh: `第${i + 1}优先：${k.zh}（${why.map((m) => m.map((x) => x.zh).join('、')).join('；')}）`,
          reasonEn: `priority ${i + 1}: ${k.en} (${why.map((m) => m.map((x) => x.en).join(', ')).join('; ')})`,
        };
      }
    }
    return {
      applicant: a,
      rank: 0,
      classKey: null,
      classIndex: rule.classes.length,
      standing: 'spare',
      reasonZh: rule.spareBedsToOthers ? '不属优先对象：优先名单为空时可入住空余床位' : '不属优先对象',
      reasonEn: rule.spareBedsToOthers ? 'not a priority applicant: may take a spare bed once the priority list is empty' : 'not a priority applicant',
    };
  });
  out.sort(
    (x, y) =>
      x.classIndex - y.classIndex ||
      x.applicant.appliedOn.localeCompare(y.applicant.appliedOn) ||
      x.applicant.createdAt.localeCompare(y.applicant.createdAt) ||
      x.applicant.id.localeCompare(y.applicant.id),
  );
  let n = 0;
  for (const r of out) if (r.standing !== 'pending_assessment') r.rank = ++n;
  return out;
}

/** May this ranked applicant be offered a bed now? Priority applicants always; others only
 * for spare beds, i.e. when no priority applicant is still waiting without an offer. */
export function offerable<A extends Applicant>(rule: RuleBody, list: Ranked<A>[], r: Ranked<A>, hasOpenOffer: (a: A) => boolean): boolean {
  if (r.standing === 'priority') return true;
  if (r.standing !== 'spare' || !rule.spareBedsToOthers) return false;
  return !list.some((x) => x.standing === 'priority' && !hasOpenOffer(x.applicant));
}

/**
 * What a 公示 shows of an applicant's standing: a neutral class label (一类, 二类, …, 其他, 待评估),
 * never the categories that placed them. The labels come from the rule version in force, and
 * the class definitions are published beside the list as the rule's own text.
 */
const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

export interface PublishedClass {
  label: string;
  labelEn: string;
  text: string;
  textEn: string;
}

const SPARE = (rule: RuleBody): PublishedClass => ({
  label: '其他',
  labelEn: 'Other',
  text: rule.spareBedsToOthers ? '不属以上各类的申请人：以上各类无人轮候时安排空余床位' : '不属以上各类的申请人',
  textEn: rule.spareBedsToOthers
    ? 'applicants in none of the classes above: spare beds once nobody of those classes is waiting'
    : 'applicants in none of the classes above',
});
const PENDING: PublishedClass = {
  label: '待评估',
  labelEn: 'Awaiting assessment',
  text: '尚无有效能力评估，评估后按以上规则排序',
  textEn: 'no valid ability assessment yet: ranked by the rule above once assessed',
};

/** The rule's classes as published: label and definition, in order, then 其他 and 待评估. */
export function publishedClasses(rule: RuleBody): PublishedClass[] {
  const classes = rule.classes.map((k, i) => ({ label: `${NUMERALS[i]}类`, labelEn: `Class ${i + 1}`, text: k.zh, textEn: k.en }));
  return [...classes, SPARE(rule), ...(rule.requireAssessment ? [PENDING] : [])];
}

/** The neutral label of one ranked applicant. */
export function publishedClassOf(r: Pick<Ranked<Applicant>, 'standing' | 'classIndex'>): { label: string; labelEn: string } {
  if (r.standing === 'pending_assessment') return { label: PENDING.label, labelEn: PENDING.labelEn };
  if (r.standing === 'spare') return { label: '其他', labelEn: 'Other' };
  return { label: `${NUMERALS[r.classIndex]}类`, labelEn: `Class ${r.classIndex + 1}` };
}
