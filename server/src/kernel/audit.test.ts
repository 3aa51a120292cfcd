import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from './db.js';
import { scopeOf } from './scope.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sealAudit, verifyAudit, writeAudit } from './audit.js';
import { AuditCheckpointer, openAuditAnchor } from './audit-anchor.js';
import { agentFor, buildCounty, buildElder, testDb, testApp, type TestApp, type TestDb } from '../test/harness.js';

describe('hash-chained audit log', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await testDb();
  });

  describe('audit rows written with the commit', () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await testDb();
    });
    afterAll(() => t.close());
    const actor = { id: null, name: "O'Brien \\ 张三", role: 'county_admin' };

    it('keeps every character of the entry (quotes, backslashes, Chinese, JSON) and none when the change rolls back', async () => {
      const c = await buildCounty(t.db);
      const tricky = { note: "it's \\ 'quoted' $1 $$ \u4e2d\n新", nested: { a: [1, 2, null], b: true } };
      await t.db.scoped(scopeOf(c.county), (tx) =>
        writeAudit(tx, actor, {
          action: 'update',
          entity: 'elder',
          entityId: "x'1",
          regionCode: c.villageA,
          before: null,
          after: tricky,
          reason: "because ' \\ 理由",
        }),
      );
      const row = await t.db.root.one<{ actor_name: string; entity_id: string; after: unknown; reason: string }>(
        sql`select actor_name, entity_id, after, reason from audit_log where entity_id = ${"x'1"}`,
      );
      expect(row).toEqual({ actor_name: actor.name, entity_id: "x'1", after: tricky, reason: "because ' \\ 理由" });

      await expect(
        t.db.scoped(scopeOf(c.county), async (tx) => {
          await writeAudit(tx, actor, { action: 'update', entity: 'elder', entityId: 'rolled-back', regionCode: c.villageA });
          throw new Error('handler failed after auditing');
        }),
      ).rejects.toThrow('handler failed');
      expect(await t.db.root.one(sql`select 1 from audit_log where entity_id = 'rolled-back'`)).toBeUndefined();

      // A deferred write that fails takes the whole transaction with it.
      await expect(
        t.db.scoped(scopeOf(c.county), async (tx) => {
          await writeAudit(tx, actor, { action: 'update', entity: 'elder', entityId: 'with-bad-later', regionCode: c.villageA });
          tx.later(sql`insert into audit_log (county_code) values (${'x'})`);
        }),
      ).rejects.toThrow();
      expect(await t.db.root.one(sql`select 1 from audit_log where entity_id = 'with-bad-later'`)).toBeUndefined();
    });
  });
  afterAll(() => t.close());

  const actor = { id: null, name: '测试', role: 'county_admin' };

  it('chains entries per county, verifies, and detects an edited or deleted entry', async () => {
    const c = await buildCounty(t.db);
    const county = c.county.slice(0, 6);
    await t.db.system(async (tx) => {
      for (let i = 0; i < 7; i++)
        await writeAudit(tx, actor, { action: 'update', entity: 'elder', entityId: `e${i}`, regionCode: c.villageA, before: { n: i }, after: { n: i + 1 } });
    });
    expect(await sealAudit(t.db)).toBe(7);
    // A second and third seal continue the chain past ten entries (sequence order is numeric, not text).
    await t.db.system(async (tx) => {
      for (let i = 0; i < 6; i++) await writeAudit(tx, actor, { action: 'update', entity: 'elder', entityId: `f${i}`, regionCode: c.villageA });
    });
    expect(await sealAudit(t.db)).toBe(6);
    await t.db.system((tx) => writeAudit(tx, actor, { action: 'update', entity: 'elder', entityId: 'g', regionCode: c.villageA }));
    expect(await sealAudit(t.db)).toBe(1);
    expect(await verifyAudit(t.db.root, county)).toEqual([{ countyCode: county, checked: 14, ok: true, pending: 0 }]);

    // The owner can bypass the trigger; the chain still tells.
    await t.db.execScript(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_immutable;
      UPDATE audit_log SET after = '{"n": 99}' WHERE county_code = '${county}' AND seq = 3;
      ALTER TABLE audit_log ENABLE TRIGGER audit_log_immutable;`);
    expect((await verifyAudit(t.db.root, county))[0]).toMatchObject({ ok: false, firstBadSeq: 3, problem: 'entry #3 was altered' });

    const c2 = await buildCounty(t.db);
    const county2 = c2.county.slice(0, 6);
    await t.db.system(async (tx) => {
      for (let i = 0; i < 3; i++) await writeAudit(tx, actor, { action: 'x', entity: 'y', regionCode: c2.villageA });
    });
    await sealAudit(t.db);
    await t.db.execScript(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_immutable;
      DELETE FROM audit_log WHERE county_code = '${county2}' AND seq = 2;
      ALTER TABLE audit_log ENABLE TRIGGER audit_log_immutable;`);
    expect((await verifyAudit(t.db.root, county2))[0]).toMatchObject({ ok: false, firstBadSeq: 2, problem: 'missing entry #2' });
  });

  it('refuses changes to sealed entries, and the app role can neither update nor delete', async () => {
    const c = await buildCounty(t.db);
    await t.db.system((tx) => writeAudit(tx, actor, { action: 'x', entity: 'y', regionCode: c.villageA }));
    await sealAudit(t.db);
    await expect(t.db.root.exec(sql`update audit_log set reason = 'x' where region_code = ${c.villageA}`)).rejects.toThrow();
    await expect(t.db.scoped(scopeOf(c.county), (tx) => tx.exec(sql`delete from audit_log where region_code = ${c.villageA}`))).rejects.toThrow();
    const left = await t.db.root.one<{ n: number }>(sql`select count(*)::int as n from audit_log where region_code = ${c.villageA}`);
    expect(left!.n).toBe(1);
  });

  it('keeps one chain across successive seals', async () => {
    const c = await buildCounty(t.db);
    const county = c.county.slice(0, 6);
    await t.db.system((tx) => writeAudit(tx, actor, { action: 'a', entity: 'y', regionCode: c.villageA }));
    await sealAudit(t.db);
    await t.db.system((tx) => writeAudit(tx, actor, { action: 'b', entity: 'y', regionCode: c.villageA }));
    await sealAudit(t.db);
    expect((await verifyAudit(t.db.root, county))[0]).toMatchObject({ ok: true, checked: 2 });
  });
});

