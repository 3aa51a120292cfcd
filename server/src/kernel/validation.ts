/** Turns zod issues into messages a user can act on, in Chinese and in English. */
import type { ZodType, core } from 'zod';
import zhCN from 'zod/v4/locales/zh-CN.js';
import en from 'zod/v4/locales/en.js';

const zhMap = zhCN().localeError;
const enMap = en().localeError;

export interface FieldProblem {
  path: string;
  message: string;
  messageEn: string;
}

function text(m: ReturnType<typeof zhMap>, fallback: string): string {
  if (!m) return fallback;
  return typeof m === 'string' ? m : m.message;
}

const PART_ZH: Record<string, string> = { body: '请求内容', querystring: '查询参数', params: '路径参数', headers: '请求头' };

export class ValidationFailed extends Error {
  readonly problems: FieldProblem[];
  constructor(
    readonly part: string,
    issues: core.$ZodIssue[],
  ) {
    super('validation failed');
    this.problems = issues.slice(0, 20).map((i) => {
      const path = i.path.map(String).join('.') || '(root)';
      // A custom message written by a module (already bilingual "zh / en") wins.
      const custom = i.message && !i.message.startsWith('Invalid') && !i.message.startsWith('Too') && !i.message.startsWith('Unrecognized') ? i.message : null;
      // Module messages are written "中文 / English".
      const [czh, cen] = custom ? (custom.includes(' / ') ? custom.split(' / ', 2) : [custom, custom]) : [null, null];
      return {
        path,
        message: czh ?? text(zhMap(i as never), i.message),
        messageEn: cen ?? text(enMap(i as never), i.message),
      };
    });
  }
  get zh() {
    return `${PART_ZH[this.part] ?? this.part}有误：` + this.problems.map((p) => `${p.path}：${p.message}`).join('；');
  }
  get en() {
    return `invalid ${this.part}: ` + this.problems.map((p) => `${p.path}: ${p.messageEn}`).join('; ');
  }
}

/** Fastify validator compiler for zod schemas that keeps enough of each issue to explain it. */
export function zodValidatorCompiler({ schema, httpPart }: { schema: unknown; httpPart?: string }) {
  return (data: unknown) => {
    if (httpPart !== 'headers') {
      const screened = screenText(schema as ZodType, data);
      if (screened.issues.length) return { error: new ValidationFailed(httpPart ?? 'body', screened.issues) };
      data = screened.value;
    }
    const r = (schema as ZodType).safeParse(data, { reportInput: true });
    if (r.success) return { value: r.data };
    return { error: new ValidationFailed(httpPart ?? 'body', r.error.issues) };
  };
}

/*
 * Characters no request may carry. One check for every body, query and path parameter (below,
 * in the validator compiler), so no schema has to remember it:
 *  - control characters (NUL reaches PostgreSQL as an error; others corrupt exports), except
 *    tab and line breaks in free text;
 *  - bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069), which make a name or
 *    a code read differently from what it is (in lists and in Excel exports);
 *  - zero-width characters (U+200B–U+200D, U+2060, U+FEFF) in short fields (names, codes,
 *    phone numbers: two names that look the same would differ); free text loses them silently,
 *    except the zero-width joiner.
 * Chinese text, full-width punctuation and ideographic spaces are untouched.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const LINE_BREAK = /[\t\n\r]/;
const BIDI = /[\u202A-\u202E\u2066-\u2069]/;
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/;
const ZERO_WIDTH_FREE = /[\u200B\u200C\u2060\uFEFF]/g;
// eslint-disable-next-line no-control-regex -- as above
const SUSPECT = /[\u0000-\u001F\u007F-\u009F\u200B-\u200D\u2060\uFEFF\u202A-\u202E\u2066-\u2069]/;
/** A string field at most this long (by its schema) is a name or a code, not free text. */
export const SHORT_TEXT = 100;

const hex = (ch: string) => 'U+' + ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');

