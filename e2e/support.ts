/**
 * What every browser test starts with: the real server in-process on in-memory PGlite with a
 * small demo county, serving the built web UI (npm run build:web), and Debian's Chromium.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/kernel/config.js';
import { openDatabase, type Database } from '../server/src/kernel/db.js';
import { loadDemo } from '../server/src/demo/generate.js';

export const WEB_DIST = path.resolve('web/dist');
export const CHROMIUM = '/usr/bin/chromium';

export interface Stack {
  db: Database;
  app: FastifyInstance;
  browser: Browser;
  base: string;
  close(): Promise<void>;
}

export async function startStack(elders = 2000): Promise<Stack> {
  if (!fs.existsSync(path.join(WEB_DIST, 'index.html'))) throw new Error('web/dist is missing: run `npm run build:web` before the browser tests');
  const db = await openDatabase({});
  await loadDemo(db, { elders, seed: 1 });
  const app = await buildApp(db, loadConfig({}, { WEB_DIST }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return {
    db,
    app,
    browser,
    base,
    async close() {
      await browser.close();
      await app.close();
      await db.close();
    },
  };
}
