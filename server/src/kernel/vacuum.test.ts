/** Tables are vacuumed where no autovacuum runs (PGlite, or a server with it off): on both databases. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, vacuumStale } from './db.js';
import { testDb, type TestDb } from '../test/harness.js';

describe('vacuumStale', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await testDb();
  });
  afterAll(() => t.close());

  const dead = async () =>
    Number((await t.db.root.one<{ n: string }>(sql`select coalesce(n_dead_tup, 0)::text as n from pg_stat_user_tables where relname = 'vac_probe'`))?.n ?? 0);

  it('vacuums a table whose dead rows passed the threshold, and leaves the others', async () => {
    await t.db.execScript('CREATE TABLE vac_probe (n int PRIMARY KEY, v int); CREATE TABLE vac_quiet (n int PRIMARY KEY)');
    await t.db.execScript('INSERT INTO vac_probe SELECT g, 0 FROM generate_series(1, 300) g; INSERT INTO vac_quiet SELECT generate_series(1, 300)');
    for (let i = 0; i < 3; i++) await t.db.system((tx) => tx.exec(sql`update vac_probe set v = v + 1`));
    const autovacuum = t.db.kind === 'postgres' && (await t.db.root.one<{ s: string }>(sql`select current_setting('autovacuum') as s`))?.s === 'on';
    if (autovacuum) {
      // The server's own autovacuum does this work: the platform stays out of its way.
      expect(await vacuumStale(t.db)).toEqual([]);
      return;
    }
    // 900 dead row versions, less what page pruning already reclaimed; the statistics reach
    // pg_stat_user_tables within a second or so of the commit. The threshold is 50 + 300 / 5.
    for (let i = 0; i < 50 && (await dead()) < 300; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await dead()).toBeGreaterThanOrEqual(300);
    const done = await vacuumStale(t.db);
    expect(done).toContain('vac_probe');
    expect(done).not.toContain('vac_quiet');
    for (let i = 0; i < 50 && (await dead()) > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await dead()).toBe(0);
    expect(await t.db.root.one<{ n: number }>(sql`select count(*)::int as n, sum(v)::int as s from vac_probe`)).toEqual({ n: 300, s: 900 });
  });
});
