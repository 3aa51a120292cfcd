/**
 * Browser test of the web shell: sign-in page in Chinese and English, the layout of a township
 * user (name, role, region, menu without modules still being built), the county admin's
 * under-construction page,
 * the elders list limited to the user's township, sign-out; a county admin on the users
 * and audit pages verifying the hash chain; and no Content Security Policy violation anywhere
 * (signing in, the work pages, the API docs).
 *
 * Self-contained: starts the server in-process on in-memory PGlite with a small demo county and
 * serves the built web UI from web/dist (build it first: npm run build:web).
 */
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealAudit } from '../server/src/kernel/audit.js';
import type { Database } from '../server/src/kernel/db.js';
import { signIn, startStack, WAIT, type Stack } from './support.js';

let db: Database;
let browser: Browser;
let base: string;
const pageErrors: string[] = [];
/** What the browser refused under the Content Security Policy (console and violation events). */
const cspViolations: string[] = [];

async function newPage(): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  ctx.setDefaultTimeout(WAIT);
  // Init scripts run outside the page's CSP, so the listener itself is never blocked.
  await ctx.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)),
  );
  const page = await ctx.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (/Content Security Policy|CSP violation/i.test(m.text())) cspViolations.push(`${page.url()}: ${m.text()}`);
  });
  return { ctx, page };
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  ({ db, browser, base } = stack);
}, 180_000);

afterAll(async () => {
  await stack?.close();
}, 60_000);

