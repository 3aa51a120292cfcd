/**
 * Home services, the desks around the order: the county puts 颐康 on watch (with the reason) and
 * adds a menu item; the township reschedules an order from its drawer and is told why it cannot
 * once the service has started; the daughter's large-print page shows how her complaint was
 * handled and the photos of the finished visit.
 */
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../server/src/kernel/db.js';
import { countyToday } from '../server/src/kernel/dates.js';
import { DEMO_PASSWORD } from '../server/src/demo/generate.js';
import { Agent } from '../server/src/test/harness.js';
import { newContext, pickDate, signIn, startStack, type Stack } from './support.js';

const PROVIDER = '平阴县颐康居家养老服务中心';
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

/** An API client signed in as a demo account (to set the scene quickly). */
async function api(username: string) {
  const a = new Agent(stack.app);
  const r = await a.login(username, DEMO_PASSWORD);
  expect(r.statusCode, r.body).toBe(200);
  return a;
}

const one = async <T>(q: ReturnType<typeof sql>) => (await stack.db.root.one<T>(q))!;

/** The demo family's father and a new bathing order for him. */
async function orderForDad(by: Agent, time: string) {
  const dad = await one<{ id: string }>(sql`select e.id::text as id from elders e join elder_contacts c on c.elder_id = e.id
    join users u on u.id = c.user_id where u.username = 'family'`);
  const item = await one<{ id: string }>(sql`select id::text as id from service_items where code = 'ZY01'`);
  const o = await by.post('/api/v1/services/orders', { elderId: dad.id, itemId: item.id, quantity: 1, date: countyToday(), time });
  expect(o.statusCode, o.body).toBe(200);
  return o.json() as { id: string; no: string };
}

