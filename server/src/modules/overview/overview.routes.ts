import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { sql } from '../../kernel/db.js';
import { defineRoute } from '../../kernel/http.js';
import { STAFF } from '../../kernel/roles.js';
import { regionLevel } from '../../kernel/scope.js';
import { WORK_KEYS, workList } from './work.js';

const Row = z.object({
  code: z.string(),
  name: z.string(),
  elders: z.number(),
  over80: z.number(),
  tekun: z.number(),
  dibao: z.number(),
  livingAlone: z.number(),
});

export function overviewRoutes(app: FastifyInstance) {
  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/overview',
    summary: '工作台：本辖区老年人概况（按下一级区划）',
    tags: ['overview'],
    roles: [...STAFF, 'inspector', 'assessor'],
    response: z.object({ totals: Row.omit({ code: true, name: true }), byChild: z.array(Row) }),
    handler: async ({ tx, principal }) => {
      // Group by the level below the user's own (county → townships, township → villages).
      const level = Math.min(5, regionLevel(principal.regionCode) + 1);
      const digits = { 2: 4, 3: 6, 4: 9, 5: 12 }[level as 2 | 3 | 4 | 5]!;
      const rows = await tx.rows<z.infer<typeof Row>>(sql`
        with cat as (
          select elder_id, bool_or(category like 'tekun%') as tekun, bool_or(category = 'dibao') as dibao, bool_or(category = 'living_alone') as alone
            from elder_categories where valid_from <= current_date and (valid_to is null or valid_to >= current_date) group by elder_id)
        select rpad(left(e.region_code, ${digits}), 12, '0') as code, coalesce(max(r.name), '') as name,
               count(*)::int as elders,
               count(*) filter (where e.birth_date <= (current_date - interval '80 years')::date)::int as "over80",
               count(*) filter (where cat.tekun)::int as tekun,
               count(*) filter (where cat.dibao)::int as dibao,
               count(*) filter (where cat.alone)::int as "livingAlone"
          from elders e
          left join cat on cat.elder_id = e.id
          left join regions r on r.code = rpad(left(e.region_code, ${digits}), 12, '0')
         where e.status = 'active'
         group by 1 order by 1`);
      const totals = rows.reduce(
        (a, r) => ({
          elders: a.elders + r.elders,
          over80: a.over80 + r.over80,
          tekun: a.tekun + r.tekun,
          dibao: a.dibao + r.dibao,
          livingAlone: a.livingAlone + r.livingAlone,
        }),
        { elders: 0, over80: 0, tekun: 0, dibao: 0, livingAlone: 0 },
      );
      return { totals, byChild: rows };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/overview/work',
    summary: '工作台待办：本角色、本辖区待处理的事项（待审核、待审批、逾期评估、未接单、未处理投诉），各附筛选好的列表链接',
    tags: ['overview'],
    roles: [...STAFF, 'provider_admin', 'caregiver'],
    response: z.object({ items: z.array(z.object({ key: z.enum(WORK_KEYS), count: z.number(), link: z.string() })) }),
    handler: async ({ tx, principal }) => ({ items: await workList(tx, principal) }),
  });
}
