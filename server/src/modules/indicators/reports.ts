/* eslint-disable no-irregular-whitespace -- full-width spaces (全角空格) lay out the printed report */
/**
 * Evaluation reports (年度评价、中期评估、终期评估) and the dashboard workbook, in Chinese, from
 * the live values: the plan's targets, each indicator's status by the rule of status.ts (printed
 * in the report), summary counts, and a township table for every indicator the platform computes.
 */
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import ExcelJS from '../../kernel/excel.js';
import { badRequest } from '../../kernel/errors.js';
import { renderPdf } from '../../kernel/pdf.js';
import type { PlanEvaluation, PlanTownships } from './indicators.service.js';
import type { Narrative } from './report.narrative.js';
import { STATUS_RULE, type IndicatorStatus } from './status.js';

export type ReportKind = 'annual' | 'midterm' | 'final';
export const REPORT_KINDS: Record<ReportKind, string> = { annual: '年度评价报告', midterm: '中期评估报告', final: '终期评估报告' };
export const STATUS_ZH: Record<IndicatorStatus, string> = { met: '达标', on_track: '按进度推进', behind: '滞后', unknown: '暂无数据' };
const SOURCE_ZH = { computed: '平台计算', manual: '手工填报', not_built: '模块建设中', not_computable: '不可由平台计算' } as const;
const SIGNS = { '>=': '≥', '<=': '≤', '=': '=' } as const;

interface PlanPeriod {
  period_start: number;
  period_end: number;
}

/** The date a report is taken at, and the period it covers: a year; the plan's first half; the whole plan — never after today. */
export function reportWindow(plan: PlanPeriod, kind: ReportKind, year: number | undefined, today: string): { from: string; asOf: string; label: string } {
  const cap = (d: string) => (d < today ? d : today);
  if (kind === 'annual') {
    const y = year ?? Math.min(Number(today.slice(0, 4)), plan.period_end);
    if (y < plan.period_start || y > plan.period_end)
      throw badRequest(
        'YEAR_OUTSIDE_PLAN',
        `年份须在规划期 ${plan.period_start}—${plan.period_end} 年内`,
        `the year must lie within the plan period ${plan.period_start}–${plan.period_end}`,
      );
    if (`${y}-01-01` > today) throw badRequest('YEAR_NOT_STARTED', `${y} 年尚未开始`, `${y} has not begun yet`);
    return { from: `${y}-01-01`, asOf: cap(`${y}-12-31`), label: `${y}年度` };
  }
  const from = `${plan.period_start}-01-01`;
  if (from > today) throw badRequest('PLAN_NOT_STARTED', '规划期尚未开始', 'the plan period has not begun yet');
  if (kind === 'midterm') {
    const mid = plan.period_start + Math.floor((plan.period_end - plan.period_start) / 2);
    return { from, asOf: cap(`${mid}-12-31`), label: `中期（${plan.period_start}—${mid}年）` };
  }
  return { from, asOf: cap(`${plan.period_end}-12-31`), label: `规划期（${plan.period_start}—${plan.period_end}年）` };
}

type Ind = PlanEvaluation['indicators'][number];

const num = (v: number | null, unit = '', digits = 1) => {
  if (v == null) return '—';
  const s = Number.isInteger(v) ? String(v) : v.toFixed(digits);
  return unit === '%' || unit === '‰' ? `${s}${unit}` : unit ? `${s} ${unit}` : s;
};
export const targetText = (i: Pick<Ind, 'comparator' | 'target' | 'unit' | 'baseline'>) =>
  i.comparator === 'grow' ? '明显增长' : i.target == null ? '—' : `${SIGNS[i.comparator]} ${num(i.target, i.unit)}`;
export const sourceText = (i: Pick<Ind, 'source' | 'note'>) => (i.source === 'manual' ? `${SOURCE_ZH.manual}：${i.note ?? ''}` : SOURCE_ZH[i.source]);

export function statusCounts(items: Pick<Ind, 'status' | 'binding'>[]) {
  return (['met', 'on_track', 'behind', 'unknown'] as const).map((s) => ({
    status: s,
    binding: items.filter((i) => i.status === s && i.binding).length,
    expected: items.filter((i) => i.status === s && !i.binding).length,
  }));
}

