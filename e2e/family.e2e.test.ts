/**
 * A daughter gets an account from her father's contact record and sees him — and only him.
 * The village worker opens the account in the elder's drawer; the daughter signs in, changes
 * the initial password, and finds her father under 我的家人. An elder gets an account of their
 * own the same way and orders a service on the large-print phone page.
 */
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../server/src/kernel/db.js';
import { makeIdNumber } from '../server/src/kernel/idnumber.js';
import { DEMO_PASSWORD } from '../server/src/demo/generate.js';
import { countyToday } from '../server/src/kernel/dates.js';
import { changeInitialPassword, newContext, pickDate, signIn, startStack, WAIT, type Stack } from './support.js';

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

describe('family members', () => {
  it('a village worker opens an account for a daughter, who then sees only her father', async () => {
    const village = '370124001001';
    const father = await stack.db.root.one<{
      id: string;
    }>(sql`insert into elders (county_code, region_code, id_number, name, name_pinyin, name_initials, sex, birth_date)
      values ('370124', ${village}, ${makeIdNumber('370124', '1939-09-09', 997)}, '甲家父', 'jiajiafu', 'jjf', 'M', '1939-09-09') returning id::text as id`);
    const contact = await stack.db.root.one<{ id: string }>(sql`insert into elder_contacts (elder_id, county_code, region_code, name, relation, phone)
      values (${father!.id}, '370124', ${village}, '甲家女', '女儿', '13700003333') returning id::text as id`);

    const staff = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    staff.setDefaultTimeout(WAIT);
    const sp = await staff.newPage();
    // Wait for the landing page: a navigation while the sign-in request is in flight cancels it.
    await signIn(sp, base, 'village', { password: DEMO_PASSWORD });
    await sp.goto(`${base}/m/elders`);
    await sp.getByTestId('filter-q').fill('jjf');
    await sp.getByTestId('elders-search').click();
    await sp.getByTestId('elder-name').filter({ hasText: '甲家父' }).click();
    await sp.getByTestId(`family-open-${contact!.id}`).click();
    await sp.locator('.ant-modal #username').fill('jia_daughter');
    await sp.locator('.ant-modal #password').fill('Qiuyue2026');
    await sp.locator('.ant-modal .ant-btn-primary').click();
    await expect
      .poll(async () => (await stack.db.root.one<{ n: number }>(sql`select count(*)::int as n from users where username = 'jia_daughter'`))!.n)
      .toBe(1);
    await staff.close();

    const family = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    family.setDefaultTimeout(WAIT);
    const fp = await family.newPage();
    await signIn(fp, base, 'jia_daughter', { password: 'Qiuyue2026', waitFor: 'forced-password' });
    await changeInitialPassword(fp, 'Qiuyue2026', 'Meihua2026');
    await fp.goto(`${base}/m/family`);
    const card = fp.getByTestId(`family-elder-${father!.id}`);
    await card.waitFor();
    await expect.poll(() => card.textContent()).toContain('甲家父');
    expect(await fp.locator('[data-testid^=family-elder-]').count()).toBe(1);
    // The registry stays closed to her.
    const r = await fp.evaluate(async () => (await fetch('/api/v1/elders')).status);
    expect(r).toBe(403);
    await family.close();
  });

  it('a village worker opens an account for an elder, who orders bathing for himself on his phone', async () => {
    const village = '370124001001';
    const me = await stack.db.root.one<{
      id: string;
    }>(sql`insert into elders (county_code, region_code, id_number, name, name_pinyin, name_initials, sex, birth_date, phone, lat, lng)
      values ('370124', ${village}, ${makeIdNumber('370124', '1941-04-04', 993)}, '乙本人', 'yibenren', 'ybr', 'M', '1941-04-04', '13900004444', 36.27, 116.45)
      returning id::text as id`);

    const sp = await (await newContext(browser)).newPage();
    await signIn(sp, base, 'village');
    await sp.goto(`${base}/m/elders`);
    await sp.getByTestId('filter-q').fill('ybr');
    await sp.getByTestId('elders-search').click();
    await sp.getByTestId('elder-name').filter({ hasText: '乙' }).click();
    await sp.getByTestId('elder-account-open').click();
    await sp.locator('.ant-modal #username').fill('yi_self');
    await sp.locator('.ant-modal #password').fill('Qiuyue2026');
    await sp.locator('.ant-modal .ant-btn-primary').click();
    await expect
      .poll(async () => (await stack.db.root.one<{ n: number }>(sql`select count(*)::int as n from users where username = 'yi_self' and role = 'family'`))!.n)
      .toBe(1);
    // The drawer now lists the contact 本人 with its account, and no longer offers one.
    await sp.getByText('本人', { exact: true }).waitFor();
    expect(await sp.getByTestId('elder-account-open').count()).toBe(0);
    await sp.context().close();

    const fp = await (await newContext(browser, { phone: true })).newPage();
    await signIn(fp, base, 'yi_self', { password: 'Qiuyue2026', waitFor: 'forced-password' });
    await changeInitialPassword(fp, 'Qiuyue2026', 'Yiself2026');
    await fp.goto(`${base}/m/services`);
    // His own page greets him by name; one button opens the order form.
    await expect.poll(() => fp.getByTestId('page-title').innerText()).toBe('乙本人，您好');
    await fp.getByTestId('elder-order').click();
    await fp.getByTestId('item-ZY01').click();
    await pickDate(fp.getByTestId('order-date'), countyToday());
    await fp.getByTestId('order-time').selectOption('15:00');
    await fp.getByTestId('quote-copay').waitFor();
    await fp.getByTestId('order-submit').click();
    let no = '';
    await expect
      .poll(async () => {
        no =
          (
            await stack.db.root.one<{ no: string }>(
              sql`select no from service_orders where elder_id = ${me!.id} and item_code = 'ZY01' and status = 'pending' and channel = 'elder'`,
            )
          )?.no ?? '';
        return no;
      })
      .not.toBe('');
    // Back on his page, the order is among what he has booked.
    await fp.getByTestId(`elder-booked-${no}`).waitFor();
    await fp.context().close();
  });
});
