import type { FastifyInstance } from 'fastify';
import { defineRoute, IdParams, Ok, Page } from '../../kernel/http.js';
import { AppError, notFound } from '../../kernel/errors.js';
import { hashPassword } from '../../kernel/password.js';
import { SESSION_COOKIE } from '../../kernel/session.js';
import { usersRepo } from './accounts.repository.js';
import { ChangePasswordBody, CreateUserBody, LoginBody, ResetPasswordBody, Session, UpdateUserBody, UserListQuery, UserView } from './accounts.schema.js';
import { authenticate, changePassword, checkPassword, checkUserShape, presentMe, presentUser, principalOfRow } from './accounts.service.js';

export function accountRoutes(app: FastifyInstance) {
  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/auth/login',
    summary: '登录（失败过多时按账号与地址、地址、账号逐步延时，答 429 与 Retry-After）',
    tags: ['auth'],
    roles: 'public',
    rateLimit: app.config.LOGIN_RATE_PER_MIN,
    body: LoginBody,
    response: Session,
    handler: async ({ db, body, req, reply }) => {
      const user = await authenticate(db, body.username, body.password, req.ip).catch((e: unknown) => {
        if (e instanceof AppError && e.status === 429) reply.header('retry-after', String((e.details as { retryAfterSeconds: number }).retryAfterSeconds));
        throw e;
      });
      const s = await app.sessions.create(user.id, req.ip, req.headers['user-agent']);
      reply.setCookie(SESSION_COOKIE, s.token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: app.config.COOKIE_SECURE,
        path: '/',
        expires: s.expiresAt,
      });
      const p = principalOfRow(user, '', s.csrf);
      return { user: await presentMe(db.root, p), csrfToken: s.csrf };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/auth/logout',
    summary: '退出登录',
    tags: ['auth'],
    roles: 'any',
    allowPasswordChangePending: true,
    response: Ok,
    handler: async ({ principal, reply, audit, afterCommit }) => {
      afterCommit(() => app.sessions.destroy(principal.sessionId));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      await audit({ action: 'logout', entity: 'user', entityId: principal.userId, regionCode: principal.regionCode });
      return { ok: true as const };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/auth/me',
    summary: '当前用户、角色、区划与 CSRF 令牌',
    tags: ['auth'],
    roles: 'any',
    allowPasswordChangePending: true,
    response: Session,
    handler: async ({ tx, principal }) => ({ user: await presentMe(tx, principal), csrfToken: principal.csrfToken }),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/auth/password',
    summary: '修改本人密码（其他会话随之退出）',
    tags: ['auth'],
    roles: 'any',
    allowPasswordChangePending: true,
    body: ChangePasswordBody,
    response: Ok,
    handler: async ({ tx, principal, body, audit, afterCommit }) => {
      await changePassword(tx, principal, body.currentPassword, body.newPassword);
      afterCommit(async () => {
        await app.sessions.destroyUser(principal.userId, principal.sessionId);
        app.sessions.forgetUser(principal.userId);
      });
      await audit({ action: 'change_password', entity: 'user', entityId: principal.userId, regionCode: principal.regionCode });
      return { ok: true as const };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/users',
    summary: '本辖区用户列表',
    tags: ['users'],
    roles: ['county_admin'],
    resource: 'user',
    query: UserListQuery,
    response: Page(UserView),
    handler: async ({ tx, query }) => {
      const { rows, total } = await usersRepo.list(tx, { ...query, limit: query.pageSize, offset: (query.page - 1) * query.pageSize });
      return { items: rows.map(presentUser), total, page: query.page, pageSize: query.pageSize };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/users/:id',
    summary: '用户详情',
    tags: ['users'],
    roles: ['county_admin'],
    resource: 'user',
    params: IdParams,
    response: UserView,
    handler: async ({ tx, params }) => {
      const u = await usersRepo.byId(tx, params.id);
      if (!u) throw notFound('用户', 'user');
      return presentUser(u);
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/users',
    summary: '新建用户（首次登录须改密码）',
    tags: ['users'],
    roles: ['county_admin'],
    body: CreateUserBody,
    response: UserView,
    handler: async ({ tx, body, audit }) => {
      await checkUserShape(tx, body.role, body.regionCode, body.providerId);
      checkPassword(body.password, body.username, body.displayName);
      const created = await usersRepo.insert(tx, {
        username: body.username,
        displayName: body.displayName,
        role: body.role,
        regionCode: body.regionCode,
        providerId: body.providerId ?? null,
        phone: body.phone ?? null,
        passwordHash: await hashPassword(body.password),
        mustChange: true,
      });
      const u = (await usersRepo.byId(tx, created!.id))!;
      await audit({ action: 'create', entity: 'user', entityId: u.id, regionCode: u.region_code, after: presentUser(u) });
      return presentUser(u);
    },
  });

  defineRoute(app, {
    method: 'PATCH',
    url: '/api/v1/users/:id',
    summary: '修改用户（角色、区划、状态等）',
    tags: ['users'],
    roles: ['county_admin'],
    resource: 'user',
    params: IdParams,
    body: UpdateUserBody,
    example: { displayName: '张三' },
    response: UserView,
    handler: async ({ tx, params, body, principal, audit, afterCommit }) => {
      const before = await usersRepo.byId(tx, params.id);
      if (!before) throw notFound('用户', 'user');
      if (params.id === principal.userId && (body.role || body.status === 'disabled' || body.regionCode))
        throw new AppError(400, 'SELF_CHANGE', '不能修改自己的角色、区划或停用自己', 'you cannot change your own role or region, or disable yourself');
      const role = body.role ?? before.role;
      const providerId = body.providerId !== undefined ? body.providerId : before.provider_id;
      await checkUserShape(tx, role, body.regionCode ?? before.region_code, providerId);
      await usersRepo.update(tx, params.id, body);
      const after = (await usersRepo.byId(tx, params.id))!;
      afterCommit(async () => {
        if (body.status === 'disabled') await app.sessions.destroyUser(params.id);
        app.sessions.forgetUser(params.id);
      });
      await audit({
        action: 'update',
        entity: 'user',
        entityId: params.id,
        regionCode: after.region_code,
        before: presentUser(before),
        after: presentUser(after),
      });
      return presentUser(after);
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/users/:id/reset-password',
    summary: '重置用户密码（下次登录须修改）',
    tags: ['users'],
    roles: ['county_admin'],
    resource: 'user',
    params: IdParams,
    body: ResetPasswordBody,
    example: { password: 'Reset2026x' },
    response: Ok,
    handler: async ({ tx, params, body, audit, afterCommit }) => {
      const u = await usersRepo.byId(tx, params.id);
      if (!u) throw notFound('用户', 'user');
      checkPassword(body.password, u.username, u.display_name);
      await usersRepo.setPassword(tx, params.id, await hashPassword(body.password), true);
      afterCommit(() => app.sessions.destroyUser(params.id));
      await audit({ action: 'reset_password', entity: 'user', entityId: params.id, regionCode: u.region_code });
      return { ok: true as const };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/users/:id/unlock',
    summary: '解除登录限制（清除该账号的失败登录计数）',
    tags: ['users'],
    roles: ['county_admin'],
    resource: 'user',
    params: IdParams,
    response: Ok,
    handler: async ({ tx, params, audit }) => {
      const u = await usersRepo.byId(tx, params.id);
      if (!u) throw notFound('用户', 'user');
      await usersRepo.releaseSignIn(tx, params.id);
      await audit({ action: 'unlock', entity: 'user', entityId: params.id, regionCode: u.region_code });
      return { ok: true as const };
    },
  });
}
