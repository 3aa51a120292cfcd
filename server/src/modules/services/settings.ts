/** County settings of home services (county_settings keys `services.*`), with defaults. */
import { sql, type Executor, type SQL } from '../../kernel/db.js';

export const SERVICE_SETTING_DEFAULTS = {
  /** A check-in or check-out farther than this from the elder's address is flagged. */
  'services.maxDistanceM': 500,
  /** A visit shorter than this share of the item's standard duration is flagged. */
  'services.minDurationShare': 0.5,
  /** A dispatched order not accepted within this many minutes is overdue (超时未接单). */
  'services.acceptMinutes': 30,
  /** An accepted order not checked in this many minutes after its time is late (超时未服务). */
  'services.lateMinutes': 30,
  /** Orders can be placed at most this many days ahead. */
  'services.maxDaysAhead': 60,
  /** Share of completed orders staff call back (回访抽样). */
  'services.callbackShare': 0.1,
  /** Family care beds: a current ability assessment at or above this level (2 = 中度失能 on both standards). */
  'services.familyBedMinLevel': 2,
  /** Family care beds: the running provider's operating subsidy per bed and month, in cents. Configuration: the
   * seeds ask for 家庭养老床位奖补 (Wudi) but fix no amount, so none is paid until the county sets one. */
  'services.familyBedMonthlySubsidyCents': 0,
} as const;
export type ServiceSettingKey = keyof typeof SERVICE_SETTING_DEFAULTS;
export type ServiceSettings = { -readonly [K in ServiceSettingKey]: number };

/** All services settings in force for a county on a date, in one query. */
export async function serviceSettings(tx: Executor, countyCode: string, at?: string): Promise<ServiceSettings> {
  const rows = await tx.rows<{ key: string; value: unknown }>(sql`select distinct on (key) key, value from county_settings
    where county_code = ${countyCode} and key like 'services.%' and valid_from <= coalesce(${at ?? null}::date, current_date)
    order by key, valid_from desc`);
  const out = { ...SERVICE_SETTING_DEFAULTS } as ServiceSettings;
  for (const r of rows) if (r.key in out && typeof r.value === 'number') out[r.key as ServiceSettingKey] = r.value;
  return out;
}

/** The county's services settings in force today as one jsonb column of a query. */
export const SETTINGS_SQL = (countyCode: SQL) => sql`(select jsonb_object_agg(key, value) from (
    select distinct on (key) key, value from county_settings
     where county_code = ${countyCode} and key like 'services.%' and valid_from <= current_date order by key, valid_from desc) s)`;

export function settingsFrom(json: Record<string, unknown> | null | undefined): ServiceSettings {
  const out = { ...SERVICE_SETTING_DEFAULTS } as ServiceSettings;
  for (const [k, v] of Object.entries(json ?? {})) if (k in out && typeof v === 'number') out[k as ServiceSettingKey] = v;
  return out;
}

/** One services setting in force today as a float8 scalar of a query (the default when the
 * county has none, or when its value is not a number: as `settingsFrom`). */
export const settingSql = (
  key: ServiceSettingKey,
  countyCode: SQL,
) => sql`coalesce((select case when jsonb_typeof(cs.value) = 'number' then (cs.value #>> '{}')::float8 end
    from county_settings cs where cs.county_code = ${countyCode} and cs.key = ${key} and cs.valid_from <= current_date
    order by cs.valid_from desc limit 1), ${SERVICE_SETTING_DEFAULTS[key]}::float8)`;
