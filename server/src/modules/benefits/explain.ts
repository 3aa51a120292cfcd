/** Every amount explained: the rule version and the facts that produced a line, in words. */
import { categoryZh, describeCondition, yuan, type BenefitRule } from './rules.js';

export interface LineFacts {
  refDate?: string;
  age?: number;
  categories?: string[];
  since?: Record<string, string>;
  ability?: { standard: string; level: number; date: string };
  residence?: 'urban' | 'rural';
  institution?: boolean;
  applied?: string;
}

/** "年龄85周岁（2025-06-30）；低保（自2024-03-01）；GB/T 42195-2022 评估3级（2025-01-10）；城镇居住" */
export function describeFacts(f: LineFacts): string {
  const parts: string[] = [];
  if (f.age != null) parts.push(`年龄${f.age}周岁（${f.refDate ?? ''}）`);
  for (const c of f.categories ?? []) parts.push(`${categoryZh(c)}${f.since?.[c] ? `（自${f.since[c]}）` : ''}`);
  if (f.ability) parts.push(`${f.ability.standard} 评估${f.ability.level}级（${f.ability.date}）`);
  else parts.push('无有效能力评估');
  if (f.residence) parts.push(f.residence === 'urban' ? '城镇居住' : '农村居住');
  if (f.institution) parts.push('入住养老机构');
  if (f.applied) parts.push(`${f.applied} 申请获批`);
  return parts.join('；');
}

export function explainLine(o: {
  rule: BenefitRule | undefined;
  tier: string;
  amountCents: number;
  facts: LineFacts;
  policy: { name: string; version: number; effectiveFrom: string };
  kind: string;
  forMonth: string;
}): string {
  const cond = o.rule ? describeCondition(o.rule.eligibility) : '';
  const tierRule = o.rule?.tiers.find((t) => t.label === o.tier);
  const head = `${o.forMonth.slice(0, 7)} ${o.rule?.name ?? ''}${o.kind === 'backpay' ? '（补发）' : ''}：${o.tier} ${yuan(o.amountCents)}元`;
  const rule = `依据《${o.policy.name}》第${o.policy.version}版（${o.policy.effectiveFrom}起施行）：享受条件“${cond}”${
    tierRule && Object.keys(tierRule.when).length ? `，档次“${o.tier}”条件“${describeCondition(tierRule.when)}”` : ''
  }`;
  return `${head}。${rule}。事实：${describeFacts(o.facts)}。`;
}

/** The reason a line appears, stops or changes against last month (preview). */
export function explainChange(i: {
  kind: 'added' | 'stopped' | 'changed';
  pf: Record<string, unknown> | null;
  qf: Record<string, unknown> | null;
  ptier: string | null;
  qtier: string | null;
  status: string;
  death_date: string | null;
  moved_out_date: string | null;
}): string {
  const p = (i.pf ?? {}) as LineFacts;
  const q = (i.qf ?? {}) as LineFacts;
  if (i.kind === 'stopped') {
    if (i.status === 'deceased') return `死亡（${i.death_date}）`;
    if (i.status === 'moved_out') return `迁出（${i.moved_out_date}）`;
    return `不再符合条件（上月：${describeFacts(p)}）`;
  }
  if (i.kind === 'changed') {
    const why: string[] = [`档次 ${i.ptier} → ${i.qtier}`];
    if (p.ability?.level !== q.ability?.level) why.push(`评估等级 ${p.ability?.level ?? '无'} → ${q.ability?.level ?? '无'}`);
    if (p.residence !== q.residence) why.push('居住地城乡类别变化');
    return why.join('；');
  }
  // added
  const newCats = (q.categories ?? []).filter((c) => !(p.categories ?? []).includes(c));
  const why: string[] = [];
  if (newCats.length) why.push(`新认定：${newCats.map((c) => `${categoryZh(c)}${q.since?.[c] ? `（${q.since[c]}起）` : ''}`).join('、')}`);
  if (q.applied) why.push(`${q.applied} 申请获批`);
  if (!why.length) why.push(`新符合条件：${describeFacts(q)}`);
  return why.join('；');
}
