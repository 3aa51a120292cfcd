/**
 * Request transactions (`db.scoped`): on a PostgreSQL server BEGIN and the scope travel with the
 * first statement and deferred writes with COMMIT; these tests hold on both databases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from './db.js';
import { scopeOf } from './scope.js';
import { buildCounty, buildElder, testDb, type TestDb } from '../test/harness.js';

describe('request transactions', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await testDb();
    await t.db.execScript('CREATE TABLE tx_probe (n int PRIMARY KEY); GRANT SELECT, INSERT ON tx_probe TO yinling_app');
  });
  afterAll(() => t.close());

  it('runs the first statement inside the transaction, under the scope', async () => {
    const c = await buildCounty(t.db);
    const s = scopeOf(c.townshipA);
    const r = await t.db.scoped(s, async (tx) => ({
      first: await tx.one<{ lo: string; role: string }>(
        sql`select current_setting('yinling.lo') as lo, current_user as role, set_config('yl.probe', 'on', true)`,
      ),
      // A transaction-local setting made by the first statement is still there: it ran inside the transaction.
      second: await tx.one<{ probe: string }>(sql`select current_setting('yl.probe', true) as probe`),
    }));
    expect(r).toEqual({ first: { lo: s.lo, role: 'yinling_app', set_config: 'on' }, second: { probe: 'on' } });
    // Two statements see the same transaction start time.
    const times = await t.db.scoped(s, async (tx) => [
      (await tx.one<{ t: string }>(sql`select now()::text as t`))!.t,
      (await tx.one<{ t: string }>(sql`select pg_sleep(0.01)::text, now()::text as t`))!.t,
    ]);
    expect(times[0]).toBe(times[1]);
  });

  it('rolls everything back when a later statement fails, and the connection serves the next request', async () => {
    await expect(
      t.db.scoped(scopeOf('370124000000'), async (tx) => {
        await tx.exec(sql`insert into tx_probe values (1)`);
        await tx.exec(sql`insert into tx_probe values (1)`);
      }),
    ).rejects.toThrow();
    for (let i = 0; i < 12; i++) {
      const n = await t.db.scoped(scopeOf('370124000000'), (tx) => tx.one<{ n: number }>(sql`select count(*)::int as n from tx_probe`));
      expect(n!.n).toBe(0);
    }
  });

  it('fails a first statement that is wrong, again and again with the same error, without breaking the pool', async () => {
    for (let i = 0; i < 12; i++) {
      await expect(t.db.scoped(scopeOf('370124000000'), (tx) => tx.one(sql`select no_such_column from tx_probe`))).rejects.toThrow(/no_such_column/);
      const e = await t.db.scoped(scopeOf('370124000000'), (tx) => tx.exec(sql`insert into tx_probe values (${'x'}::int)`)).catch((x: Error) => x);
      // The database's own reason (PGlite's driver wraps it as the cause).
      expect(`${(e as Error).message} ${((e as Error).cause as Error | undefined)?.message}`).toMatch(/integer/);
    }
    const ok = await t.db.scoped(scopeOf('370124000000'), (tx) => tx.one<{ x: number }>(sql`select 1 as x`));
    expect(ok!.x).toBe(1);
  });

  it('writes deferred rows with the commit even when nothing else ran, and none after a failure', async () => {
    const c = await buildCounty(t.db);
    const e = await buildElder(t.db, { regionCode: c.villageA });
    const s = scopeOf(c.townshipA);
    await t.db.scoped(s, async (tx) => {
      tx.later(sql`insert into tx_probe values (${7})`);
    });
    await expect(
      t.db.scoped(s, async (tx) => {
        tx.later(sql`insert into tx_probe values (${8})`);
        await tx.exec(sql`update elders set name = ${'改'} where id = ${e.id}`);
        throw new Error('handler failed');
      }),
    ).rejects.toThrow('handler failed');
    const rows = await t.db.root.rows<{ n: number }>(sql`select n from tx_probe order by n`);
    expect(rows.map((r) => r.n)).toEqual([7]);
    const name = await t.db.root.one<{ name: string }>(sql`select name from elders where id = ${e.id}`);
    expect(name!.name).not.toBe('改');
    // A deferred write that fails takes the transaction's other writes with it.
    await t.db.scoped(s, async (tx) => {
      await tx.exec(sql`update elders set name = ${'一'} where id = ${e.id}`);
      tx.later(sql`insert into tx_probe values (${9})`);
    });
    await expect(
      t.db.scoped(s, async (tx) => {
        await tx.exec(sql`update elders set name = ${'二'} where id = ${e.id}`);
        tx.later(sql`insert into tx_probe values (${9})`);
      }),
    ).rejects.toThrow();
    expect((await t.db.root.one<{ name: string }>(sql`select name from elders where id = ${e.id}`))!.name).toBe('一');
    expect((await t.db.root.rows<{ n: number }>(sql`select n from tx_probe order by n`)).map((r) => r.n)).toEqual([7, 9]);
    // The connection goes on serving after the failed commit.
    for (let i = 0; i < 12; i++) expect((await t.db.scoped(s, (tx) => tx.one<{ x: number }>(sql`select 1 as x`)))!.x).toBe(1);
    // A transaction that ran nothing and deferred nothing leaves nothing behind.
    expect(await t.db.scoped(s, async () => 42)).toBe(42);
  });

  it('commits with a last statement: its rows, the deferred writes queued before it, and a new transaction after it', async () => {
    await t.db.execScript('CREATE TABLE tx_last (n int PRIMARY KEY); GRANT SELECT, INSERT ON tx_last TO yinling_app');
    const s = scopeOf('370124000000');
    const seen = await t.db.scoped(s, async (tx) => {
      tx.later(sql`insert into tx_last values (${100})`);
      const rows = await tx.last<{ n: number }>(sql`insert into tx_last values (1), (2) returning n`);
      expect(rows.map((r) => r.n)).toEqual([1, 2]);
      // On a server the change is committed now: another connection sees it before the handler returns.
      const outside = t.db.kind === 'postgres' ? await t.db.root.rows<{ n: number }>(sql`select n from tx_last order by n`) : null;
      // Statements after it run (on a server, in a transaction of their own, with the same scope).
      const after = await tx.one<{ lo: string; n: number }>(sql`select current_setting('yinling.lo') as lo, count(*)::int as n from tx_last`);
      return { outside, after };
    });
    if (t.db.kind === 'postgres') expect(seen.outside!.map((r) => r.n)).toEqual([1, 2, 100]);
    expect(seen.after).toEqual({ lo: s.lo, n: 3 });
    // A last statement that fails commits nothing: neither itself nor the deferred writes before it.
    await expect(
      t.db.scoped(s, async (tx) => {
        await tx.exec(sql`insert into tx_last values (3)`);
        tx.later(sql`insert into tx_last values (${101})`);
        await tx.last(sql`insert into tx_last values (4), (1)`);
      }),
    ).rejects.toThrow();
    // A failure after a last statement rolls back what ran after it.
    await expect(
      t.db.scoped(s, async (tx) => {
        await tx.last(sql`insert into tx_last values (5)`);
        await tx.exec(sql`insert into tx_last values (6)`);
        await tx.exec(sql`insert into tx_last values (6)`);
      }),
    ).rejects.toThrow();
    const left = (await t.db.root.rows<{ n: number }>(sql`select n from tx_last order by n`)).map((r) => r.n);
    // On PGlite the whole request is one transaction, so 5 goes with the failure; on a server it was committed.
    expect(left).toEqual(t.db.kind === 'postgres' ? [1, 2, 5, 100] : [1, 2, 100]);
    for (let i = 0; i < 12; i++) expect((await t.db.scoped(s, (tx) => tx.last<{ x: number }>(sql`select 1 as x`)))[0].x).toBe(1);
  });

  it('runs a statement ahead of the next one: first in the transaction or later, and its failure fails that statement', async () => {
    const s = scopeOf('370124000000');
    const r = await t.db.scoped(s, async (tx) => {
      tx.ahead(sql`select set_config('yl.ahead', ${'一'}, true), pg_advisory_xact_lock(${42})`);
      const first = await tx.one<{ a: string; lo: string; locks: number }>(
        sql`select current_setting('yl.ahead', true) as a, current_setting('yinling.lo') as lo,
          (select count(*)::int from pg_locks where locktype = 'advisory' and pid = pg_backend_pid()) as locks`,
      );
      tx.ahead(sql`select set_config('yl.ahead', ${"二'"}, true)`);
      const second = await tx.one<{ a: string }>(sql`select current_setting('yl.ahead', true) as a`);
      return { first, second };
    });
    expect(r).toEqual({ first: { a: '一', lo: s.lo, locks: 1 }, second: { a: "二'" } });
    const e = await t.db
      .scoped(s, async (tx) => {
        await tx.exec(sql`insert into tx_probe values (77)`);
        tx.ahead(sql`select 1 / ${0}`);
        await tx.one(sql`select 1 as x`);
      })
      .catch((x: Error) => x);
    expect(`${(e as Error).message} ${((e as Error).cause as Error | undefined)?.message}`).toMatch(/division by zero/);
    expect((await t.db.root.rows(sql`select n from tx_probe where n = 77`)).length).toBe(0);
    expect((await t.db.scoped(s, (tx) => tx.one<{ x: number }>(sql`select 1 as x`)))!.x).toBe(1);
  });
});