export interface ReportMeta {
  kind: ReportKind | 'dashboard';
  regionName: string;
  window: { from: string; asOf: string; label: string };
  generatedAt: string;
}

/** The heading of an evaluation report: "2025年度评价报告" (the year's label already says 年度). */
export function reportTitle(planTitle: string, kind: ReportKind, window: { label: string }): string {
  return `${planTitle} ${window.label}${kind === 'annual' ? '评价报告' : REPORT_KINDS[kind]}`;
}

const titleOf = (e: PlanEvaluation, m: ReportMeta) =>
  m.kind === 'dashboard' ? `${e.title} 指标监测（${m.window.asOf}）` : reportTitle(e.title, m.kind, m.window);

/** The 发文 block of an evaluation report: who issues it, to whom, copied to whom; the 文号 is left for the office to fill in. */
export interface Issue {
  authority: string;
  docNo: string;
  date: string;
  to: string;
  cc: string;
}

export function issueOf(o: { regionCode: string; regionName: string; countyName: string; date: string }): Issue {
  const county = o.regionCode.slice(6) === '000000';
  const [y, m, d] = o.date.split('-').map(Number);
  return county
    ? {
        authority: `${o.countyName}民政局`,
        docNo: `××民〔${y}〕　号`,
        date: `${y}年${m}月${d}日`,
        to: '各镇人民政府、街道办事处，县直有关部门：',
        cc: `${o.countyName}人民政府办公室，市民政局。`,
      }
    : {
        authority: `${o.regionName}${o.regionName.endsWith('街道') ? '办事处' : '人民政府'}`,
        docNo: `××〔${y}〕　号`,
        date: `${y}年${m}月${d}日`,
        to: '各村（社区）：',
        cc: `${o.countyName}民政局。`,
      };
}

const cell = (text: string | number, o: Record<string, unknown> = {}): TableCell => ({ text: String(text), ...o }) as TableCell;
const head = (xs: string[]) => xs.map((x) => cell(x, { bold: true, fillColor: '#eeeeee' }));

export const STATUS_HEX: Record<IndicatorStatus, string> = { met: '#389e0d', on_track: '#1677ff', behind: '#cf1322', unknown: '#8c8c8c' };

export interface Bar {
  label: string;
  value: number;
  text: string;
  color: string;
}

/** Completion of each indicator with a numeric target, in percent of the target (capped at 100). */
export function completionBars(e: PlanEvaluation): Bar[] {
  return e.indicators
    .filter((i) => i.value != null && i.target != null && i.target !== 0 && (i.comparator === '>=' || i.comparator === '<='))
    .map((i) => {
      const v = i.value!;
      const t = i.target!;
      const pct = i.comparator === '>=' ? (v / t) * 100 : v <= t ? 100 : v === 0 ? 100 : (t / v) * 100;
      return { label: i.name, value: Math.max(0, Math.min(100, pct)), text: `${Math.round(pct)}%`, color: STATUS_HEX[i.status] };
    });
}

/** Township charts: indicators with a numeric target, binding first, then those with a value above zero; at most four. */
export function townshipCharts(towns: PlanTownships) {
  return [...towns.indicators]
    .filter((i) => i.target != null && (i.comparator === '>=' || i.comparator === '<=') && i.townships.some((t) => t.value != null))
    .sort((a, b) => Number(b.binding) - Number(a.binding) || Number(b.townships.some((t) => t.value)) - Number(a.townships.some((t) => t.value)))
    .slice(0, 4)
    .map((i) => {
      const vals = i.townships.map((t) => t.value ?? 0);
      const max = Math.max(i.target!, ...vals) * 1.05 || 1;
      return {
        title: `${i.name}（目标 ${targetText({ ...i, baseline: null })}，红线为目标）`,
        max,
        target: i.target!,
        bars: i.townships.map((t) => ({ label: t.name, value: t.value ?? 0, text: num(t.value, i.unit), color: STATUS_HEX[t.status] })),
      };
    });
}

