import { describe, expect, it } from 'vitest';
import { elapsedShare, expectedValue, indicatorStatus, type StatusInput } from './status.js';

const base: StatusInput = { comparator: '>=', target: 65, baseline: 40, periodStart: 2021, targetYear: 2025, value: null, asOf: '2023-07-02' };

describe('indicator status rule', () => {
  it('reads the elapsed share of the plan from 1 January of its first year to 31 December of the target year', () => {
    expect(elapsedShare(2021, 2025, '2021-01-01')).toBe(0);
    expect(elapsedShare(2021, 2025, '2020-06-01')).toBe(0);
    expect(elapsedShare(2021, 2025, '2025-12-31')).toBe(1);
    expect(elapsedShare(2021, 2025, '2027-01-01')).toBe(1);
    // 2021-01-01 … 2025-12-31 is 1825 days; 2023-07-02 is day 912.
    expect(elapsedShare(2021, 2025, '2023-07-02')).toBeCloseTo(912 / 1825, 12);
    expect(expectedValue({ ...base })).toBeCloseTo(40 + 25 * (912 / 1825), 12);
  });

  it('is met when the value reaches the target in its direction', () => {
    expect(indicatorStatus({ ...base, value: 65 })).toBe('met');
    expect(indicatorStatus({ ...base, value: 80 })).toBe('met');
    expect(indicatorStatus({ ...base, comparator: '<=', target: 10, baseline: 20, value: 10 })).toBe('met');
    expect(indicatorStatus({ ...base, comparator: '=', target: 100, value: 100 })).toBe('met');
    expect(indicatorStatus({ ...base, comparator: 'grow', baseline: 5, value: 6 })).toBe('met');
  });

  it('is on track when not met but at or beyond the straight line from baseline to target', () => {
    const expected = expectedValue(base)!; // ≈ 52.49
    expect(indicatorStatus({ ...base, value: expected })).toBe('on_track');
    expect(indicatorStatus({ ...base, value: 60 })).toBe('on_track');
    expect(indicatorStatus({ ...base, value: 52 })).toBe('behind');
    // A falling target (≤): the line goes down from 20 to 10.
    const down = { ...base, comparator: '<=' as const, target: 10, baseline: 20 };
    expect(indicatorStatus({ ...down, value: 15 })).toBe('on_track'); // line ≈ 15.0 → 15 ≤ 15.003
    expect(indicatorStatus({ ...down, value: 16 })).toBe('behind');
  });

  it('is behind without a baseline, after the target year, for an unmet "=" or "grow" indicator', () => {
    expect(indicatorStatus({ ...base, baseline: null, value: 64 })).toBe('behind');
    expect(indicatorStatus({ ...base, value: 64.9, asOf: '2026-01-01' })).toBe('behind');
    expect(indicatorStatus({ ...base, comparator: '=', target: 100, value: 99 })).toBe('behind');
    expect(indicatorStatus({ ...base, comparator: 'grow', baseline: 5, value: 5 })).toBe('behind');
  });

  it('is unknown without a value, without a target, or for growth without a baseline', () => {
    expect(indicatorStatus({ ...base, value: null })).toBe('unknown');
    expect(indicatorStatus({ ...base, target: null, value: 3 })).toBe('unknown');
    expect(indicatorStatus({ ...base, comparator: 'grow', baseline: null, value: 3 })).toBe('unknown');
  });
});
