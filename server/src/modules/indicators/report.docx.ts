/* eslint-disable no-irregular-whitespace -- full-width spaces (全角空格) lay out the printed report */
/**
 * The evaluation report as a Word document (.docx), to be edited before it is sent: the same 发文
 * block, narrative and 附表 as the PDF, with native Word charts (editable, their data inside the
 * document) instead of drawn bars.
 */
import { AlignmentType, BorderStyle, Document, Packer, PageBreak, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { ChartRun } from 'docx/charts';
import type { PlanEvaluation, PlanTownships } from './indicators.service.js';
import type { Narrative } from './report.narrative.js';
import { completionBars, reportTitle, sourceText, STATUS_ZH, targetText, townshipCharts, type Issue, type ReportKind } from './reports.js';
import { STATUS_RULE } from './status.js';

const FONT = { ascii: 'SimSun', eastAsia: '仿宋', hAnsi: 'SimSun' };
const HEAD_FONT = { ascii: 'SimHei', eastAsia: '黑体', hAnsi: 'SimHei' };

const run = (text: string, o: { bold?: boolean; size?: number; color?: string; font?: typeof FONT } = {}) =>
  new TextRun({ text, bold: o.bold, size: (o.size ?? 14) * 2, color: o.color, font: o.font ?? FONT });
const p = (
  text: string,
  o: { indent?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType]; bold?: boolean; size?: number; color?: string } = {},
) =>
  new Paragraph({
    alignment: o.align,
    indent: o.indent === false ? undefined : { firstLine: 560 },
    spacing: { line: 360, after: 60 },
    children: [run(text, o)],
  });
const h = (text: string) => new Paragraph({ spacing: { before: 160, after: 80 }, children: [run(text, { font: HEAD_FONT, size: 16 })] });
const items = (xs: string[], empty: string) => (xs.length === 0 ? [p(empty)] : xs.map((x, n) => p(`${n + 1}. ${x}`)));

const tcell = (text: string | number, bold = false) =>
  new TableCell({ children: [new Paragraph({ children: [run(String(text), { bold, size: 10.5 })] })], margins: { left: 60, right: 60 } });
const table = (header: string[], rows: (string | number)[][]) =>
  new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: header.map((x) => tcell(x, true)) }),
      ...rows.map((r) => new TableRow({ children: r.map((x) => tcell(x)) })),
    ],
  });

const num = (v: number | null, unit = '') =>
  v == null ? '—' : `${Number.isInteger(v) ? v : v.toFixed(1)}${unit === '%' || unit === '‰' ? unit : unit ? ` ${unit}` : ''}`;
const chartFont = { name: '宋体' };

