/**
 * Browser test of the elder registry and ability assessment: the village worker registers an
 * 80+ elder in his community, finds them in 待评估 / 从未评估, runs a GB/T 42195-2022
 * assessment through the step form (total 70 → level 1, two falls in 30 days → R3 → level 2),
 * and sees the level in the roster while the elder has left the due list. The township of the
 * community (榆山街道) sees the same; another township (东阿镇) never sees the elder at all.
 *
 * Self-contained like shell.e2e.test.ts: in-process server on in-memory PGlite with a small
 * demo county, serving the built web UI from web/dist (build it first: npm run build:web).
 */
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, WAIT, type Stack } from './support.js';
import { makeIdNumber } from '../server/src/kernel/idnumber.js';
import { DEMO_PASSWORD } from '../server/src/demo/generate.js';

const DUE_KINDS = ['immediate', 'overdue', 'due_soon', 'never', 'no_valid_80'];

// 86 years old; “丁一” sorts first by code point, so the elder is on the first page of every list.
const BIRTH = `${new Date().getFullYear() - 86}-03-08`;
const ID_NUMBER = makeIdNumber('370124', BIRTH, 731); // odd sequence: male
const NAME = '丁一新';

let browser: Browser;
let base: string;
let elderId = '';
const pageErrors: string[] = [];

async function signedIn(username: string, viewport = { width: 1366, height: 900 }): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN' });
  ctx.setDefaultTimeout(WAIT);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${base}/m/elders`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('header-user-name').waitFor();
  await page.getByTestId('elders-page').waitFor();
  return { ctx, page };
}

/** GET from the page, with its session; `{ status, body }`. */
async function apiGet(page: Page, url: string): Promise<{ status: number; body: unknown }> {
  return page.evaluate(async (u) => {
    const r = await fetch(u);
    return { status: r.status, body: await r.json() };
  }, url);
}

/** Elder ids of one due list, every page. */
async function dueIds(page: Page, kind: string): Promise<string[]> {
  const ids: string[] = [];
  for (let p = 1; ; p++) {
    const { status, body } = await apiGet(page, `/api/v1/assessments/due?kind=${kind}&pageSize=200&page=${p}`);
    expect(status).toBe(200);
    const b = body as { items: { elderId: string }[]; total: number };
    ids.push(...b.items.map((i) => i.elderId));
    if (p * 200 >= b.total) return ids;
  }
}

/** Picks an option of an antd Select; the dropdown animates, so the choice is checked and retried. */
async function choose(page: Page, testId: string, label: string) {
  const select = page.getByTestId(testId);
  for (let attempt = 0; attempt < 3; attempt++) {
    await select.click();
    const option = page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${label}"]`);
    await option.waitFor();
    await page.waitForTimeout(300);
    await option.click();
    if ((await select.innerText()).includes(label)) return;
  }
  throw new Error(`could not choose ${label} in ${testId}`);
}

async function showDue(page: Page, kind: string) {
  await page.getByTestId('tab-due').click();
  await page.getByTestId(`due-kind-${kind}`).click();
  await page.getByTestId('due-table').waitFor();
  await expect.poll(() => page.locator('[data-testid=due-table] .ant-spin-spinning').count()).toBe(0);
}

async function searchRoster(page: Page, q: string) {
  await page.getByTestId('tab-roster').click();
  await page.getByTestId('filter-q').fill(q);
  await page.getByTestId('elders-search').click();
  await expect.poll(() => page.locator('[data-testid=elders-table] .ant-spin-spinning').count()).toBe(0);
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  ({ browser, base } = stack);
}, 180_000);

afterAll(async () => {
  await stack?.close();
}, 60_000);