const BAR_W = 250;
/** A horizontal bar chart drawn with pdfmake's vector canvas: dependable, no rasteriser needed. */
function barChart(bars: Bar[], max: number, target?: number): Content {
  const x = (v: number) => Math.max(0.5, (BAR_W * Math.min(v, max)) / max);
  return {
    table: {
      widths: [150, BAR_W, 60],
      body: bars.map((b) => [
        cell(b.label, { fontSize: 8 }),
        {
          canvas: [
            { type: 'rect', x: 0, y: 1, w: BAR_W, h: 10, color: '#f0f0f0' },
            { type: 'rect', x: 0, y: 1, w: x(b.value), h: 10, color: b.color },
            ...(target != null ? [{ type: 'line' as const, x1: x(target), y1: -2, x2: x(target), y2: 14, lineWidth: 1.2, lineColor: '#d4380d' }] : []),
          ],
        },
        cell(b.text, { fontSize: 8 }),
      ]),
    },
    layout: 'noBorders',
    margin: [0, 0, 0, 8],
  };
}

const para = (text: string): Content => ({ text, leadingIndent: 20, margin: [0, 0, 0, 4], lineHeight: 1.3 });
const bullets = (xs: string[], empty: string): Content => (xs.length === 0 ? para(empty) : { ul: xs, margin: [12, 0, 0, 6], lineHeight: 1.3 });
const caption = (text: string): Content => ({ text, alignment: 'center', fontSize: 9, bold: true, margin: [0, 4, 0, 4] });

function indicatorTable(e: PlanEvaluation): Content {
  return {
    table: {
      headerRows: 1,
      widths: [18, '*', 36, 48, 52, 60, 44, 90],
      body: [
        head(['序号', '指标', '属性', '基期值', '目标值', '当前值', '状态', '数据来源']),
        ...e.indicators.map((i, n) => [
          cell(n + 1),
          cell(i.name),
          cell(i.binding ? '约束性' : '预期性'),
          cell(i.baseline == null ? '—' : `${num(i.baseline, i.unit)}${i.baselineYear ? `（${i.baselineYear}）` : ''}`),
          cell(targetText(i)),
          cell(`${num(i.value, i.unit)}${i.numerator != null && i.denominator != null ? `\n${i.numerator}/${i.denominator}` : ''}`),
          cell(STATUS_ZH[i.status], { bold: i.status === 'behind' }),
          cell(sourceText(i), { fontSize: 8 }),
        ]),
      ],
    },
    fontSize: 9,
    margin: [0, 0, 0, 12],
  };
}

function townshipTables(towns: PlanTownships): Content[] {
  return [
    ...(towns.indicators.length === 0 ? [{ text: '本规划暂无可由平台计算的指标。', margin: [0, 0, 0, 8] } as Content] : []),
    ...towns.indicators.flatMap((i): Content[] => [
      { text: `${i.name}（目标 ${targetText({ ...i, baseline: null })}）`, bold: true, margin: [0, 6, 0, 4] },
      {
        table: {
          headerRows: 1,
          widths: [30, '*', 70, 90, 70],
          body: [
            head(['排名', '乡镇（街道）', '值', '分子/分母', '状态']),
            ...i.townships.map((t) => [
              cell(t.rank ?? '—'),
              cell(t.name),
              cell(num(t.value, i.unit)),
              cell(t.numerator != null && t.denominator != null ? `${t.numerator}/${t.denominator}` : '—'),
              cell(STATUS_ZH[t.status]),
            ]),
          ],
        },
        fontSize: 9,
      },
    ]),
  ];
}

const DOC_STYLES = {
  title: { fontSize: 16, bold: true, alignment: 'center' as const, margin: [0, 0, 0, 6] as [number, number, number, number] },
  h2: { fontSize: 12, bold: true, margin: [0, 6, 0, 6] as [number, number, number, number] },
};

