/**
 * Lists read on a desk screen (issue 20 items 12, 14, 15, 22): at 1280 and 1440 px no column
 * collapses to one character per line (the 待评估 list's “GB/T 42195”, order numbers, the
 * admissions queue's names), the queue says 姓名, the run panel does not offer the elders
 * without a bank account as a downloadable bank and writes counts with separators, and a
 * caregiver's menu holds no module still being built. Screenshots go to E2E_SHOTS when set.
 */
import { type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newContext, signIn, startStack, type Stack } from './support.js';

let stack: Stack;
let browser: Browser;
let base: string;

beforeAll(async () => {
  stack = await startStack();
  ({ browser, base } = stack);
}, 180_000);

afterAll(async () => {
  await stack?.close();
}, 60_000);

const shot = async (page: Page, name: string) => {
  if (process.env.E2E_SHOTS) await page.screenshot({ path: `${process.env.E2E_SHOTS}/${name}.png`, fullPage: true });
};

/** Heights (px) of the elements: one line of the table's text is about 22 px. */
const heights = (l: Locator) => l.evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().height)));

async function desk(user: string, width: number): Promise<Page> {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await page.setViewportSize({ width, height: 900 });
  await signIn(page, base, user, { waitFor: 'header-user-name' });
  return page;
}

describe('tables at desk widths', () => {
  for (const width of [1280, 1440]) {
    it(`keeps the 待评估 list, the order list and the admissions queue one line per cell at ${width} px`, async () => {
      const page = await desk('admin', width);
      try {
        await page.goto(`${base}/m/elders?tab=due`);
        const table = page.getByTestId('due-table');
        await table.locator('tbody tr.ant-table-row').first().waitFor();
        // Rows were ~200 px tall: the standard's name wrapped per character.
        const rows = await heights(table.locator('tbody tr.ant-table-row'));
        expect(rows.length).toBeGreaterThan(5);
        expect(Math.max(...rows)).toBeLessThan(70);
        const std = table.locator('tbody td', { hasText: 'GB/T 42195' }).first().getByText('GB/T 42195');
        expect((await heights(std))[0]).toBeLessThan(30);
        // The table scrolls inside its card rather than squeezing columns.
        const fits = await table.evaluate((t) => t.getBoundingClientRect().right <= document.documentElement.clientWidth);
        expect(fits).toBe(true);
        await shot(page, `due-${width}`);

        await page.goto(`${base}/m/services`);
        const nos = page.getByTestId('order-no');
        await nos.first().waitFor();
        expect(Math.max(...(await heights(nos)))).toBeLessThan(30);
        expect(await nos.first().innerText()).toMatch(/^FW\d+$/);
        await shot(page, `orders-${width}`);

        await page.goto(`${base}/m/facilities?tab=admissions`);
        await page.getByTestId('home-select').click();
        await page.locator('.ant-select-item-option').first().click();
        const names = page.getByTestId('queue-name');
        await names.first().waitFor();
        expect(Math.max(...(await heights(names)))).toBeLessThan(30);
        const header = await page.locator('.ant-table-thead').first().innerText();
        expect(header).toContain('姓名');
        expect(header).not.toContain('名称');
        // The rule in force is named as officials know it, not “第 0 版（2000-01-01 起）”.
        expect(await page.getByTestId('rule-info').innerText()).not.toContain('第 0 版');
        await shot(page, `admissions-${width}`);
      } finally {
        await page.context().close();
      }
    });
  }

  it('shows the elders without a bank account as such, not as a bank, and counts with separators', async () => {
    const page = await desk('admin', 1280);
    try {
      await page.goto(`${base}/m/benefits?tab=runs`);
      await page.locator('[data-testid^=run-row-]').first().getByTestId('run-open').click();
      const panel = page.getByTestId('run-panel');
      await panel.getByTestId('run-banks').waitFor();
      // 代发笔数 is the run's payments, as many as the bank files hold (it read 0 beside them).
      const files = await panel.locator('[data-testid=run-banks] tbody tr.ant-table-row td:nth-child(2)').allInnerTexts();
      const inFiles = files.reduce((a, x) => a + Number(x.replaceAll(',', '')), 0);
      expect(inFiles).toBeGreaterThan(0);
      const shown = await panel.getByTestId('run-payments').locator('.ant-statistic-content-value').innerText();
      expect(Number(shown.replaceAll(',', ''))).toBe(inFiles);
      expect(shown).toMatch(/^\d{1,3}(,\d{3})*$/);
      const banks = await panel.getByTestId('run-banks').innerText();
      expect(banks).not.toContain('NONE');
      if (await panel.getByTestId('bank-none').count()) {
        expect(await panel.getByTestId('bank-none').innerText()).toContain('未登记银行账户');
        expect(await panel.getByTestId('bank-xlsx-NONE').count()).toBe(0);
      }
      // Money with separators and two decimals everywhere in the panel.
      expect(await panel.getByTestId('run-total').locator('.ant-statistic-content-value').innerText()).toMatch(/^¥\d{1,3}(,\d{3})*\.\d{2}$/);
      await shot(page, 'run-panel-1280');
    } finally {
      await page.context().close();
    }
  });

  it('gives a caregiver a menu without modules still being built', async () => {
    const page = await desk('caregiver', 1280);
    try {
      const menu = page.getByTestId('side-menu');
      await menu.locator('[data-status]').first().waitFor();
      expect(await menu.innerText()).not.toContain('建设中');
      expect(await menu.locator('[data-status=planned]').count()).toBe(0);
    } finally {
      await page.context().close();
    }
  });
});
