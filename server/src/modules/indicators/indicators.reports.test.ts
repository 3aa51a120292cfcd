/** Dashboard data (trend by month, township ranking), the dashboard workbook and the evaluation reports. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS, { cellText, type CellValue } from '../../kernel/excel.js';
import { sql } from '../../kernel/db.js';
import { cjkFont } from '../../kernel/pdf.js';
import { agentFor, buildCounty, buildElder, testApp, type TestApp, type TestCounty } from '../../test/harness.js';
import { today } from '../elders/index.js';
import { monthEnds } from './indicators.service.js';
import { reportWindow } from './reports.js';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

describe('indicator dashboard and reports', () => {
  let t: TestApp;
  let c: TestCounty;
  let admin: Awaited<ReturnType<typeof agentFor>>;
  let planId: string;

  async function assess(elderId: string, regionCode: string, ref: string, until: string) {
    await t.db.root
      .exec(sql`insert into assessments (elder_id, county_code, region_code, standard, reason, reference_date, answers, preliminary_level, final_level, level_name, valid_until)
      values (${elderId}, ${regionCode.slice(0, 6)}, ${regionCode}, 'GB/T 42195-2022', 'first', ${ref}, '{}', 1, 1, 'x', ${until})`);
  }

  beforeAll(async () => {
    t = await testApp();
    c = await buildCounty(t.db);
    admin = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
    // Township A: 2 of 4 elders 80+ assessed in 2025 (valid the whole year); township B: 1 of 1.
    const a = await Promise.all([1, 2, 3, 4].map(() => buildElder(t.db, { regionCode: c.villageA, birthDate: '1935-01-01' })));
    const b = await buildElder(t.db, { regionCode: c.villageB, birthDate: '1936-01-01' });
    await assess(a[0].id, c.villageA, '2025-01-01', '2025-12-31');
    await assess(a[1].id, c.villageA, '2025-03-01', '2026-02-28');
    await assess(b.id, c.villageB, '2025-05-01', '2026-04-30');
    planId = (await admin.post('/api/v1/plans', { template: 'tengzhou-2021-2025' })).json().id;
  });
  afterAll(() => t.close());

  it('lists month ends of the plan period up to a date', () => {
    expect(monthEnds(2021, 2025, '2026-11-22')).toHaveLength(60);
    expect(monthEnds(2021, 2025, '2021-03-15')).toEqual(['2021-01-31', '2021-02-28']);
    expect(monthEnds(2024, 2025, '2024-02-29')).toEqual(['2024-01-31', '2024-02-29']);
    expect(monthEnds(2021, 2025, '2021-01-10')).toEqual(['2021-01-10']);
  });

  it('gives the month-end trend of binding computed indicators', async () => {
    let r = (await admin.get(`/api/v1/plans/${planId}/trend`)).json();
    // No binding indicator of 滕州 is computed yet: all computed ones are shown (registry, assessments, facilities …).
    const plan = (await admin.get(`/api/v1/plans/${planId}`)).json();
    const computed = plan.indicators.filter((i: { source: string }) => i.source === 'computed').map((i: { metric: string }) => i.metric);
    expect(r.indicators.map((i: { metric: string }) => i.metric).sort()).toEqual([...computed].sort());
    expect(computed).toEqual(expect.arrayContaining(['assessment_rate_80plus', 'disabled_tekun_centralized_rate', 'willing_tekun_centralized_rate']));
    await t.db.root.exec(sql`update plan_indicators set binding = true where plan_id = ${planId} and metric = 'assessment_rate_80plus'`);
    r = (await admin.get(`/api/v1/plans/${planId}/trend`)).json();
    expect(r.indicators.map((i: { metric: string }) => i.metric)).toEqual(['assessment_rate_80plus']);
    expect(r.months).toEqual(monthEnds(2021, 2025, today()));
    const rate = r.indicators.find((i: { metric: string }) => i.metric === 'assessment_rate_80plus');
    expect(rate).toMatchObject({ target: 100, unit: '%' });
    const at = (d: string) => rate.values[r.months.indexOf(d)];
    expect(at('2024-12-31')).toBe(0); // nobody assessed yet
    expect(at('2025-01-31')).toBe(20); // a0 of 5
    expect(at('2025-05-31')).toBe(60); // a0, a1, b
    expect(r.indicators.every((i: { values: unknown[] }) => i.values.length === r.months.length)).toBe(true);
  });

  it('ranks townships against the target; a township user sees only their own', async () => {
    const r = (await admin.get(`/api/v1/plans/${planId}/townships?asOf=2025-06-30`)).json();
    const rate = r.indicators.find((i: { metric: string }) => i.metric === 'assessment_rate_80plus');
    expect(rate.townships).toEqual([
      { rank: 1, code: c.townshipB, name: '乙镇', value: 100, numerator: 1, denominator: 1, status: 'met' },
      { rank: 2, code: c.townshipA, name: '甲街道', value: 50, numerator: 2, denominator: 4, status: 'behind' },
    ]);
    const staffA = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipA });
    const mine = (await staffA.get(`/api/v1/plans/${planId}/townships?asOf=2025-06-30`)).json();
    expect(mine.indicators.find((i: { metric: string }) => i.metric === 'assessment_rate_80plus').townships.map((x: { code: string }) => x.code)).toEqual([
      c.townshipA,
    ]);
  });

  it('judges on track against the straight line from baseline to target', async () => {
    const p2 = (await admin.post('/api/v1/plans', { template: 'tengzhou-2021-2025' })).json().id;
    await t.db.root.exec(sql`update plans set target_year = 2035 where id = ${p2}`);
    await t.db.root.exec(sql`update plan_indicators set baseline = 0 where plan_id = ${p2} and metric = 'assessment_rate_80plus'`);
    const p = (await admin.get(`/api/v1/plans/${p2}?asOf=2025-06-30`)).json();
    // 60% on 2025-06-30; the line from 0 (2021-01-01) to 100 (2035-12-31) stands at about 30%.
    expect(p.indicators.find((i: { metric: string }) => i.metric === 'assessment_rate_80plus')).toMatchObject({ value: 60, status: 'on_track' });
  });

  it('takes reports at the end of the year, the middle of the plan or its end, never after today', () => {
    const plan = { period_start: 2021, period_end: 2025 };
    expect(reportWindow(plan, 'annual', 2024, '2026-11-22')).toEqual({ from: '2024-01-01', asOf: '2024-12-31', label: '2024年度' });
    expect(reportWindow(plan, 'midterm', undefined, '2026-11-22')).toMatchObject({ from: '2021-01-01', asOf: '2023-12-31' });
    expect(reportWindow(plan, 'final', undefined, '2026-11-22')).toMatchObject({ from: '2021-01-01', asOf: '2025-12-31' });
    expect(reportWindow(plan, 'final', undefined, '2024-05-06').asOf).toBe('2024-05-06');
    expect(() => reportWindow(plan, 'annual', 2019, '2026-11-22')).toThrow();
  });

  it('exports the dashboard and the annual report as a workbook, audited', async () => {
    const x = await admin.get(`/api/v1/plans/${planId}/report.xlsx?kind=annual&year=2025`);
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['指标', '乡镇']);
    const text = (name: string) => {
      const rows: string[][] = [];
      wb.getWorksheet(name)!.eachRow((r) => rows.push((r.values as CellValue[]).slice(1).map(cellText)));
      return rows;
    };
    expect(text('指标')[0][0]).toContain('2025年度评价报告');
    expect(text('指标')[0][0]).not.toContain('年度年度');
    const row = text('指标').find((r) => r[1] === '80周岁以上老年人能力与需求综合评估率')!;
    expect(row).toBeDefined();
    expect(row[11]).toBe('滞后');
    expect(text('乡镇').some((r) => r[3] === '乙镇' && r[2] === '1')).toBe(true);
    const audit = await t.db.root.one<{ n: number }>(
      sql`select count(*)::int as n from audit_log where action = 'export' and entity = 'plan' and entity_id = ${planId}`,
    );
    expect(audit!.n).toBe(1);
    const d = await admin.get(`/api/v1/plans/${planId}/export.xlsx?asOf=2025-06-30`);
    expect(d.statusCode).toBe(200);
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(d.rawPayload as unknown as ArrayBuffer);
    expect(wb2.worksheets.map((w) => w.name)).toEqual(['指标', '乡镇']);
    expect((await admin.get(`/api/v1/plans/${planId}/report.xlsx?kind=annual&year=2030`)).statusCode).toBe(400);
  });

  it('writes the annual report as a Word document with the narrative, the 发文 block and charts', async () => {
    const r = await admin.get(`/api/v1/plans/${planId}/report.docx?kind=annual&year=2025`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toContain('wordprocessingml');
    expect(decodeURIComponent(String(r.headers['content-disposition']))).toContain('2025年度评价报告.docx');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yl-docx-'));
    fs.writeFileSync(path.join(dir, 'r.docx'), r.rawPayload);
    execFileSync('unzip', ['-q', '-o', 'r.docx', '-d', 'x'], { cwd: dir });
    const xml = fs.readFileSync(path.join(dir, 'x/word/document.xml'), 'utf8');
    const words = xml.replace(/<[^>]+>/g, '');
    expect(words).toContain('2025年度评价报告');
    expect(words).not.toContain('年度年度');
    expect(words).toMatch(/县[0-9]*民政局文件/); // issuing authority
    expect(words).toMatch(/〔2\d{3}〕/); // 文号 placeholder
    expect(words).toContain('抄送：');
    // What rose against the end of 2024, what lags, which township lags against which target.
    expect(words).toContain('与2024年末相比的变化');
    expect(words).toContain('80周岁以上老年人能力与需求综合评估率由 0% 提高到 60%，增加 60 个百分点');
    expect(words).toMatch(/80周岁以上老年人能力与需求综合评估率（目标 ≥ 100%）：甲街道 50%/);
    expect(fs.readdirSync(path.join(dir, 'x/word/charts')).filter((f) => f.endsWith('.xml')).length).toBeGreaterThan(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports on a township: its own title, authority and townships only', async () => {
    const staffA = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipA });
    // The big screen's title names the township whose figures it shows.
    expect((await staffA.get(`/api/v1/plans/${planId}`)).json()).toMatchObject({ regionCode: c.townshipA, regionName: '甲街道' });
    const r = await staffA.get(`/api/v1/plans/${planId}/report.docx?kind=annual&year=2025`);
    expect(r.statusCode, r.body).toBe(200);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yl-docx-'));
    fs.writeFileSync(path.join(dir, 'r.docx'), r.rawPayload);
    execFileSync('unzip', ['-q', '-o', 'r.docx', '-d', 'x'], { cwd: dir });
    const words = fs.readFileSync(path.join(dir, 'x/word/document.xml'), 'utf8').replace(/<[^>]+>/g, '');
    expect(words).toContain('甲街道办事处文件');
    expect(words).not.toContain('乙镇');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.runIf(cjkFont())('renders the annual report PDF to an image (pdftoppm)', async () => {
    const r = await admin.get(`/api/v1/plans/${planId}/report.pdf?kind=annual&year=2025`);
    expect(r.statusCode).toBe(200);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yl-pdf-'));
    fs.writeFileSync(path.join(dir, 'r.pdf'), r.rawPayload);
    execFileSync('pdftoppm', ['-png', '-r', '60', 'r.pdf', 'page'], { cwd: dir });
    const pages = fs.readdirSync(dir).filter((f) => f.endsWith('.png'));
    expect(pages.length).toBeGreaterThanOrEqual(2); // the report, then the 附表
    expect(fs.statSync(path.join(dir, pages.sort()[0]!)).size).toBeGreaterThan(10_000);
    const text = execFileSync('pdftotext', ['-layout', 'r.pdf', '-'], { cwd: dir }).toString();
    expect(text).toContain('年度评价报告');
    expect(text).not.toContain('年度年度');
    expect(text).toContain('抄送');
    if (process.env.YL_KEEP_REPORT) fs.cpSync(dir, process.env.YL_KEEP_REPORT, { recursive: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.runIf(cjkFont())('renders the mid-term and final reports as PDF', async () => {
    for (const kind of ['midterm', 'final', 'annual']) {
      const r = await admin.get(`/api/v1/plans/${planId}/report.pdf?kind=${kind}`);
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toBe('application/pdf');
      expect(r.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
      expect(r.rawPayload.length).toBeGreaterThan(5000);
    }
  });
});