/** The monitoring table (dashboard PDF): counts, indicators, townships. */
function tableReport(e: PlanEvaluation, towns: PlanTownships, m: ReportMeta): Content[] {
  const counts = statusCounts(e.indicators);
  return [
    { text: titleOf(e, m), style: 'title' },
    {
      text: `区域：${m.regionName}　　规划期：${e.periodStart}—${e.periodEnd}年（目标年 ${e.targetYear}）　　评价期：${m.window.from} 至 ${m.window.asOf}　　生成时间：${m.generatedAt}`,
      alignment: 'center',
      fontSize: 9,
      margin: [0, 0, 0, 10],
    },
    { text: '一、总体情况', style: 'h2' },
    {
      table: {
        widths: ['*', 70, 70, 70],
        body: [
          head(['状态', '约束性', '预期性', '合计']),
          ...counts.map((c) => [cell(STATUS_ZH[c.status]), cell(c.binding), cell(c.expected), cell(c.binding + c.expected)]),
          [
            cell('合计', { bold: true }),
            cell(e.indicators.filter((i) => i.binding).length),
            cell(e.indicators.filter((i) => !i.binding).length),
            cell(e.indicators.length),
          ],
        ],
      },
      margin: [0, 0, 0, 6],
    },
    { text: STATUS_RULE, fontSize: 8, color: '#555555', margin: [0, 0, 0, 12] },
    { text: '二、指标完成情况', style: 'h2' },
    indicatorTable(e),
    { text: '三、分乡镇（街道）情况', style: 'h2' },
    ...townshipTables(towns),
  ];
}

/**
 * An evaluation report as an official document (公文): the issuing authority and 文号, the title,
 * 主送, the narrative (overall picture, what rose and fell, what lags and where), charts, the
 * signature block and 抄送; the full tables follow as 附表.
 */
function evaluationReport(e: PlanEvaluation, towns: PlanTownships, m: ReportMeta, n: Narrative, issue: Issue): Content[] {
  const comp = completionBars(e);
  const charts = townshipCharts(towns);
  let fig = 0;
  return [
    { text: `${issue.authority}文件`, alignment: 'center', fontSize: 24, bold: true, color: '#c00000', margin: [0, 10, 0, 10] },
    { text: issue.docNo, alignment: 'center', fontSize: 11, margin: [0, 0, 0, 4] },
    { canvas: [{ type: 'line', x1: 0, y1: 0, x2: 523, y2: 0, lineWidth: 1.5, lineColor: '#c00000' }], margin: [0, 0, 0, 14] },
    { text: titleOf(e, m), style: 'title' },
    { text: `（${m.regionName}　评价期：${m.window.from} 至 ${m.window.asOf}）`, alignment: 'center', fontSize: 9, margin: [0, 0, 0, 12] },
    { text: issue.to, margin: [0, 0, 0, 6] },
    para(
      `现将${m.regionName}${m.window.label}养老服务体系规划指标${m.kind === 'annual' ? '年度评价' : m.kind === 'midterm' ? '中期评估' : '终期评估'}情况通报如下。数据取自平台截至 ${m.window.asOf} 的实时数据及各部门填报值。`,
    ),
    { text: '一、总体情况', style: 'h2' },
    para(n.overview),
    { text: STATUS_RULE, fontSize: 8, color: '#555555', margin: [0, 0, 0, 6] },
    ...(comp.length > 0 ? [caption(`图${++fig}　各项指标完成度（占目标的百分比）`), barChart(comp, 100, 100)] : []),
    { text: `二、与${n.reference}相比的变化`, style: 'h2' },
    { text: '（一）上升的指标', bold: true, margin: [0, 0, 0, 4] },
    bullets(
      n.rose.map((c) => c.text),
      `与${n.reference}相比没有上升的指标或暂无可比数据。`,
    ),
    { text: '（二）下降的指标', bold: true, margin: [0, 0, 0, 4] },
    bullets(
      n.fell.map((c) => c.text),
      `与${n.reference}相比没有下降的指标或暂无可比数据。`,
    ),
    { text: '三、未达目标的指标', style: 'h2' },
    bullets(n.lagging, '各项指标均已达标或按进度推进。'),
    { text: '四、各乡镇（街道）情况', style: 'h2' },
    bullets(n.townships, '各乡镇（街道）均无滞后的指标。'),
    ...charts.flatMap((c) => [caption(`图${++fig}　${c.title}`), barChart(c.bars, c.max, c.target)]),
    { text: '五、下一步工作', style: 'h2' },
    bullets(n.next, ''),
    { text: issue.authority, alignment: 'right', margin: [0, 24, 40, 2] },
    { text: issue.date, alignment: 'right', margin: [0, 0, 40, 2] },
    { text: '（盖章）', alignment: 'right', color: '#888888', fontSize: 9, margin: [0, 0, 52, 16] },
    {
      table: {
        widths: ['*'],
        body: [[cell(`抄送：${issue.cc}`, { margin: [0, 3, 0, 3] })], [cell(`${issue.authority}　　　　　　${issue.date}印发`, { margin: [0, 3, 0, 3] })]],
      },
      layout: { vLineWidth: () => 0, hLineWidth: () => 0.8 },
      fontSize: 10,
      margin: [0, 0, 0, 0],
    },
    { text: '附表1　指标完成情况', style: 'h2', pageBreak: 'before' },
    indicatorTable(e),
    { text: '附表2　分乡镇（街道）情况', style: 'h2' },
    ...townshipTables(towns),
  ];
}

