import { isRealDate } from './dates.js';

/** GB 11643-1999 citizen ID numbers (STANDARDS.md §3): check digit, birth date, sex, 15→18. */
const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function checkChar(body17: string): string {
  let s = 0;
  for (let i = 0; i < 17; i++) s += (body17.charCodeAt(i) - 48) * W[i];
  return CHECK[s % 11];
}

export type IdProblem = 'format' | 'check_digit' | 'birth_date' | 'province';

export interface IdInfo {
  idNumber: string;
  birthDate: string;
  sex: 'M' | 'F';
}

/** Validates an 18-digit number, or converts a 15-digit one, as of `today` (YYYY-MM-DD).
 * Birth years before `minYear` (default 1900, a county setting) are refused as implausible. */
export function parseIdNumber(
  raw: string,
  today = new Date().toISOString().slice(0, 10),
  minYear = 1900,
): { ok: true; value: IdInfo } | { ok: false; problem: IdProblem } {
  let v = raw.trim().toUpperCase();
  if (/^\d{15}$/.test(v))
    v = v.slice(0, 6) + '19' + v.slice(6) + 'X'; // check char computed below
  else if (!/^\d{17}[\dX]$/.test(v)) return { ok: false, problem: 'format' };
  const body = v.slice(0, 17);
  const province = Number(body.slice(0, 2));
  if (province < 11 || province > 91) return { ok: false, problem: 'province' };
  const y = Number(body.slice(6, 10));
  const m = Number(body.slice(10, 12));
  const d = Number(body.slice(12, 14));
  const birthDate = `${body.slice(6, 10)}-${body.slice(10, 12)}-${body.slice(12, 14)}`;
  if (y < minYear || !isRealDate(y, m, d) || birthDate > today) return { ok: false, problem: 'birth_date' };
  const expected = checkChar(body);
  if (raw.trim().length === 18 && v[17] !== expected) return { ok: false, problem: 'check_digit' };
  return { ok: true, value: { idNumber: body + expected, birthDate, sex: Number(body[16]) % 2 === 1 ? 'M' : 'F' } };
}

/** Builds a valid number (demo data and tests). */
export function makeIdNumber(address6: string, birthDate: string, seq3: number): string {
  const body = address6 + birthDate.replaceAll('-', '') + String(seq3).padStart(3, '0');
  return body + checkChar(body);
}
