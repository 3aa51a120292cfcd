import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, sql, type Database } from './db.js';
import { AUDIT_CHAIN_COLUMNS, AUDIT_HASHED_COLUMNS, sealAudit, verifyAudit, writeAudit } from './audit.js';
import { AuditCheckpointer, openAuditAnchor, signCheckpoint, verifyAnchored, type AuditAnchor } from './audit-anchor.js';
import { freshServerDb, TEST_DB, testDb, type TestDb } from '../test/harness.js';

const KEY = 'test-audit-key-0123456789abcdef-0123456789';
const actor = { id: null, name: '张三', role: 'county_admin', ip: '10.0.0.7', requestId: 'req-1' };

/** A county of its own per test (audit entries need no regions), with `n` sealed entries. */
let next = 0;
async function chain(db: Database, n: number): Promise<string> {
  const county = `3798${String(++next).padStart(2, '0')}`;
  await db.system(async (tx) => {
    for (let i = 1; i <= n; i++)
      await writeAudit(tx, actor, { action: 'update', entity: 'elder', entityId: `e${i}`, regionCode: `${county}001001`, after: { n: i } });
  });
  await sealAudit(db);
  return county;
}

/** As the table's owner, past the append-only trigger: what an intruder with the owner role can do. */
const tamper = (db: Database, statement: string) =>
  db.execScript(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_immutable; ${statement}; ALTER TABLE audit_log ENABLE TRIGGER audit_log_immutable;`);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'yl-audit-'));
  dirs.push(d);
  return d;
}

function tmpAnchor(): AuditAnchor {
  const dir = tmpDir();
  return openAuditAnchor({ AUDIT_KEY: KEY, DATA_DIR: dir }, true)!;
}

const one = async (db: Database, a: AuditAnchor, county: string) => (await verifyAnchored(db.root, a, a.file, county))[0];

describe('audit chain: every column hashed, the tail anchored by signed checkpoints', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await testDb();
  });
  afterAll(() => t.close());

  it('hashes every column of audit_log but the chain links themselves', async () => {
    const cols = await t.db.root.rows<{ c: string }>(
      sql`select column_name::text as c from information_schema.columns where table_schema = current_schema() and table_name = 'audit_log'`,
    );
    expect(cols.map((r) => r.c).sort()).toEqual([...Object.keys(AUDIT_HASHED_COLUMNS), ...AUDIT_CHAIN_COLUMNS].sort());
  });

  it('detects changed metadata (actor, role, address, request, hash version) of a sealed entry', async () => {
    const a = tmpAnchor();
    const county = await chain(t.db, 4);
    await new AuditCheckpointer(a).run(t.db);
    expect(await one(t.db, a, county)).toMatchObject({ ok: true, checked: 4, checkpoints: 1 });
    for (const [col, value, was] of [
      ['actor_name', "'李四'", "'张三'"],
      ['actor_role', "'township_staff'", "'county_admin'"],
      ['ip', "'10.9.9.9'", "'10.0.0.7'"],
      ['request_id', "'req-2'", "'req-1'"],
      ['hash_version', '1', '2'],
    ]) {
      await tamper(t.db, `UPDATE audit_log SET ${col} = ${value} WHERE county_code = '${county}' AND seq = 2`);
      expect(await one(t.db, a, county), col).toMatchObject({ ok: false, firstBadSeq: 2, problem: 'entry #2 was altered' });
      await tamper(t.db, `UPDATE audit_log SET ${col} = ${was} WHERE county_code = '${county}' AND seq = 2`);
      expect(await one(t.db, a, county), col).toMatchObject({ ok: true });
    }
  });

  it('detects changed content, also when the chain after it was recomputed', async () => {
    const a = tmpAnchor();
    const county = await chain(t.db, 5);
    await new AuditCheckpointer(a).run(t.db);
    await tamper(t.db, `UPDATE audit_log SET after = '{"n": 99}' WHERE county_code = '${county}' AND seq = 3`);
    expect(await one(t.db, a, county)).toMatchObject({ ok: false, firstBadSeq: 3, problem: 'entry #3 was altered' });

    // Re-chaining from the edited entry on makes a valid chain; the checkpoint still knows.
    await tamper(t.db, `UPDATE audit_log SET seq = NULL, prev_hash = NULL, hash = NULL WHERE county_code = '${county}' AND seq >= 3`);
    await sealAudit(t.db);
    expect((await verifyAudit(t.db.root, county))[0]).toMatchObject({ ok: true, checked: 5 });
    expect(await one(t.db, a, county)).toMatchObject({ ok: false, firstBadSeq: 5, problem: expect.stringContaining('entry #5 differs from its checkpoint') });
  });

  it('detects entries deleted from the tail and names them', async () => {
    const a = tmpAnchor();
    const county = await chain(t.db, 6);
    await new AuditCheckpointer(a).run(t.db);
    await tamper(t.db, `DELETE FROM audit_log WHERE county_code = '${county}' AND seq >= 5`);
    expect((await verifyAudit(t.db.root, county))[0]).toMatchObject({ ok: true, checked: 4 });
    expect(await one(t.db, a, county)).toMatchObject({
      ok: false,
      checked: 4,
      firstBadSeq: 5,
      missing: { from: 5, to: 6 },
      problem: expect.stringContaining('entries #5–#6 are missing (deleted from the tail'),
    });
    // Every entry gone: the county is still reported, from its checkpoints alone.
    await tamper(t.db, `DELETE FROM audit_log WHERE county_code = '${county}'`);
    expect(await verifyAnchored(t.db.root, a, a.file)).toContainEqual(expect.objectContaining({ countyCode: county, ok: false, missing: { from: 1, to: 6 } }));
  });

  it('refuses checkpoints signed with another key, or without the key to check them', async () => {
    const a = tmpAnchor();
    const county = await chain(t.db, 2);
    await new AuditCheckpointer(a).run(t.db);
    expect(await one(t.db, a, county)).toMatchObject({ ok: true, checkpoints: 1 });
    // Someone moving the anchor back (to hide a cut tail) must sign it: without the key they cannot.
    const forged = signCheckpoint(Buffer.from('another key of at least thirty-two chars'), { county, seq: 1, hash: 'x', at: new Date().toISOString() });
    fs.appendFileSync(a.file, JSON.stringify(forged) + '\n');
    expect(await one(t.db, a, county)).toMatchObject({ ok: false, problem: expect.stringMatching(/line \d+ is not a checkpoint signed with this key/) });
    expect((await verifyAnchored(t.db.root, null, a.file, county))[0]).toMatchObject({ ok: false, problem: expect.stringContaining('no audit key') });
  });

  it('keeps verifying entries sealed before hash version 2, and goes on with version 2', async () => {
    const a = tmpAnchor();
    const county = `379890`;
    const write = (id: string) =>
      t.db.system((tx) => writeAudit(tx, actor, { action: 'create', entity: 'elder', entityId: id, regionCode: `${county}001001` }));
    await write('old1');
    await write('old2');
    await sealAudit(t.db, 5000, 1);
    await write('new1');
    await sealAudit(t.db);
    const versions = await t.db.root.rows<{ v: number }>(sql`select hash_version as v from audit_log where county_code = ${county} order by seq`);
    expect(versions.map((r) => r.v)).toEqual([1, 1, 2]);
    await new AuditCheckpointer(a).run(t.db);
    expect(await one(t.db, a, county)).toMatchObject({ ok: true, checked: 3, checkpoints: 1 });
    await tamper(t.db, `UPDATE audit_log SET actor_name = '李四' WHERE county_code = '${county}' AND seq = 3`);
    expect(await one(t.db, a, county)).toMatchObject({ ok: false, firstBadSeq: 3 });
  });

  it('checkpoints a head only when it moved; the key file is made once, readable by its owner only', async () => {
    const dir = tmpDir();
    expect(openAuditAnchor({ DATA_DIR: dir }, false)).toBeNull();
    const a = openAuditAnchor({ DATA_DIR: dir }, true)!;
    expect(fs.statSync(path.join(dir, 'audit-key')).mode & 0o777).toBe(0o600);
    expect(openAuditAnchor({ DATA_DIR: dir }, false)!.key.equals(a.key)).toBe(true);
    const county = await chain(t.db, 2);
    const cp = new AuditCheckpointer(a);
    expect((await cp.run(t.db)).filter((c) => c.county === county)).toMatchObject([{ seq: 2 }]);
    expect(await cp.run(t.db)).toEqual([]);
    // A new process reads where the file left off.
    expect(await new AuditCheckpointer(a).run(t.db)).toEqual([]);
    await t.db.system((tx) => writeAudit(tx, actor, { action: 'update', entity: 'elder', regionCode: `${county}001001` }));
    await sealAudit(t.db);
    expect(await cp.run(t.db)).toMatchObject([{ county, seq: 3 }]);
    expect(await one(t.db, a, county)).toMatchObject({ ok: true, checkpoints: 2 });
  });
});

describe('npm run audit:verify', () => {
  const run = promisify(execFile);
  const verify = (env: Record<string, string>) => {
    const all = { ...process.env, ...env };
    if (!env.DATABASE_URL) delete all.DATABASE_URL;
    return run(process.execPath, ['--import', 'tsx', 'scripts/audit-verify.ts'], { env: all }).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
    );
  };

  it('exits 0 on an intact chain and 3 with the missing entries named when the tail was cut', { timeout: 240_000 }, async () => {
    const dir = tmpDir();
    const env: Record<string, string> = { AUDIT_KEY: KEY, DATA_DIR: dir };
    let open: () => Promise<Database>;
    let drop = async () => {};
    if (TEST_DB === 'postgres') {
      const s = await freshServerDb(process.env.DATABASE_URL!);
      env.DATABASE_URL = s.url;
      open = async () => s.db;
      drop = () => s.close();
    } else {
      // The script opens the data folder itself: one process at a time.
      open = () => openDatabase({ dataDir: dir });
    }
    try {
      let db = await open();
      const county = await chain(db, 5);
      await new AuditCheckpointer(openAuditAnchor({ AUDIT_KEY: KEY, DATA_DIR: dir }, false)!).run(db);
      if (TEST_DB === 'pglite') await db.close();
      const good = await verify(env);
      expect(good.out).toContain(`✔ ${county}: 5 entries intact, 1 checkpoints`);
      expect(good.code).toBe(0);

      db = await open();
      await tamper(db, `DELETE FROM audit_log WHERE county_code = '${county}' AND seq >= 4`);
      if (TEST_DB === 'pglite') await db.close();
      const bad = await verify(env);
      expect(bad.out).toContain(`✘ ${county}: entries #4–#5 are missing`);
      expect(bad.out).toContain('审计记录第 4–5 条已被删除');
      expect(bad.code).toBe(3);
    } finally {
      await drop();
    }
  });
});
