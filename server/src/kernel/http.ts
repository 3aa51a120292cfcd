/**
 * HTTP plumbing shared by every module. A route is declared once with `defineRoute`:
 * auth → CSRF → validate (zod) → open a region-scoped transaction → handler → audit → present.
 * The kernel keeps a registry of the declared routes; the generic route test walks the
 * OpenAPI document and this registry, so a module added later is covered automatically.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z, type ZodType } from 'zod';
import type { Database, Executor, SQL } from './db.js';
import { AppError, forbidden, unauthorized } from './errors.js';
import type { Principal } from './principal.js';
import { principalScope } from './principal.js';
import type { Role } from './roles.js';
import { auditInsertSql, writeAudit, type AuditEntry, type StatementAudit } from './audit.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Ctx<B, Q, P> {
  principal: Principal;
  /** The region-scoped transaction of this request: the only database access a signed-in
   * handler gets (on PGlite a second connection would also wait for this one). */
  tx: Executor;
  body: B;
  query: Q;
  params: P;
  req: FastifyRequest;
  reply: FastifyReply;
  audit(e: AuditEntry): Promise<void>;
  /** The audit entry as SQL for the statement that makes the change, so that it is written
   * exactly when the change is (see `StatementAudit`, `Executor.last`); it counts as this
   * request's audit. */
  auditIn(e: StatementAudit): SQL;
  /** Work on owner-only tables (sessions) once the transaction has committed. */
  afterCommit(fn: () => Promise<void>): void;
}

export interface PublicCtx<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  req: FastifyRequest;
  reply: FastifyReply;
  db: Database;
  principal?: Principal;
}

interface BaseDef<B extends ZodType, Q extends ZodType, P extends ZodType, R extends ZodType> {
  method: Method;
  url: string;
  /** Short Chinese summary shown in the API docs. */
  summary: string;
  tags: string[];
  body?: B;
  query?: Q;
  params?: P;
  /** Response body schema; omit for file downloads (`file: true`). */
  response?: R;
  file?: boolean;
  /** The kind of region-owned record named by the path's :id — generic scope tests build one. */
  resource?: string;
  /** Requests per minute per client address for this route (sign-in). */
  rateLimit?: number;
  /** Allowed while the user still has to change the initial password. */
  allowPasswordChangePending?: boolean;
  /** A valid request body: the API docs' example, and what the generic scope test sends so
   * that a write reaches its handler (and its region check) instead of failing validation. */
  example?: unknown;
}

export interface AuthedDef<B extends ZodType, Q extends ZodType, P extends ZodType, R extends ZodType> extends BaseDef<B, Q, P, R> {
  /** Roles allowed; 'any' means every signed-in user. */
  roles: readonly Role[] | 'any';
  /** Maintenance of derived data as the owner before the request's transaction opens (e.g.
   * bringing a benefit draft up to date). It must not depend on the caller's scope for what it
   * lets through: the handler still reads only what row-level security allows. */
  before?(c: { db: Database; principal: Principal; body: z.infer<B>; query: z.infer<Q>; params: z.infer<P> }): Promise<void>;
  handler(ctx: Ctx<z.infer<B>, z.infer<Q>, z.infer<P>>): Promise<R extends ZodType ? z.input<R> : unknown>;
}

export interface PublicDef<B extends ZodType, Q extends ZodType, P extends ZodType, R extends ZodType> extends BaseDef<B, Q, P, R> {
  roles: 'public';
  handler(ctx: PublicCtx<z.infer<B>, z.infer<Q>, z.infer<P>>): Promise<R extends ZodType ? z.input<R> : unknown>;
}

