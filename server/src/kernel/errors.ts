/** Errors a user can act on. Every one carries a stable code and a message in Chinese and
 * English; the HTTP layer turns them into `{ error: { code, message, messageEn, details } }`. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly zh: string,
    readonly en: string,
    readonly details?: unknown,
  ) {
    super(en);
  }
}

export const notFound = (what = '记录', whatEn = 'record') =>
  new AppError(404, 'NOT_FOUND', `${what}不存在或无权查看`, `${whatEn} not found or not visible to you`);
export const forbidden = (zh = '无权执行此操作', en = 'you are not allowed to do this') => new AppError(403, 'FORBIDDEN', zh, en);
export const unauthorized = () => new AppError(401, 'UNAUTHENTICATED', '请先登录', 'please sign in first');
export const badRequest = (code: string, zh: string, en: string, details?: unknown) => new AppError(400, code, zh, en, details);
export const conflict = (code: string, zh: string, en: string, details?: unknown) => new AppError(409, code, zh, en, details);

/** PostgreSQL error codes that are the user's doing, mapped to a 4xx answer. */
export function fromPgError(err: unknown): AppError | undefined {
  const e = (err as { cause?: { code?: string; constraint?: string; detail?: string } }).cause ?? (err as { code?: string; constraint?: string });
  const code = (e as { code?: string })?.code;
  switch (code) {
    case '23505':
      return conflict('DUPLICATE', '记录已存在（重复）', 'a record with the same key already exists', {
        constraint: (e as { constraint?: string }).constraint,
      });
    case '23503':
      return badRequest('REFERENCE', '引用的记录不存在', 'a referenced record does not exist', { constraint: (e as { constraint?: string }).constraint });
    case '42501':
      // Row-level security refused the write: the row lies outside the user's region.
      return notFound();
    case '22P02':
    case '22007':
    case '22008':
    case '22003':
    case '22001':
      return badRequest('INVALID_VALUE', '数据格式不正确', 'a value has the wrong format or is out of range');
    case '23514':
      return badRequest('CHECK_FAILED', '数据不符合规则', 'a value breaks a rule of the data');
    case '40001':
    case '40P01':
      return new AppError(409, 'RETRY', '操作冲突，请重试', 'the operation collided with another; please retry');
    default:
      return undefined;
  }
}
