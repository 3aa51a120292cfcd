import ExcelJS from '../../kernel/excel.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentFor, buildCounty, multipartFile, testApp, type TestApp, type TestCounty } from '../../test/harness.js';

async function workbook(rows: (string | number | null)[][]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('区划');
  ws.addRow(['区划代码', '名称', '城乡分类代码', '启用日期', '停用日期']);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('regions', () => {
  let t: TestApp;
  let c: TestCounty;
  beforeAll(async () => {
    t = await testApp();
    c = await buildCounty(t.db);
  });
  afterAll(() => t.close());

  it('shows a township user its own subtree and ancestors, not the neighbour', async () => {
    const a = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipA });
    const codes = (await a.get('/api/v1/regions')).json().items.map((r: { code: string }) => r.code);
    expect(codes).toEqual(expect.arrayContaining([c.county, c.townshipA, c.villageA, c.villageA2]));
    expect(codes).not.toContain(c.townshipB);
    expect(codes).not.toContain(c.villageB);
    const village = (await a.get(`/api/v1/regions/${c.villageA}`)).json();
    expect(village).toMatchObject({ level: 5, kind: 'community', urbanRuralCode: '111' });
    expect(village.path.map((p: { level: number }) => p.level)).toEqual([1, 2, 3, 4, 5]);
    expect((await a.get(`/api/v1/regions/${c.villageB}`)).statusCode).toBe(404);
  });

  it('imports an Excel list, naming every bad row and column, all-or-nothing by default', async () => {
    const admin = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
    const cc = c.county.slice(0, 6);
    const file = await workbook([
      [`${cc}200`, '丙乡', null, '2020-01-01', null], // 9 digits: padded
      [`${cc}200201`, '丙一村民委员会', '220', null, null],
      [`${cc}200202`, '', '220', null, null], // no name
      [`${cc}200203`, '丙三村民委员会', '999', null, null], // bad urban-rural code
      [`${cc}300204`, '孤村民委员会', '220', null, null], // parent missing
      ['370125001001', '外县社区居民委员会', '111', null, null], // another county
      [`${cc}200205`, '丙五村民委员会', '220', '2020-13-45', null], // bad date
    ]);
    const up = (mode: string) => {
      const m = multipartFile(file, 'regions.xlsx');
      return admin.request('POST', `/api/v1/regions/import?mode=${mode}`, m.payload, m.headers);
    };
    const strict = (await up('all-or-nothing')).json();
    expect(strict).toMatchObject({ total: 7, inserted: 0, committed: false, rejected: 5 });
    expect(strict.errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual([
      [4, '名称'],
      [5, '城乡分类代码'],
      [6, '区划代码'],
      [7, '区划代码'],
      [8, '启用日期'],
    ]);
    expect(strict.errors[0]).toMatchObject({ message: '名称不能为空', messageEn: 'the name is required' });
    expect((await admin.get(`/api/v1/regions/${cc}200000`)).statusCode).toBe(404);
    const loose = (await up('valid-only')).json();
    expect(loose).toMatchObject({ inserted: 2, committed: true, rejected: 5 });
    expect((await admin.get(`/api/v1/regions/${cc}200201`)).json()).toMatchObject({ name: '丙一村民委员会', parentCode: `${cc}200000`, kind: 'village' });
    // Re-importing updates instead of duplicating.
    expect((await up('valid-only')).json()).toMatchObject({ inserted: 0, updated: 2 });
  });

  it('answers a clear 400 for a file that is not Excel, and serves the template', async () => {
    const admin = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
    const m = multipartFile(Buffer.from('not a spreadsheet'), 'x.xlsx');
    const r = await admin.request('POST', '/api/v1/regions/import', m.payload, m.headers);
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatchObject({ code: 'BAD_FILE' });
    const tpl = await admin.get('/api/v1/regions/import/template');
    expect(tpl.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0].getRow(1).getCell(1).value).toBe('区划代码');
  });

  it('edits a region and records before and after in the audit log', async () => {
    const admin = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
    const r = await admin.patch(`/api/v1/regions/${c.villageA2}`, { name: '甲二村（改）' });
    expect(r.json().name).toBe('甲二村（改）');
    const log = (await admin.get(`/api/v1/audit?entity=region&entityId=${c.villageA2}`)).json();
    expect(log.items[0]).toMatchObject({ action: 'update', before: { name: '甲二村民委员会' }, after: { name: '甲二村（改）' } });
    const staff = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipA });
    expect((await staff.patch(`/api/v1/regions/${c.villageA2}`, { name: 'x' })).statusCode).toBe(403);
  });
});