export interface RouteMeta {
  method: Method;
  url: string;
  roles: readonly Role[] | 'any' | 'public';
  resource?: string;
  file?: boolean;
  example?: unknown;
  hasBody: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    yl: { db: Database; routes: RouteMeta[] };
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

const WRITE: Method[] = ['POST', 'PUT', 'PATCH', 'DELETE'];

/** Declares a route in the kernel's pipeline. Modules call this and nothing else of Fastify. */
export function defineRoute<B extends ZodType, Q extends ZodType, P extends ZodType, R extends ZodType>(app: FastifyInstance, def: PublicDef<B, Q, P, R>): void;
export function defineRoute<B extends ZodType, Q extends ZodType, P extends ZodType, R extends ZodType>(app: FastifyInstance, def: AuthedDef<B, Q, P, R>): void;
export function defineRoute<B extends ZodType, Q extends ZodType, P extends ZodType, R extends ZodType>(
  app: FastifyInstance,
  def: AuthedDef<B, Q, P, R> | PublicDef<B, Q, P, R>,
): void {
  const { db, routes } = app.yl;
  routes.push({ method: def.method, url: def.url, roles: def.roles, resource: def.resource, file: def.file, example: def.example, hasBody: !!def.body });
  const schema: Record<string, unknown> = {
    summary: def.summary,
    tags: def.tags,
    ...(def.body ? { body: def.body } : {}),
    ...(def.query ? { querystring: def.query } : {}),
    ...(def.params ? { params: def.params } : {}),
    ...(def.response ? { response: { 200: def.response } } : {}),
    ...(def.roles === 'public' ? { security: [] } : {}),
    ...(def.resource ? { 'x-resource': def.resource } : {}),
    'x-roles': def.roles,
  };
  app.route({
    method: def.method,
    url: def.url,
    schema,
    config: def.rateLimit ? { rateLimit: { max: def.rateLimit, timeWindow: '1 minute' } } : {},
    // Who may call is settled before the body is even read or validated.
    onRequest:
      def.roles === 'public'
        ? undefined
        : async (req) => {
            const p = req.principal;
            if (!p) throw unauthorized();
            if (WRITE.includes(def.method) && req.headers['x-csrf-token'] !== p.csrfToken)
              throw new AppError(403, 'CSRF', '页面已过期，请刷新后重试', 'the page is out of date (CSRF token missing or wrong); reload and try again');
            if (p.mustChangePassword && !def.allowPasswordChangePending)
              throw new AppError(403, 'PASSWORD_CHANGE_REQUIRED', '请先修改初始密码', 'change your initial password first');
            if (def.roles !== 'any' && !(def.roles as readonly Role[]).includes(p.role)) throw forbidden();
          },
    handler: async (req, reply) => {
      const base = { body: req.body, query: req.query, params: req.params, req, reply };
      if (def.roles === 'public') {
        return (def as PublicDef<B, Q, P, R>).handler({ ...base, db, principal: req.principal } as never);
      }
      const p = req.principal!;
      const d = def as AuthedDef<B, Q, P, R>;
      if (d.before) await d.before({ db, principal: p, body: req.body as never, query: req.query as never, params: req.params as never });
      const after: (() => Promise<void>)[] = [];
      const result = await db.scoped(principalScope(p), async (tx) => {
        let audited = false;
        const actor = { id: p.userId, name: p.displayName, role: p.role, ip: req.ip, requestId: req.id };
        const ctx: Ctx<unknown, unknown, unknown> = {
          ...base,
          principal: p,
          tx,
          audit: async (e) => {
            audited = true;
            await writeAudit(tx, actor, e);
          },
          auditIn: (e) => {
            audited = true;
            return auditInsertSql(actor, e);
          },
          afterCommit: (fn) => void after.push(fn),
        };
        const out = await (def as AuthedDef<B, Q, P, R>).handler(ctx as never);
        // Safety net: a write that recorded nothing itself is still in the log.
        if (WRITE.includes(def.method) && !audited)
          await writeAudit(tx, actor, {
            action: `${def.method} ${def.url}`,
            entity: def.resource ?? def.tags[0] ?? 'api',
            entityId: (req.params as { id?: string })?.id ?? null,
            regionCode: p.regionCode,
            after: req.body ?? null,
          });
        return out;
      });
      for (const fn of after) await fn();
      return result;
    },
  });
}

/** Paging query shared by list endpoints. */
export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export const IdParams = z.object({ id: z.uuid() });

export function pageOf<T>(items: T[], total: number, page: number, pageSize: number) {
  return { items, total, page, pageSize };
}

export const Page = <T extends ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const Ok = z.object({ ok: z.literal(true) });

/** A timestamp column read back as PostgreSQL text, presented as ISO 8601. */
export function iso(v: string | Date | null | undefined): string | null {
  if (v == null) return null;
  if (v instanceof Date) return v.toISOString();
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)([+-]\d{2})(?::?(\d{2}))?$/.exec(v);
  if (!m) return new Date(v).toISOString();
  return new Date(`${m[1]}T${m[2]}${m[3]}:${m[4] ?? '00'}`).toISOString();
}

/** Content type of .xlsx downloads. */
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Content-Disposition of a download with a Chinese file name (RFC 5987). */
export const attachment = (name: string) => `attachment; filename*=UTF-8''${encodeURIComponent(name)}`;
