/* eslint-disable no-irregular-whitespace -- full-width spaces (全角空格) lay out the printed report */
/**
 * The printable assessment report, laid out like GB/T 42195-2022 Annex C: who and why (A.1/A.2),
 * C.1 every item of the assessment table (Annex B) with the answer chosen and its score, by
 * dimension, with each dimension's total (and its grade where the standard grades dimensions:
 * MZ/T 039; GB/T 42195 grades only the total), C.2/C.3 the total and preliminary level, C.4 the
 * basis of a level change (coma, diagnoses, care-risk events, the rules applied), C.5 the final
 * level; then the assessing organisation, the assessors' and the informant's signature lines and
 * the seal area. The scoring tables are the same data the scoring uses (standards/).
 */
import type { Content, TableCell } from 'pdfmake/interfaces.js';
import { renderPdf } from '../../kernel/pdf.js';
import type { AssessmentRow } from './assessments.repository.js';
import {
  GB42195,
  GB42195_DIAGNOSIS_GROUPS,
  GB42195_DIMENSIONS,
  GB42195_ITEMS,
  GB42195_LEVELS,
  GB42195_RISK_EVENTS,
  MZT039_DEMENTIA,
  MZT039_DIMENSIONS,
  MZT039_ITEMS,
  MZT039_LEVELS,
  MZT039_MENTAL_ILLNESS,
  MZT039_RISK_EVENTS,
  itemMax,
  optionOf,
  type Bilingual,
  type Dimension,
  type Item,
} from './standards/index.js';

interface ElderFacts {
  name: string;
  sex: string;
  birth_date: string;
  id_number: string;
  region_name: string | null;
  township_name: string | null;
}

interface DimensionScore {
  code: string;
  zh: string;
  score: number | null;
  max: number | null;
  gradeName?: Bilingual | null;
}

const GRAY = '#eeeeee';
const cell = (text: string | number | null | undefined, o: Record<string, unknown> = {}): TableCell =>
  ({ text: text == null ? '' : String(text), ...o }) as TableCell;
const head = (text: string, o: Record<string, unknown> = {}) => cell(text, { bold: true, fillColor: GRAY, alignment: 'center', ...o });
const label = (text: string) => cell(text, { bold: true, fillColor: '#f7f7f7' });

/** The level names of the scale of `standard` (preliminary and final levels). */
function levelName(standard: string, level: number): string {
  const levels: Record<number, Bilingual> = standard === GB42195 ? GB42195_LEVELS : MZT039_LEVELS;
  return levels[level]?.zh ?? '';
}

