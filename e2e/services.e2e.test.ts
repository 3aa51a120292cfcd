/**
 * Home services end to end: a daughter orders bathing for her father on her phone; the
 * township dispatches it to 颐康; the provider accepts and assigns 周秀兰; the caregiver checks in
 * and out on a phone-sized viewport with the phone's location, adds a photo and the father's
 * confirmation; the father (on the family account) rates it; the county builds 颐康's month
 * statement and the provider finds the order paid in it.
 */
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../server/src/kernel/db.js';
import { countyToday } from '../server/src/kernel/dates.js';
import { newContext, pickDate, signIn, startStack, type Stack } from './support.js';

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

const one = async <T>(q: ReturnType<typeof sql>) => (await stack.db.root.one<T>(q))!;

describe('home services', () => {
  it('daughter orders bathing on her phone → dispatch → accept → caregiver checks in and out → father rates → provider statement shows it', async () => {
    const dad = await one<{ id: string; name: string; lat: number; lng: number }>(sql`select e.id::text as id, e.name, e.lat, e.lng
      from elders e join elder_contacts c on c.elder_id = e.id join users u on u.id = c.user_id where u.username = 'family'`);
    const today = countyToday();

    // 1. The daughter, on her phone.
    const fam = await newContext(browser, { phone: true });
    const fp = await fam.newPage();
    await signIn(fp, base, 'family');
    await fp.goto(`${base}/m/services`);
    await fp.getByTestId('item-ZY01').click();
    await pickDate(fp.getByTestId('order-date'), today);
    await fp.getByTestId('order-time').selectOption('10:00');
    await fp.getByTestId('quote-copay').waitFor();
    expect(await fp.getByTestId('order-quote').innerText()).toContain('¥80.00');
    await fp.getByTestId('order-submit').click();
    let order = { id: '', no: '' };
    await expect
      .poll(async () => {
        order = (await stack.db.root.one<{ id: string; no: string }>(sql`select id::text as id, no from service_orders
          where elder_id = ${dad.id} and item_code = 'ZY01' and service_date = ${today} and service_time = '10:00' and channel = 'family' and status = 'pending'`)) ?? {
          id: '',
          no: '',
        };
        return order.no;
      })
      .not.toBe('');
    await fp.getByTestId(`family-order-${order.no}`).waitFor();

    // 2. The township dispatches it to 颐康.
    const staff = await newContext(browser);
    const sp = await staff.newPage();
    await signIn(sp, base, 'yushan');
    await sp.goto(`${base}/m/services`);
    await sp.getByTestId('orders-q').fill(order.no);
    await sp.getByTestId('orders-search').click();
    await sp.getByTestId(`dispatch-${order.no}`).click();
    await sp.getByTestId('dispatch-to-平阴县颐康居家养老服务中心').click();
    await expect.poll(async () => (await one<{ status: string }>(sql`select status from service_orders where id = ${order.id}`)).status).toBe('dispatched');
    await staff.close();

    // 3. 颐康 accepts and assigns 周秀兰 (the caregiver account).
    const prov = await newContext(browser);
    const pp = await prov.newPage();
    await signIn(pp, base, 'provider');
    await pp.goto(`${base}/m/services`);
    await pp.getByTestId(`accept-${order.no}`).click();
    await pp.getByTestId('accept-caregiver').click();
    await pp.locator('.ant-select-item-option').filter({ hasText: '周秀兰' }).click();
    await pp.getByTestId('accept-ok').click();
    await expect
      .poll(async () => (await one<{ caregiver_name: string | null }>(sql`select caregiver_name from service_orders where id = ${order.id}`)).caregiver_name)
      .toBe('周秀兰');

    // 4. The caregiver, on her phone at the father's door.
    const carer = await newContext(browser, { phone: true, geo: { latitude: dad.lat + 0.0005, longitude: dad.lng } });
    const cp = await carer.newPage();
    await signIn(cp, base, 'caregiver');
    await cp.goto(`${base}/m/services`);
    const task = cp.getByTestId(`task-${order.no}`);
    await task.getByTestId('task-checkin').click();
    await expect.poll(() => task.getByTestId('task-status').innerText()).toBe('服务中');
    // An hour on site passes.
    await stack.db.root.exec(sql`update service_orders set checkin_at = checkin_at - interval '70 minutes' where id = ${order.id}`);
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');
    await task.locator('input[type=file]').setInputFiles({ name: 'bath.png', mimeType: 'image/png', buffer: png });
    await expect.poll(async () => (await one<{ n: number }>(sql`select count(*)::int as n from service_order_photos where order_id = ${order.id}`)).n).toBe(1);
    await task.getByTestId('task-work').fill('协助洗澡、擦干、更衣，检查皮肤无破损');
    await task.getByTestId('task-confirmed').click();
    await task.getByTestId('task-checkout').click();
    await expect.poll(() => task.getByTestId('task-status').innerText()).toBe('已完成');
    const done = await one<{ flags: string[]; checkin_distance_m: number }>(sql`select flags, checkin_distance_m from service_orders where id = ${order.id}`);
    expect(done.flags).toEqual([]);
    expect(done.checkin_distance_m).toBeLessThan(100);
    await carer.close();

    // 5. The father rates it on the family account.
    await fp.reload();
    const card = fp.getByTestId(`family-order-${order.no}`);
    await card.getByTestId('family-rate').click();
    await card.getByTestId('family-rated').waitFor();
    expect((await one<{ rating: number }>(sql`select rating from service_orders where id = ${order.id}`)).rating).toBe(5);
    await fam.close();

    // 6. The county builds 颐康's statement of the month; the provider finds the order paid in it.
    const adm = await newContext(browser);
    const ap = await adm.newPage();
    await signIn(ap, base, 'admin');
    await ap.goto(`${base}/m/services`);
    await ap.getByRole('tab', { name: '月度结算' }).click();
    await ap.getByTestId('statement-provider').click();
    await ap.locator('.ant-select-item-option').filter({ hasText: '平阴县颐康居家养老服务中心' }).click();
    await ap.getByTestId('statement-build').click();
    await ap.getByTestId('statement').waitFor();
    await adm.close();

    await pp.goto(`${base}/m/services`);
    await pp.getByTestId('tab-settlements').click();
    await pp.getByTestId(`statement-open-${today.slice(0, 7)}`).click();
    const st = pp.getByTestId('statement');
    await st.waitFor();
    await st.getByTestId('statement-q').fill(order.no);
    const row = st.locator('tr').filter({ hasText: order.no });
    await row.waitFor();
    expect(await row.innerText()).toContain('结算');
    expect(await st.innerText()).toContain('逐单核对一致');
    await prov.close();
  });
});
