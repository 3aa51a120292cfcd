/**
 * The audit log as the county admin reads it: every action and record kind by its Chinese name
 * (签退, 服务工单 …), the stored code only in a tooltip, a code without a name shown as itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealAudit, writeAudit } from '../server/src/kernel/audit.js';
import { newContext, signIn, startStack, type Stack } from './support.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack(300);
}, 180_000);

afterAll(async () => {
  await stack?.close();
}, 60_000);

const ENTRIES: [action: string, entity: string, label: string, entityLabel: string][] = [
  ['export', 'plan', '导出', '规划'],
  ['rate', 'service_order', '评价', '服务工单'],
  ['rate', 'facility', '等级评定', '养老机构'],
  ['checkout', 'service_order', '签退', '服务工单'],
  ['photo', 'service_order', '上传服务照片', '服务工单'],
  ['checkin', 'service_order', '签到', '服务工单'],
  ['accept', 'service_order', '接单', '服务工单'],
  ['event:death', 'elder', '登记事件：死亡', '老年人'],
  ['POST /api/v1/services/orders/:id/x', 'serviceOrder', '提交', '服务工单'],
  ['brand_new_code', 'brand_new_kind', 'brand_new_code', 'brand_new_kind'],
];

describe('audit log labels', () => {
  it('names every action and record kind in Chinese, with the code on hover', async () => {
    await stack.db.system(async (tx) => {
      for (const [action, entity] of ENTRIES)
        await writeAudit(tx, { id: null, name: '测试员', role: 'county_admin' }, { action, entity, entityId: action, regionCode: '370124000000' });
    });
    await sealAudit(stack.db);
    const ctx = await newContext(stack.browser);
    try {
      const page = await ctx.newPage();
      await signIn(page, stack.base, 'admin', { waitFor: 'header-user-name' });
      await page.getByTestId('menu-audit').click();
      await page.getByTestId('audit-table').waitFor();
      const rows = page.locator('[data-testid=audit-table] tbody tr.ant-table-row');
      await expect.poll(() => rows.count()).toBeGreaterThan(ENTRIES.length);
      const shown = await rows.evaluateAll((trs) =>
        trs.map((tr) => [tr.querySelector('[data-testid=audit-action]')?.textContent ?? '', tr.querySelector('[data-testid=audit-entity]')?.textContent ?? '']),
      );
      for (const [, , label, entityLabel] of ENTRIES) expect(shown).toContainEqual([label, entityLabel]);
      // No stored code is on the page in place of a name (only the one nobody named yet).
      for (const [action, entity] of shown.filter(([a]) => a !== 'brand_new_code')) {
        expect(action).not.toMatch(/^[a-z_]+$|^(POST|PUT|PATCH|DELETE) /);
        expect(entity).not.toMatch(/^[a-z]+(_[a-z]+)*$|^[a-z]+[A-Z]/);
      }

      await page.locator('[data-testid=audit-action] [data-code=checkout]').first().hover();
      await expect.poll(() => page.locator('.ant-tooltip:visible').last().textContent()).toBe('checkout');
    } finally {
      await ctx.close();
    }
  });
});
