/** Shapes of the indicators API (see server/src/modules/indicators/indicators.routes.ts). */

export type Comparator = '>=' | '<=' | '=' | 'grow';
export type Source = 'computed' | 'manual' | 'not_built' | 'not_computable';
export type Status = 'met' | 'on_track' | 'behind' | 'unknown';
export type RecordSet = 'gap' | 'numerator' | 'denominator';

export interface TemplateIndicator {
  name: string;
  metric: string | null;
  comparator: Comparator;
  target?: number | null;
  unit: string;
  binding: boolean;
  baseline?: number | null;
  baselineYear?: number | null;
}

export interface PlanTemplate {
  key: string;
  region: string;
  regionCode: string;
  title: string;
  period: [number, number];
  targetYear: number;
  indicators: TemplateIndicator[];
}

export interface PlanListItem {
  id: string;
  title: string;
  template: string | null;
  periodStart: number;
  periodEnd: number;
  regionCode: string;
}

export interface IndicatorView {
  id: string;
  name: string;
  metric: string | null;
  comparator: Comparator;
  target: number | null;
  unit: string;
  binding: boolean;
  baseline: number | null;
  baselineYear: number | null;
  source: Source;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  note: string | null;
  drillable: boolean;
  status: Status;
}

export interface PlanView {
  id: string;
  title: string;
  template: string | null;
  periodStart: number;
  periodEnd: number;
  targetYear: number;
  regionCode: string;
  regionName: string;
  asOf: string;
  indicators: IndicatorView[];
}

export interface MetricRecord {
  id: string;
  kind: string;
  name: string;
  regionName: string | null;
  detail: string;
}

export const STATUS_COLORS: Record<Status, string> = { met: 'success', on_track: 'processing', behind: 'error', unknown: 'default' };
export const SOURCE_COLORS: Record<Source, string> = { computed: 'blue', manual: 'purple', not_built: 'orange', not_computable: 'default' };

/** "≥ 65%", "≥ 1000 张": a number with its unit (percent sticks to the number). */
export function withUnit(n: number, unit: string, digits?: number): string {
  const s = digits == null ? String(n) : n.toFixed(digits);
  if (!unit) return s;
  return unit === '%' || unit === '‰' ? `${s}${unit}` : `${s} ${unit}`;
}

export const COMPARATOR_SIGNS: Record<Exclude<Comparator, 'grow'>, string> = { '>=': '≥', '<=': '≤', '=': '=' };

export interface TrendView {
  id: string;
  title: string;
  regionCode: string;
  months: string[];
  indicators: { id: string; name: string; metric: string; comparator: Comparator; target: number | null; unit: string; values: (number | null)[] }[];
}

export interface TownshipRow {
  rank: number | null;
  code: string;
  name: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  status: Status;
}

export interface TownshipsView {
  id: string;
  title: string;
  asOf: string;
  indicators: {
    id: string;
    name: string;
    metric: string;
    binding: boolean;
    comparator: Comparator;
    target: number | null;
    unit: string;
    townships: TownshipRow[];
  }[];
}

export const STATUS_HEX: Record<Status, string> = { met: '#52c41a', on_track: '#1677ff', behind: '#f5222d', unknown: '#8c8c8c' };

/** How far the value has come towards the target, in percent (≥: value/target; ≤: target/value); null when it cannot be said. */
export function completion(i: { comparator: Comparator; target: number | null; value: number | null }): number | null {
  if (i.value == null || i.target == null || i.comparator === 'grow') return null;
  if (i.comparator === '<=') return i.value <= 0 ? 100 : Math.min(200, (100 * i.target) / i.value);
  if (i.target === 0) return i.value >= 0 ? 100 : 0;
  return Math.min(200, (100 * i.value) / i.target);
}
