/**
 * Browser test of plan indicators: the county admin opens the Pingyin plan (made from its seed
 * template by the demo load), sees 养老机构护理型床位占比 against its 65% target, opens the
 * dashboard's charts and the big screen, and downloads the dashboard workbook and the annual
 * evaluation report as PDF and Excel — real files: PDF magic bytes, workbooks read by kernel/excel.ts.
 * Drills into the institutions behind 护理型床位占比 (the facilities module's records).
 */
import fs from 'node:fs';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from '../server/src/kernel/excel.js';
import { DEMO_PASSWORD } from '../server/src/demo/generate.js';
import { newContext, signIn, startStack, WAIT, type Stack } from './support.js';

let stack: Stack;
let browser: Browser;
let base: string;
const pageErrors: string[] = [];
const SHOTS = process.env.E2E_SHOTS ?? '/tmp/e2e-shots';

beforeAll(async () => {
  stack = await startStack();
  ({ browser, base } = stack);
}, 180_000);

afterAll(async () => {
  await stack?.close();
}, 60_000);

/** Clicks, waits for the download and returns its bytes and file name. */
async function downloadOf(page: Page, testId: string): Promise<{ bytes: Buffer; name: string }> {
  const [d] = await Promise.all([page.waitForEvent('download', { timeout: WAIT }), page.getByTestId(testId).click()]);
  const path = await d.path();
  return { bytes: fs.readFileSync(path!), name: d.suggestedFilename() };
}

async function sheetsOf(bytes: Buffer): Promise<string[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb.worksheets.map((w) => w.name);
}

describe('plan indicators in the browser', () => {
  it('lets the county admin follow the Pingyin plan against its targets and download the annual report', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
    ctx.setDefaultTimeout(WAIT);
    const page = await ctx.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await page.goto(`${base}/m/indicators`);
      await page.getByTestId('login-username').fill('admin');
      await page.getByTestId('login-password').fill(DEMO_PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('indicators-page').waitFor();
      await expect.poll(() => page.getByTestId('plan-select').innerText()).toContain('平阴县');

      // 护理型床位占比: binding, target ≥ 65%.
      const row = page.getByTestId('indicator-row-nursing_bed_share');
      await row.waitFor();
      const text = await row.innerText();
      expect(text).toContain('护理型床位占比');
      expect(text).toContain('≥ 65%');
      expect(text).toContain('约束性');
      // Computed live from the facilities: a value, and the institutions behind it.
      expect(text).toMatch(/\d+(\.\d)?%/);
      await page.getByTestId('drill-nursing_bed_share').click();
      await page.getByTestId('drill-drawer').waitFor();
      await page.getByTestId('drill-tab-denominator').click();
      const inst = page.getByTestId('drill-table-denominator');
      await expect.poll(() => inst.locator('tbody tr.ant-table-row').count()).toBeGreaterThan(0);
      const instText = await inst.innerText();
      expect(instText).toMatch(/敬老院|养老院|养老服务中心/);
      expect(instText).toMatch(/护理型 \d+ \/ 床位 \d+/);
      await page.keyboard.press('Escape');
      await page.getByTestId('drill-drawer').waitFor({ state: 'detached' });
      // A computed one shows its value and a status of the rule (met / on track / behind).
      const tekun = await page.getByTestId('indicator-row-willing_tekun_centralized_rate').innerText();
      expect(tekun).toMatch(/\d+(\.\d)?%/);
      expect(tekun).toMatch(/达标|按进度推进|滞后/);

      // Dashboard: completion, trend by month, township ranking.
      await page.getByTestId('tab-dashboard').click();
      await page.getByTestId('plan-dashboard').waitFor();
      for (const id of ['chart-completion', 'chart-trend', 'chart-townships']) await page.locator(`[data-testid=${id}] canvas`).first().waitFor();

      // Dashboard export: one workbook, indicators and townships.
      const dash = await downloadOf(page, 'dashboard-export');
      expect(dash.name).toMatch(/\.xlsx$/);
      expect(await sheetsOf(dash.bytes)).toEqual(['指标', '乡镇']);

      // Big screen: full window, dark, large figures; and back.
      await page.getByTestId('big-screen-open').click();
      const screen = page.getByTestId('big-screen');
      await screen.waitFor();
      expect(page.url()).toContain('screen=1');
      await expect.poll(() => page.getByTestId('big-screen-title').innerText()).toContain('平阴县');
      expect(Number(await page.getByTestId('screen-total').innerText())).toBe(19);
      const box = await screen.boundingBox();
      expect(box).toMatchObject({ x: 0, y: 0, width: 1440, height: 900 });
      await page.getByTestId('screen-card-nursing_bed_share').waitFor();
      await page.locator('[data-testid=screen-completion] canvas').first().waitFor();
      await page.getByTestId('big-screen-exit').click();
      await page.getByTestId('indicators-page').waitFor();

      // The annual evaluation report, PDF and Excel.
      await page.getByTestId('report-open').click();
      await page.getByTestId('report-dialog').waitFor();
      await page.getByTestId('report-kind-annual').click();
      const pdf = await downloadOf(page, 'report-pdf');
      expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdf.name).toContain('年度评价报告');
      // Word beside PDF: evaluation reports are edited before they are sent.
      const docx = await downloadOf(page, 'report-docx');
      expect(docx.bytes.subarray(0, 2).toString()).toBe('PK');
      expect(docx.name).toMatch(/年度评价报告\.docx$/);
      expect(docx.name).not.toContain('年度年度');
      const xlsx = await downloadOf(page, 'report-xlsx');
      expect(await sheetsOf(xlsx.bytes)).toEqual(['指标', '乡镇']);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
      const names: string[] = [];
      wb.getWorksheet('指标')!.eachRow((r) => names.push(String(r.getCell(2).value ?? '')));
      expect(names).toContain('养老机构护理型床位占比');
      expect(pageErrors).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  it("titles a township user's big screen by the township whose figures it shows", async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await page.goto(`${base}/m/indicators`);
      await signIn(page, base, 'donge', { goto: false, waitFor: 'indicators-page' });
      await page.getByTestId('big-screen-open').click();
      await page.getByTestId('big-screen').waitFor();
      await expect.poll(() => page.getByTestId('big-screen-title').innerText()).toContain('东阿镇');
      const title = await page.getByTestId('big-screen-title').innerText();
      expect(title.split('\n')[0]).not.toContain('平阴县');
      fs.mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: `${SHOTS}/big-screen-donge.png` });
      expect(pageErrors).toEqual([]);
    } finally {
      await ctx.close();
    }
  });
});
