import { hash, verify } from '@node-rs/argon2';

// argon2id (the library's default algorithm) with OWASP's minimum memory cost.
const OPTS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const hashPassword = (pw: string) => hash(pw, OPTS);
export const verifyPassword = (h: string, pw: string) => verify(h, pw).catch(() => false);

/** A hash to verify against when the user does not exist, so timing does not tell. */
let dummy: Promise<string> | undefined;
export const dummyHash = () => (dummy ??= hashPassword('not-a-real-password-0'));

/** At least 8 characters with letters and digits. Returns a bilingual reason or null. */
export function passwordProblem(pw: string): { zh: string; en: string } | null {
  if (pw.length < 8 || pw.length > 128) return { zh: '密码长度须为8至128位', en: 'the password must be 8 to 128 characters long' };
  if (!/[A-Za-z]/.test(pw) || !/\d/.test(pw)) return { zh: '密码须同时包含字母和数字', en: 'the password must contain both letters and digits' };
  return null;
}
