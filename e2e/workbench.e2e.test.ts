/**
 * Browser tests of what a township user sees in their scope: the benefit run panel shows 东阿镇's
 * own figures, not the county's (issue 20 item 11, screenshot); the 工作台 work list's counts link
 * to the lists they come from, already filtered (item 23).
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newContext, signIn, startStack, type Stack } from './support.js';

let stack: Stack;
const SHOTS = process.env.E2E_SHOTS ?? '/tmp/e2e-shots';
const pageErrors: string[] = [];

beforeAll(async () => {
  stack = await startStack();
  fs.mkdirSync(SHOTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await stack?.close();
}, 60_000);

const apiGet = <T>(page: Page, url: string) => page.evaluate(async (u) => (await (await fetch(u)).json()) as unknown, url) as Promise<T>;
const digits = (s: string) => s.replace(/\D/g, '');

describe('a township user sees figures of their own township', () => {
  it("东阿镇's run panel and run list show 东阿镇's lines and total, not the county's", async () => {
    const ctx = await newContext(stack.browser, { downloads: false });
    const page = await ctx.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await page.goto(`${stack.base}/m/benefits?tab=runs`);
      await signIn(page, stack.base, 'donge', { goto: false, waitFor: 'benefits-page' });
      const runs = await apiGet<{ items: { id: string; month: string; summary: { lines: number; totalCents: number } }[] }>(page, '/api/v1/benefits/runs');
      const run = runs.items.find((r) => r.summary?.lines != null)!;
      const detail = await apiGet<{ townships: { name: string; lines: number; totalCents: number }[] }>(page, `/api/v1/benefits/runs/${run.id}`);
      expect(detail.townships.map((x) => x.name)).toEqual(['东阿镇']);
      const own = detail.townships[0]!;
      // The run list's totals are the township's (the demo runs have no back-pay, so all lines are regular).
      expect(run.summary).toMatchObject({ lines: own.lines, totalCents: own.totalCents });
      const row = page.getByTestId(`run-row-${run.month.slice(0, 7)}`);
      await row.waitFor();
      expect(digits(await row.innerText())).toContain(digits((own.totalCents / 100).toFixed(2)));
      await row.getByTestId('run-open').click();
      await page.getByTestId('run-panel').waitFor();
      const total = await page.getByTestId('run-total').innerText();
      expect(digits(total)).toBe(digits((own.totalCents / 100).toFixed(2)));
      expect(await page.getByTestId('run-panel').innerText()).toContain(own.lines.toLocaleString('en-US'));
      await page.screenshot({ path: `${SHOTS}/run-panel-donge.png`, fullPage: true });
      expect(pageErrors).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  it('the 工作台 counts link to the filtered lists', async () => {
    const ctx = await newContext(stack.browser);
    const page = await ctx.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await signIn(page, stack.base, 'donge', { waitFor: 'work-list' });
      const link = page.getByTestId('work-assessments_overdue');
      await link.waitFor();
      const count = Number(await link.getAttribute('data-count'));
      expect(count).toBeGreaterThan(0);
      // The township's neighbour does not count: the figure is the list's own total in 东阿镇.
      await page.screenshot({ path: `${SHOTS}/workbench-donge.png`, fullPage: true });
      await link.click();
      await page.waitForURL(/\/m\/elders\?tab=due&kind=overdue/);
      await page.getByTestId('due-table').waitFor();
      await expect.poll(async () => digits(await page.getByTestId('due-total').innerText())).toBe(String(count));
      expect(await page.locator('[data-testid=due-kinds] .ant-segmented-item-selected').innerText()).toContain('逾期');
      // Open complaints land on the complaints tab, filtered.
      await page.goBack();
      await page.getByTestId('work-complaints_open').click();
      await page.waitForURL(/\/m\/services\?tab=complaints&status=open/);
      await page.locator('.ant-tabs-tab-active').filter({ hasText: '投诉' }).waitFor();
      expect(pageErrors).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  it("the provider's 工作台 shows its orders to accept and links to them", async () => {
    const ctx = await newContext(stack.browser);
    const page = await ctx.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await signIn(page, stack.base, 'provider', { waitFor: 'work-list' });
      await page.getByTestId('work-orders_unaccepted').waitFor();
      await page.getByTestId('work-orders_late').click();
      await page.waitForURL(/\/m\/services\?overdue=late/);
      await page.locator('.ant-tabs-tab-active').filter({ hasText: '超时未服务' }).waitFor();
      expect(pageErrors).toEqual([]);
    } finally {
      await ctx.close();
    }
  });
});
