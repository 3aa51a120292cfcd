/**
 * Import jobs left running by a stopped process (issue 20 item 9): at start (and every minute)
 * they are marked failed with a message telling the user to import the file again; a job of a
 * live process (fresh heartbeat) is left alone on PostgreSQL, where several processes share the
 * database. A job marked failed that then tries to finish writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from '../../kernel/excel.js';
import { sql } from '../../kernel/db.js';
import { makeIdNumber } from '../../kernel/idnumber.js';
import { principalScope, type Principal } from '../../kernel/principal.js';
import { agentFor, buildCounty, testApp, type TestApp, type TestCounty } from '../../test/harness.js';
import { createImportJob, ELDER_HEADERS, failAbandonedImports, readRoster, runImportJob } from './elders.import.js';

let t: TestApp;
let c: TestCounty;
let staff: Awaited<ReturnType<typeof agentFor>>;
beforeAll(async () => {
  t = await testApp();
  c = await buildCounty(t.db);
  staff = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipA });
});
afterAll(async () => t?.close());

async function job(o: { status: 'running' | 'done'; beat: string | null }) {
  const r = await t.db.root.one<{ id: string }>(sql`insert into import_jobs (county_code, region_code, user_id, kind, mode, file_name, status, heartbeat_at)
    values (${c.county.slice(0, 6)}, ${c.townshipA}, ${staff.user.id}, 'elders', 'all-or-nothing', '名册.xlsx', ${o.status},
            ${o.beat === null ? null : sql`now() - ${o.beat}::interval`})
    returning id::text as id`);
  return r!.id;
}
const statusOf = async (id: string) => (await staff.get(`/api/v1/import-jobs/${id}`)).json();

describe('import jobs left by a stopped process', () => {
  it('are marked failed at start, telling the user to import again; a live process keeps its job (PostgreSQL)', async () => {
    const fresh = await job({ status: 'running', beat: '1 second' });
    const stale = await job({ status: 'running', beat: '10 minutes' });
    const legacy = await job({ status: 'running', beat: null });
    const done = await job({ status: 'done', beat: '10 minutes' });

    const failed = await failAbandonedImports(t.db, { atStart: true });
    expect(failed).toContain(stale);
    expect(failed).toContain(legacy);
    // On PGlite no other process can hold the data folder: at start, every running job is an orphan.
    // On PostgreSQL another process may be running the fresh one.
    const freshAfter = await statusOf(fresh);
    expect(freshAfter.status).toBe(t.db.kind === 'pglite' ? 'failed' : 'running');
    expect((await statusOf(done)).status).toBe('done');

    const s = await statusOf(stale);
    expect(s.status).toBe('failed');
    expect(s.report.error).toMatch(/没有写入任何数据.*重新导入/);
    expect(s.report.errorEn).toMatch(/nothing was written.*import the file again/);

    // Every minute: only jobs whose heartbeat went stale, whatever the database.
    const live = await job({ status: 'running', beat: '1 second' });
    expect(await failAbandonedImports(t.db)).toEqual([]);
    expect((await statusOf(live)).status).toBe('running');
    await t.db.root.exec(sql`update import_jobs set heartbeat_at = now() - interval '2 minutes' where id = ${live}`);
    // Swept by several processes at once: one marks it.
    const sweeps = await Promise.all(Array.from({ length: 10 }, () => failAbandonedImports(t.db)));
    expect(sweeps.flat().filter((id) => id === live)).toEqual([live]);
    expect((await statusOf(live)).status).toBe('failed');
    await t.db.root.exec(sql`update import_jobs set status = 'done' where id = ${fresh} and status = 'running'`);
  });

  it('a job marked failed while it validated writes nothing when it comes to commit, and stays failed', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名册');
    ws.addRow([...ELDER_HEADERS]);
    const v = ELDER_HEADERS.indexOf('居住村（社区）代码');
    for (let i = 0; i < 3; i++) {
      const row = ELDER_HEADERS.map(() => '');
      row[ELDER_HEADERS.indexOf('身份证号')] = makeIdNumber(c.county.slice(0, 6), '1944-02-0' + (i + 1), 40 + i * 2);
      row[ELDER_HEADERS.indexOf('姓名')] = `中断${i}`;
      row[v] = c.villageA;
      ws.addRow(row);
    }
    const rows = await readRoster(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(rows.length).toBe(3);
    const p: Principal = {
      userId: staff.user.id,
      username: staff.user.username,
      displayName: 'x',
      role: 'township_staff',
      regionCode: c.townshipA,
      countyCode: c.county.slice(0, 6),
      providerId: null,
      sessionId: '',
      csrfToken: '',
      mustChangePassword: false,
    };
    const id = await t.db.scoped(principalScope(p), (tx) => createImportJob(tx, p, rows.length, '名册.xlsx', 'all-or-nothing'));
    // Its heartbeat went stale (a stall) and a sweep failed it before it came to write.
    await t.db.root.exec(sql`update import_jobs set heartbeat_at = now() - interval '5 minutes' where id = ${id}`);
    expect(await failAbandonedImports(t.db)).toEqual([id]);
    await runImportJob(t.db, p, id, rows, 'all-or-nothing', '名册.xlsx');
    const j = await statusOf(id);
    expect(j.status).toBe('failed');
    expect(j.report.abandoned).toBe(true);
    const n = await t.db.root.one<{ n: number }>(sql`select count(*)::int as n from elders where name like '中断%'`);
    expect(n!.n).toBe(0);
    const audit = await t.db.root.one<{ n: number }>(sql`select count(*)::int as n from audit_log where action = 'import' and actor_id = ${staff.user.id}`);
    expect(audit!.n).toBe(0);

    // The same job not failed meanwhile is written and done.
    const ok = await t.db.scoped(principalScope(p), (tx) => createImportJob(tx, p, rows.length, '名册.xlsx', 'all-or-nothing'));
    await runImportJob(t.db, p, ok, rows, 'all-or-nothing', '名册.xlsx');
    expect((await statusOf(ok)).status).toBe('done');
    expect((await t.db.root.one<{ n: number }>(sql`select count(*)::int as n from elders where name like '中断%'`))!.n).toBe(3);
  });
});
