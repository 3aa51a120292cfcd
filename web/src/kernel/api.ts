/**
 * The HTTP client of the web UI. Every call goes through `api()`:
 * - sends the session cookie (same origin) and, on writes, the CSRF token from login / me;
 * - turns the server's `{ error: { code, message, messageEn, details, requestId } }` into an ApiError;
 * - a 401 anywhere (except the sign-in call itself) tells the auth layer to show the login page;
 * - a stale CSRF token is refreshed from /auth/me and the write retried once.
 */

export interface FieldProblem {
  path: string;
  message: string;
  messageEn: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messageZh: string,
    readonly messageEn: string,
    readonly details?: unknown,
    readonly requestId?: string,
  ) {
    super(messageEn || messageZh);
  }

  /** The message in the UI language. */
  text(lang: string): string {
    return lang.startsWith('en') ? this.messageEn || this.messageZh : this.messageZh || this.messageEn;
  }

  /** Field problems of a VALIDATION error. */
  get problems(): FieldProblem[] {
    return this.code === 'VALIDATION' && Array.isArray(this.details) ? (this.details as FieldProblem[]) : [];
  }
}

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;
let onPasswordChangeRequired: (() => void) | null = null;

export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

/** Registered by the auth provider. */
export function setAuthHandlers(h: { unauthorized: () => void; passwordChangeRequired: () => void } | null) {
  onUnauthorized = h?.unauthorized ?? null;
  onPasswordChangeRequired = h?.passwordChangeRequired ?? null;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, q?: Query): string {
  if (!q) return path;
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `${path}?${s}` : path;
}

interface Options {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: Query;
  /** Do not treat a 401 as "session ended" (the sign-in call). */
  noAuthRedirect?: boolean;
  /** Return the raw Response (file downloads). */
  raw?: boolean;
}

async function toError(res: Response): Promise<ApiError> {
  let body: { error?: { code?: string; message?: string; messageEn?: string; details?: unknown; requestId?: string } } | undefined;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const e = body?.error;
  if (e?.code) return new ApiError(res.status, e.code, e.message ?? '', e.messageEn ?? '', e.details, e.requestId);
  return new ApiError(res.status, `HTTP_${res.status}`, `请求失败（${res.status}）`, `request failed (${res.status})`);
}

async function send(path: string, opts: Options): Promise<Response> {
  const method = opts.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) body = opts.body;
  else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  try {
    return await fetch(withQuery(path, opts.query), { method, headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试', 'cannot reach the server; check the network and try again');
  }
}

export async function api<T>(path: string, opts: Options = {}): Promise<T> {
  let res = await send(path, opts);
  if (res.status === 403 && (opts.method ?? 'GET') !== 'GET') {
    const err = await toError(res.clone());
    if (err.code === 'CSRF') {
      const me = await send('/api/v1/auth/me', {});
      if (me.ok) {
        setCsrfToken(((await me.json()) as { csrfToken: string }).csrfToken);
        res = await send(path, opts);
      }
    }
  }
  if (!res.ok) {
    const err = await toError(res);
    if (err.status === 401 && !opts.noAuthRedirect) onUnauthorized?.();
    if (err.code === 'PASSWORD_CHANGE_REQUIRED') onPasswordChangeRequired?.();
    throw err;
  }
  if (opts.raw) return res as unknown as T;
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export const get = <T>(path: string, query?: Query) => api<T>(path, { query });
export const post = <T>(path: string, body?: unknown, query?: Query) => api<T>(path, { method: 'POST', body, query });
export const patch = <T>(path: string, body: unknown) => api<T>(path, { method: 'PATCH', body });

/** Downloads a file answer (GET) and saves it under the server's file name or `fallbackName`. */
export async function download(path: string, fallbackName: string): Promise<void> {
  const res = await api<Response>(path, { raw: true });
  const cd = res.headers.get('content-disposition') ?? '';
  const m = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  const name = m ? decodeURIComponent(m[1]) : fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
