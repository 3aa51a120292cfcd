/* eslint-disable no-irregular-whitespace -- full-width spaces (全角空格) lay out the printed report */
/** The printable assessment report, laid out like GB/T 42195-2022 Annex C (C.1 dimension
 * scores, C.2/C.3 preliminary level, C.4 change basis, C.5 final level, signatures). */
import type { Content, TableCell } from 'pdfmake/interfaces.js';
import { renderPdf } from '../../kernel/pdf.js';
import type { AssessmentRow } from './assessments.repository.js';

interface ElderFacts {
  name: string;
  sex: string;
  birth_date: string;
  id_number: string;
  region_name: string | null;
  township_name: string | null;
}

const cell = (text: string | number | null | undefined, o: Partial<{ bold: boolean; alignment: string; colSpan: number }> = {}): TableCell =>
  ({ text: text == null ? '' : String(text), ...o }) as TableCell;

export async function assessmentReportPdf(a: AssessmentRow, e: ElderFacts, reasonLabel: string): Promise<Buffer> {
  const dims = (a.dimension_scores as { code: string; zh: string; score: number | null; max: number | null; gradeName?: { zh: string } | null }[]) ?? [];
  const rules = (a.applied_rules as { code: string; zh: string; levelBefore: number; levelAfter: number }[]) ?? [];
  const content: Content[] = [
    { text: '老年人能力评估报告', style: 'title' },
    { text: `依据标准：${a.standard}　　评估编号：${a.id.slice(0, 8).toUpperCase()}`, alignment: 'center', margin: [0, 0, 0, 10] },
    {
      table: {
        widths: [70, '*', 70, '*'],
        body: [
          [cell('姓名', { bold: true }), cell(e.name), cell('性别', { bold: true }), cell(e.sex === 'M' ? '男' : '女')],
          [cell('出生日期', { bold: true }), cell(e.birth_date), cell('身份证号', { bold: true }), cell(e.id_number)],
          [cell('居住地', { bold: true }), cell(`${e.township_name ?? ''}${e.region_name ?? ''}`, { colSpan: 3 }), cell(''), cell('')],
          [cell('评估原因', { bold: true }), cell(reasonLabel), cell('评估基准日期', { bold: true }), cell(a.reference_date)],
        ],
      },
      margin: [0, 0, 0, 12],
    },
    { text: 'C.1 一级指标得分', style: 'h2' },
    {
      table: {
        widths: ['*', 80, 80, 100],
        body: [
          [cell('一级指标', { bold: true }), cell('得分', { bold: true }), cell('满分', { bold: true }), cell('分级', { bold: true })],
          ...dims.map((d) => [cell(`${d.code} ${d.zh}`), cell(d.score ?? '—'), cell(d.max ?? '—'), cell(d.gradeName?.zh ?? '')]),
          ...(a.total != null ? [[cell('总分', { bold: true }), cell(a.total), cell(90), cell('')]] : []),
        ],
      },
      margin: [0, 0, 0, 12],
    },
    { text: 'C.2/C.3 老年人能力初步等级', style: 'h2' },
    { text: `初步等级：${a.preliminary_level} 级`, margin: [0, 0, 0, 12] },
    { text: 'C.4 能力等级变更依据', style: 'h2' },
    rules.length
      ? { ul: rules.map((r) => `${r.code}：${r.zh}（${r.levelBefore} 级 → ${r.levelAfter} 级）`), margin: [0, 0, 0, 12] }
      : { text: '无变更。', margin: [0, 0, 0, 12] },
    { text: 'C.5 老年人能力最终等级', style: 'h2' },
    { text: `${a.final_level} 级　${a.level_name}`, style: 'final' },
    { text: `有效期至：${a.valid_until ?? '—'}${a.status === 'void' ? `　（已作废：${a.void_reason ?? ''}）` : ''}`, margin: [0, 6, 0, 24] },
    {
      columns: [
        { text: `评估员签名：${a.assessors.join('、')}\n\n日期：${a.reference_date}` },
        { text: '信息提供者签名：________________\n\n日期：________________' },
      ],
    },
  ];
  return renderPdf({
    pageSize: 'A4',
    pageMargins: [50, 50, 50, 50],
    info: { title: `老年人能力评估报告 ${e.name}` },
    content,
    styles: {
      title: { fontSize: 18, bold: true, alignment: 'center', margin: [0, 0, 0, 6] },
      h2: { fontSize: 12, bold: true, margin: [0, 4, 0, 4] },
      final: { fontSize: 16, bold: true },
    },
  });
}
