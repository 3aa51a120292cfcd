import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { sql } from '../../kernel/db.js';
import { defineRoute, iso, Page } from '../../kernel/http.js';
import { forbidden } from '../../kernel/errors.js';
import { CHECKPOINT_FILE, openAuditAnchor, verifyAnchored } from '../../kernel/audit-anchor.js';
import { inScope, regionLevel } from '../../kernel/scope.js';
import { principalScope } from '../../kernel/principal.js';

const AuditQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  entity: z.string().max(40).optional(),
  entityId: z.string().max(64).optional(),
  action: z.string().max(60).optional(),
  actor: z.string().max(60).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
});

const AuditView = z.object({
  id: z.string(),
  seq: z.number().nullable(),
  at: z.string().nullable(),
  actorName: z.string().nullable(),
  actorRole: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  regionCode: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  reason: z.string().nullable(),
  ip: z.string().nullable(),
  sealed: z.boolean(),
});

export function auditRoutes(app: FastifyInstance) {
  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/audit',
    summary: '审计日志（本辖区）',
    tags: ['audit'],
    roles: ['county_admin'],
    resource: 'audit',
    query: AuditQuery,
    response: Page(AuditView),
    handler: async ({ tx, query: q }) => {
      const rows = await tx.rows<{
        id: string;
        seq: string | null;
        at: string;
        actor_name: string | null;
        actor_role: string | null;
        action: string;
        entity: string;
        entity_id: string | null;
        region_code: string;
        before: unknown;
        after: unknown;
        reason: string | null;
        ip: string | null;
        total: number;
      }>(sql`select id::text as id, seq::text as seq, at::text as at, actor_name, actor_role, action, entity, entity_id, region_code,
                    before, after, reason, ip, count(*) over()::int as total
               from audit_log where true
               ${q.entity ? sql`and entity = ${q.entity}` : sql``}
               ${q.entityId ? sql`and entity_id = ${q.entityId}` : sql``}
               ${q.action ? sql`and action = ${q.action}` : sql``}
               ${q.actor ? sql`and actor_name like ${'%' + q.actor + '%'}` : sql``}
               ${q.from ? sql`and at >= ${q.from}::date` : sql``}
               ${q.to ? sql`and at < ${q.to}::date + 1` : sql``}
              order by at desc, id desc limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`);
      return {
        items: rows.map((r) => ({
          id: r.id,
          seq: r.seq == null ? null : Number(r.seq),
          at: iso(r.at),
          actorName: r.actor_name,
          actorRole: r.actor_role,
          action: r.action,
          entity: r.entity,
          entityId: r.entity_id,
          regionCode: r.region_code,
          before: r.before,
          after: r.after,
          reason: r.reason,
          ip: r.ip,
          sealed: r.seq != null,
        })),
        total: rows[0]?.total ?? 0,
        page: q.page,
        pageSize: q.pageSize,
      };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/audit/verify',
    summary: '校验本县审计日志哈希链及其签名检查点（检测篡改与删除）',
    tags: ['audit'],
    roles: ['county_admin'],
    response: z.object({
      results: z.array(
        z.object({
          countyCode: z.string(),
          checked: z.number(),
          ok: z.boolean(),
          firstBadSeq: z.number().optional(),
          problem: z.string().optional(),
          pending: z.number().optional(),
          checkpoints: z.number(),
          missing: z.object({ from: z.number(), to: z.number() }).optional(),
        }),
      ),
    }),
    handler: async ({ tx, principal, audit }) => {
      if (regionLevel(principal.regionCode) > 3)
        throw forbidden('只有县级及以上管理员可校验审计链', 'only county-level (or higher) admins may verify the chain');
      const county = regionLevel(principal.regionCode) === 3 ? principal.countyCode : undefined;
      // The checkpoints of this process's data folder (see audit-anchor.ts), read only.
      const all = await verifyAnchored(tx, openAuditAnchor(app.config, false), path.join(app.config.DATA_DIR, CHECKPOINT_FILE), county);
      const scope = principalScope(principal);
      const results = all.filter((r) => inScope(scope, r.countyCode.padEnd(12, '0')));
      await audit({ action: 'verify', entity: 'audit_log', regionCode: principal.regionCode, after: results });
      return { results };
    },
  });
}
