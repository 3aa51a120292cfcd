/**
 * The published waiting list (公示) on a phone, without signing in: issuing authority, county,
 * 公示期, 监督电话, the priority classes as the rule defines them, and per home the rank, masked
 * name, township, neutral class and date — no age, village or category. Screenshot at 390×844.
 *
 * And the roster's count: 东阿镇 with more than 10,000 elders shows "10,000+" and, on 精确计数,
 * the exact figure.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../server/src/kernel/db.js';
import { newContext, signIn, startStack, type Stack } from './support.js';

const SHOTS = '.test-results';
let s: Stack;

beforeAll(async () => {
  s = await startStack();
  fs.mkdirSync(SHOTS, { recursive: true });
});
afterAll(() => s?.close());

describe('public waiting list on a phone', () => {
  it('reads as a 公示 at 390×844 and tells no one’s category, age or village', async () => {
    const ctx = await newContext(s.browser, { phone: true });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${s.base}/public/waiting-lists/370124`);
    await page.getByTestId('public-waiting-page').waitFor();
    await page.getByTestId('pub-meta').waitFor();
    await expect.poll(() => page.getByTestId('pub-home').count()).toBeGreaterThan(0);

    expect(await page.getByTestId('pub-title').innerText()).toBe('平阴县公办养老机构入住轮候名单公示');
    const meta = await page.getByTestId('pub-meta').innerText();
    expect(meta).toContain('发布单位');
    expect(meta).toContain('平阴县民政局');
    expect(meta).toMatch(/公示期\s*\d{4}年\d{1,2}月\d{1,2}日至\d{4}年\d{1,2}月\d{1,2}日/);
    expect(meta).toContain('监督电话');
    expect(await page.getByTestId('pub-phone').getAttribute('href')).toBe('tel:12345');
    expect(await page.getByTestId('pub-classes').innerText()).toContain('一类');
    // The demo county runs the default rule: said so, not as "第 0 版".
    expect(await page.locator('.ant-card-head-title').first().innerText()).toBe('优先类别（默认排序规则）');

    // The lists themselves: masked names and neutral classes only.
    const homes = (await page.getByTestId('pub-home').allInnerTexts()).join('\n');
    expect(homes).toMatch(/[一二]类|其他|待评估/);
    for (const w of ['特困', '低保', '低收入', '失能', '空巢', '岁', '村民委员会', '居民委员会']) expect(homes, w).not.toContain(w);

    // Nothing runs off the side of a phone.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SHOTS}/waitlist-public-phone.png` });
    await page.getByTestId('pub-note').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/waitlist-public-phone-end.png` });
    expect(errors).toEqual([]);
    await ctx.close();
  });
});

describe('roster counts past 10,000', () => {
  it('shows 10,000+ and the exact figure on 精确计数', async () => {
    const town = await s.db.root.one<{ code: string }>(sql`select code from regions where name = '东阿镇' and level = 4`);
    const village = await s.db.root.one<{ code: string }>(sql`select min(code) as code from regions where parent_code = ${town!.code} and level = 5`);
    const before = await s.db.root.one<{ n: number }>(
      sql`select count(*)::int as n from elders where status = 'active' and region_code like ${town!.code.slice(0, 9) + '%'}`,
    );
    const add = Math.max(0, 10_100 - before!.n);
    await s.db.root.exec(sql`insert into elders (county_code, region_code, id_number, name, name_pinyin, name_initials, sex, birth_date)
      select '370124', ${village!.code}, '370124' || lpad((900000000000 + i)::text, 12, '0'), '计数' || i, 'jishu', 'js', 'F', date '1950-01-01'
        from generate_series(1, ${add}) i`);
    const exact = before!.n + add;

    const ctx = await newContext(s.browser);
    const page = await ctx.newPage();
    await page.goto(`${s.base}/m/elders`);
    await signIn(page, s.base, 'donge', { goto: false, waitFor: 'elders-page' });
    const total = page.getByTestId('elders-total');
    await expect.poll(() => total.innerText()).toContain('10,000+');
    await page.getByTestId('elders-exact-count').click();
    await expect.poll(() => total.innerText()).toBe(`共 ${exact.toLocaleString('zh-CN')} 人`);
    await ctx.close();
  });
});
