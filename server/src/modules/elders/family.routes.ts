/** Family members (老年人家属): a contact of an elder gets a sign-in of their own and sees the
 * elders they are linked to — by link, not by region (database role yinling_family). */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { sql, type Executor } from '../../kernel/db.js';
import type { AuditEntry } from '../../kernel/audit.js';
import { conflict, notFound } from '../../kernel/errors.js';
import { defineRoute } from '../../kernel/http.js';
import { maskPhone } from '../../kernel/mask.js';
import { hashPassword } from '../../kernel/password.js';
import { STAFF } from '../../kernel/roles.js';
import { commonRegion } from '../../kernel/scope.js';
import { checkPassword } from '../accounts/index.js';
import { eldersRepo } from './elders.repository.js';
import { loadElder } from './elders.service.js';

const FamilyElder = z.object({
  id: z.string(),
  name: z.string(),
  sex: z.enum(['M', 'F']),
  age: z.number(),
  regionName: z.string().nullable(),
  townshipName: z.string().nullable(),
  phone: z.string().nullable(),
  /** Where services are delivered: the family orders for this address. */
  address: z.string().nullable(),
  /** The signed-in account is the elder's own (contact 本人), not a relative's. */
  self: z.boolean(),
  status: z.string(),
  categories: z.array(z.string()),
  ability: z.object({ standard: z.string(), level: z.number(), levelName: z.string(), validUntil: z.string().nullable() }).nullable(),
});

const AccountBody = z.object({
  username: z.string().regex(/^[a-zA-Z0-9_.-]{3,40}$/, '用户名为3-40位字母、数字、下划线、点或连字符 / 3-40 letters, digits, _ . -'),
  password: z.string().min(1).max(128),
});

/** The relation of the contact that stands for the elder's own account. */
export const SELF_RELATION = '本人';

/** A sign-in for a contact of the elder (role family: sees the elders linked to it). */
async function openAccount(
  tx: Executor,
  audit: (e: AuditEntry) => Promise<void>,
  e: { id: string; region_code: string },
  c: { id: string; name: string; phone: string | null },
  body: { username: string; password: string },
  displayName: string,
) {
  checkPassword(body.password, body.username);
  const u = await tx.one<{
    id: string;
  }>(sql`insert into users (username, display_name, role, region_code, county_code, phone, password_hash, must_change_password)
    values (${body.username}, ${displayName.slice(0, 60)}, 'family', ${e.region_code}, ${e.region_code.slice(0, 6)}, ${c.phone},
            ${await hashPassword(body.password)}, true) returning id::text as id`);
  await tx.exec(sql`update elder_contacts set user_id = ${u!.id} where id = ${c.id}`);
  await audit({
    action: 'family_account',
    entity: 'elder',
    entityId: e.id,
    regionCode: e.region_code,
    after: { contactId: c.id, userId: u!.id, username: body.username },
  });
  return { userId: u!.id, username: body.username };
}

export function familyRoutes(app: FastifyInstance) {
  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/elders/:id/contacts/:contactId/account',
    summary: '为老年人家属开通账号（家属只能查看与其关联的老年人）',
    tags: ['elders'],
    roles: STAFF,
    resource: 'elderContact',
    params: z.object({ id: z.uuid(), contactId: z.uuid() }),
    body: AccountBody,
    example: { username: 'family_demo', password: 'Family2026x' },
    response: z.object({ userId: z.string(), username: z.string() }),
    handler: async ({ tx, params, body, audit }) => {
      const e = await loadElder(tx, params.id);
      const c = await tx.one<{ id: string; name: string; phone: string | null; user_id: string | null }>(
        sql`select id::text as id, name, phone, user_id::text as user_id from elder_contacts where id = ${params.contactId} and elder_id = ${params.id}`,
      );
      if (!c) throw notFound('联系人', 'contact');
      if (c.user_id) throw conflict('HAS_ACCOUNT', '该联系人已开通账号', 'this contact already has an account');
      return openAccount(tx, audit, e, c, body, `${c.name}（家属）`);
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/elders/:id/account',
    summary: '为老年人本人开通账号（在手机上自己下单、评价；只能查看本人）',
    tags: ['elders'],
    roles: STAFF,
    resource: 'elder',
    params: z.object({ id: z.uuid() }),
    body: AccountBody,
    example: { username: 'elder_demo', password: 'Elder2026x' },
    response: z.object({ userId: z.string(), username: z.string(), contactId: z.string() }),
    handler: async ({ tx, params, body, audit }) => {
      const e = await loadElder(tx, params.id);
      if (e.status !== 'active')
        throw conflict('ELDER_INACTIVE', '该老年人不在册（已故或迁出），不能开通账号', 'the elder is no longer registered (deceased or moved out)');
      // The elder's own account hangs on a contact "本人", one per elder.
      const had = await tx.one<{ user_id: string | null }>(
        sql`select user_id::text as user_id from elder_contacts where elder_id = ${params.id} and relation = ${SELF_RELATION} and user_id is not null limit 1`,
      );
      if (had) throw conflict('HAS_ACCOUNT', '该老年人本人已开通账号', 'the elder already has an account of their own');
      const c = await tx.one<{
        id: string;
        name: string;
        phone: string | null;
      }>(sql`insert into elder_contacts (elder_id, county_code, region_code, name, relation, phone)
        values (${e.id}, ${e.region_code.slice(0, 6)}, ${e.region_code}, ${e.name}, ${SELF_RELATION}, ${e.phone ?? null})
        returning id::text as id, name, phone`);
      return { ...(await openAccount(tx, audit, e, c!, body, `${e.name}（本人）`)), contactId: c!.id };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/family/elders',
    summary: '家属：我关联的老年人',
    tags: ['elders'],
    roles: ['family'],
    response: z.object({ items: z.array(FamilyElder) }),
    handler: async ({ tx, audit }) => {
      const { rows } = await eldersRepo.list(tx, { sort: 'name', order: 'asc', limit: 50, offset: 0 });
      const self = (await tx.one<{ id: string | null }>(sql`select yl_self_elder()::text as id`))?.id ?? null;
      // The address is shown in full (services come there): one audit entry names the elders shown.
      if (rows.length > 0)
        await audit({
          action: 'view',
          entity: 'elder',
          entityId: rows.length === 1 ? rows[0].id : null,
          regionCode: commonRegion(rows.map((e) => e.region_code)),
          after: { what: 'family', ids: rows.map((e) => e.id), fields: ['address'] },
        });
      return {
        items: rows.map((e) => ({
          id: e.id,
          name: e.name,
          sex: e.sex,
          age: e.age,
          regionName: e.region_name,
          townshipName: e.township_name,
          phone: maskPhone(e.phone),
          address: e.address,
          self: e.id === self,
          status: e.status,
          categories: e.categories,
          ability: e.ability,
        })),
      };
    },
  });
}