/** Why a text may not be stored, in Chinese and English ("中文 / English"), or null. */
export function textProblem(s: string, short: boolean): string | null {
  if (!SUSPECT.test(s)) return null;
  const c = CONTROL.exec(s);
  if (c) return `含有不允许的控制字符 ${hex(c[0])}，请删除后重新输入 / contains the control character ${hex(c[0])}, which is not allowed; remove it`;
  const b = BIDI.exec(s);
  if (b)
    return `含有改变文字方向的不可见字符 ${hex(b[0])}（常由复制粘贴带入），请删除后重新输入 / contains the invisible direction control ${hex(b[0])} (often pasted in); remove it`;
  if (short) {
    const z = ZERO_WIDTH.exec(s);
    if (z)
      return `含有不可见的零宽字符 ${hex(z[0])}（常由复制粘贴带入），请重新输入 / contains the invisible zero-width character ${hex(z[0])} (often pasted in); retype it`;
    if (LINE_BREAK.test(s)) return '不能含有换行或制表符 / must be one line, without tabs';
  }
  return null;
}

/** Free text without the stray zero-width characters it may carry from a paste (the joiner stays). */
export const freeText = (s: string) => s.replace(ZERO_WIDTH_FREE, '');

type Def = {
  type: string;
  innerType?: ZodType;
  in?: ZodType;
  shape?: Record<string, ZodType>;
  element?: ZodType;
  options?: ZodType[];
  checks?: { _zod: { def: { check: string; maximum?: number } } }[];
};
const defOf = (s: unknown) => (s as { _zod?: { def?: Def } })?._zod?.def;

/** The longest string the schema allows at `path` (Infinity when it does not say). */
function maxLengthAt(schema: ZodType | undefined, path: (string | number)[]): number {
  let s: unknown = schema;
  for (let i = 0; ;) {
    const d = defOf(s);
    if (!d) return Infinity;
    if (d.innerType) s = d.innerType;
    else if (d.type === 'pipe') s = d.in;
    else if (d.type === 'union') return Math.max(...(d.options ?? []).map((o) => maxLengthAt(o, path.slice(i))));
    else if (i === path.length)
      return d.type === 'string'
        ? Math.min(...(d.checks ?? []).map((c) => (c._zod.def.check === 'max_length' ? (c._zod.def.maximum ?? Infinity) : Infinity)))
        : Infinity;
    else if (d.type === 'object' && typeof path[i] === 'string') s = d.shape?.[path[i++] as string];
    else if (d.type === 'array' && typeof path[i] === 'number') {
      s = d.element;
      i++;
    } else return Infinity;
  }
}

/** Checks every string (and object key) of a request part; free text loses stray zero-width
 * characters. Returns the cleaned value and the issues found. */
function screenText(schema: ZodType, data: unknown): { value: unknown; issues: core.$ZodIssue[] } {
  const issues: core.$ZodIssue[] = [];
  const walk = (v: unknown, path: (string | number)[]): unknown => {
    if (typeof v === 'string') {
      if (!SUSPECT.test(v)) return v;
      const short = maxLengthAt(schema, path) <= SHORT_TEXT;
      const why = textProblem(v, short);
      if (why) issues.push({ code: 'custom', path, message: why, input: v } as core.$ZodIssue);
      return short ? v : freeText(v);
    }
    if (path.length > 64 && v && typeof v === 'object') {
      issues.push({ code: 'custom', path: path.slice(0, 3), message: '内容嵌套层数过多 / the content is nested too deeply', input: null } as core.$ZodIssue);
      return v;
    }
    if (Array.isArray(v)) {
      const out = v.map((x, i) => walk(x, [...path, i]));
      return out.some((x, i) => x !== v[i]) ? out : v;
    }
    // Parsed JSON and query strings (fast-querystring's objects have a prototype without one).
    if (v && typeof v === 'object' && !(v instanceof Date) && !ArrayBuffer.isView(v)) {
      let changed = false;
      const entries = Object.entries(v).map(([k, x]) => {
        const why = SUSPECT.test(k) ? textProblem(k, true) : null;
        if (why) issues.push({ code: 'custom', path: [...path, k], message: why, input: k } as core.$ZodIssue);
        const y = walk(x, [...path, k]);
        changed ||= y !== x;
        return [k, y] as const;
      });
      // Rebuilt only when a free text lost a character (the copy keeps the original untouched).
      return changed ? Object.fromEntries(entries) : v;
    }
    return v;
  };
  return { value: walk(data, []), issues };
}