describe('web shell', () => {
  it('signs a township user in, shows their layout, menu and elders, and signs out', async () => {
    const { ctx, page } = await newPage();
    try {
      // Any page without a session lands on the sign-in page, in Chinese by default.
      await page.goto(`${base}/m/elders`);
      await page.waitForURL(/\/login$/);
      await expect.poll(() => page.getByTestId('login-title').textContent()).toBe('用户登录');
      expect(await page.getByTestId('login-submit').innerText()).toMatch(/登\s*录/);
      expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');

      // English and back; the choice is remembered.
      await page.getByTestId('lang-en').click();
      await expect.poll(() => page.getByTestId('login-title').textContent()).toBe('Sign in');
      expect(await page.evaluate(() => localStorage.getItem('yl.lang'))).toBe('en');
      await page.getByTestId('lang-zh').click();
      await expect.poll(() => page.getByTestId('login-title').textContent()).toBe('用户登录');

      // A wrong password is answered in the form.
      await page.getByTestId('login-username').fill('yushan');
      await page.getByTestId('login-password').fill('not-the-password-1');
      await page.getByTestId('login-submit').click();
      await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('用户名或密码错误');

      await signIn(page, base, 'yushan', { goto: false, waitFor: 'header-user-name' });
      // Back to the page asked for before signing in.
      await page.waitForURL(/\/m\/elders$/);
      expect(await page.getByTestId('header-user-name').textContent()).toBe('王芳（榆山街道）');
      expect(await page.getByTestId('header-user-role').textContent()).toBe('乡镇（街道）工作人员');
      expect(await page.getByTestId('header-region').textContent()).toBe('榆山街道');

      // The menu holds what a township user can use: no module still being built (建设中).
      const statuses = await page.locator('[data-testid=side-menu] [data-status]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
      expect(statuses).toContain('ready');
      expect(statuses).not.toContain('planned');
      expect(await page.getByTestId('side-menu').innerText()).not.toContain('建设中');
      expect(await page.getByTestId('menu-overview').getAttribute('data-status')).toBe('ready');
      expect(await page.getByTestId('menu-benefits').getAttribute('data-status')).toBe('ready');
      await expect.poll(() => page.getByTestId('side-menu').innerText()).toContain('老年人档案与能力评估');

      // The elders list holds only the user's township.
      await page.getByTestId('elder-township').first().waitFor();
      const townships = await page.getByTestId('elder-township').allTextContents();
      expect(townships.length).toBeGreaterThan(0);
      expect(new Set(townships)).toEqual(new Set(['榆山街道']));
      expect(await page.getByTestId('elders-table').innerText()).not.toContain('东阿镇');
      expect(await page.getByTestId('elders-total').textContent()).toMatch(/共 \d+ 人/);

      // The overview (工作台) opens with its figures.
      await page.getByTestId('menu-overview').click();
      await page.getByTestId('overview-table').waitFor();
      await page.getByTestId('stat-elders').waitFor();

      // Sign out: back to the sign-in page, and the session is gone.
      await page.getByTestId('user-menu').click();
      await page.getByTestId('menu-logout').click();
      await page.getByTestId('login-title').waitFor();
      await page.waitForURL(/\/login$/);
      const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status);
      expect(me).toBe(401);
    } finally {
      await ctx.close();
    }
  });

  it('lets the county admin open users and audit and verify the audit chain', async () => {
    const { ctx, page } = await newPage();
    try {
      await page.goto(`${base}/`);
      await page.getByTestId('login-title').waitFor();
      await signIn(page, base, 'admin', { goto: false, waitFor: 'header-user-name' });
      expect(await page.getByTestId('header-region').textContent()).toBe('平阴县');

      // The county admin, who plans the roll-out, sees the modules being built; one opens the
      // under-construction page, not a blank one.
      const planned = page.locator('[data-testid=side-menu] [data-status=planned]').first();
      const plannedKey = (await planned.getAttribute('data-testid'))!.replace(/^menu-/, '');
      const plannedName = (await planned.locator('.yl-menu-text').innerText()).trim();
      await planned.click();
      await page.waitForURL(new RegExp(`/m/${plannedKey}$`));
      await page.getByTestId('under-construction').waitFor();
      expect(await page.getByTestId('under-construction-title').textContent()).toContain(plannedName);
      expect(await page.getByTestId('under-construction').innerText()).toContain('建设中');

      await page.getByTestId('menu-users').click();
      await page.getByTestId('user-row-username').first().waitFor();
      const usernames = await page.getByTestId('user-row-username').allTextContents();
      expect(usernames).toEqual(expect.arrayContaining(['admin', 'yushan', 'donge']));

      // The running server seals new audit entries every 2 s; here the test does it.
      await sealAudit(db);
      await page.getByTestId('menu-audit').click();
      await page.getByTestId('audit-table').waitFor();
      await expect.poll(() => page.locator('[data-testid=audit-table] tbody tr.ant-table-row').count()).toBeGreaterThan(0);
      await page.getByTestId('audit-verify').click();
      const result = page.getByTestId('verify-result').first();
      await result.waitFor();
      expect(await result.getAttribute('data-ok')).toBe('true');
      expect(await result.innerText()).toContain('哈希链完整');
    } finally {
      await ctx.close();
    }
    expect(pageErrors).toEqual([]);
  });

  it('runs under the Content Security Policy without a violation: sign-in, work pages, API docs', async () => {
    const { ctx, page } = await newPage();
    try {
      const first = await page.goto(`${base}/`);
      expect(first!.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(first!.headers()['x-frame-options']).toBe('DENY');
      await page.getByTestId('login-title').waitFor();
      // Positive control: an inline script is refused, and the refusal is seen.
      await page.evaluate(() => document.head.append(Object.assign(document.createElement('script'), { textContent: 'window.inlineRan = true' })));
      await expect.poll(() => cspViolations.length).toBeGreaterThan(0);
      expect(cspViolations[0]).toContain('script-src');
      expect(await page.evaluate(() => (window as unknown as { inlineRan?: boolean }).inlineRan)).toBeUndefined();
      cspViolations.length = 0;
      // A refused sign-in (its message in an antd Alert) and a good one.
      await page.getByTestId('login-username').fill('admin');
      await page.getByTestId('login-password').fill('not-the-password-1');
      await page.getByTestId('login-submit').click();
      await page.getByTestId('login-error').waitFor();
      await signIn(page, base, 'admin', { goto: false, waitFor: 'header-user-name' });
      // Pages with tables, drawers, charts (echarts) and forms.
      for (const key of ['overview', 'elders', 'benefits', 'services', 'facilities', 'indicators', 'users']) {
        await page.getByTestId(`menu-${key}`).click();
        await page.waitForURL(new RegExp(`/m/${key}`));
        await page.getByTestId('page-title').first().waitFor();
        await page.waitForLoadState('networkidle');
      }
      // The change-password dialog (antd modal, inline styles).
      await page.getByTestId('user-menu').click();
      await page.getByTestId('menu-change-password').click();
      await page.getByTestId('change-password-form').waitFor();
      await page.keyboard.press('Escape');
      // The API docs (Swagger UI) render their operations under the same policy.
      await page.goto(`${base}/api/docs`);
      await page.locator('.swagger-ui .opblock').first().waitFor();
      expect(await page.locator('.swagger-ui .opblock').count()).toBeGreaterThan(0);
    } finally {
      await ctx.close();
    }
    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
