/**
 * The phone pages at 390×844: the elder on their own account (laoren) is greeted by name in
 * large type and sees what is booked and when the caregiver comes; a daughter's order form says
 * for whom and to which address, and the quote shows 政府补贴 / 自付 large with one plain
 * sentence (the rules behind a link); the caregiver checking in 1 km from the address is warned
 * and gives a reason, adds a photo with the Upload button, opens the address in the map app and
 * sees the week ahead. Screenshots in /tmp/e2e-shots (look at them).
 */
import fs from 'node:fs';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countyToday } from '../server/src/kernel/dates.js';
import { sql } from '../server/src/kernel/db.js';
import { newContext, signIn, startStack, type Stack } from './support.js';

const SHOTS = process.env.E2E_SHOTS ?? '/tmp/e2e-shots';
let stack: Stack;
let browser: Browser;
let base: string;

beforeAll(async () => {
  stack = await startStack();
  ({ browser, base } = stack);
  fs.mkdirSync(SHOTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await stack?.close();
}, 60_000);

const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const one = async <T>(q: ReturnType<typeof sql>) => (await stack.db.root.one<T>(q))!;
const shot = (p: Page, name: string, fullPage = true) => p.screenshot({ path: `${SHOTS}/${name}.png`, fullPage });

/** An order accepted by the demo caregiver 周秀兰, copied from one of hers, for `elderId` (or her
 * elder) on `date` at `time`. */
async function acceptedOrder(no: string, date: string, time: string, elderId?: string) {
  return one<{ id: string; lat: number; lng: number; address: string }>(sql`
    insert into service_orders (no, county_code, region_code, elder_id, elder_name, elder_phone, address, lat, lng, item_id, item_code, item_name,
        category, unit, skill, quantity, duration_min, price_cents, amount_cents, gov_cents, copay_cents, entitlement, service_date, service_time,
        channel, created_by_name, status, provider_id, caregiver_id, caregiver_name, dispatch_mode, dispatched_at, accepted_at)
    select ${no}, o.county_code, coalesce(e.region_code, o.region_code), coalesce(e.id, o.elder_id), coalesce(e.name, o.elder_name),
        coalesce(e.phone, o.elder_phone), coalesce(e.address, o.address), coalesce(e.lat, o.lat), coalesce(e.lng, o.lng), o.item_id, o.item_code,
        o.item_name, o.category, o.unit, o.skill, o.quantity, o.duration_min, o.price_cents, o.amount_cents, o.gov_cents, o.copay_cents,
        o.entitlement, ${date}, ${time}, 'staff', o.created_by_name, 'accepted', o.provider_id, o.caregiver_id, o.caregiver_name, 'manual', now(), now()
      from service_orders o
      join caregivers c on c.id = o.caregiver_id join users u on u.id = c.user_id and u.username = 'caregiver'
      left join elders e on e.id = ${elderId ?? null}::uuid
     where o.lat is not null
     order by o.no limit 1
    returning id::text as id, lat, lng, address`);
}

describe('phone pages', () => {
  it('the elder on their own account is greeted by name, in large type, with what is booked and when the caregiver comes', async () => {
    const me = await one<{ id: string; name: string; address: string | null }>(sql`select e.id::text as id, e.name, e.address
      from elders e join elder_contacts c on c.elder_id = e.id and c.relation = '本人' join users u on u.id = c.user_id where u.username = 'laoren'`);
    const tomorrow = addDays(countyToday(), 1);
    await acceptedOrder('FW990000001', tomorrow, '10:00', me.id);

    const ctx = await newContext(browser, { phone: true });
    const p = await ctx.newPage();
    await signIn(p, base, 'laoren');
    await p.goto(`${base}/m/services`);
    const title = p.getByTestId('page-title');
    await expect.poll(() => title.innerText()).toBe(`${me.name}，您好`);
    expect(await p.locator('body').innerText()).not.toContain('为家人点服务');
    // Large type, black on white.
    const style = await title.evaluate((el) => ({ size: parseFloat(getComputedStyle(el).fontSize), color: getComputedStyle(el).color }));
    expect(style.size).toBeGreaterThanOrEqual(30);
    expect(style.color).toBe('rgb(0, 0, 0)');
    const booked = p.getByTestId('elder-booked-FW990000001');
    await booked.waitFor();
    const text = await booked.innerText();
    expect(text).toContain('10:00 上门');
    expect(text).toContain('护理员：周秀兰');
    expect(parseFloat(await booked.evaluate((el) => getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(22);
    await shot(p, 'phone-elder-home');

    // One button to book; the form greets the elder and says where the caregiver will come.
    await p.getByTestId('elder-order').click();
    const forWhom = p.getByTestId('order-for');
    await forWhom.waitFor();
    expect(await forWhom.innerText()).toContain(`${me.name}，您好`);
    if (me.address) expect(await forWhom.innerText()).toContain(me.address);
    expect(await p.getByTestId('page-title').innerText()).toBe('给自己约服务');
    await p.getByTestId('item-ZY01').click();
    await p.getByTestId('quote-copay').waitFor();
    expect(await p.getByTestId('quote-reason').innerText()).toMatch(/^您本月/);
    await shot(p, 'phone-elder-order');
    // The record page is the elder's own too, not "my family".
    await p.goto(`${base}/m/family`);
    await expect.poll(() => p.getByTestId('page-title').innerText()).toBe(`${me.name}，您好`);
    await ctx.close();
  });

  it("a daughter's order form says for whom and where; the quote is two large figures and one sentence, the rules behind a link", async () => {
    const dad = await one<{ name: string; address: string }>(sql`select e.name, e.address
      from elders e join elder_contacts c on c.elder_id = e.id join users u on u.id = c.user_id where u.username = 'family'`);
    const ctx = await newContext(browser, { phone: true });
    const p = await ctx.newPage();
    await signIn(p, base, 'family');
    await p.goto(`${base}/m/services`);
    expect(await p.getByTestId('page-title').innerText()).toBe('为家人点服务');
    const forWhom = p.getByTestId('order-for');
    await forWhom.waitFor();
    expect(await forWhom.innerText()).toContain(`为 ${dad.name} 下单`);
    expect(await forWhom.innerText()).toContain(`上门地址：${dad.address}`);
    await p.getByTestId('item-ZY01').click();
    const gov = p.getByTestId('quote-gov');
    await gov.waitFor();
    expect(parseFloat(await gov.evaluate((el) => getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(28);
    const reason = await p.getByTestId('quote-reason').innerText();
    expect(reason).toContain(dad.name);
    expect(reason).toMatch(/政府|自付/);
    // The regulation text is not on the page until asked for.
    expect(await p.getByTestId('quote-explanation').count()).toBe(0);
    await p.getByTestId('order-quote').scrollIntoViewIfNeeded();
    await shot(p, 'phone-family-quote', false);
    if (await p.getByTestId('quote-more').count()) {
      await p.getByTestId('quote-more').click();
      await p.getByTestId('quote-explanation').waitFor();
    }
    await ctx.close();
  });

  it('the caregiver 1 km away is warned and gives a reason; photo by Upload; map link; the week ahead', async () => {
    const today = countyToday();
    const o = await acceptedOrder('FW990000002', today, '08:00');
    await acceptedOrder('FW990000003', addDays(today, 2), '14:30');
    // About 1,055 m north of the address.
    const ctx = await newContext(browser, { phone: true, geo: { latitude: o.lat + 0.0095, longitude: o.lng } });
    const p = await ctx.newPage();
    await signIn(p, base, 'caregiver');
    await p.goto(`${base}/m/services`);
    const task = p.getByTestId('task-FW990000002');
    await task.waitFor();
    const map = await task.getByTestId('task-map').getAttribute('href');
    expect(map).toContain(`https://uri.amap.com/marker?position=${o.lng},${o.lat}`);
    // The week: the visit the day after tomorrow is listed under its day.
    await p.getByTestId(`task-week-${addDays(today, 2)}`).waitFor();
    expect(await p.getByTestId(`task-week-${addDays(today, 2)}`).innerText()).toContain('14:30');
    expect(await p.locator('body').innerText()).not.toMatch(/[\u{1F300}-\u{1FAFF}]/u);

    await task.getByTestId('task-checkin').click();
    const dialog = p.locator('.ant-modal').filter({ hasText: '签到位置异常' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toMatch(/距老人住址 1,0\d\d 米/);
    // Not accepted without a reason: the order is still waiting.
    expect(await p.getByTestId('checkin-reason-submit').isDisabled()).toBe(true);
    expect((await one<{ status: string }>(sql`select status from service_orders where id = ${o.id}`)).status).toBe('accepted');
    await p.waitForTimeout(500); // the dialog's zoom-in, for the picture only
    await shot(p, 'phone-caregiver-far');
    await p.getByTestId('checkin-reason').fill('老人今天在女儿家，按约定到女儿家服务');
    await p.getByTestId('checkin-reason-submit').click();
    await expect.poll(() => task.getByTestId('task-status').innerText()).toBe('服务中');
    const ev = await one<{ reason: string }>(sql`select reason from service_order_events where order_id = ${o.id} and kind = 'checkin'`);
    expect(ev.reason).toBe('老人今天在女儿家，按约定到女儿家服务');
    // The flag is a clear warning on the card, not a small tag.
    const flags = task.getByTestId('task-flags');
    await flags.waitFor();
    expect(await flags.innerText()).toContain('签到位置距老人住址过远');

    // Photos through Ant Design's Upload: no browser "Choose File" on the page.
    expect(await p.locator('body').innerText()).not.toContain('Choose File');
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');
    await task.locator('input[type=file]').setInputFiles({ name: 'visit.png', mimeType: 'image/png', buffer: png });
    await expect.poll(async () => (await one<{ n: number }>(sql`select count(*)::int as n from service_order_photos where order_id = ${o.id}`)).n).toBe(1);
    await task.getByTestId('task-photo-count').waitFor();
    await shot(p, 'phone-caregiver-tasks');
    await ctx.close();
  });
});
