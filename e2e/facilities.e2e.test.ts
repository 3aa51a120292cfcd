/**
 * Admission to a public home, end to end: a village worker files an application for a 特困 elder
 * willing to live in care; the county admin sees her on the county centre's waiting list,
 * ranked with the reason, offers her a bed, records the acceptance, and the bed shows occupied.
 */
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../server/src/kernel/db.js';
import { countyToday } from '../server/src/kernel/dates.js';
import { makeIdNumber } from '../server/src/kernel/idnumber.js';
import { signIn, startStack, WAIT, type Stack } from './support.js';

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

describe('facilities and admissions', () => {
  it('a village worker applies, the county admin sees the rank and reason, offers, and the accepted elder occupies a bed', async () => {
    const village = '370124001001';
    const today = countyToday();
    const elder = await stack.db.root.one<{
      id: string;
    }>(sql`insert into elders (county_code, region_code, id_number, name, name_pinyin, name_initials, sex, birth_date)
      values ('370124', ${village}, ${makeIdNumber('370124', '1941-04-04', 995)}, '轮候甲老', 'lunhoujialao', 'lhjl', 'F', '1941-04-04') returning id::text as id`);
    await stack.db.root.exec(sql`insert into elder_categories (elder_id, county_code, region_code, category, valid_from)
      values (${elder!.id}, '370124', ${village}, 'tekun_dispersed', '2020-01-01'), (${elder!.id}, '370124', ${village}, 'willing_centralized', '2024-01-01')`);
    await stack.db.root.exec(sql`insert into assessments (elder_id, county_code, region_code, standard, reason, reference_date, answers, preliminary_level,
        final_level, level_name, valid_until)
      values (${elder!.id}, '370124', ${village}, 'GB/T 42195-2022', 'first', ${today}, '{}', 2, 2, '能力中度受损（中度失能）', '2099-01-01')`);
    const home = await stack.db.root.one<{ id: string }>(sql`select id::text as id from facilities where kind = 'county_center'`);

    // The village worker files the application.
    const worker = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    worker.setDefaultTimeout(WAIT);
    const wp = await worker.newPage();
    await signIn(wp, base, 'village');
    await wp.goto(`${base}/m/facilities?tab=admissions`);
    await wp.getByTestId('rule-info').waitFor();
    await wp.getByTestId('apply-open').click();
    await wp.getByTestId('apply-elder').click();
    await wp.getByTestId('apply-elder').locator('input').fill('轮候甲老');
    await wp.locator('.ant-select-item-option').filter({ hasText: '轮候甲老' }).click();
    await wp.getByTestId('apply-home').click();
    await wp.locator('.ant-select-item-option').filter({ hasText: '平阴县综合养老服务中心' }).click();
    await wp.locator('.ant-modal .ant-btn-primary').click();
    await expect
      .poll(async () => (await stack.db.root.one<{ n: number }>(sql`select count(*)::int as n from admission_applications where elder_id = ${elder!.id}`))!.n)
      .toBe(1);
    const app = await stack.db.root.one<{
      id: string;
      facility_id: string;
      applicant: string;
    }>(sql`select id::text as id, facility_id::text as facility_id, applicant
      from admission_applications where elder_id = ${elder!.id}`);
    expect(app).toMatchObject({ facility_id: home!.id, applicant: 'village_worker' });
    await worker.close();

    // The county admin sees her ranked, with the reason, offers a bed and records the acceptance.
    const admin = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    admin.setDefaultTimeout(WAIT);
    const ap = await admin.newPage();
    await signIn(ap, base, 'admin');
    await ap.goto(`${base}/m/facilities?tab=admissions`);
    const row = ap.getByTestId(`queue-row-${app!.id}`);
    await row.waitFor();
    expect(await row.getByTestId('queue-name').textContent()).toBe('轮候甲老');
    expect(Number(await row.getByTestId('queue-rank').textContent())).toBeGreaterThanOrEqual(1);
    await expect.poll(() => row.getByTestId('queue-reason').textContent()).toContain('第1优先：有集中供养意愿的特困人员');
    await row.getByTestId('offer-make').click();
    await row.getByTestId('offer-accept').click();
    await expect
      .poll(
        async () =>
          (await stack.db.root.one<{ n: number }>(sql`select count(*)::int as n from facility_residents where elder_id = ${elder!.id} and move_out is null`))!
            .n,
      )
      .toBe(1);
    await row.waitFor({ state: 'detached' });

    // The bed shows occupied, with her name.
    const bed = await stack.db.root.one<{ bed_id: string }>(sql`select bed_id::text as bed_id from facility_residents where elder_id = ${elder!.id}`);
    await ap.getByText('床位（按房间）').first().click();
    const tag = ap.getByTestId(`bed-${bed!.bed_id}`);
    await tag.waitFor();
    expect(await tag.getAttribute('data-status')).toBe('occupied');
    expect(await tag.textContent()).toContain('轮候甲老');
    await admin.close();
  });

  it('publishes each home’s waiting list to anyone, without signing in, names masked', async () => {
    const anon = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    anon.setDefaultTimeout(WAIT);
    const pp = await anon.newPage();
    await pp.goto(`${base}/public/waiting-lists/370124`);
    await pp.getByTestId('public-waiting-page').waitFor();
    await expect.poll(() => pp.locator('.ant-card').count()).toBeGreaterThan(0);
    const text = await pp.getByTestId('public-waiting-page').innerText();
    expect(text).toContain('敬老院');
    // Every applicant's name is masked (张*三 / 李*); no full name of a queued elder appears.
    const names = await pp.locator('.ant-table-tbody tr td:nth-child(2)').allInnerTexts();
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(n).toContain('*');
    expect(pp.url()).not.toContain('/login');
    await anon.close();
  });
});