/** C.4's facts from Annex A as stored with the assessment (`annex`). */
function changeFacts(standard: string, annex: Record<string, unknown>): string[] {
  const risk = (annex.riskEvents30d ?? {}) as Record<string, number>;
  const labels: Record<string, { zh: string }> = standard === GB42195 ? GB42195_RISK_EVENTS : MZT039_RISK_EVENTS;
  const events = Object.entries(risk)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${labels[k]?.zh ?? k} ${n >= 3 ? '3次及以上' : `${n}次`}`);
  const out: string[] = [];
  if (standard === GB42195) {
    out.push(`A.5.11 昏迷：${annex.comaA511 ? '是' : '否'}`);
    const dx = ((annex.diagnoses ?? []) as { group?: string; icd10?: string; byPsychiatrist?: boolean }[]).map((d) =>
      [
        d.group ? (GB42195_DIAGNOSIS_GROUPS[d.group as keyof typeof GB42195_DIAGNOSIS_GROUPS]?.zh ?? d.group) : '',
        d.icd10 ? `（${d.icd10}）` : '',
        d.byPsychiatrist ? '，精神科专科医生诊断' : '',
      ]
        .join('')
        .trim(),
    );
    out.push(`A.4.1 疾病诊断：${dx.length ? dx.join('；') : '无'}`);
  } else {
    const dem = MZT039_DEMENTIA[annex.dementia as keyof typeof MZT039_DEMENTIA] as { zh: string } | undefined;
    const mental = MZT039_MENTAL_ILLNESS[annex.mentalIllness as keyof typeof MZT039_MENTAL_ILLNESS] as { zh: string } | undefined;
    out.push(`认知障碍/痴呆：${dem?.zh ?? '—'}`, `精神疾病：${mental?.zh ?? '—'}`);
  }
  out.push(`A.2.14 近30天内照护风险事件：${events.length ? events.join('、') : '无'}`);
  return out;
}

/** C.1: every item of a dimension with the answer and its score, then the dimension's total. */
function itemTable(dims: readonly Dimension[], items: readonly Item[], answers: Record<string, string>, scores: DimensionScore[], graded: boolean): Content {
  const body: TableCell[][] = [[head('编号'), head('评估项目'), head('评估结果（所选项）'), head('得分'), head('满分')]];
  for (const d of dims) {
    const s = scores.find((x) => x.code === d.code);
    body.push([cell(`${d.code}　${d.zh}`, { bold: true, colSpan: 5, fillColor: '#f2f6fc' }), '', '', '', '']);
    for (const item of items.filter((i) => i.dimension === d.code)) {
      const o = optionOf(item, answers);
      body.push([
        cell(item.code, { noWrap: true }),
        cell(item.zh),
        cell(o ? o.zh : '未评（按标准不计分）', { color: o ? undefined : '#666666' }),
        cell(o ? o.score : '—', { alignment: 'center' }),
        cell(itemMax(item), { alignment: 'center' }),
      ]);
    }
    body.push([
      cell(`${d.zh}得分${graded ? `（分级：${s?.gradeName?.zh ?? '—'}）` : ''}`, { bold: true, colSpan: 3, alignment: 'right' }),
      '',
      '',
      cell(s?.score ?? '—', { bold: true, alignment: 'center' }),
      cell(s?.max ?? '—', { bold: true, alignment: 'center' }),
    ]);
  }
  return { table: { headerRows: 1, dontBreakRows: true, widths: [34, 78, '*', 40, 30], body }, fontSize: 9, margin: [0, 0, 0, 10] };
}

export async function assessmentReportPdf(a: AssessmentRow, e: ElderFacts, reasonLabel: string, organisation: string): Promise<Buffer> {
  const gb = a.standard === GB42195;
  const dims = ((a.dimension_scores as DimensionScore[] | null) ?? []).map((d) => ({ ...d, gradeName: d.gradeName ?? null }));
  const graded = dims.some((d) => d.gradeName);
  const rules = (a.applied_rules as { code: string; zh: string; levelBefore: number; levelAfter: number }[]) ?? [];
  const annex = (a.annex ?? {}) as Record<string, unknown>;
  const maxTotal = dims.reduce((s, d) => s + (d.max ?? 0), 0);

  // C.1 summary: one line per dimension (the score, the maximum, and the grade where there is one).
  const summary: TableCell[][] = [
    [head('一级指标'), head('得分'), head('满分'), ...(graded ? [head('分级')] : [])],
    ...dims.map((d) => [
      cell(`${d.code}　${d.zh}`),
      cell(d.score ?? '—', { alignment: 'center' }),
      cell(d.max ?? '—', { alignment: 'center' }),
      ...(graded ? [cell(d.gradeName?.zh ?? '—', { alignment: 'center' })] : []),
    ]),
    ...(a.total != null
      ? [
          [
            cell('总分', { bold: true }),
            cell(a.total, { bold: true, alignment: 'center' }),
            cell(maxTotal || '—', { alignment: 'center' }),
            ...(graded ? [cell('')] : []),
          ],
        ]
      : []),
  ];

  const content: Content[] = [
    { text: '老年人能力评估报告', style: 'title' },
    { text: `依据标准：${a.standard}　　评估编号：${a.id.slice(0, 8).toUpperCase()}`, alignment: 'center', margin: [0, 0, 0, 4] },
    { text: `评估机构：${organisation}`, alignment: 'center', margin: [0, 0, 0, 10] },
    {
      table: {
        widths: [70, '*', 70, '*'],
        body: [
          [label('姓名'), cell(e.name), label('性别'), cell(e.sex === 'M' ? '男' : '女')],
          [label('出生日期'), cell(e.birth_date), label('公民身份号码'), cell(e.id_number)],
          [label('居住地'), cell(`${e.township_name ?? ''}${e.region_name ?? ''}`, { colSpan: 3 }), cell(''), cell('')],
          [label('评估原因'), cell(reasonLabel), label('评估基准日期'), cell(a.reference_date)],
        ],
      },
      margin: [0, 0, 0, 12],
    },
    { text: `C.1　一级指标${graded ? '得分及分级' : '得分'}`, style: 'h2' },
    { table: { headerRows: 1, widths: ['*', 60, 60, ...(graded ? [90] : [])], body: summary }, margin: [0, 0, 0, 6] },
    ...(gb
      ? [{ text: '注：本标准对一级指标只计得分，不单独分级；能力等级按总分确定（C.2/C.3）。', fontSize: 8, color: '#555555', margin: [0, 0, 0, 10] } as Content]
      : []),
    { text: `C.2/C.3　老年人能力总得分与初步等级`, style: 'h2' },
    {
      table: {
        widths: [110, '*'],
        body: [
          [label('总得分'), cell(a.total != null ? `${a.total} 分（满分 ${maxTotal}）` : '按各一级指标分级确定（本标准不计总分）')],
          [label('初步等级'), cell(`${a.preliminary_level} 级　${levelName(a.standard, a.preliminary_level)}`, { bold: true })],
        ],
      },
      margin: [0, 0, 0, 10],
    },
    { text: 'C.4　能力等级变更依据', style: 'h2' },
    { ul: changeFacts(a.standard, annex), margin: [0, 0, 0, 4] },
    {
      text: rules.length
        ? `适用规则：${rules.map((r) => `${r.code} ${r.zh}（${r.levelBefore} 级 → ${r.levelAfter} 级）`).join('；')}`
        : '适用规则：无，等级不变更。',
      margin: [0, 0, 0, 10],
    },
    { text: 'C.5　老年人能力最终等级', style: 'h2' },
    {
      table: {
        widths: [110, '*'],
        body: [
          [label('最终等级'), cell(`${a.final_level} 级　${a.level_name}`, { bold: true, fontSize: 14 })],
          [label('有效期至'), cell(`${a.valid_until ?? '—'}${a.status === 'void' ? `　（已作废：${a.void_reason ?? ''}）` : ''}`)],
        ],
      },
      margin: [0, 0, 0, 14],
    },
    {
      unbreakable: true,
      stack: [
        { text: '签　　章', style: 'h2', margin: [0, 8, 0, 8] },
        {
          columns: [
            {
              width: '*',
              stack: [
                ...[0, 1].map((i): Content => ({
                  text: `评估员${i + 1}：${a.assessors[i] ?? '　　　　　　'}　　签名：__________________　　日期：__________`,
                  margin: [0, 0, 0, 16],
                })),
                { text: '信息提供者：________　与老人关系：______　签名：________　日期：________', margin: [0, 0, 0, 16] },
                { text: `评估机构：${organisation}`, margin: [0, 0, 0, 4] },
              ],
            },
            {
              width: 130,
              stack: [
                {
                  canvas: [{ type: 'rect', x: 0, y: 0, w: 120, h: 120, r: 60, lineColor: '#999999', dash: { length: 3 } }],
                },
                { text: '评估机构（盖章）', alignment: 'center', color: '#666666', margin: [0, -66, 10, 50] },
                { text: '年　　月　　日', alignment: 'center', margin: [0, 0, 10, 0] },
              ],
            },
          ],
        },
      ],
    },
    { text: '评估项目明细（附录B 老年人能力评估表）', style: 'h2', pageBreak: 'before' },
    itemTable(gb ? GB42195_DIMENSIONS : MZT039_DIMENSIONS, gb ? GB42195_ITEMS : MZT039_ITEMS, a.answers ?? {}, dims, graded),
  ];
  return renderPdf({
    pageSize: 'A4',
    pageMargins: [50, 50, 50, 50],
    info: { title: `老年人能力评估报告 ${e.name}` },
    footer: (page: number, pages: number) => ({
      text: `${e.name}　老年人能力评估报告　第 ${page} 页 共 ${pages} 页`,
      alignment: 'center',
      fontSize: 8,
      color: '#666666',
    }),
    content,
    styles: {
      title: { fontSize: 18, bold: true, alignment: 'center', margin: [0, 0, 0, 6] },
      h2: { fontSize: 12, bold: true, margin: [0, 4, 0, 4] },
    },
  });
}
