/**
 * What an evaluation report says in words, from the live values: the overall picture, what rose
 * and what fell (against the end of the previous year for an annual report, against the plan's
 * baseline otherwise), which indicators lag their targets and by how much, which townships lag
 * and against which targets. Pure, so the PDF and the Word document say the same thing.
 */
import type { PlanEvaluation, PlanTownships } from './indicators.service.js';

type Ind = PlanEvaluation['indicators'][number];
type Town = PlanTownships['indicators'][number];

const SIGNS = { '>=': '≥', '<=': '≤', '=': '=' } as const;

export const fmt = (v: number, unit = '') => {
  const s = Number.isInteger(v) ? v.toLocaleString('en-US') : (Math.round(v * 10) / 10).toLocaleString('en-US', { maximumFractionDigits: 1 });
  return unit === '%' || unit === '‰' ? `${s}${unit}` : unit ? `${s}${unit}` : s;
};

/** "3.2 个百分点", "12张": a difference in the indicator's unit. */
const diff = (d: number, unit: string) =>
  unit === '%' ? `${fmt(Math.abs(d))} 个百分点` : unit === '‰' ? `${fmt(Math.abs(d))} 个千分点` : fmt(Math.abs(d), unit);

const targetOf = (i: Pick<Ind, 'comparator' | 'target' | 'unit'>) =>
  i.comparator === 'grow' ? '明显增长' : i.target == null ? '—' : `${SIGNS[i.comparator]} ${fmt(i.target, i.unit)}`;

/** A value moving toward the target is an improvement; for "≤" targets that is a fall. */
const better = (i: Pick<Ind, 'comparator'>, d: number) => (i.comparator === '<=' ? d < 0 : d > 0);

export interface Change {
  name: string;
  from: number;
  to: number;
  text: string;
  improved: boolean | null;
}

export interface Narrative {
  /** What the values are compared with: "2024年末" or "基期". */
  reference: string;
  overview: string;
  rose: Change[];
  fell: Change[];
  lagging: string[];
  townships: string[];
  next: string[];
}

export function reportNarrative(
  e: PlanEvaluation,
  prev: PlanEvaluation | null,
  towns: PlanTownships,
  o: { regionName: string; periodLabel: string; referenceLabel: string | null },
): Narrative {
  const n = e.indicators.length;
  const count = (s: Ind['status']) => e.indicators.filter((i) => i.status === s).length;
  const binding = e.indicators.filter((i) => i.binding);
  const bindingMet = binding.filter((i) => i.status === 'met').length;
  const overview =
    `${o.regionName}${o.periodLabel}纳入评价的规划指标共 ${n} 项（约束性 ${binding.length} 项），` +
    `其中已达标 ${count('met')} 项、按进度推进 ${count('on_track')} 项、滞后 ${count('behind')} 项、暂无数据 ${count('unknown')} 项；` +
    (binding.length > 0
      ? `约束性指标达标 ${bindingMet} 项，${bindingMet === binding.length ? '全部达标' : `尚有 ${binding.length - bindingMet} 项未达标`}。`
      : '本规划未设约束性指标。');

  const prevById = new Map((prev?.indicators ?? []).map((i) => [i.id, i]));
  const rose: Change[] = [];
  const fell: Change[] = [];
  for (const i of e.indicators) {
    if (i.value == null) continue;
    const ref = prev ? prevById.get(i.id)?.value : i.baseline;
    if (ref == null) continue;
    const d = i.value - ref;
    if (Math.abs(d) < 1e-9) continue;
    const improved = i.comparator === '=' || i.comparator === 'grow' ? (i.comparator === 'grow' ? d > 0 : null) : better(i, d);
    const c: Change = {
      name: i.name,
      from: ref,
      to: i.value,
      improved,
      text: `${i.name}由 ${fmt(ref, i.unit)} ${d > 0 ? '提高' : '下降'}到 ${fmt(i.value, i.unit)}，${d > 0 ? '增加' : '减少'} ${diff(d, i.unit)}${
        improved === false ? '（偏离目标方向，需关注）' : ''
      }`,
    };
    (d > 0 ? rose : fell).push(c);
  }

  const lagging = e.indicators
    .filter((i) => i.status === 'behind')
    .map((i) => {
      const gap = i.value != null && i.target != null && i.comparator !== 'grow' ? `，距目标差 ${diff(i.target - i.value, i.unit)}` : '';
      return `${i.name}（${i.binding ? '约束性' : '预期性'}）：当前 ${i.value == null ? '暂无数据' : fmt(i.value, i.unit)}，目标 ${targetOf(i)}${gap}`;
    });
  const unknown = e.indicators.filter((i) => i.status === 'unknown').map((i) => i.name);
  if (unknown.length > 0) lagging.push(`暂无数据、无法评价的指标：${unknown.join('、')}，请相关部门补充填报。`);

  const townships = towns.indicators
    .map((i: Town) => {
      const behind = i.townships.filter((t) => t.status === 'behind');
      if (behind.length === 0) return null;
      const list = behind.map((t) => `${t.name} ${t.value == null ? '暂无数据' : fmt(t.value, i.unit)}`).join('、');
      return `${i.name}（目标 ${targetOf(i)}）：${list}，${behind.length} 个乡镇（街道）滞后`;
    })
    .filter((x): x is string => x != null);

  const next = [
    ...e.indicators.filter((i) => i.status === 'behind' && i.binding).map((i) => `把${i.name}列为下一年度重点，按乡镇（街道）分解任务，逐月调度。`),
    ...(townships.length > 0 ? ['对滞后的乡镇（街道）开展督导，限期提出整改措施。'] : []),
    ...(unknown.length > 0 ? ['完善数据填报机制，确保每项指标有据可查。'] : []),
  ];
  if (next.length === 0) next.push('巩固已有成果，保持各项指标稳定达标。');

  return { reference: o.referenceLabel ?? '基期', overview, rose, fell, lagging, townships, next };
}
