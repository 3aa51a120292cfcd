/** Calendar dates as the county writes them: YYYY-MM-DD, checked against the real calendar. */
export function isRealDate(y: number, m: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return !!m && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Today's date in the county's time zone (COUNTY_TZ, default Asia/Shanghai), whatever the
 * process's own TZ: at 23:30 UTC it is already tomorrow in the county. */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The last answer, by time zone and whole second: a date changes only at a second's start, and
 * formatting costs tens of microseconds, which every order paid twice. */
let last = { key: '', day: '' };

export function countyToday(now = new Date(), tz = process.env.COUNTY_TZ ?? 'Asia/Shanghai'): string {
  const key = `${tz} ${Math.floor(now.getTime() / 1000)}`;
  if (key === last.key) return last.day;
  // Building a formatter costs far more than using one: keep one per time zone.
  let f = dayFormats.get(tz);
  if (!f) dayFormats.set(tz, (f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' })));
  last = { key, day: f.format(now) };
  return last.day;
}
