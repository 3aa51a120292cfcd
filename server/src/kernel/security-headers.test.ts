import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { loadConfig } from './config.js';
import { testDb, type TestDb } from '../test/harness.js';

describe('security headers', () => {
  let t: TestDb;
  let app: FastifyInstance;
  let dist: string;
  beforeAll(async () => {
    t = await testDb();
    dist = fs.mkdtempSync(path.join(os.tmpdir(), 'yl-web-'));
    fs.writeFileSync(
      path.join(dist, 'index.html'),
      '<!doctype html><html><body><div id="root"></div><script type="module" src="/assets/app.js"></script></body></html>',
    );
    app = await buildApp(t.db, loadConfig({}, { WEB_DIST: dist }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await t.close();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  const csp = (h: Record<string, unknown>) =>
    Object.fromEntries(
      String(h['content-security-policy'])
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([k, ...v]) => [k, v]),
    ) as Record<string, string[]>;

  it.each([
    ['the web UI', '/'],
    ['a page of the web UI', '/elders'],
    ['an API answer', '/api/v1/auth/me'],
    ['an unknown API route', '/api/v1/nothing-here'],
    ['the API docs', '/api/docs/'],
  ])('%s cannot be framed, sniffed or leak its address, and runs only its own scripts', async (_, url) => {
    const r = await app.inject({ method: 'GET', url });
    expect(r.statusCode).toBeLessThan(500);
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    const p = csp(r.headers);
    expect(p['frame-ancestors']).toEqual(["'none'"]);
    expect(p['script-src']).toEqual(["'self'"]);
    expect(p['default-src']).toEqual(["'self'"]);
    expect(p['object-src']).toEqual(["'none'"]);
    // antd writes inline styles; nothing else is let in from inline.
    expect(p['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
  });

  it('serves the API docs with scripts it is allowed to run', async () => {
    const page = await app.inject({ method: 'GET', url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    // Every script of the docs page is a file of this origin (no inline script that the CSP would block).
    const scripts = [...page.body.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/src="/);
      expect(body.trim()).toBe('');
    }
    const init = await app.inject({ method: 'GET', url: '/api/docs/static/swagger-initializer.js' });
    expect(init.statusCode).toBe(200);
  });
});
