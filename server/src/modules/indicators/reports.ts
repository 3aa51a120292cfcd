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

const titleOf = (e: PlanEvaluation, m: ReportMeta) =>
  m.kind === 'dashboard' ? `${e.title} 指标监测（${m.window.asOf}）` : `${e.title} ${m.window.label}${REPORT_KINDS[m.kind]}`;

const cell = (text: string | number, o: Record<string, unknown> = {}): TableCell => ({ text: String(text), ...o }) as TableCell;
const head = (xs: string[]) => xs.map((x) => cell(x, { bold: true, fillColor: '#eeeeee' }));

export async function reportPdf(e: PlanEvaluation, towns: PlanTownships, m: ReportMeta): Promise<Buffer> {
  const counts = statusCounts(e.indicators);
  const content: Content[] = [
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
    {
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
    },
    { text: '三、分乡镇（街道）情况', style: 'h2' },
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
  const doc: TDocumentDefinitions = {
    pageSize: 'A4',
    pageMargins: [36, 40, 36, 40],
    info: { title: titleOf(e, m) },
    content,
    footer: (page, pages) => ({ text: `第 ${page} 页，共 ${pages} 页`, alignment: 'center', fontSize: 8, margin: [0, 12, 0, 0] }),
    styles: { title: { fontSize: 16, bold: true, alignment: 'center', margin: [0, 0, 0, 6] }, h2: { fontSize: 12, bold: true, margin: [0, 4, 0, 6] } },
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