export async function reportPdf(e: PlanEvaluation, towns: PlanTownships, m: ReportMeta, words?: { narrative: Narrative; issue: Issue }): Promise<Buffer> {
  const content = m.kind !== 'dashboard' && words ? evaluationReport(e, towns, m, words.narrative, words.issue) : tableReport(e, towns, m);
  const doc: TDocumentDefinitions = {
    pageSize: 'A4',
    pageMargins: [36, 40, 36, 40],
    info: { title: titleOf(e, m) },
    content,
    footer: (page, pages) => ({ text: `第 ${page} 页，共 ${pages} 页`, alignment: 'center', fontSize: 8, margin: [0, 12, 0, 0] }),
    styles: DOC_STYLES,
  };
  return renderPdf(doc);
}

/** One workbook: 指标 (every indicator with target, value, status, source) and 乡镇 (every computed indicator by township). */
export async function reportWorkbook(e: PlanEvaluation, towns: PlanTownships, m: ReportMeta): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.title = titleOf(e, m);
  const ws = wb.addWorksheet('指标');
  ws.addRow([titleOf(e, m)]).font = { bold: true, size: 14 };
  ws.addRow([
    `区域：${m.regionName}`,
    `规划期：${e.periodStart}—${e.periodEnd}年`,
    `评价期：${m.window.from} 至 ${m.window.asOf}`,
    `生成时间：${m.generatedAt}`,
  ]);
  const counts = statusCounts(e.indicators);
  ws.addRow(counts.map((c) => `${STATUS_ZH[c.status]} ${c.binding + c.expected}（约束性 ${c.binding}）`));
  ws.addRow([STATUS_RULE]);
  ws.addRow([]);
  const header = ws.addRow(['序号', '指标', '属性', '比较', '目标值', '单位', '基期值', '基期年', '当前值', '分子', '分母', '状态', '数据来源', '说明']);
  header.font = { bold: true };
  for (const [n, i] of e.indicators.entries())
    ws.addRow([
      n + 1,
      i.name,
      i.binding ? '约束性' : '预期性',
      i.comparator === 'grow' ? '明显增长' : SIGNS[i.comparator],
      i.target,
      i.unit,
      i.baseline,
      i.baselineYear,
      i.value == null ? null : Math.round(i.value * 100) / 100,
      i.numerator,
      i.denominator,
      STATUS_ZH[i.status],
      SOURCE_ZH[i.source],
      i.note,
    ]);
  ws.columns.forEach((c, n) => (c.width = [6, 36, 8, 8, 10, 8, 10, 8, 10, 10, 10, 12, 14, 40][n] ?? 12));
  const wt = wb.addWorksheet('乡镇');
  wt.addRow([`分乡镇（街道）情况，截至 ${towns.asOf}`]).font = { bold: true };
  wt.addRow(['指标', '目标值', '排名', '乡镇（街道）', '区划代码', '值', '分子', '分母', '状态']).font = { bold: true };
  for (const i of towns.indicators)
    for (const t of i.townships)
      wt.addRow([
        i.name,
        targetText({ ...i, baseline: null }),
        t.rank,
        t.name,
        t.code,
        t.value == null ? null : Math.round(t.value * 100) / 100,
        t.numerator,
        t.denominator,
        STATUS_ZH[t.status],
      ]);
  wt.columns.forEach((c, n) => (c.width = [36, 12, 6, 16, 14, 10, 10, 10, 12][n] ?? 12));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