export async function reportDocx(
  e: PlanEvaluation,
  towns: PlanTownships,
  m: { kind: ReportKind; regionName: string; window: { from: string; asOf: string; label: string } },
  n: Narrative,
  issue: Issue,
): Promise<Buffer> {
  const title = reportTitle(e.title, m.kind, m.window);
  const comp = completionBars(e);
  const charts = townshipCharts(towns);
  let fig = 0;
  const body = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 200 },
      children: [run(`${issue.authority}文件`, { bold: true, size: 26, color: 'C00000' })],
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      border: { bottom: { style: BorderStyle.SINGLE, size: 18, color: 'C00000', space: 6 } },
      spacing: { after: 300 },
      children: [run(issue.docNo, { size: 16 })],
    }),
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 120 }, children: [run(title, { bold: true, size: 22, font: HEAD_FONT })] }),
    p(`（${m.regionName}　评价期：${m.window.from} 至 ${m.window.asOf}）`, { align: AlignmentType.CENTER, indent: false, size: 12 }),
    p(issue.to, { indent: false }),
    p(
      `现将${m.regionName}${m.window.label}养老服务体系规划指标${m.kind === 'annual' ? '年度评价' : m.kind === 'midterm' ? '中期评估' : '终期评估'}情况通报如下。数据取自平台截至 ${m.window.asOf} 的实时数据及各部门填报值。`,
    ),
    h('一、总体情况'),
    p(n.overview),
    p(STATUS_RULE, { size: 10.5, color: '555555' }),
    ...(comp.length > 0
      ? [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            children: [
              new ChartRun({
                type: 'bar',
                title: `图${++fig}　各项指标完成度（占目标的百分比）`,
                font: chartFont,
                legend: false,
                categories: comp.map((b) => b.label).reverse(),
                series: [{ name: '完成度（%）', values: comp.map((b) => Math.round(b.value)).reverse(), color: '1677FF' }],
                valueAxis: { minimum: 0, maximum: 100 },
                dataLabels: { value: true },
                transformation: { width: 600, height: Math.max(200, 28 * comp.length + 80) },
              }),
            ],
          }),
        ]
      : []),
    h(`二、与${n.reference}相比的变化`),
    p('（一）上升的指标', { bold: true }),
    ...items(
      n.rose.map((c) => c.text),
      `与${n.reference}相比没有上升的指标或暂无可比数据。`,
    ),
    p('（二）下降的指标', { bold: true }),
    ...items(
      n.fell.map((c) => c.text),
      `与${n.reference}相比没有下降的指标或暂无可比数据。`,
    ),
    h('三、未达目标的指标'),
    ...items(n.lagging, '各项指标均已达标或按进度推进。'),
    h('四、各乡镇（街道）情况'),
    ...items(n.townships, '各乡镇（街道）均无滞后的指标。'),
    ...charts.map(
      (c) =>
        new Paragraph({
          alignment: AlignmentType.CENTER,
          children: [
            new ChartRun({
              type: 'column',
              title: `图${++fig}　${c.title.replace('，红线为目标', '')}`,
              font: chartFont,
              categories: c.bars.map((b) => b.label),
              series: [
                { name: '当前值', values: c.bars.map((b) => Math.round(b.value * 10) / 10), color: '1677FF' },
                { name: '目标', values: c.bars.map(() => c.target), type: 'line', color: 'D4380D' },
              ],
              transformation: { width: 600, height: 300 },
            }),
          ],
        }),
    ),
    h('五、下一步工作'),
    ...items(n.next, ''),
    new Paragraph({ spacing: { before: 480 }, alignment: AlignmentType.RIGHT, indent: { right: 800 }, children: [run(issue.authority)] }),
    new Paragraph({ alignment: AlignmentType.RIGHT, indent: { right: 800 }, children: [run(issue.date)] }),
    new Paragraph({
      alignment: AlignmentType.RIGHT,
      indent: { right: 1000 },
      spacing: { after: 480 },
      children: [run('（盖章）', { color: '888888', size: 12 })],
    }),
    new Paragraph({
      border: {
        top: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 4 },
        bottom: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 4 },
      },
      children: [run(`抄送：${issue.cc}`)],
    }),
    new Paragraph({
      border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 4 } },
      children: [run(`${issue.authority}　　　　　　${issue.date}印发`)],
    }),
    new Paragraph({ children: [new PageBreak()] }),
    h('附表1　指标完成情况'),
    table(
      ['序号', '指标', '属性', '基期值', '目标值', '当前值', '状态', '数据来源'],
      e.indicators.map((i, k) => [
        k + 1,
        i.name,
        i.binding ? '约束性' : '预期性',
        i.baseline == null ? '—' : `${num(i.baseline, i.unit)}${i.baselineYear ? `（${i.baselineYear}）` : ''}`,
        targetText(i),
        num(i.value, i.unit),
        STATUS_ZH[i.status],
        sourceText(i),
      ]),
    ),
    h('附表2　分乡镇（街道）情况'),
    ...towns.indicators.flatMap((i) => [
      p(`${i.name}（目标 ${targetText({ ...i, baseline: null })}）`, { bold: true, indent: false }),
      table(
        ['排名', '乡镇（街道）', '值', '分子/分母', '状态'],
        i.townships.map((t) => [
          t.rank ?? '—',
          t.name,
          num(t.value, i.unit),
          t.numerator != null && t.denominator != null ? `${t.numerator}/${t.denominator}` : '—',
          STATUS_ZH[t.status],
        ]),
      ),
    ]),
  ];
  const doc = new Document({
    title,
    creator: issue.authority,
    styles: { default: { document: { run: { font: FONT, size: 28 } } } },
    sections: [{ properties: { page: { margin: { top: 1440, bottom: 1440, left: 1588, right: 1474 } } }, children: body }],
  });
  return Packer.toBuffer(doc);
}
