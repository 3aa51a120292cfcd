import { hash, verify } from '@node-rs/argon2';
import { zxcvbn, zxcvbnOptions } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';

// argon2id (the library's default algorithm) with OWASP's minimum memory cost.
const OPTS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const hashPassword = (pw: string) => hash(pw, OPTS);
export const verifyPassword = (h: string, pw: string) => verify(h, pw).catch(() => false);

/** A hash to verify against when the user does not exist, so timing does not tell. */
let dummy: Promise<string> | undefined;
export const dummyHash = () => (dummy ??= hashPassword('not-a-real-password-0'));

/** Why zxcvbn finds a password guessable, by its warning key, in Chinese and English. */
const WHY: Record<string, { zh: string; en: string }> = {
  straightRow: { zh: '是键盘上连成一行的按键', en: 'it is a straight row of keys on the keyboard' },
  keyPattern: { zh: '是键盘上的简单按键组合', en: 'it is a short keyboard pattern' },
  simpleRepeat: { zh: '含有重复的字符（如 aaa）', en: 'it repeats characters (like "aaa")' },
  extendedRepeat: { zh: '含有重复的字符组（如 abcabc）', en: 'it repeats a group of characters (like "abcabc")' },
  sequences: { zh: '含有连续的字母或数字（如 abc、123）', en: 'it contains a sequence (like "abc" or "123")' },
  recentYears: { zh: '含有近年的年份', en: 'it contains a recent year' },
  dates: { zh: '含有日期', en: 'it contains a date' },
  topTen: { zh: '是最常用的十个密码之一', en: 'it is one of the ten most common passwords' },
  topHundred: { zh: '是最常用的一百个密码之一', en: 'it is one of the hundred most common passwords' },
  common: { zh: '是常用密码', en: 'it is a commonly used password' },
  similarToCommon: { zh: '与常用密码相似', en: 'it is similar to a commonly used password' },
  wordByItself: { zh: '只是一个常见单词', en: 'it is a single common word' },
  namesByThemselves: { zh: '只是常见的姓名', en: 'it is a common name' },
  commonNames: { zh: '只是常见的姓名', en: 'it is a common name' },
  userInputs: { zh: '含有用户名或姓名', en: 'it contains the username or the name' },
  pwned: { zh: '已在公开泄露的密码中出现', en: 'it has appeared in a data breach' },
};

let ready = false;
function estimator() {
  // The dictionaries are ranked once, on the first password checked (not at start-up).
  if (!ready) {
    zxcvbnOptions.setOptions({ dictionary: { ...zxcvbnCommon.dictionary }, graphs: zxcvbnCommon.adjacencyGraphs });
    ready = true;
  }
  return zxcvbn;
}

/** The lowest zxcvbn score accepted (3: "safely unguessable", about 10^8 guesses). */
export const MIN_PASSWORD_SCORE = 3;

/**
 * At least 8 characters with letters and digits, and not guessable: zxcvbn (with the common
 * passwords, names and words of `@zxcvbn-ts/language-common`, and the user's own username
 * and name) must score it at least 3. Returns a bilingual reason or null.
 */
export function passwordProblem(pw: string, userInputs: (string | null | undefined)[] = []): { zh: string; en: string } | null {
  if (pw.length < 8 || pw.length > 128) return { zh: '密码长度须为8至128位', en: 'the password must be 8 to 128 characters long' };
  if (!/[A-Za-z]/.test(pw) || !/\d/.test(pw)) return { zh: '密码须同时包含字母和数字', en: 'the password must contain both letters and digits' };
  const r = estimator()(
    pw,
    userInputs.filter((s): s is string => !!s),
  );
  if (r.score >= MIN_PASSWORD_SCORE) return null;
  const why = (r.feedback.warning && WHY[r.feedback.warning]) || { zh: '容易被猜中', en: 'it is easy to guess' };
  return {
    zh: `密码太容易被猜中：${why.zh}。请换用更长、不常见的组合，例如两个不相关的词加数字`,
    en: `the password is too easy to guess: ${why.en}. Use a longer, uncommon combination, e.g. two unrelated words and digits`,
  };
}
