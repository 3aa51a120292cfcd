/**
 * Family care beds end to end: 榆山's township staff opens 家庭养老床位, generates this month's plan
 * orders for a bed (dispatched to 颐康, the running provider), generates again (nothing twice),
 * opens the bed's month statement (adherence, the orders with government part and co-pay),
 * exports it to Excel, and changes the bed's care plan.
 */
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../server/src/kernel/db.js';
import { countyToday } from '../server/src/kernel/dates.js';
import { newContext, signIn, startStack, WAIT, type Stack } from './support.js';

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

describe('family care beds', () => {
  it("township staff generates a bed's plan orders for the month and reads its statement", async () => {
    const month = countyToday().slice(0, 7);
    // A bed of 榆山 (the demo leaves their plan orders to the staff).
    const bed = await one<{ id: string; elder_name: string; planned: number }>(sql`select b.id::text as id, b.elder_name,
        (select sum(times_per_month)::int from family_bed_plan p where p.bed_id = b.id) as planned
      from family_beds b where b.status = 'active' and b.region_code like '370124001%'
        and not exists (select 1 from service_orders o where o.family_bed_id = b.id and o.plan_slot like ${month + ':%'})
      order by b.id limit 1`);
    expect(bed.planned).toBeGreaterThan(0);
    const planOrders = async () =>
      (
        await one<{ n: number; dispatched: number }>(sql`select count(*)::int as n, count(*) filter (where status = 'dispatched')::int as dispatched
          from service_orders where family_bed_id = ${bed.id} and plan_slot like ${month + ':%'}`)
      ).n;

    const ctx = await newContext(browser, { downloads: true });
    const page = await ctx.newPage();
    await signIn(page, base, 'yushan');
    await page.goto(`${base}/m/services`);
    await page.getByRole('tab', { name: '家庭养老床位' }).click();
    const generate = page.getByTestId(`bed-generate-${bed.id}`);
    expect(await generate.innerText()).toContain('生成本月计划工单');
    await generate.click();
    await expect.poll(planOrders, { timeout: WAIT }).toBe(bed.planned);
    await page
      .locator('.ant-message')
      .filter({ hasText: `新生成 ${bed.planned} 个工单` })
      .waitFor();
    const d = await one<{ dispatched: number; provider: string; past: number }>(sql`select count(*) filter (where o.status = 'dispatched')::int as dispatched,
        min(p.name) as provider, count(*) filter (where o.service_date < ${countyToday()})::int as past
      from service_orders o left join providers p on p.id = o.provider_id where o.family_bed_id = ${bed.id} and o.plan_slot like ${month + ':%'}`);
    expect(d).toEqual({ dispatched: bed.planned, provider: '平阴县颐康居家养老服务中心', past: 0 });

    // Again: nothing twice.
    await generate.click();
    await page.locator('.ant-message').filter({ hasText: '新生成 0 个工单' }).waitFor();
    expect(await planOrders()).toBe(bed.planned);

    // The bed's month statement.
    await page.getByTestId(`bed-statement-${bed.id}`).click();
    const st = page.getByTestId('bed-statement');
    await st.waitFor();
    expect(await page.locator('.ant-drawer-title').innerText()).toContain(`${bed.elder_name} · ${month} 家庭养老床位月结单`);
    expect(await st.getByTestId('bed-statement-adherence').innerText()).toMatch(new RegExp(`^\\d+/${bed.planned}$`));
    const first = await one<{ no: string }>(sql`select no from service_orders where family_bed_id = ${bed.id} and plan_slot like ${month + ':%'}
      order by service_date, no limit 1`);
    const row = st.locator('tr').filter({ hasText: first.no });
    await row.waitFor();
    expect(await row.innerText()).toContain('照护计划');
    expect(await st.innerText()).toContain('逐单核对一致');
    const [file] = await Promise.all([page.waitForEvent('download'), st.getByTestId('bed-statement-export').click()]);
    expect(file.suggestedFilename()).toBe(`家庭养老床位结算单-${bed.elder_name}-${month}.xlsx`);
    await page.locator('.ant-drawer-close').click();

    // The care plan: one more line, saved.
    const item = await one<{ name: string }>(sql`select name from service_items where code = 'ZL01'`);
    await page.getByTestId(`bed-plan-${bed.id}`).click();
    await page.getByTestId('bed-plan-add').click();
    const last = (await page.locator('[data-testid^="bed-plan-item-"]').count()) - 1;
    await page.getByTestId(`bed-plan-item-${last}`).click();
    await page.locator('.ant-select-item-option').filter({ hasText: item.name }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    await expect
      .poll(
        async () =>
          (
            await one<{ n: number }>(sql`select count(*)::int as n from family_bed_plan p join service_items i on i.id = p.item_id
          where p.bed_id = ${bed.id} and i.code = 'ZL01'`)
          ).n,
      )
      .toBe(1);
    await ctx.close();
  });
});
