/**
 * Region scope. Region codes are 12-digit statistical codes (STANDARDS.md §4.2) padded with
 * zeros, so everything under a region is one contiguous range of codes: a county 370124
 * covers 370124000000‥370124999999, a township 370124001 covers 370124001000‥370124001999.
 * Row-level security compares each row's `region_code` with that range.
 */
export interface RegionScope {
  lo: string;
  hi: string;
  userId?: string;
  providerId?: string;
  /** A caregiver's session: their caregiver record (NO_CAREGIVER when none is active). Row-level
   * security then limits orders, their events and photos to the ones assigned to it. */
  caregiverId?: string;
  /** Family members reach their linked elders, never a region (database role yinling_family). */
  family?: boolean;
}

/** A range no region code lies in. */
export const NO_REGION = { lo: '~', hi: '' };

/** The caregiver of a caregiver account with no active caregiver record: matches no order. */
export const NO_CAREGIVER = '00000000-0000-0000-0000-000000000000';

export type RegionLevel = 1 | 2 | 3 | 4 | 5;
export const LEVEL_NAMES: Record<RegionLevel, { zh: string; en: string }> = {
  1: { zh: '省', en: 'province' },
  2: { zh: '市', en: 'city' },
  3: { zh: '县', en: 'county' },
  4: { zh: '乡镇/街道', en: 'township' },
  5: { zh: '村/社区', en: 'village' },
};

/** Number of significant digits of a region code at each level. */
const SIGNIFICANT: Record<RegionLevel, number> = { 1: 2, 2: 4, 3: 6, 4: 9, 5: 12 };

export function regionLevel(code: string): RegionLevel {
  if (!/^\d{12}$/.test(code)) throw new Error(`not a 12-digit region code: ${code}`);
  if (code.slice(2) === '0000000000') return 1;
  if (code.slice(4) === '00000000') return 2;
  if (code.slice(6) === '000000') return 3;
  if (code.slice(9) === '000') return 4;
  return 5;
}

export function regionPrefix(code: string): string {
  return code.slice(0, SIGNIFICANT[regionLevel(code)]);
}

export function scopeOf(code: string, extra: Omit<RegionScope, 'lo' | 'hi'> = {}): RegionScope {
  const p = regionPrefix(code);
  return { lo: p.padEnd(12, '0'), hi: p.padEnd(12, '9'), ...extra };
}

export function inScope(scope: Pick<RegionScope, 'lo' | 'hi'>, code: string): boolean {
  return code >= scope.lo && code <= scope.hi;
}

/** The deepest region (12-digit code) that covers all of `codes`: a village, a township, the
 * county … (the region of an audit entry naming records of several places). */
export function commonRegion(codes: string[]): string {
  const first = codes[0];
  let n = first.length;
  for (const c of codes) {
    let i = 0;
    while (i < n && c[i] === first[i]) i++;
    n = i;
  }
  // Cut at a level boundary (2, 4, 6, 9 or 12 significant digits).
  const keep = [12, 9, 6, 4, 2].find((l) => l <= n) ?? 0;
  return first.slice(0, keep).padEnd(12, '0');
}

/** Accepts 6-, 9- or 12-digit codes and pads them to the stored 12 digits. */
export function normalizeRegionCode(code: string): string {
  return code.padEnd(12, '0');
}

export function parentCode(code: string): string | null {
  const level = regionLevel(code);
  if (level === 1) return null;
  const keep = SIGNIFICANT[(level - 1) as RegionLevel];
  return code.slice(0, keep).padEnd(12, '0');
}

/** GB/T 10114: the township segment tells a street (001-099), a town (100-199), a 乡 (200-399). */
export function townshipKind(code: string): 'street' | 'town' | 'township' | 'other' {
  const t = Number(code.slice(6, 9));
  if (t >= 1 && t <= 99) return 'street';
  if (t >= 100 && t <= 199) return 'town';
  if (t >= 200 && t <= 399) return 'township';
  return 'other';
}

/** Village segment: 001-199 residents' committee (community), 200-399 villagers' committee. */
export function villageKind(code: string): 'community' | 'village' | 'other' {
  const v = Number(code.slice(9, 12));
  if (v >= 1 && v <= 199) return 'community';
  if (v >= 200 && v <= 399) return 'village';
  return 'other';
}
