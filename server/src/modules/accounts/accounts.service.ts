import { sql, type Database, type Executor } from '../../kernel/db.js';
import { AppError, badRequest, notFound } from '../../kernel/errors.js';
import { dummyHash, hashPassword, passwordProblem, verifyPassword } from '../../kernel/password.js';
import type { Principal } from '../../kernel/principal.js';
import { ROLE_LABELS, PROVIDER_ROLES, type Role } from '../../kernel/roles.js';
import { writeAudit } from '../../kernel/audit.js';
import { maskPhone } from '../../kernel/mask.js';
import { regionsRepo } from '../regions/index.js';
import { throttleRepo, usersRepo, type ThrottleRules, type UserRow } from './accounts.repository.js';

const invalidLogin = () => new AppError(401, 'BAD_CREDENTIALS', '用户名或密码错误', 'wrong username or password');

/**
 * Failed sign-ins delay further attempts (OWASP: throttle, never lock): per (account, address)
 * after 5 failures, 30 s doubling up to 15 min — an attacker elsewhere does not delay the user's
 * own address; per address after 30 failures (any accounts), 1 min doubling up to 1 h; per
 * account from every address after 100, 10 s doubling up to 5 min — a ceiling that slows a
 * distributed attack but never locks the real user out for long.
 */
export const SIGN_IN_THROTTLE: ThrottleRules = {
  pair: { free: 5, base: 30, cap: 15 * 60 },
  address: { free: 30, base: 60, cap: 60 * 60 },
  account: { free: 100, base: 10, cap: 5 * 60 },
};

function delayedError(seconds: number) {
  const wait = seconds < 120 ? `${seconds}秒` : `${Math.ceil(seconds / 60)}分钟`;
  const waitEn = seconds < 120 ? `${seconds} second(s)` : `${Math.ceil(seconds / 60)} minute(s)`;
  return new AppError(
    429,
    'SIGN_IN_DELAYED',
    `登录失败次数过多，请${wait}后再试（忘记密码请联系管理员重置）`,
    `too many failed sign-ins: try again in ${waitEn} (ask an administrator to reset a forgotten password)`,
    { retryAfterSeconds: seconds },
  );
}

/**
 * Checks a password under the sign-in throttle. Unknown and known usernames get the same
 * answers (the throttle counts the username as typed; an unknown one is checked against a dummy
 * hash, so it takes as long). A delayed attempt is answered 429 with Retry-After before any hash.
 */
export async function authenticate(db: Database, username: string, password: string, ip: string): Promise<UserRow> {
  const key = username.toLowerCase();
  const wait = await throttleRepo.waitSeconds(db.root, key, ip);
  if (wait > 0) throw delayedError(wait);
  const user = await usersRepo.byUsername(db.root, username);
  const ok = await verifyPassword(user?.password_hash ?? (await dummyHash()), password);
  if (!user || !ok || user.status !== 'active') {
    await db.system(async (tx) => {
      // A disabled account with the right password is not a guess: it is not counted.
      if (!(user && ok)) await throttleRepo.recordFailure(tx, key, ip, SIGN_IN_THROTTLE);
      if (user) await throttleRepo.mirror(tx, user.id, key);
      if (user)
        await writeAudit(
          tx,
          { id: user.id, name: user.display_name, role: user.role, ip },
          { action: 'login_failed', entity: 'user', entityId: user.id, regionCode: user.region_code },
        );
    });
    if (user && ok) throw new AppError(403, 'ACCOUNT_DISABLED', '账号已停用，请联系管理员', 'this account is disabled; contact your administrator');
    throw invalidLogin();
  }
  await db.system(async (tx) => {
    await throttleRepo.recordSuccess(tx, key, ip);
    await throttleRepo.mirror(tx, user.id, key);
    await usersRepo.recordSuccess(tx, user.id);
    await writeAudit(
      tx,
      { id: user.id, name: user.display_name, role: user.role, ip },
      { action: 'login', entity: 'user', entityId: user.id, regionCode: user.region_code },
    );
  });
  return user;
}

export async function presentMe(
  tx: Executor,
  p: Pick<Principal, 'userId' | 'username' | 'displayName' | 'role' | 'regionCode' | 'countyCode' | 'providerId' | 'mustChangePassword'>,
) {
  const path = await regionsRepo.path(tx, p.regionCode);
  return {
    id: p.userId,
    username: p.username,
    displayName: p.displayName,
    role: p.role,
    roleLabel: ROLE_LABELS[p.role],
    regionCode: p.regionCode,
    regionName: path.at(-1)?.name ?? p.regionCode,
    regionPath: path,
    countyCode: p.countyCode,
    providerId: p.providerId,
    mustChangePassword: p.mustChangePassword,
  };
}

export function principalOfRow(u: UserRow, sessionId: string, csrf: string): Principal {
  return {
    userId: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role,
    regionCode: u.region_code,
    countyCode: u.county_code,
    providerId: u.provider_id,
    sessionId,
    csrfToken: csrf,
    mustChangePassword: u.must_change_password,
  };
}

/** Refuses a weak password (400 WEAK_PASSWORD saying why); the username and name count as guessable. */
export function checkPassword(pw: string, username?: string, displayName?: string | null) {
  if (username && pw.toLowerCase().includes(username.toLowerCase()))
    throw badRequest('WEAK_PASSWORD', '密码不能包含用户名', 'the password must not contain the username');
  const p = passwordProblem(pw, [username, displayName]);
  if (p) throw badRequest('WEAK_PASSWORD', p.zh, p.en);
}

export async function changePassword(tx: Executor, p: Principal, current: string, next: string) {
  const u = await usersRepo.byId(tx, p.userId);
  if (!u) throw notFound('用户', 'user');
  if (!(await verifyPassword(u.password_hash, current))) throw new AppError(400, 'BAD_CURRENT_PASSWORD', '当前密码不正确', 'the current password is wrong');
  if (current === next) throw badRequest('SAME_PASSWORD', '新密码不能与当前密码相同', 'the new password must differ from the current one');
  checkPassword(next, u.username, u.display_name);
  await usersRepo.setPassword(tx, p.userId, await hashPassword(next), false);
}

export function presentUser(u: UserRow) {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role,
    regionCode: u.region_code,
    regionName: u.region_name,
    providerId: u.provider_id,
    phone: maskPhone(u.phone),
    status: u.status,
    locked: u.locked,
    lastLoginAt: u.last_login_at,
    createdAt: u.created_at,
  };
}

/** Role and provider must agree, and the region must exist and be visible to the admin. */
export async function checkUserShape(tx: Executor, role: Role, regionCode: string, providerId: string | null | undefined) {
  const isProvider = PROVIDER_ROLES.includes(role);
  if (isProvider && !providerId) throw badRequest('PROVIDER_REQUIRED', '服务机构人员须指定所属机构', 'provider staff must belong to a provider');
  if (!isProvider && providerId) throw badRequest('PROVIDER_NOT_ALLOWED', '只有服务机构人员可指定所属机构', 'only provider staff belong to a provider');
  if (!(await regionsRepo.get(tx, regionCode)))
    throw badRequest('UNKNOWN_REGION', `区划 ${regionCode} 不存在或不在您的管辖范围`, `region ${regionCode} does not exist or is outside your area`);
  if (providerId && !(await tx.one(sql`select 1 as x from providers where id = ${providerId}`)))
    throw badRequest('UNKNOWN_PROVIDER', '服务机构不存在或不在您的管辖范围', 'the provider does not exist or is outside your area');
}
