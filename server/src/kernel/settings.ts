/** County settings: effective-dated values (configuration, not code) with defaults. */
import { sql, type Executor } from './db.js';

export const SETTING_DEFAULTS = {
  /** Ability assessments stay valid this many months (STANDARDS §1.6: [C]). */
  'assessment.validityMonths': 12,
  /** Assessment standard the county runs. */
  'assessment.standard': 'GB/T 42195-2022',
  /** GB/T 42195 R2/R3 stacking (STANDARDS §1.4: default no stacking). */
  'assessment.stackChangeRules': false,
  /** "失能" means a current assessment at or above this level (DOMAIN.md). */
  'disability.minLevel': 2,
  /** The same threshold for assessments still made under MZ/T 039-2013 (2 = 中度失能). */
  'disability.minLevelMzt039': 2,
  /** Youngest age the registry accepts. */
  'registry.minAge': 60,
  /** Earliest plausible birth year on an ID number. */
  'registry.minBirthYear': 1900,
  /** The waiting-list 公示: issuing authority ('' = "<county name>民政局"). */
  'waitlist.publication.authority': '' as string,
  /** …its 监督电话 (default 12345, the government service hotline every county answers). */
  'waitlist.publication.supervisionPhone': '12345' as string,
  /** …and its 公示期 in days from the day it is shown (the list is ranked live). */
  'waitlist.publication.days': 7,
} as const;
export type SettingKey = keyof typeof SETTING_DEFAULTS;

export async function getSetting<K extends SettingKey>(tx: Executor, countyCode: string, key: K, at?: string): Promise<(typeof SETTING_DEFAULTS)[K]> {
  const row = await tx.one<{ value: unknown }>(sql`select value from county_settings
    where county_code = ${countyCode} and key = ${key} and valid_from <= coalesce(${at ?? null}::date, current_date)
    order by valid_from desc limit 1`);
  return (row?.value ?? SETTING_DEFAULTS[key]) as (typeof SETTING_DEFAULTS)[K];
}
