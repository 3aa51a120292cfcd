/** Builds the HTTP application around an open database: one process serves the API, its
 * OpenAPI document and the web UI on one port. */
import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { jsonSchemaTransform, serializerCompiler, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { Config } from './kernel/config.js';
import type { Database } from './kernel/db.js';
import { AppError, fromPgError } from './kernel/errors.js';
import { SESSION_COOKIE, SessionStore } from './kernel/session.js';
import { ValidationFailed, zodValidatorCompiler } from './kernel/validation.js';
import { registerModules } from './modules/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    sessions: SessionStore;
    config: Config;
  }
}

export interface BuildOptions {
  logger?: boolean | object;
}

export async function buildApp(db: Database, config: Config, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: 1024 * 1024,
    trustProxy: process.env.TRUST_PROXY === 'true',
    genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: { coerceTypes: false } },
    // Errors the router raises before any route runs get the same bilingual shape.
    frameworkErrors: (err, req, reply) => {
      const status = (err as { statusCode?: number }).statusCode ?? 400;
      void (reply as unknown as FastifyReply).status(status).send({
        error: {
          code: (err as { code?: string }).code ?? 'BAD_REQUEST',
          message: status === 414 ? '请求地址过长' : '请求地址无效',
          messageEn: status === 414 ? 'the request URL is too long' : 'the request URL is invalid',
          requestId: req.id,
        },
      });
    },
  });
  app.decorate('yl', { db, routes: [] });
  app.decorate('config', config);
  app.decorate('sessions', new SessionStore(db, config.SESSION_HOURS));
  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(cookie);
  // Security headers on every answer (API, web UI, API docs). The built UI loads only its own
  // scripts; antd and Swagger UI write inline styles, hence 'unsafe-inline' for styles only.
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // HSTS only where the site is served over HTTPS (secure cookies); a LAN install on http ignores it anyway.
    strictTransportSecurity: config.COOKIE_SECURE ? { maxAge: 15_552_000, includeSubDomains: true } : false,
  });
  await app.register(rateLimit, { global: false });
  await app.register(multipart, { limits: { fileSize: 50 * 1024 * 1024, files: 1, fields: 10 } });
  await app.register(swagger, {
    openapi: {
      info: {
        title: '银龄 智慧养老服务综合平台 API',
        version: '1',
        description: 'Yinling elderly-care platform API. 错误统一为 { error: { code, message, messageEn, details } }。',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.addHook('onRequest', async (req) => {
    const t = req.cookies[SESSION_COOKIE];
    if (t && t.length < 200) req.principal = (await app.sessions.lookup(t)) ?? undefined;
  });

  app.setErrorHandler((err, req, reply) => {
    const send = (status: number, code: string, zh: string, en: string, details?: unknown) =>
      reply.status(status).send({ error: { code, message: zh, messageEn: en, details, requestId: req.id } });
    if (err instanceof ValidationFailed) return send(400, 'VALIDATION', err.zh, err.en, err.problems);
    if (err instanceof AppError) return send(err.status, err.code, err.zh, err.en, err.details);
    const pgErr = fromPgError(err);
    if (pgErr) return send(pgErr.status, pgErr.code, pgErr.zh, pgErr.en, pgErr.details);
    const e = err as { statusCode?: number; code?: string; message: string };
    if (isResponseSerializationError(err)) {
      req.log.error({ err }, 'response failed its schema');
      return send(500, 'INTERNAL', '服务器内部错误，请联系管理员', 'internal error; please contact the administrator');
    }
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || e.code === 'FST_REQ_FILE_TOO_LARGE')
      return send(413, 'TOO_LARGE', '提交的内容过大', 'the request body is too large');
    if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return send(415, 'UNSUPPORTED_MEDIA_TYPE', '不支持的内容类型，请以 JSON 提交', 'unsupported content type; send JSON');
    if (e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (e.statusCode === 400 && /JSON/.test(e.message)))
      return send(400, 'BAD_JSON', '请求内容不是有效的 JSON', 'the request body is not valid JSON');
    if (e.statusCode === 429) return send(429, 'RATE_LIMITED', '操作过于频繁，请稍后再试', 'too many requests; try again later');
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return send(e.statusCode, e.code ?? 'BAD_REQUEST', '请求无效', `bad request: ${e.message}`);
    req.log.error({ err }, 'unhandled error');
    return send(500, 'INTERNAL', '服务器内部错误，请联系管理员', 'internal error; please contact the administrator');
  });

  await registerModules(app);

  const dist = config.WEB_DIST;
  const hasWeb = fs.existsSync(path.join(dist, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: dist, wildcard: false, index: false, maxAge: '1h' });
  app.setNotFoundHandler((req, reply) => {
    if (!req.url.startsWith('/api/') && req.method === 'GET' && hasWeb) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html', dist);
    }
    return reply.status(404).send({
      error: {
        code: 'NO_SUCH_ROUTE',
        message: `接口不存在：${req.method} ${req.url.split('?')[0]}`,
        messageEn: `no such endpoint: ${req.method} ${req.url.split('?')[0]}`,
        requestId: req.id,
      },
    });
  });
  return app;
}
