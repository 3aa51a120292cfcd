import { sql, type Executor } from '../../kernel/db.js';
import type { Role } from '../../kernel/roles.js';
import { scopeOf } from '../../kernel/scope.js';

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: Role;
  region_code: string;
  county_code: string;
  provider_id: string | null;
  phone: string | null;
  status: 'active' | 'disabled';
  failed_logins: number;
  locked_until: string | null;
  locked: boolean;
  must_change_password: boolean;
  last_login_at: string | null;
  created_at: string | null;
  region_name: string | null;
}

const COLS = sql`u.id::text as id, u.username, u.display_name, u.password_hash, u.role, u.region_code, u.county_code,
  u.provider_id::text as provider_id, u.phone, u.status, u.failed_logins, u.locked_until::text as locked_until,
  coalesce(u.locked_until > now(), false) as locked, u.must_change_password, u.last_login_at::text as last_login_at,
  u.created_at::text as created_at, r.name as region_name`;

export const usersRepo = {
  byUsername: (tx: Executor, username: string) =>
    tx.one<UserRow>(sql`select ${COLS} from users u left join regions r on r.code = u.region_code where u.username = ${username}`),
  byId: (tx: Executor, id: string) => tx.one<UserRow>(sql`select ${COLS} from users u left join regions r on r.code = u.region_code where u.id = ${id}`),

  async list(tx: Executor, f: { q?: string; role?: Role; regionCode?: string; limit: number; offset: number }) {
    const where = sql.join(
      [
        sql`true`,
        f.q ? sql`(u.username ilike ${'%' + f.q + '%'} or u.display_name ilike ${'%' + f.q + '%'})` : undefined,
        f.role ? sql`u.role = ${f.role}` : undefined,
        f.regionCode ? sql`u.region_code between ${scopeOf(f.regionCode).lo} and ${scopeOf(f.regionCode).hi}` : undefined,
      ].filter(Boolean) as ReturnType<typeof sql>[],
      sql` and `,
    );
    const rows = await tx.rows<UserRow & { total: number }>(
      sql`select ${COLS}, count(*) over()::int as total from users u left join regions r on r.code = u.region_code
           where ${where} order by u.region_code, u.username limit ${f.limit} offset ${f.offset}`,
    );
    return { rows, total: rows[0]?.total ?? 0 };
  },

  recordFailure: (tx: Executor, id: string) =>
    tx.one<{ failed_logins: number; locked_until: string | null }>(sql`update users set failed_logins = failed_logins + 1,
        locked_until = case when failed_logins + 1 >= 5
          then now() + least(interval '15 minutes' * power(2, failed_logins + 1 - 5), interval '24 hours') else locked_until end
      where id = ${id} returning failed_logins, locked_until::text as locked_until`),
  recordSuccess: (tx: Executor, id: string) => tx.exec(sql`update users set failed_logins = 0, locked_until = null, last_login_at = now() where id = ${id}`),

  insert: (
    tx: Executor,
    u: {
      username: string;
      displayName: string;
      role: Role;
      regionCode: string;
      providerId: string | null;
      phone: string | null;
      passwordHash: string;
      mustChange: boolean;
    },
  ) =>
    tx.one<{
      id: string;
    }>(sql`insert into users (username, display_name, role, region_code, county_code, provider_id, phone, password_hash, must_change_password)
      values (${u.username}, ${u.displayName}, ${u.role}, ${u.regionCode}, ${u.regionCode.slice(0, 6)}, ${u.providerId}, ${u.phone}, ${u.passwordHash}, ${u.mustChange})
      returning id::text as id`),

  update: (
    tx: Executor,
    id: string,
    u: { displayName?: string; role?: Role; regionCode?: string; providerId?: string | null; phone?: string | null; status?: string },
  ) =>
    tx.exec(sql`update users set
        display_name = coalesce(${u.displayName ?? null}, display_name),
        role = coalesce(${u.role ?? null}, role),
        region_code = coalesce(${u.regionCode ?? null}, region_code),
        county_code = coalesce(${u.regionCode?.slice(0, 6) ?? null}, county_code),
        provider_id = case when ${u.providerId !== undefined} then ${u.providerId ?? null}::uuid else provider_id end,
        phone = case when ${u.phone !== undefined} then ${u.phone ?? null} else phone end,
        status = coalesce(${u.status ?? null}, status),
        updated_at = now()
      where id = ${id}`),

  setPassword: (tx: Executor, id: string, hash: string, mustChange: boolean) =>
    tx.exec(sql`update users set password_hash = ${hash}, must_change_password = ${mustChange}, password_changed_at = now(),
      failed_logins = 0, locked_until = null, updated_at = now() where id = ${id}`),
  unlock: (tx: Executor, id: string) => tx.exec(sql`update users set failed_logins = 0, locked_until = null where id = ${id}`),
};