describe('elder registry and ability assessment', () => {
  it('lets the village worker register an elder, who is then due for a first assessment', async () => {
    const { ctx, page } = await signedIn('village');
    try {
      await page.getByTestId('register-open').click();
      await page.getByTestId('register-drawer').waitFor();
      // A wrong check digit is caught in the browser.
      await page.getByTestId('reg-idnumber').fill(ID_NUMBER.slice(0, 17) + (ID_NUMBER[17] === '0' ? '1' : '0'));
      await page.getByTestId('reg-name').click();
      await expect.poll(() => page.getByTestId('register-form').innerText()).toContain('身份证号校验位错误');
      // Birth date and sex come from the number.
      await page.getByTestId('reg-idnumber').fill(ID_NUMBER);
      await expect.poll(() => page.getByTestId('reg-derived').innerText()).toContain(`出生日期 ${BIRTH} · 男 · 86 岁`);
      await page.getByTestId('reg-name').fill(NAME);
      // The village worker's own community is preselected (village level).
      expect(await page.getByTestId('register-form').innerText()).toContain('东关社区');
      await choose(page, 'reg-living', '独居');
      await page.getByTestId('reg-add-category').click();
      await choose(page, 'reg-category', '空巢');

      const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/elders') && r.request().method() === 'POST');
      await page.getByTestId('reg-submit').click();
      const res = await created;
      expect(res.status()).toBe(200);
      elderId = ((await res.json()) as { id: string }).id;

      // The new record opens in the detail drawer.
      await expect.poll(() => page.getByTestId('elder-detail-name').textContent()).toBe(NAME);
      await page.getByTestId('elder-tab-categories').click();
      await expect.poll(() => page.getByTestId('category-table').innerText()).toContain('空巢');
      await page.getByTestId('elder-tab-assessments').click();
      await page.getByTestId('assessment-add').waitFor();
      await page.locator('.ant-drawer-open .ant-drawer-close').click();

      // Registering the same number again is refused.
      await page.getByTestId('register-open').click();
      await page.getByTestId('reg-idnumber').fill(ID_NUMBER);
      await page.getByTestId('reg-name').fill(NAME);
      await page.getByTestId('reg-submit').click();
      await expect.poll(() => page.getByTestId('reg-dup-id').innerText()).toContain('该身份证号已登记');
      await page
        .getByTestId('register-drawer')
        .getByRole('button', { name: /取\s*消/ })
        .click();

      // Due for a first assessment: in 从未评估 and in 80岁以上无有效评估.
      await showDue(page, 'never');
      await expect.poll(() => page.getByTestId('due-table').innerText()).toContain(NAME);
      await showDue(page, 'no_valid_80');
      await expect.poll(() => page.getByTestId('due-table').innerText()).toContain(NAME);
    } finally {
      await ctx.close();
    }

    // The township sees the elder in the same lists; another township does not see the elder at all.
    const yushan = await signedIn('yushan');
    try {
      expect(await dueIds(yushan.page, 'never')).toContain(elderId);
      expect(await dueIds(yushan.page, 'no_valid_80')).toContain(elderId);
    } finally {
      await yushan.ctx.close();
    }
  });

  it('runs a GB/T 42195-2022 assessment on a tablet to level 2 and takes the elder off the due list', async () => {
    expect(elderId).not.toBe('');
    const { ctx, page } = await signedIn('village', { width: 1024, height: 768 });
    try {
      await showDue(page, 'never');
      await page.getByTestId('due-table').locator('tr', { hasText: NAME }).getByTestId('due-assess').click();
      await page.getByTestId('basic-step').waitFor();
      await expect.poll(() => page.getByTestId('assess-elder').innerText()).toContain(NAME);
      expect(await page.getByTestId('assess-assessors').innerText()).toContain('赵丽（东关社区）');

      // B.1 … B.4: the best option everywhere except B.1.1–B.1.5 at 0 points: 90 − 20 = 70.
      for (let d = 1; d <= 4; d++) {
        await page.getByTestId('assess-next').click();
        await page.getByTestId(`dimension-B.${d}`).waitFor();
        const items = await page.locator(`[data-testid^="item-B.${d}."]`).evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice(5)));
        expect(items.length).toBeGreaterThan(0);
        for (const item of items) {
          const low = d === 1 && ['B.1.1', 'B.1.2', 'B.1.3', 'B.1.4', 'B.1.5'].includes(item);
          await (low ? page.getByTestId(`opt-${item}-0`) : page.locator(`[data-testid^="opt-${item}-"]`).first()).click();
        }
      }
      // Every item answered: the live panel scores 70 → preliminary level 1, no rule yet.
      await expect.poll(() => page.getByTestId('score-total').first().innerText()).toContain('70 / 90');
      await expect.poll(() => page.getByTestId('score-final').first().getAttribute('data-level')).toBe('1');

      // Annex A: two falls in 30 days raise the level by one (R3).
      await page.getByTestId('assess-next').click();
      await page.getByTestId('annex-step').waitFor();
      await page.getByTestId('risk-fall').getByText('2次', { exact: true }).click();
      await expect.poll(() => page.getByTestId('score-final').first().getAttribute('data-level')).toBe('2');
      expect(await page.getByTestId('score-rules').first().innerText()).toContain('R3');

      await page.getByTestId('assess-next').click();
      await page.getByTestId('review-step').waitFor();
      await expect.poll(() => page.getByTestId('assess-submit').isEnabled()).toBe(true);
      await page.getByTestId('assess-submit').click();
      const final = page.getByTestId('assess-final-level');
      await final.waitFor();
      expect(await final.getAttribute('data-level')).toBe('2');
      expect(await final.innerText()).toContain('能力中度受损（中度失能）');
      expect(await page.getByTestId('assess-print').getAttribute('href')).toMatch(/^\/api\/v1\/assessments\/[0-9a-f-]{36}\/report\.pdf$/);
      await page.getByTestId('assess-close').click();
      await page.getByTestId('assess-form').waitFor({ state: 'hidden' });

      // Off the due lists, and the roster shows the level.
      await showDue(page, 'never');
      await expect.poll(() => page.getByTestId('due-table').innerText()).not.toContain(NAME);
      await searchRoster(page, NAME);
      await expect.poll(() => page.getByTestId('elder-ability').first().getAttribute('data-level')).toBe('2');
      expect(await page.getByTestId('elders-table').innerText()).toContain('2级 · 能力中度受损（中度失能）');
    } finally {
      await ctx.close();
    }

    const yushan = await signedIn('yushan');
    try {
      for (const kind of DUE_KINDS) expect(await dueIds(yushan.page, kind)).not.toContain(elderId);
      await searchRoster(yushan.page, NAME);
      await expect.poll(() => yushan.page.getByTestId('elder-ability').first().getAttribute('data-level')).toBe('2');
      const { status, body } = await apiGet(yushan.page, `/api/v1/elders/${elderId}/assessments`);
      expect(status).toBe(200);
      expect((body as { items: { finalLevel: number; total: number }[] }).items.map((a) => [a.finalLevel, a.total])).toEqual([[2, 70]]);
    } finally {
      await yushan.ctx.close();
    }
  });

  it('never shows the elder to another township', async () => {
    expect(elderId).not.toBe('');
    const { ctx, page } = await signedIn('donge');
    try {
      expect((await apiGet(page, `/api/v1/elders/${elderId}`)).status).toBe(404);
      expect((await apiGet(page, `/api/v1/elders/${elderId}/assessments`)).status).toBe(404);
      for (const kind of DUE_KINDS) expect(await dueIds(page, kind)).not.toContain(elderId);
      await searchRoster(page, NAME);
      await expect.poll(() => page.locator('[data-testid=elders-table] .ant-table-placeholder').count()).toBe(1);
      expect(await page.getByTestId('elders-table').innerText()).not.toContain(NAME);
      await showDue(page, 'no_valid_80');
      expect(await page.getByTestId('due-table').innerText()).not.toContain(NAME);
    } finally {
      await ctx.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
