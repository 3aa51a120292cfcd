import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { sql } from '../../kernel/db.js';
import { defineRoute } from '../../kernel/http.js';
import { ROLE_LABELS, ROLES } from '../../kernel/roles.js';
import { CATEGORIES } from '../elders/index.js';
import { MODULES } from './catalog.js';

/** Roles that see planned modules (建设中) in the navigation. */
const PLANNED_VISIBLE_TO: string[] = ['county_admin'];

export function metaRoutes(app: FastifyInstance) {
  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/health',
    summary: '健康检查（数据库可用）',
    tags: ['meta'],
    roles: 'public',
    response: z.object({ ok: z.boolean(), database: z.enum(['pglite', 'postgres']) }),
    handler: async ({ db }) => {
      await db.root.one(sql`select 1 as x`);
      return { ok: true, database: db.kind };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/meta/modules',
    summary: '导航模块目录（含建设状态）与字典',
    tags: ['meta'],
    roles: 'any',
    allowPasswordChangePending: true,
    response: z.object({
      modules: z.array(
        z.object({
          key: z.string(),
          zh: z.string(),
          en: z.string(),
          group: z.string(),
          status: z.string(),
          note: z.string().optional(),
          noteEn: z.string().optional(),
        }),
      ),
      roles: z.array(z.object({ code: z.string(), zh: z.string(), en: z.string() })),
      categories: z.array(z.object({ code: z.string(), zh: z.string(), en: z.string() })),
    }),
    handler: async ({ principal }) => ({
      modules: MODULES.filter((m) => (m.roles === 'all-staff' ? !['volunteer', 'family'].includes(principal.role) : m.roles.includes(principal.role)))
        // A module not built yet (建设中) is nobody's work: only the county admin, who plans the
        // roll-out, sees it in the menu; a caregiver's or a village worker's menu holds what they can use.
        .filter((m) => m.status === 'ready' || PLANNED_VISIBLE_TO.includes(principal.role))
        .map(({ key, zh, en, group, status, note, noteEn }) => ({ key, zh, en, group, status, note, noteEn })),
      roles: ROLES.map((code) => ({ code, ...ROLE_LABELS[code] })),
      categories: Object.entries(CATEGORIES).map(([code, l]) => ({ code, ...l })),
    }),
  });
}
