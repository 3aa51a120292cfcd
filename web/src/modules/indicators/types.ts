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
