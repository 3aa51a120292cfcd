/**
 * Rosters written by a real spreadsheet program. LibreOffice Calc (as Excel and WPS do) turns a
 * typed 2024-01-01 into a date cell, a phone number into a number cell, and an 18-digit ID number
 * not formatted as text into 3.70124E+17. The files here are written by LibreOffice itself
 * (`soffice --headless --convert-to xlsx`, Debian's libreoffice-calc-nogui), not by exceljs.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../kernel/db.js';
import ExcelJS from '../../kernel/excel.js';
import { makeIdNumber } from '../../kernel/idnumber.js';
import { agentFor, buildCounty, multipartFile, testApp, type TestApp, type TestCounty } from '../../test/harness.js';
import { ELDER_HEADERS } from './elders.import.js';

function soffice(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v soffice || command -v libreoffice'], { encoding: 'utf8' }).trim().split('\n')[0];
  } catch {
    throw new Error(
      'LibreOffice is missing: these tests convert their fixtures with `soffice --headless --convert-to xlsx`. ' +
        'Install it with `apt-get install -y libreoffice-calc-nogui` (CI does).',
    );
  }
}

/**
 * Converts a fixture (CSV or flat ODS) to .xlsx with LibreOffice in a temp dir, with its own
 * user profile so parallel runs do not clash over one. `csvColumns` is Calc's CSV column format
 * list (1 standard, 2 text), e.g. to keep the ID number column as text.
 */
