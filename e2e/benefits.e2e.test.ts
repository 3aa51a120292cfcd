/**
 * Browser test of the monthly benefits run: a county admin previews a month and computes it;
 * the township (榆山街道) confirms its lines; a second county admin cannot approve while other
 * townships are unconfirmed (409 naming them); the first admin confirms the rest on their behalf
 * and may not approve his own run (403); the second admin approves, and the bank file downloads
 * as a real Excel workbook with the bank's columns.
 *
 * Works before and after the demo county has benefit policies: when none exist the sample
 * policy sets are created, published and Shicheng's made active through the API first.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS, { cellText, type CellValue } from '../server/src/kernel/excel.js';
import { DEMO_PASSWORD } from '../server/src/demo/generate.js';
import { SAMPLE_SETS } from '../server/src/modules/benefits/samples.js';
import { confirmDialog, startStack, WAIT, type Stack } from './support.js';

const YUSHAN = '370124001000';
/** Polls without a tight deadline: the machine may be busy (never fail on timing). */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: WAIT, interval: 200 });

let stack: Stack;
let browser: Browser;
let base: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  stack = await startStack();
  ({ browser, base } = stack);
}, 180_000);

afterAll(async () => {
  await stack?.close();
}, 60_000);

async function signedIn(username: string): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
  ctx.setDefaultTimeout(WAIT);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${base}/m/benefits?tab=runs`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('header-user-name').waitFor();
  await page.getByTestId('benefits-page').waitFor();
  return { ctx, page };
}

/** A call from the page with its session (and CSRF token on writes): `{ status, body }`. */
async function call<T = { id: string }>(page: Page, method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> {
  return page.evaluate(
    async ({ method, url, body }) => {
      const me = await (await fetch('/api/v1/auth/me')).json();
      const r = await fetch(url, {
        method,
        headers: body === undefined ? { 'x-csrf-token': me.csrfToken } : { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await r.text();
      return { status: r.status, body: text ? JSON.parse(text) : null };
    },
    { method, url, body },
  );
}

/** The sample policy sets, published, Shicheng's active — unless the county has policies already. */
async function ensurePolicies(page: Page) {
  const list = await call<{ items: { active: boolean; status: string }[] }>(page, 'GET', '/api/v1/benefits/policies');
  expect(list.status).toBe(200);
  if (list.body.items.some((p) => p.active && p.status === 'published')) return;
  for (const s of SAMPLE_SETS) {
    const made = await call(page, 'POST', '/api/v1/benefits/policies', { ...s, effectiveFrom: '2020-01-01' });
    expect(made.status).toBe(200);
    expect((await call(page, 'POST', `/api/v1/benefits/policies/${made.body.id}/publish`)).status).toBe(200);
    if (s.policyKey === 'shicheng') expect((await call(page, 'POST', `/api/v1/benefits/policies/${made.body.id}/activate`)).status).toBe(200);
  }
}

async function openRun(page: Page, month: string) {
  await page.getByTestId(`run-row-${month}`).getByTestId('run-open').click();
  await page.getByTestId('run-panel').waitFor();
}

const pad = (n: number) => String(n).padStart(2, '0');

describe('benefit policies', () => {
  it('are read by a village worker and edited by the county admin: a new version, a server validation error in place, publish', async () => {
    const admin = await signedIn('admin');
    const a = admin.page;
    await ensurePolicies(a);
    await a.getByTestId('benefits-tab-policies').click();
    const v1 = a.locator('[data-testid^=policy-row-beijing-]').first(); // the highest version
    const version = Number((await v1.getAttribute('data-testid'))!.split('-').at(-1));
    await v1.getByTestId('policy-save-as').click();
    const editor = a.getByTestId('policy-editor');
    await editor.waitFor();
    await poll(() => editor.innerText()).toContain(`beijing 第${version + 1}版`);
    // A duplicate benefit code passes the browser's checks; the server's answer is shown on the field and under the form.
    const code = a.locator('#benefits_1_code');
    const original = await code.inputValue();
    await code.fill(await a.locator('#benefits_0_code').inputValue());
    await a.getByTestId('policy-save').click();
    await poll(() => a.getByTestId('benefits-error').innerText()).toContain('补贴代码重复');
    expect(await a.getByTestId('benefits-error').innerText()).toContain('补贴项目2');
    expect(await editor.locator('.ant-form-item-explain-error').first().innerText()).toContain('补贴代码重复');
    await code.fill(original);
    await a.getByTestId('tier-amount-0-0').fill('350');
    await a.getByTestId('policy-save').click();
    await editor.waitFor({ state: 'detached' });
    const v2 = a.getByTestId(`policy-row-beijing-${version + 1}`);
    await poll(() => v2.innerText()).toContain('草稿');
    await v2.getByTestId('policy-publish').click();
    await confirmDialog(a);
    await poll(() => v2.innerText()).toContain('已发布');
    await v2.getByTestId('policy-view').click();
    await poll(() => a.getByTestId('rules-view').innerText()).toContain('¥350.00');
    await a.keyboard.press('Escape');

    // A new policy set of its own key, started from a copy of the active set's rules.
    await a.getByTestId('policy-new-set').click();
    await a.getByTestId('policy-new-key').fill('Bad Key');
    await a.getByRole('button', { name: /确\s*定|OK/ }).click();
    await poll(() => a.locator('.ant-modal .ant-form-item-explain-error').first().innerText()).toContain('小写字母');
    await a.getByTestId('policy-new-key').fill('county_2027');
    await a.getByTestId('policy-new-name').fill('本县2027年标准');
    await a.getByRole('button', { name: /确\s*定|OK/ }).click();
    await poll(() => a.getByTestId('policy-editor').innerText()).toContain('county_2027 第1版');
    await a.getByTestId('policy-save').click();
    await a.getByTestId('policy-editor').waitFor({ state: 'detached' });
    await poll(() => a.getByTestId('policy-row-county_2027-1').innerText()).toContain('草稿');
    await admin.ctx.close();

    // The village worker reads the service list; runs are not his.
    const village = await signedIn('village');
    await village.page.getByTestId('benefits-tab-list').click();
    await poll(() => village.page.locator('[data-testid=service-list-table] tbody tr.ant-table-row').count()).toBeGreaterThan(0);
    expect(await village.page.getByTestId('benefits-tab-runs').count()).toBe(0);
    const [pdf] = await Promise.all([village.page.waitForEvent('download'), village.page.getByTestId('service-list-pdf').click()]);
    expect(pdf.suggestedFilename()).toMatch(/基本养老服务清单\.pdf$/);
    const pdfPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'yl-list-')), 'list.pdf');
    await pdf.saveAs(pdfPath);
    expect(fs.readFileSync(pdfPath).subarray(0, 5).toString()).toBe('%PDF-');
    await village.ctx.close();
  }, 120_000);
});

describe('monthly benefits run', () => {
  it('is previewed and computed by one admin, confirmed by the townships, approved by another admin, and paid by bank file', async () => {
    const admin = await signedIn('admin');
    const a = admin.page;
    await ensurePolicies(a);

    // A month without a run: this one, else the next.
    const runs = (await call<{ items: { month: string }[] }>(a, 'GET', '/api/v1/benefits/runs')).body.items;
    const now = new Date();
    let month = `${now.getFullYear()}-${pad(now.getMonth() + 1)}`;
    if (runs.some((r) => r.month.startsWith(month))) {
      const next = new Date(now.getFullYear(), now.getMonth() + 1, 1);
      month = `${next.getFullYear()}-${pad(next.getMonth() + 1)}`;
    }
    const picker = a.getByTestId('run-wizard').locator('.ant-picker input');
    if ((await picker.inputValue()) !== month) {
      await picker.click();
      await picker.fill(month);
      await picker.press('Enter');
      await poll(() => picker.inputValue()).toBe(month);
    }

    // Preview: totals, by township, by benefit, changes against last month.
    await a.getByTestId('run-preview-btn').click();
    await a.getByTestId('run-preview').waitFor();
    const townshipRows = a.locator('[data-testid=preview-townships] tbody tr.ant-table-row');
    await poll(() => townshipRows.count()).toBeGreaterThan(0);
    expect(await a.getByTestId('preview-benefits').innerText()).toContain('高龄津贴');
    expect(await a.getByTestId('change-count-added').innerText()).toMatch(/新增 [\d,]+/);

    // Compute: the progress is polled until the run is computed.
    await a.getByTestId('run-compute').click();
    await confirmDialog(a);
    const panel = a.getByTestId('run-panel');
    await panel.waitFor();
    await expect.poll(() => panel.getAttribute('data-status'), { timeout: 120_000 }).toBe('computed');
    expect(await a.getByTestId('run-total').innerText()).toMatch(/¥[\d,]+\.\d\d/);
    const withLines = await a
      .locator('[data-testid=run-townships] tr[data-review=pending]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.replace('township-', '')));
    expect(withLines).toContain(YUSHAN);

    // 榆山街道 confirms its own lines (and sees only its own township).
    const ys = await signedIn('yushan');
    await openRun(ys.page, month);
    await poll(() => ys.page.locator('[data-testid=run-townships] tbody tr.ant-table-row').count()).toBe(1);
    await ys.page.getByTestId(`township-confirm-${YUSHAN}`).click();
    await poll(() => ys.page.getByTestId(`township-${YUSHAN}`).getAttribute('data-review')).toBe('confirmed');
    // The drawer explains a line.
    await ys.page.locator('[data-testid=lines-table] [data-testid=line-open]').first().click();
    await poll(() => ys.page.getByTestId('line-explanation').innerText()).toContain('依据《');
    // The elder's drawer lists the lines with their explanation (an elder whose name is unique, to find him).
    const name = await ys.page.evaluate(async (m) => {
      const run = (await (await fetch('/api/v1/benefits/runs')).json()).items.find((r: { month: string }) => r.month.startsWith(m));
      const lines = (await (await fetch(`/api/v1/benefits/runs/${run.id}/lines?pageSize=30`)).json()).items as { elderId: string }[];
      for (const l of lines) {
        const e = await (await fetch(`/api/v1/elders/${l.elderId}`)).json();
        const same = await (await fetch(`/api/v1/elders?q=${encodeURIComponent(e.name)}`)).json();
        if (same.total === 1) return e.name as string;
      }
      return null;
    }, month);
    expect(name).toBeTruthy();
    await ys.page.goto(`${base}/m/elders`);
    await ys.page.getByTestId('filter-q').fill(name!);
    await ys.page.getByTestId('elders-search').click();
    await ys.page.getByTestId('elder-name').filter({ hasText: name! }).click();
    await ys.page.getByTestId('elder-tab-benefits').click();
    await poll(() => ys.page.getByTestId('elder-benefits').innerText()).toContain(`${month} `);
    expect(await ys.page.getByTestId('elder-benefits').innerText()).toContain('依据《');
    await ys.ctx.close();

    // The second admin cannot approve while other townships are unconfirmed.
    const second = await signedIn('admin2');
    const b = second.page;
    await openRun(b, month);
    const others = withLines.filter((c) => c !== YUSHAN);
    if (others.length) {
      await b.getByTestId('run-approve').click();
      await confirmDialog(b);
      await poll(() => b.getByTestId('benefits-error').innerText()).toContain('以下乡镇（街道）尚未确认');
    }

    // The computing admin confirms the other townships on their behalf, but may not approve.
    await a.reload();
    await a.getByTestId('benefits-page').waitFor();
    await openRun(a, month);
    for (const code of others) {
      await a.getByTestId(`township-confirm-${code}`).click();
      await poll(() => a.getByTestId(`township-${code}`).getAttribute('data-review')).toBe('confirmed');
    }
    await a.getByTestId('run-approve').click();
    await confirmDialog(a);
    await poll(() => a.getByTestId('benefits-error').innerText()).toContain('计算发放批次的人不能审批同一批次');
    await admin.ctx.close();

    // The second admin approves; the bank files appear.
    await b.reload();
    await b.getByTestId('benefits-page').waitFor();
    await openRun(b, month);
    await b.getByTestId('run-approve').click();
    await confirmDialog(b);
    await poll(() => b.getByTestId('run-panel').getAttribute('data-status')).toBe('approved');
    await b.getByTestId('run-banks').waitFor();
    // A bank's own file (an elder without an account is listed under NONE).
    const banks = await b
      .locator('[data-testid=run-banks] tbody [data-testid^=bank-xlsx-]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!));
    const xlsx = b.getByTestId(banks.find((id) => id !== 'bank-xlsx-NONE') ?? banks[0]!);
    const [download] = await Promise.all([b.waitForEvent('download'), xlsx.click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^养老补贴代发_${month}_[A-Z0-9]+\\.xlsx$`));
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'yl-bank-')), 'bank.xlsx');
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(1).values as CellValue[]).slice(1).map(cellText);
    expect(header).toContain('身份证号');
    expect(header).toContain('金额（元）');
    expect(ws.rowCount).toBeGreaterThan(1);

    // The bank's result: the same rows with 结果 filled (one failure), uploaded back.
    const back = new ExcelJS.Workbook();
    const out = back.addWorksheet('回盘');
    out.addRow([...header, '结果', '失败原因', '银行流水号']);
    let data = 0;
    for (let r = 2; r <= ws.rowCount; r++) {
      const v = (ws.getRow(r).values as CellValue[]).slice(1).map(cellText);
      if (!v[0]) break; // the blank row before 合计
      while (v.length < header.length) v.push('');
      out.addRow([...v, data === 0 ? '失败' : '成功', data === 0 ? '账户已销户' : '', data === 0 ? '' : `BK${r}`]);
      data += 1;
    }
    const resultFile = path.join(path.dirname(file), 'result.xlsx');
    await back.xlsx.writeFile(resultFile);
    await b.locator('[data-testid=run-banks] input[type=file]').setInputFiles(resultFile);
    await poll(() => b.locator('.ant-message').innerText()).toContain(`成功 ${data - 1} 笔，失败 1 笔`);
    await second.ctx.close();

    expect(pageErrors).toEqual([]);
  }, 300_000);
});
