import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from './db.js';
import { scopeOf } from './scope.js';
import { buildCounty, buildElder, testDb, type TestDb } from '../test/harness.js';

describe('row-level security keeps every query inside the region', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await testDb();
  });
  afterAll(() => t.close());

  it('limits reads, counts and writes of a township to its own rows', async () => {
    const c = await buildCounty(t.db);
    const a = await buildElder(t.db, { regionCode: c.villageA });
    const b = await buildElder(t.db, { regionCode: c.villageB });
    const A = scopeOf(c.townshipA);
    const r = await t.db.scoped(A, async (tx) => ({
      ids: (await tx.rows<{ id: string }>(sql`select id::text as id from elders`)).map((x) => x.id),
      n: (await tx.one<{ n: number }>(sql`select count(*)::int as n from elders`))!.n,
      updatedB: await tx.exec(sql`update elders set name = 'x' where id = ${b.id}`),
      deletedB: await tx.exec(sql`delete from elders where id = ${b.id}`),
    }));
    expect(r.ids).toEqual([a.id]);
    expect(r.n).toBe(1);
    expect(r.updatedB).toBe(0);
    expect(r.deletedB).toBe(0);
    // Writing a row into the neighbour's region, or moving one there, is refused.
    await expect(
      t.db.scoped(A, (tx) =>
        tx.exec(
          sql`insert into elders (county_code, region_code, id_number, name, sex, birth_date) values (${c.county.slice(0, 6)}, ${c.villageB}, '370124194501010011', 'x', 'M', '1945-01-01')`,
        ),
      ),
    ).rejects.toThrow();
    await expect(t.db.scoped(A, (tx) => tx.exec(sql`update elders set region_code = ${c.villageB} where id = ${a.id}`))).rejects.toThrow();
    // The county sees both; a neighbouring county sees neither.
    expect((await t.db.scoped(scopeOf(c.county), (tx) => tx.rows(sql`select id from elders where id in (${a.id}, ${b.id})`))).length).toBe(2);
    const other = await buildCounty(t.db);
    expect((await t.db.scoped(scopeOf(other.county), (tx) => tx.rows(sql`select id from elders where id in (${a.id}, ${b.id})`))).length).toBe(0);
  });

  it('shows nothing when no scope is set', async () => {
    const c = await buildCounty(t.db);
    await buildElder(t.db, { regionCode: c.villageA });
    const n = await t.db.system(async (tx) => {
      await tx.exec(sql`set local role yinling_app`);
      return (await tx.one<{ n: number }>(sql`select count(*)::int as n from elders`))!.n;
    });
    expect(n).toBe(0);
  });
});