async function calcXlsx(name: string, text: string, csvColumns?: string): Promise<Buffer> {
  const bin = soffice();
  const dir = await mkdtemp(join(tmpdir(), 'yl-calc-'));
  try {
    const src = join(dir, name);
    await writeFile(src, text);
    const args = ['--headless', '--norestore', `-env:UserInstallation=file://${join(dir, 'profile')}`];
    // CSV: comma, double quote, UTF-8 (76), from line 1, column formats.
    if (name.endsWith('.csv')) args.push(`--infilter=CSV:44,34,76,1,${csvColumns ?? ''}`);
    args.push('--convert-to', 'xlsx', '--outdir', dir, src);
    await promisify(execFile)(bin, args, { timeout: 120_000 });
    return await readFile(join(dir, name.replace(/\.\w+$/, '.xlsx')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const HEAD = '身份证号,姓名,居住村（社区）代码,户籍地区划代码,联系电话,居住地址,居住状况,人员类别,类别起始日期,依据文件,联系人姓名,联系人关系,联系人电话';

describe('rosters saved by LibreOffice Calc', () => {
  let t: TestApp;
  let c: TestCounty;
  let staff: Awaited<ReturnType<typeof agentFor>>;
  beforeAll(async () => {
    soffice();
    t = await testApp();
    c = await buildCounty(t.db);
    staff = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipA });
  });
  afterAll(() => t?.close());

  const id = (birth: string, seq: number) => makeIdNumber(c.county.slice(0, 6), birth, seq);
  async function run(file: Buffer) {
    const m = multipartFile(file, '名册.xlsx');
    const r = await staff.request('POST', '/api/v1/elders/import?mode=valid-only', m.payload, m.headers);
    expect(r.statusCode, r.body).toBe(200);
    for (let i = 0; i < 400; i++) {
      const j = (await staff.get(`/api/v1/import-jobs/${r.json().jobId}`)).json();
      if (j.status !== 'running') return j;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error('import did not finish');
  }
  const stored = (idNumber: string) =>
    t.db.root.one<{ phone: string | null; valid_from: string | null; contact_phone: string | null }>(sql`
      select e.phone, (select c.valid_from::text from elder_categories c where c.elder_id = e.id limit 1) as valid_from,
             (select k.phone from elder_contacts k where k.elder_id = e.id limit 1) as contact_phone
        from elders e where e.id_number = ${idNumber}`);

  it('accepts date cells, numeric phone cells and ID numbers kept as text', async () => {
    const a = id('1944-01-02', 11);
    const b = id('1950-03-04', 21);
    const csv = [
      HEAD,
      `${a},吴一,${c.villageA},,13800000001,甲一社区1号,独居,低保,2024-01-01,民字1号,吴子,儿子,13900000001`,
      `${b},吴二,${c.villageA2},,,,,特困（分散供养）,2023-12-31,,,,`,
    ].join('\n');
    // Column 1 (ID number) as text, as a careful clerk formats it; everything else as Calc guesses.
    const file = await calcXlsx('roster.csv', csv, '1/2');
    const j = await run(file);
    expect(j.status).toBe('done');
    expect(j.report.errors).toEqual([]);
    expect(j.report).toMatchObject({ total: 2, imported: 2, rejected: 0 });
    // A date at midnight stays on its day, in Asia/Shanghai and in UTC alike.
    expect(await stored(a)).toEqual({ phone: '13800000001', valid_from: '2024-01-01', contact_phone: '13900000001' });
    expect((await stored(b))?.valid_from).toBe('2023-12-31');
  });

  it('reads dates of a workbook in the 1904 date system', async () => {
    const a = id('1945-05-06', 31);
    const cell = (v: string) => `<table:table-cell office:value-type="string"><text:p>${v}</text:p></table:table-cell>`;
    const date = (d: string) =>
      `<table:table-cell table:style-name="ce1" office:value-type="date" office:date-value="${d}"><text:p>${d}</text:p></table:table-cell>`;
    const fods = `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
  xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
 <office:automatic-styles>
  <number:date-style style:name="N1"><number:year number:style="long"/><number:text>-</number:text><number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/></number:date-style>
  <style:style style:name="ce1" style:family="table-cell" style:data-style-name="N1"/>
 </office:automatic-styles>
 <office:body><office:spreadsheet>
  <table:calculation-settings><table:null-date table:date-value="1904-01-01"/></table:calculation-settings>
  <table:table table:name="名册">
   <table:table-row>${['身份证号', '姓名', '居住村（社区）代码', '人员类别', '类别起始日期'].map(cell).join('')}</table:table-row>
   <table:table-row>${[a, '郑一', c.villageA, '低保'].map(cell).join('')}${date('2024-01-01')}</table:table-row>
  </table:table>
 </office:spreadsheet></office:body>
</office:document>`;
    const file = await calcXlsx('roster1904.fods', fods);
    // LibreOffice writes date1904="true" and a serial 1,462 days smaller than in the 1900 system.
    const j = await run(file);
    expect(j.report.errors).toEqual([]);
    expect(j.report.imported).toBe(1);
    expect((await stored(a))?.valid_from).toBe('2024-01-01');
  });

  it('tells the user to format the column as text when an ID number became a number', async () => {
    const a = id('1946-07-08', 41);
    const csv = [HEAD, `${a},王一,${c.villageA},,,,,,,,,,`].join('\n');
    const file = await calcXlsx('numbers.csv', csv);
    const j = await run(file);
    expect(j.report).toMatchObject({ total: 1, imported: 0, rejected: 1 });
    expect(j.report.errors).toHaveLength(1);
    expect(j.report.errors[0]).toMatchObject({ row: 2, column: '身份证号' });
    expect(j.report.errors[0].message).toContain('文本');
    expect(j.report.errors[0].message).toContain('3.70124E+17');
    expect(j.report.errors[0].messageEn).toContain('Text');
    expect(await stored(a)).toBeFalsy();
  });

  it('serves a template with dropdowns, text columns and the villages of the user’s area', async () => {
    const r = await staff.get('/api/v1/elders/import/template');
    expect(r.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['老年人名册', '村（社区）代码', '选项', '说明']);
    const ws = wb.worksheets[0];
    const col = (h: string) => ws.getColumn(ELDER_HEADERS.indexOf(h as never) + 1).letter;
    const dv = (ws as unknown as { dataValidations: { model: Record<string, { type: string; formulae: string[]; errorStyle?: string }> } }).dataValidations
      .model;
    // The village column picks from the village sheet; the sheet holds this township's villages only.
    expect(dv[`${col('居住村（社区）代码')}2`]).toMatchObject({ type: 'list', formulae: ["'村（社区）代码'!$A$2:$A$3"] });
    expect(dv[`${col('居住村（社区）代码')}5001`]?.type).toBe('list');
    const villages = wb.getWorksheet('村（社区）代码')!;
    const listed = [2, 3, 4].map((i) => villages.getRow(i).values);
    expect(listed).toEqual([[undefined, c.villageA, '甲一社区居民委员会', '甲街道'], [undefined, c.villageA2, '甲二村民委员会', '甲街道'], []]);
    // Living arrangement, categories and sex pick from the option lists.
    const opts = wb.getWorksheet('选项')!;
    const values = (f: string) => {
      const [, c1, r1, , r2] = /^选项!\$([A-Z])\$(\d+):\$([A-Z])\$(\d+)$/.exec(f)!;
      return Array.from({ length: Number(r2) - Number(r1) + 1 }, (_, i) => opts.getCell(`${c1}${Number(r1) + i}`).value);
    };
    expect(dv[`${col('居住状况')}2`]).toMatchObject({ type: 'list', errorStyle: 'stop' });
    expect(values(dv[`${col('居住状况')}2`].formulae[0])).toEqual(['独居', '与配偶同住', '与子女同住', '与配偶和子女同住', '与其他人同住', '入住机构']);
    expect(dv[`${col('人员类别')}2`]).toMatchObject({ type: 'list', errorStyle: 'information' });
    expect(values(dv[`${col('人员类别')}2`].formulae[0])).toContain('特困（分散供养）');
    expect(values(dv[`${col('性别')}2`].formulae[0])).toEqual(['男', '女']);
    // ID numbers and codes are text, so a spreadsheet keeps all 18 digits.
    expect(ws.getColumn(1).numFmt).toBe('@');
    expect(ws.getColumn(col('居住村（社区）代码')).numFmt).toBe('@');
  });

  it('checks the optional sex column against the ID number', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名册');
    ws.addRow([...ELDER_HEADERS]);
    const row = (idNumber: string, name: string, sex: string) => {
      const r: string[] = ELDER_HEADERS.map(() => '');
      r[0] = idNumber;
      r[1] = name;
      r[2] = c.villageA;
      r[ELDER_HEADERS.indexOf('性别')] = sex;
      ws.addRow(r);
    };
    const male = id('1947-01-01', 51); // odd sequence digit: male
    row(male, '孙一', '男');
    row(id('1947-02-02', 61), '孙二', '女');
    row(id('1947-03-03', 71), '孙三', '未知');
    const j = await run(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(j.report.imported).toBe(1);
    expect(j.report.errors.map((e: { row: number; column: string }) => `${e.row}:${e.column}`)).toEqual(['3:性别', '4:性别']);
    expect(j.report.errors[0].message).toBe('性别与身份证号不符，请核对身份证号');
  });
});
