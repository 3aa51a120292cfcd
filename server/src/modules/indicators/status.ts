/**
 * The status of an indicator at a date — one rule, used by the live view, the dashboard, the big
 * screen and the evaluation reports (which print it, see STATUS_RULE):
 *  - met (达标): the value reaches the target in the indicator's direction (≥ target, ≤ target,
 *    = target; "明显增长" indicators: above the baseline);
 *  - on track (按进度推进): not met, but at least where a straight line from the baseline at the
 *    start of the plan period (1 January of its first year) to the target at the end of the
 *    target year (31 December) stands on that date;
 *  - behind (滞后): neither — also when there is no baseline to draw that line from, or when the
 *    target year has passed;
 *  - unknown (暂无数据): no value (or no target).
 */
export type Comparator = '>=' | '<=' | '=' | 'grow';
export type IndicatorStatus = 'met' | 'on_track' | 'behind' | 'unknown';

export interface StatusInput {
  comparator: Comparator;
  target: number | null;
  baseline: number | null;
  /** First year of the plan period: the baseline stands on 1 January of it. */
  periodStart: number;
  /** The year by whose end the target is to be reached. */
  targetYear: number;
  value: number | null;
  /** YYYY-MM-DD */
  asOf: string;
}

export const STATUS_RULE =
  '状态判定：达到目标值（按“≥”“≤”方向；明显增长类指标高于基期值）为“达标”；未达标但不低于按进度应达值（规划期首年1月1日的基期值至目标年12月31日的目标值之间按日线性插值）为“按进度推进”；其余（含无基期值、目标年已过仍未达标）为“滞后”；无数据为“暂无数据”。';

const EPS = 1e-9;
const day = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));

/** Share of the way from the plan's start to the end of its target year on a date, 0‥1. */
export function elapsedShare(periodStart: number, targetYear: number, asOf: string): number {
  const from = day(`${periodStart}-01-01`);
  const to = day(`${targetYear}-12-31`);
  if (to <= from) return 1;
  return Math.min(1, Math.max(0, (day(asOf) - from) / (to - from)));
}

/** Where the value should stand on the date if the plan moves in a straight line; null without a baseline. */
export function expectedValue(i: Pick<StatusInput, 'target' | 'baseline' | 'periodStart' | 'targetYear' | 'asOf'>): number | null {
  if (i.baseline == null || i.target == null) return null;
  return i.baseline + (i.target - i.baseline) * elapsedShare(i.periodStart, i.targetYear, i.asOf);
}

export function indicatorStatus(i: StatusInput): IndicatorStatus {
  if (i.value == null || !Number.isFinite(i.value)) return 'unknown';
  if (i.comparator === 'grow') {
    if (i.baseline == null) return 'unknown';
    return i.value > i.baseline + EPS ? 'met' : 'behind';
  }
  if (i.target == null) return 'unknown';
  if (i.comparator === '=') return Math.abs(i.value - i.target) < EPS ? 'met' : 'behind';
  const up = i.comparator === '>=';
  if (up ? i.value >= i.target - EPS : i.value <= i.target + EPS) return 'met';
  const expected = expectedValue(i);
  if (expected == null || elapsedShare(i.periodStart, i.targetYear, i.asOf) >= 1) return 'behind';
  return (up ? i.value >= expected - EPS : i.value <= expected + EPS) ? 'on_track' : 'behind';
}