describe('audit through the API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  it('records a reveal of personal data with its reason, and keeps lists masked', async () => {
    const c = await buildCounty(t.db);
    const e = await buildElder(t.db, { regionCode: c.villageA, name: '王秀英' });
    const staff = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipA });
    const list = (await staff.get('/api/v1/elders')).json();
    const item = list.items.find((x: { id: string }) => x.id === e.id);
    expect(item.idNumber).toBe(`${e.idNumber.slice(0, 6)}********${e.idNumber.slice(14)}`);
    expect(item.phone).toBe('139****5678');
    expect(JSON.stringify(list)).not.toContain(e.idNumber);
    const detail = (await staff.get(`/api/v1/elders/${e.id}`)).json();
    expect(detail).toMatchObject({ masked: true, address: '****' });
    const noReason = await staff.post(`/api/v1/elders/${e.id}/reveal`, { reason: '' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.details[0]).toMatchObject({ path: 'reason', message: '请填写查看原因', messageEn: 'give a reason' });
    const full = (await staff.post(`/api/v1/elders/${e.id}/reveal`, { reason: '核对高龄津贴' })).json();
    expect(full).toMatchObject({ idNumber: e.idNumber, phone: '13912345678', masked: false });
    const admin = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
    const log = (await admin.get(`/api/v1/audit?action=reveal&entityId=${e.id}`)).json();
    expect(log.items).toHaveLength(1);
    expect(log.items[0]).toMatchObject({ reason: '核对高龄津贴', actorRole: 'township_staff', entity: 'elder' });
    await sealAudit(t.db);
    const v = (await admin.post('/api/v1/audit/verify')).json();
    expect(v.results).toEqual([expect.objectContaining({ countyCode: c.county.slice(0, 6), ok: true, pending: 0 })]);
  });

  it('"校验哈希链" also checks the checkpoints of the data folder: a cut tail is named', async () => {
    const c = await buildCounty(t.db);
    const county = c.county.slice(0, 6);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yl-audit-'));
    Object.assign(t.app.config, { DATA_DIR: dir, AUDIT_KEY: undefined });
    const admin = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
    await t.db.system(async (tx) => {
      for (let i = 0; i < 4; i++)
        await writeAudit(tx, { id: null, name: '测试', role: 'county_admin' }, { action: 'update', entity: 'elder', regionCode: c.villageA });
    });
    await sealAudit(t.db);
    await new AuditCheckpointer(openAuditAnchor({ DATA_DIR: dir }, true)!).run(t.db);
    const head = (await verifyAudit(t.db.root, county))[0].checked;
    expect((await admin.post('/api/v1/audit/verify')).json().results).toEqual([expect.objectContaining({ ok: true, checkpoints: 1 })]);
    await t.db.execScript(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_immutable;
      DELETE FROM audit_log WHERE county_code = '${county}' AND seq > ${head - 2};
      ALTER TABLE audit_log ENABLE TRIGGER audit_log_immutable;`);
    const v = (await admin.post('/api/v1/audit/verify')).json();
    expect(v.results).toEqual([expect.objectContaining({ countyCode: county, ok: false, missing: { from: head - 1, to: head } })]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
