/**
 * What every browser test starts with: the real server in-process on in-memory PGlite with a
 * small demo county, serving the built web UI (npm run build:web), and Debian's Chromium.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/kernel/config.js';
import { openDatabase, type Database } from '../server/src/kernel/db.js';
import { DEMO_PASSWORD, loadDemo } from '../server/src/demo/generate.js';

export const WEB_DIST = path.resolve(process.env.WEB_DIST ?? 'web/dist');
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
  // E2E_LOG=/tmp/e2e.log: the server's request log, to see what a failing browser test waited for.
  const app = await buildApp(db, loadConfig({}, { WEB_DIST }), process.env.E2E_LOG ? { logger: { level: 'info', file: process.env.E2E_LOG } } : {});
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

/** How long a step may wait for the page (the first page of a demo county loads in seconds). */
export const WAIT = 30_000;

/** A browser as a user has it: a desktop screen or a phone (390×844, touch), Chinese, the
 * county's time zone; optionally a position (the caregiver's phone) and downloads. */
export async function newContext(
  browser: Browser,
  o: { phone?: boolean; geo?: { latitude: number; longitude: number }; downloads?: boolean } = {},
): Promise<BrowserContext> {
  const c = await browser.newContext({
    viewport: o.phone ? { width: 390, height: 844 } : { width: 1366, height: 900 },
    isMobile: o.phone,
    hasTouch: o.phone,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: o.downloads,
    ...(o.geo ? { geolocation: o.geo, permissions: ['geolocation'] } : {}),
  });
  c.setDefaultTimeout(WAIT);
  return c;
}

/** Signs in on the login page (opened first unless `goto: false`) and waits for what the user
 * lands on: the first page's title, another test id, or nothing (`waitFor: null`). */
export async function signIn(
  page: Page,
  base: string,
  username: string,
  o: { password?: string; goto?: boolean; waitFor?: string | null } = {},
): Promise<void> {
  if (o.goto !== false) await page.goto(`${base}/`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(o.password ?? DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  const wait = o.waitFor === undefined ? 'page-title' : o.waitFor;
  if (wait) await page.getByTestId(wait).first().waitFor();
}

/** Types a day ('2026-05-01'), month ('2026-05') or time ('16:30') into an Ant Design picker
 * (its input carries the test id) and confirms it with Enter, as a user typing would. */
export async function pickDate(input: Locator, value: string): Promise<void> {
  await input.click();
  await input.fill(value);
  await input.press('Enter');
}

/** Changes the initial password on the page a new account is forced to first (signed in). */
export async function changeInitialPassword(page: Page, current: string, next: string): Promise<void> {
  await page.getByTestId('forced-password').waitFor();
  await page.locator('#currentPassword').fill(current);
  await page.locator('#newPassword').fill(next);
  await page.locator('#confirm').fill(next);
  await page.getByTestId('change-password-form').locator('button[type=submit]').click();
  await page.getByTestId('forced-password').waitFor({ state: 'detached' });
}

/**
 * Answers OK in an Ant Design confirm dialog and waits until it has closed. A click that lands
 * while the dialog still zooms in (slow frames on a busy machine) can miss the button; the OK
 * button shows "loading" while its action runs and ignores clicks then, so clicking again until
 * the dialog is gone never submits twice.
 */
export async function confirmDialog(page: Page, timeoutMs = WAIT): Promise<void> {
  const ok = page.locator('.ant-modal-confirm .ant-modal-confirm-btns .ant-btn-primary');
  const until = Date.now() + timeoutMs;
  await ok.waitFor();
  for (;;) {
    const cls = (await ok.getAttribute('class').catch(() => null)) ?? '';
    if (!cls.includes('ant-btn-loading')) await ok.click({ timeout: 5_000 }).catch(() => undefined);
    try {
      await ok.waitFor({ state: 'detached', timeout: 3_000 });
      return;
    } catch (e) {
      if (Date.now() > until) throw e;
    }
  }
}
