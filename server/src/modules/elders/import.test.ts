import ExcelJS from '../../kernel/excel.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../kernel/db.js';
import { makeIdNumber } from '../../kernel/idnumber.js';
import { agentFor, buildCounty, multipartFile, testApp, type TestApp, type TestCounty } from '../../test/harness.js';
import { ELDER_HEADERS } from './elders.import.js';

async function roster(rows: string[][]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名册');
  ws.addRow([...ELDER_HEADERS]);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('roster import and export', () => {
  let t: TestApp;
  let c: TestCounty;
  let staff: Awaited<ReturnType<typeof agentFor>>;
  beforeAll(async () => {
    t = await testApp();
    c = await buildCounty(t.db);
    staff = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipA });
  });
  afterAll(() => t.close());

  const id = (birth: string, seq: number) => makeIdNumber(c.county.slice(0, 6), birth, seq);
  async function run(file: Buffer, mode: string) {
    const m = multipartFile(file, '名册.xlsx');
    const r = await staff.request('POST', `/api/v1/elders/import?mode=${mode}`, m.payload, m.headers);
    expect(r.statusCode).toBe(200);
    const { jobId } = r.json();
    for (let i = 0; i < 200; i++) {
      const j = (await staff.get(`/api/v1/import-jobs/${jobId}`)).json();
      if (j.status !== 'running') return j;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error('import did not finish');
  }

  it('names every bad row and column; all-or-nothing writes nothing, valid-only writes the good rows once', async () => {
    const good1 = id('1944-01-02', 11);
    const good2 = id('1950-03-04', 21);
    const badCheck = id('1946-05-06', 31).slice(0, 17) + (id('1946-05-06', 31)[17] === '1' ? '2' : '1');
    const file = await roster([
      [good1, '周一', c.villageA, '', '13800000001', '甲一社区1号', '独居', '低保、独居', '2024-01-01', '民字1号', '周子', '儿子', '13900000001'],
      [badCheck, '周二', c.villageA, '', '', '', '', '', '', '', '', '', ''],
      ['370124194602300011', '周三', c.villageA, '', '', '', '', '', '', '', '', '', ''],
      [good2, '周四', c.villageA2, '', '', '', '与配偶同住', '', '', '', '', '', ''],
      [id('1947-07-07', 41), '周五', '999999999999', '', '123', '', '同住', '富裕', '2024-02-30', '', '', '', ''],
      [good1, '周一重', c.villageA, '', '', '', '', '', '', '', '', '', ''],
      [id('1948-08-08', 51), '周六', c.villageB, '', '', '', '', '', '', '', '', '', ''],
    ]);
    const strict = await run(file, 'all-or-nothing');
    expect(strict.status).toBe('done');
    expect(strict.report).toMatchObject({ total: 7, imported: 0, committed: false, rejected: 5 });
    const cells = strict.report.errors.map((e: { row: number; column: string }) => `${e.row}:${e.column}`);
    expect(cells).toEqual([
      '3:身份证号',
      '4:身份证号',
      '6:居住村（社区）代码',
      '6:联系电话',
      '6:居住状况',
      '6:人员类别',
      '6:类别起始日期',
      '7:身份证号',
      '8:居住村（社区）代码',
    ]);
    expect(strict.report.errors[0]).toMatchObject({ message: '身份证号校验位错误', messageEn: 'the ID number check digit is wrong' });
    expect((await t.db.root.one<{ n: number }>(sql`select count(*)::int as n from elders where region_code like ${c.county.slice(0, 6) + '%'}`))!.n).toBe(0);

    const loose = await run(file, 'valid-only');
    expect(loose.report).toMatchObject({ imported: 2, committed: true, rejected: 5 });
    const e = await t.db.root.one<{ id: string; sex: string; birth_date: string; living_arrangement: string }>(
      sql`select id::text as id, sex, birth_date::text as birth_date, living_arrangement from elders where id_number = ${good1}`,
    );
    expect(e).toMatchObject({ sex: 'M', birth_date: '1944-01-02', living_arrangement: 'alone' });
    const cats = await t.db.root.rows<{ category: string }>(sql`select category from elder_categories where elder_id = ${e!.id} order by 1`);
    expect(cats.map((x) => x.category)).toEqual(['dibao', 'living_alone']);

    // Rerun: the two are reported as registered, nothing doubles.
    const again = await run(file, 'valid-only');
    expect(again.report.imported).toBe(0);
    expect(again.report.errors.filter((x: { message: string }) => x.message === '该身份证号已登记').map((x: { row: number }) => x.row)).toEqual([2, 5]);
    expect((await t.db.root.one<{ n: number }>(sql`select count(*)::int as n from elders where id_number in (${good1}, ${good2})`))!.n).toBe(2);
  });

  it('refuses a file that is not a roster with a clear message', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('x').addRow(['foo', 'bar']);
    const m = multipartFile(Buffer.from(await wb.xlsx.writeBuffer()), 'x.xlsx');
    const r = await staff.request('POST', '/api/v1/elders/import', m.payload, m.headers);
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatchObject({ code: 'BAD_HEADER' });
    expect(r.json().error.message).toContain('身份证号');
  });

  it('serves the template and exports the filtered list masked, with an audit entry', async () => {
    const tpl = await staff.get('/api/v1/elders/import/template');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0].getRow(1).values).toEqual([undefined, ...ELDER_HEADERS]);
    const ex = await staff.get(`/api/v1/elders/export?regionCode=${c.villageA}`);
    expect(ex.statusCode).toBe(200);
    const out = new ExcelJS.Workbook();
    await out.xlsx.load(ex.rawPayload as unknown as ArrayBuffer);
    const ws = out.worksheets[0];
    expect(ws.getRow(1).getCell(1).value).toBe('姓名');
    expect(ws.rowCount).toBeGreaterThan(1);
    expect(String(ws.getRow(2).getCell(2).value)).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    const log = await t.db.root.one<{ n: number }>(sql`select count(*)::int as n from audit_log where action = 'export' and entity = 'elder'`);
    expect(log!.n).toBe(1);
  });
});
