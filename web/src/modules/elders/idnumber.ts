/** GB 11643-1999 citizen ID numbers, checked in the browser the way the server checks them
 * (server/src/kernel/idnumber.ts): format, address code, birth date, check digit. Birth date
 * and sex are derived from the number, never typed. */
import dayjs from 'dayjs';

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export type IdProblem = 'format' | 'check_digit' | 'birth_date' | 'province';

export interface IdInfo {
  idNumber: string;
  birthDate: string;
  sex: 'M' | 'F';
  age: number;
}

function checkChar(body17: string): string {
  let s = 0;
  for (let i = 0; i < 17; i++) s += (body17.charCodeAt(i) - 48) * W[i];
  return CHECK[s % 11];
}

function ageAt(birth: string, at: string): number {
  const [by, bm, bd] = birth.split('-').map(Number);
  const [y, m, d] = at.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export function parseIdNumber(raw: string, today = dayjs().format('YYYY-MM-DD')): { ok: true; value: IdInfo } | { ok: false; problem: IdProblem } {
  const trimmed = raw.trim().toUpperCase();
  let v = trimmed;
  if (/^\d{15}$/.test(v)) v = v.slice(0, 6) + '19' + v.slice(6) + 'X';
  else if (!/^\d{17}[\dX]$/.test(v)) return { ok: false, problem: 'format' };
  const body = v.slice(0, 17);
  const province = Number(body.slice(0, 2));
  if (province < 11 || province > 91) return { ok: false, problem: 'province' };
  const birthDate = `${body.slice(6, 10)}-${body.slice(10, 12)}-${body.slice(12, 14)}`;
  const [y, m, day] = [Number(body.slice(6, 10)), Number(body.slice(10, 12)), Number(body.slice(12, 14))];
  const real = new Date(Date.UTC(y, m - 1, day));
  const exists = real.getUTCFullYear() === y && real.getUTCMonth() === m - 1 && real.getUTCDate() === day;
  if (y < 1900 || !exists || birthDate > today) return { ok: false, problem: 'birth_date' };
  const expected = checkChar(body);
  if (trimmed.length === 18 && v[17] !== expected) return { ok: false, problem: 'check_digit' };
  return { ok: true, value: { idNumber: body + expected, birthDate, sex: Number(body[16]) % 2 === 1 ? 'M' : 'F', age: ageAt(birthDate, today) } };
}
