/**
 * Pure rules of a family care bed's month (家庭养老床位): which planned visits fall on which day,
 * and the bed's monthly operating subsidy. No database here.
 */
import { monthRange } from './split.js';

/** Plan visits are placed at this time of day (one home visit may carry several items). */
export const PLAN_VISIT_TIME = '09:00';

export interface PlanLine {
  itemId: string;
  timesPerMonth: number;
}

export interface PlannedVisit {
  /** The visit's key, unique per bed: month, item and ordinal. */
  slot: string;
  itemId: string;
  /** 1 … timesPerMonth */
  seq: number;
  date: string;
}

export const planSlot = (month: string, itemId: string, seq: number) => `${month}:${itemId}:${seq}`;

const DAY = 86_400_000;
const dayNo = (d: string) => Date.parse(`${d}T00:00:00Z`) / DAY;
const dateOf = (n: number) => new Date(n * DAY).toISOString().slice(0, 10);
const later = (a: string, b: string) => (a > b ? a : b);

/** `n` days spread evenly over [from, to]: the first on `from`, then one every (days ÷ n). More
 * visits than days put two (or more) on a day. */
export function spreadDates(n: number, from: string, to: string): string[] {
  const start = dayNo(from);
  const days = dayNo(to) - start + 1;
  if (n <= 0 || days <= 0) return [];
  return Array.from({ length: n }, (_, k) => dateOf(start + Math.floor((k * days) / n)));
}

/**
 * The visits of a bed's month that are not generated yet, with their dates, earliest first.
 * A line of n times a month has slots 1 … n, spread evenly from the month's first day (or the
 * bed's enrolment, if later) to its last day. A slot already generated is left alone (whatever
 * the plan says now). When some missing slot's day has already passed, nothing goes in the past
 * and nothing is dropped: the line's missing slots are spread evenly over the days from today to
 * the month's end instead.
 */
export function visitsToGenerate(o: { month: string; enrolledOn: string; today: string; lines: PlanLine[]; existing: ReadonlySet<string> }): PlannedVisit[] {
  const { from: first, to } = monthRange(o.month);
  const from = later(first, o.enrolledOn);
  const start = later(from, o.today);
  if (start > to) return [];
  const out: PlannedVisit[] = [];
  for (const line of o.lines) {
    const missing = spreadDates(line.timesPerMonth, from, to)
      .map((date, k) => ({ slot: planSlot(o.month, line.itemId, k + 1), itemId: line.itemId, seq: k + 1, date }))
      .filter((v) => !o.existing.has(v.slot));
    if (missing.some((v) => v.date < start)) {
      const dates = spreadDates(missing.length, start, to);
      missing.forEach((v, i) => (v.date = dates[i]));
    }
    out.push(...missing);
  }
  const order = new Map(o.lines.map((l, i) => [l.itemId, i]));
  return out.sort((a, b) => a.date.localeCompare(b.date) || order.get(a.itemId)! - order.get(b.itemId)! || a.seq - b.seq);
}

/**
 * A bed's operating subsidy for a month (county setting `services.familyBedMonthlySubsidyCents`,
 * 0 when the county sets none): the monthly amount for the days the bed was open in the month
 * (enrolment day included, end day excluded), rounded to the cent.
 */
export function monthlySubsidy(o: { month: string; monthlyCents: number; enrolledOn: string; endedOn: string | null }) {
  const { from, to } = monthRange(o.month);
  const daysInMonth = dayNo(to) - dayNo(from) + 1;
  const open = later(from, o.enrolledOn);
  // The end date is the first day without the bed.
  const lastOpen = o.endedOn ? dateOf(dayNo(o.endedOn) - 1) : to;
  const close = lastOpen < to ? lastOpen : to;
  const activeDays = Math.max(0, dayNo(close) - dayNo(open) + 1);
  const cents = o.monthlyCents > 0 ? Math.round((o.monthlyCents * activeDays) / daysInMonth) : 0;
  return { monthlyCents: o.monthlyCents, activeDays, daysInMonth, cents };
}
