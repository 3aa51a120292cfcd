import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataDirLockedError, openDatabase, sql } from '../kernel/db.js';
import { parseIdNumber } from '../kernel/idnumber.js';
import { loadDemo } from './generate.js';
import { testDb, type TestDb } from '../test/harness.js';

describe('demo county generator', () => {
  let t: TestDb;
  let u: TestDb;
  beforeAll(async () => {
    t = await testDb();
    u = await testDb();
    await loadDemo(t.db, { elders: 3000, seed: 7, today: '2026-06-30' });
    await loadDemo(u.db, { elders: 3000, seed: 7, today: '2026-06-30' });
  });
  afterAll(async () => {
    await t.close();
    await u.close();
  });

  const fingerprint = (x: TestDb) =>
    x.db.root.one<{ h: string }>(sql`select md5(string_agg(id_number || name || region_code || birth_date::text, ',' order by id_number)) as h from elders`);

  it('is deterministic for a seed', async () => {
    expect((await fingerprint(t))!.h).toBe((await fingerprint(u))!.h);
  });

  it('is shaped like Pingyin: 2 streets, 6 towns, ~300 villages, valid ID numbers, plausible shares', async () => {
    const lv = await t.db.root.rows<{ level: number; n: number }>(
      sql`select level::int as level, count(*)::int as n from regions where county_code = '370124' group by 1 order by 1`,
    );
    expect(lv).toEqual([
      { level: 3, n: 1 },
      { level: 4, n: 8 },
      { level: 5, n: 300 },
    ]);
    const streets = await t.db.root.one<{ n: number }>(sql`select count(*)::int as n from regions where level = 4 and substr(code, 7, 3) < '100'`);
    expect(streets!.n).toBe(2);
    const elders = await t.db.root.rows<{ id_number: string; birth_date: string; sex: string }>(
      sql`select id_number, birth_date::text as birth_date, sex from elders`,
    );
    expect(elders).toHaveLength(3000);
    for (const e of elders) {
      const p = parseIdNumber(e.id_number, '2026-06-30');
      expect(p.ok && p.value.birthDate === e.birth_date && p.value.sex === e.sex).toBe(true);
    }
    const s = await t.db.root.one<{ over80: number; tekun: number; alone: number; young: number }>(sql`select
      avg((birth_date <= date '1946-06-30')::int)::float8 as over80,
      avg((exists (select 1 from elder_categories c where c.elder_id = e.id and c.category like 'tekun%'))::int)::float8 as tekun,
      avg((living_arrangement = 'alone')::int)::float8 as alone,
      avg((birth_date > date '1956-06-30')::int)::float8 as young
      from elders e`);
    expect(s!.over80).toBeGreaterThan(0.08);
    expect(s!.over80).toBeLessThan(0.2);
    expect(s!.tekun).toBeGreaterThan(0.005);
    expect(s!.tekun).toBeLessThan(0.03);
    expect(s!.alone).toBeGreaterThan(0.05);
    expect(s!.young).toBeGreaterThan(0.45);
    expect((await t.db.root.one<{ n: number }>(sql`select count(*)::int as n from users`))!.n).toBe(12 + 4); // + a caregiver account for each of the four other demo providers (services)
    // Most 80+ elders carry an assessment, scored by the real engine; some have lapsed.
    const a = await t.db.root.one<{ share80: number; lapsed: number; consistent: boolean }>(sql`select
      avg((exists (select 1 from assessments x where x.elder_id = e.id))::int) filter (where e.birth_date <= date '1946-06-30')::float8 as share80,
      (select count(*)::int from assessments where valid_until < current_date) as lapsed,
      (select bool_and(case when total = 90 then final_level = 0 when total >= 66 then final_level = 1 when total >= 46 then final_level = 2
                            when total >= 30 then final_level = 3 else final_level = 4 end) from assessments) as consistent
      from elders e where e.status = 'active'`);
    expect(a!.share80).toBeGreaterThan(0.75);
    expect(a!.lapsed).toBeGreaterThan(0);
    expect(a!.consistent).toBe(true);
    const plan = await t.db.root.one<{ title: string; n: number }>(
      sql`select p.title, (select count(*)::int from plan_indicators i where i.plan_id = p.id) as n from plans p`,
    );
    expect(plan).toEqual({ title: '平阴县“十四五”养老服务体系规划', n: 19 });
    // Benefits: both sample policy sets, Shicheng's in force; the two previous months approved and paid.
    const pol = await t.db.root.rows<{ policy_key: string; active: boolean }>(sql`select policy_key, active from benefit_policies order by 1`);
    expect(pol).toEqual([
      { policy_key: 'beijing', active: false },
      { policy_key: 'shicheng', active: true },
    ]);
    const runs = await t.db.root.rows<{ month: string; status: string; lines: number; paid: number }>(sql`select r.month::text as month, r.status,
        (select count(*)::int from benefit_lines l where l.run_id = r.id) as lines,
        (select count(*)::int from benefit_payments p where p.run_id = r.id and p.status = 'paid') as paid
      from benefit_runs r order by 1`);
    expect(runs.map((r) => [r.month, r.status])).toEqual([
      ['2026-04-01', 'approved'],
      ['2026-05-01', 'approved'],
    ]);
    expect(runs[0]!.lines).toBeGreaterThan(300);
    expect(runs[0]!.paid).toBeGreaterThan(runs[0]!.lines / 3);
    // The run panel's 代发笔数 comes from the summary: it counts the run's payments (it was missing, so 0).
    const sums = await t.db.root.rows<{ payments: number | null; rows: number }>(sql`select (r.summary->>'payments')::int as payments,
        (select count(*)::int from benefit_payments p where p.run_id = r.id) as rows from benefit_runs r`);
    for (const x of sums) expect(x.payments).toBe(x.rows);
    // What officials read of the policies carries no developer text (source tags, document references, 示例).
    const texts = await t.db.root.rows<{ t: string }>(sql`select name || ' ' || coalesce(source_note, '') || ' ' || rules::text as t from benefit_policies`);
    for (const x of texts) expect(x.t).not.toMatch(/\[[A-D]\]|STANDARDS\.md|示例/);
  });
});

describe('the data folder', () => {
  it('is opened by one process only: a second opener gets a clear error', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yinling-lock-'));
    const first = await openDatabase({ dataDir: dir });
    const second = openDatabase({ dataDir: dir });
    await expect(second).rejects.toBeInstanceOf(DataDirLockedError);
    await expect(second).rejects.toThrow(/已被另一个银龄进程使用/);
    await first.close();
    // A lock left behind by a process that no longer runs is taken over at once.
    fs.mkdirSync(path.join(dir, 'yinling.lock'));
    fs.writeFileSync(path.join(dir, 'yinling.pid'), '999999');
    const again = await openDatabase({ dataDir: dir });
    expect((await again.root.one<{ n: number }>(sql`select count(*)::int as n from yl_migrations`))!.n).toBeGreaterThan(0);
    await again.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
