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
    const r = (schema as ZodType).safeParse(data, { reportInput: true });
    if (r.success) return { value: r.data };
    return { error: new ValidationFailed(httpPart ?? 'body', r.error.issues) };
  };
}