describe('home services: catalogue, staff order actions, family follow-up', () => {
  it('the county puts a provider on watch with the reason and adds a menu item', async () => {
    const ctx = await newContext(browser);
    const p = await ctx.newPage();
    await signIn(p, base, 'admin');
    await p.goto(`${base}/m/services`);
    await p.getByTestId('tab-providers').click();
    await p.getByTestId(`provider-${PROVIDER}`).click();
    const form = p.getByTestId('provider-form');
    await form.waitFor();
    await p.getByTestId('provider-credit').click();
    await p.locator('.ant-select-item-option').filter({ hasText: '关注' }).click();
    // Saving without the reason is refused in the form.
    await p.getByTestId('provider-save').click();
    await p.getByText('调整信用状态须说明原因').waitFor();
    await p.getByTestId('provider-credit-reason').fill('本月两起迟到投诉，限期整改');
    await p.getByTestId('provider-save').click();
    await expect
      .poll(
        async () =>
          await one<{ credit_status: string; credit_reason: string | null }>(sql`select credit_status, credit_reason from providers where name = ${PROVIDER}`),
      )
      .toEqual({ credit_status: 'watch', credit_reason: '本月两起迟到投诉，限期整改' });
    await p.getByTestId('provider-credit-reason-shown').filter({ hasText: '本月两起迟到投诉' }).waitFor();
    const audit = await one<{ action: string; reason: string }>(
      sql`select a.action, a.reason from audit_log a join providers pr on a.entity_id = pr.id::text where pr.name = ${PROVIDER} order by a.at desc limit 1`,
    );
    expect(audit).toEqual({ action: 'credit', reason: '本月两起迟到投诉，限期整改' });
    await p.keyboard.press('Escape');

    // A new item of the menu.
    await p.getByTestId('tab-menu').click();
    await p.getByTestId('item-add').click();
    await p.getByTestId('item-code').fill('ZL09');
    await p.getByTestId('item-category').click();
    await p.locator('.ant-select-item-option').filter({ hasText: '助聊' }).click();
    await p.getByTestId('item-name').fill('上门陪伴聊天');
    await p.getByTestId('item-price').fill('25.5');
    await p.getByTestId('item-duration').fill('45');
    await p.getByTestId('item-save').click();
    await expect
      .poll(async () => await stack.db.root.one(sql`select category, name, price_cents, duration_min, active from service_items where code = 'ZL09'`))
      .toEqual({ category: 'chat', name: '上门陪伴聊天', price_cents: 2550, duration_min: 45, active: true });
    await p.getByTestId('item-edit-ZL09').waitFor();
    await ctx.close();
  });

  it('the township reschedules an order from its drawer, and is told why not once the service has started', async () => {
    const staff = await api('yushan');
    const o = await orderForDad(staff, '15:00');
    const tomorrow = new Date(Date.parse(`${countyToday()}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

    const ctx = await newContext(browser);
    const p = await ctx.newPage();
    await signIn(p, base, 'yushan');
    await p.goto(`${base}/m/services`);
    await p.getByTestId('orders-q').fill(o.no);
    await p.getByTestId('orders-search').click();
    await p.getByTestId('order-no').filter({ hasText: o.no }).click();
    await p.getByTestId('order-detail').waitFor();
    await p.getByTestId('order-reschedule').click();
    await pickDate(p.getByTestId('reschedule-date'), tomorrow);
    await pickDate(p.getByTestId('reschedule-time'), '16:30');
    await p.getByTestId('order-action-ok').click();
    await expect
      .poll(
        async () =>
          await one<{ d: string; service_time: string }>(
            sql`select to_char(service_date, 'YYYY-MM-DD') as d, service_time from service_orders where id = ${o.id}`,
          ),
      )
      .toEqual({ d: tomorrow, service_time: '16:30' });
    await p
      .getByTestId('order-detail')
      .filter({ hasText: `${tomorrow} 16:30` })
      .waitFor();
    const ev = await one<{ kind: string }>(sql`select kind from service_order_events where order_id = ${o.id} order by at desc limit 1`);
    expect(ev.kind).toBe('rescheduled');

    // The caregiver has started meanwhile: the server says why it cannot be moved.
    await stack.db.root.exec(sql`update service_orders set status = 'in_service', checkin_at = now() where id = ${o.id}`);
    await p.getByTestId('order-reschedule').click();
    await pickDate(p.getByTestId('reschedule-time'), '17:00');
    await p.getByTestId('order-action-ok').click();
    await p.getByText('服务已开始或已结束，不能改期').waitFor();
    expect((await one<{ service_time: string }>(sql`select service_time from service_orders where id = ${o.id}`)).service_time).toBe('16:30');
    await stack.db.root.exec(sql`update service_orders set status = 'cancelled' where id = ${o.id}`);
    await ctx.close();
  });

  it("the family page shows how the daughter's complaint was handled and the photos of the visit", async () => {
    const fam = await api('family');
    const staff = await api('yushan');
    const o = await orderForDad(fam, '18:00');
    const carer = await one<{ id: string }>(sql`select c.id::text as id from caregivers c join users u on u.id = c.user_id where u.username = 'caregiver'`);
    const prov = await one<{ id: string }>(sql`select id::text as id from providers where name = ${PROVIDER}`);
    await stack.db.root
      .exec(sql`update service_orders set status = 'completed', provider_id = ${prov.id}, caregiver_id = ${carer.id}, caregiver_name = '周秀兰',
      checkin_at = now() - interval '1 hour', checkout_at = now() where id = ${o.id}`);
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');
    await stack.db.root.exec(sql`insert into service_order_photos (order_id, county_code, region_code, provider_id, elder_id, mime, size, data)
      select id, county_code, region_code, provider_id, elder_id, 'image/png', ${png.length}, ${png} from service_orders where id = ${o.id}`);
    const k = await fam.post(`/api/v1/services/orders/${o.id}/complaints`, { kind: 'late', content: '护理员迟到了四十分钟' });
    expect(k.statusCode, k.body).toBe(200);
    const h = await staff.post(`/api/v1/services/complaints/${k.json().id}/handle`, { status: 'closed', resolution: '已约谈服务机构，调整排班并上门致歉' });
    expect(h.statusCode, h.body).toBe(200);

    const ctx = await newContext(browser, { phone: true });
    const p = await ctx.newPage();
    await signIn(p, base, 'family');
    await p.goto(`${base}/m/services`);
    const card = p.getByTestId(`family-complaint-${o.no}`);
    await card.waitFor();
    expect(await card.innerText()).toContain('护理员迟到了四十分钟');
    expect(await card.getByTestId('family-complaint-resolution').innerText()).toContain('已约谈服务机构，调整排班并上门致歉');
    expect(await card.innerText()).toContain('已办结');
    // The photo of the finished visit loads (the family may download it).
    const img = p.getByTestId(`family-order-${o.no}`).getByTestId('family-order-photos').locator('img');
    await img.waitFor();
    await expect.poll(() => img.evaluate((e) => (e as HTMLImageElement).naturalWidth)).toBe(1);
    await ctx.close();
  });
});
