import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import ExcelJS from './excel.js';
import { textProblem, zodValidatorCompiler } from './validation.js';
import { Agent, agentFor, buildCounty, buildElder, multipartFile, testApp, type TestApp, type TestCounty } from '../test/harness.js';
import { ELDER_HEADERS } from '../modules/elders/elders.import.js';

describe('text that may not be stored', () => {
  it('refuses control characters everywhere, direction controls everywhere, zero-width and line breaks in short fields', () => {
    for (const s of ['a\u0000b', 'a\u0007', '\u001b[31m', 'x\u007f', 'x\u0085'])
      expect(textProblem(s, false), JSON.stringify(s)).toMatch(/控制字符 .* \/ .*control/);
    for (const s of ['abc\u202Egpj.exe', 'a\u2066b\u2069']) expect(textProblem(s, false)).toMatch(/文字方向/);
    for (const s of ['王\u200B小明', '\uFEFF370124', 'a\u2060b', 'a\u200Db']) {
      expect(textProblem(s, true)).toMatch(/零宽字符/);
      expect(textProblem(s, false)).toBeNull();
    }
    expect(textProblem('第一行\n第二行\t完', true)).toMatch(/换行/);
    expect(textProblem('第一行\r\n第二行\t完', false)).toBeNull();
    // Chinese text, full-width punctuation, the ideographic space and middle dots pass.
    for (const s of ['欧阳·娜娜', '阿卜杜热合曼·买买提', '东阿镇　北街１号（东院）', '“老人”：好！', '𠀀𪚥']) expect(textProblem(s, true)).toBeNull();
  });

  it('knows short fields from free text by the schema, and drops stray zero-width characters from free text', () => {
    const schema = z
      .object({ name: z.string().trim().max(50), note: z.string().max(500).nullable(), tags: z.array(z.string().max(20)).optional() })
      .partial()
      .refine(() => true);
    const v = zodValidatorCompiler({ schema, httpPart: 'body' });
    expect(v({ note: '第一行\n第二\u200B行' })).toEqual({ value: { note: '第一行\n第二行' } });
    const bad = v({ name: '王\n五', tags: ['ok', 'b\u200Bad'], ['k\u0000']: 1 }) as {
      error: { problems: { path: string; message: string; messageEn: string }[] };
    };
    expect(bad.error.problems.map((p) => p.path)).toEqual(['name', 'tags.1', 'k\u0000']);
    expect(bad.error.problems[0]).toMatchObject({ message: '不能含有换行或制表符', messageEn: 'must be one line, without tabs' });
  });
});

describe('requests carrying such text', () => {
  let t: TestApp;
  let c: TestCounty;
  beforeAll(async () => {
    t = await testApp();
    c = await buildCounty(t.db);
  });
  afterAll(() => t.close());

  const bilingual400 = (r: { statusCode: number; json(): { error: { code: string; message: string; messageEn: string } } }) => {
    expect(r.statusCode).toBe(400);
    const e = r.json().error;
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toMatch(/[\u4e00-\u9fff]/);
    expect(e.messageEn).toMatch(/[a-z]/);
    return e;
  };

  it('answers 400 in both languages to NUL in the sign-in, a search and a write, and stores nothing', async () => {
    bilingual400(await new Agent(t.app).login('admin\u0000', 'x'));
    bilingual400(await new Agent(t.app).login('admin', 'pass\u0000word1'));
    const staff = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipA });
    const q = await staff.get('/api/v1/elders?q=%E7%8E%8B%00');
    expect(bilingual400(q).message).toContain('U+0000');
    const e = await buildElder(t.db, { regionCode: c.villageA, name: '原名老人' });
    bilingual400(await staff.patch(`/api/v1/elders/${e.id}`, { address: '北街\u00001号' }));
    const spoof = bilingual400(await staff.patch(`/api/v1/elders/${e.id}`, { name: '王\u202E明小' }));
    expect(spoof.messageEn).toContain('U+202E');
    bilingual400(await staff.patch(`/api/v1/elders/${e.id}`, { name: '王\u200B明' }));
    expect((await staff.get(`/api/v1/elders/${e.id}`)).json().name).toBe('原名老人');
    // Free text keeps its line breaks; a Chinese name with a middle dot is a name.
    const ok = await staff.patch(`/api/v1/elders/${e.id}`, { name: '欧阳·娜娜', note: '第一行\n第二行' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ name: '欧阳·娜娜', note: '第一行\n第二行' });
  });

  it('names the row of a roster cell with an invisible character, and refuses a file with a NUL as unreadable (never 500)', async () => {
    const staff = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipA });
    const { makeIdNumber } = await import('./idnumber.js');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名册');
    ws.addRow([...ELDER_HEADERS]);
    ws.addRow([makeIdNumber(c.county.slice(0, 6), '1944-01-02', 11), '周\u202E一', c.villageA]);
    ws.addRow([makeIdNumber(c.county.slice(0, 6), '1944-01-03', 13), '周二', c.villageA, '', '', '北街\u200B1号']);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const upload = async (b: Buffer) => {
      const m = multipartFile(b, '名册.xlsx');
      return staff.request('POST', '/api/v1/elders/import?mode=valid-only', m.payload, m.headers);
    };
    const r = await upload(buf);
    expect(r.statusCode).toBe(200);
    let job = { status: 'running', report: { errors: [] as { row: number; column: string; message: string }[], imported: 0 } };
    for (let i = 0; i < 200 && job.status === 'running'; i++) {
      await new Promise((res) => setTimeout(res, 50));
      job = (await staff.get(`/api/v1/import-jobs/${r.json().jobId}`)).json();
    }
    expect(job.status).toBe('done');
    expect(job.report.errors).toEqual([expect.objectContaining({ row: 2, column: '姓名', message: expect.stringContaining('U+202E') })]);
    // Free text (the address) only loses the zero-width space.
    expect(job.report.imported).toBe(1);
    // XML cannot carry a NUL: such a file is refused as a whole, with the bilingual shape.
    const zip = await JSZip.loadAsync(buf);
    const strings = await zip.file('xl/sharedStrings.xml')!.async('string');
    zip.file('xl/sharedStrings.xml', strings.replace('周二', '周&#0;二'));
    const nul = await upload(await zip.generateAsync({ type: 'nodebuffer' }));
    expect(nul.statusCode).toBe(400);
    expect(nul.json().error).toMatchObject({ code: 'BAD_FILE', message: expect.stringMatching(/[\u4e00-\u9fff]/) });
  });
});
