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
  locked: boolean;
  must_change_password: boolean;
  last_login_at: string | null;
  created_at: string | null;
  region_name: string | null;
}

const COLS = sql`u.id::text as id, u.username, u.display_name, u.password_hash, u.role, u.region_code, u.county_code,
  u.provider_id::text as provider_id, u.phone, u.status,
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

  recordSuccess: (tx: Executor, id: string) => tx.exec(sql`update users set last_login_at = now() where id = ${id}`),

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
      updated_at = now() where id = ${id}`),
  /** Forgets the failed sign-ins counted against the user's account (migration 0027). */
  async releaseSignIn(tx: Executor, id: string) {
    await tx.exec(sql`select yl_sign_in_release(${id}::uuid)`);
    await tx.exec(sql`update users set locked_until = null where id = ${id}`);
  },
};

export type ThrottleScope = 'pair' | 'address' | 'account';
/** When a bucket starts delaying (after `free` failures) and by how much (`base` seconds, doubling per further failure, up to `cap`). */
export type ThrottleRules = Record<ThrottleScope, { free: number; base: number; cap: number }>;

/** Failed sign-in counts (owner-only table `login_throttle`): per (account, address), per address, per account. */
export const throttleRepo = {
  /** Seconds until the longest delay among the attempt's buckets ends (0: not delayed). */
  async waitSeconds(tx: Executor, username: string, ip: string): Promise<number> {
    const r = await tx.one<{ wait: number | null }>(sql`select ceil(extract(epoch from max(blocked_until) - now()))::int as wait from login_throttle
      where blocked_until > now()
        and ((scope = 'pair' and username = ${username} and ip = ${ip}) or (scope = 'address' and username = '' and ip = ${ip})
          or (scope = 'account' and username = ${username} and ip = ''))`);
    return Math.max(0, r?.wait ?? 0);
  },

  /** Counts a failure in the three buckets; a bucket past its free failures is delayed by base × 2^(over), up to cap. */
  async recordFailure(tx: Executor, username: string, ip: string, rules: ThrottleRules) {
    const rule = (k: 'free' | 'base' | 'cap') =>
      sql`(case t.scope when 'pair' then ${rules.pair[k]}::int when 'address' then ${rules.address[k]}::int else ${rules.account[k]}::int end)`;
    // Counts restart after a day without failures.
    const next = sql`(case when t.last_failure_at < now() - interval '1 day' then 1 else t.failures + 1 end)`;
    const firstDelay = (k: ThrottleScope) => (rules[k].free <= 1 ? sql`now() + make_interval(secs => ${rules[k].base}::int)` : sql`null::timestamptz`);
    await tx.exec(sql`insert into login_throttle as t (scope, username, ip, failures, last_failure_at, blocked_until)
      values ('pair', ${username}, ${ip}, 1, now(), ${firstDelay('pair')}), ('address', '', ${ip}, 1, now(), ${firstDelay('address')}),
             ('account', ${username}, '', 1, now(), ${firstDelay('account')})
      on conflict (scope, username, ip) do update set
        failures = ${next},
        last_failure_at = now(),
        blocked_until = case when ${next} >= ${rule('free')}
          then now() + make_interval(secs => least(${rule('base')} * power(2, ${next} - ${rule('free')}), ${rule('cap')})) else t.blocked_until end`);
    // Old counts go now and then, like expired sessions.
    if (Math.random() < 0.02) await tx.exec(sql`delete from login_throttle where last_failure_at < now() - interval '2 days'`);
  },

  /** Shows on the user's row until when sign-in of the account is delayed from somewhere (`locked`
   * in the users list; a column, so that every role reading users needs no access to the counts). */
  mirror: (tx: Executor, userId: string, username: string) =>
    tx.exec(sql`update users set locked_until = (select max(blocked_until) from login_throttle
        where username = ${username} and scope in ('pair', 'account') and blocked_until > now()) where id = ${userId}`),

  /** A successful sign-in forgets the failures of this account from this address. */
  recordSuccess: (tx: Executor, username: string, ip: string) =>
    tx.exec(sql`delete from login_throttle where scope = 'pair' and username = ${username} and ip = ${ip}`),
};
