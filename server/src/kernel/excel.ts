/**
 * ExcelJS, with a fix for its XML reader: exceljs 4.4 decodes each chunk of an entry as UTF-8
 * on its own, so a Chinese character split across two chunks becomes "��" (exceljs issues #2063,
 * #2084, #2316, still open). A roster of 20,000 rows lost names that way in our benchmark. The
 * fixed reader decodes with a StringDecoder that carries split characters over.
 *
 * It must be installed before exceljs loads, so every module imports ExcelJS from here (eslint
 * forbids importing 'exceljs' elsewhere).
 */
import { createRequire } from 'node:module';
import { PassThrough } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

const require = createRequire(import.meta.url);
const exceljsMain = require.resolve('exceljs');
const fromExceljs = createRequire(exceljsMain);
const parseSaxPath = fromExceljs.resolve('./lib/utils/parse-sax.js');
const { SaxesParser } = fromExceljs('saxes') as { SaxesParser: new () => { on(e: string, f: (v: unknown) => void): void; write(s: string): void } };

type SaxEvent = { eventType: 'opentag' | 'text' | 'closetag'; value: unknown };

async function* parseSax(source: AsyncIterable<Buffer | string> & { pipe?: unknown }): AsyncGenerator<SaxEvent[]> {
  const iterable = source.pipe && !(Symbol.asyncIterator in source) ? (source as unknown as NodeJS.ReadableStream).pipe(new PassThrough()) : source;
  const parser = new SaxesParser();
  let error: unknown;
  parser.on('error', (e) => (error = e));
  let events: SaxEvent[] = [];
  for (const t of ['opentag', 'text', 'closetag'] as const) parser.on(t, (value) => events.push({ eventType: t, value }));
  const decoder = new StringDecoder('utf8');
  for await (const chunk of iterable as AsyncIterable<Buffer | string>) {
    parser.write(typeof chunk === 'string' ? chunk : decoder.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)));
    if (error) throw error;
    yield events;
    events = [];
  }
  const rest = decoder.end();
  if (rest) {
    parser.write(rest);
    if (error) throw error;
    yield events;
  }
}

const cached = require.cache[parseSaxPath];
if (cached && cached.exports !== parseSax) {
  throw new Error('exceljs was loaded before kernel/excel.ts: import ExcelJS from kernel/excel.ts only');
}
require.cache[parseSaxPath] = {
  id: parseSaxPath,
  filename: parseSaxPath,
  loaded: true,
  exports: parseSax,
  children: [],
  paths: [],
} as unknown as NodeJS.Module;

// exceljs reads the 1904 date system only from `date1904="1"`; LibreOffice writes "true" (both are
// xsd:boolean), so a roster saved by Calc with 1904 dates came out four years and a day early.
const WorkbookPr = fromExceljs('./lib/xlsx/xform/book/workbook-properties-xform.js') as {
  prototype: { parseOpen(node: { name: string; attributes: Record<string, string> }): boolean; model?: { date1904: boolean } };
};
WorkbookPr.prototype.parseOpen = function (node) {
  if (node.name !== 'workbookPr') return false;
  this.model = { date1904: node.attributes.date1904 === '1' || node.attributes.date1904 === 'true' };
  return true;
};

const ExcelJS = require('exceljs') as typeof import('exceljs');
export default ExcelJS;
export type { CellValue, Workbook, Worksheet } from 'exceljs';

/**
 * A cell as the text a user typed: dates as YYYY-MM-DD, formulas by their result, rich text joined.
 * A date cell is a calendar day without a zone: exceljs turns its serial (either epoch) into that
 * day's midnight in UTC, so the day is read in UTC — never in the server's or the county's zone,
 * where midnight would fall on the day before west of Greenwich.
 */
export function cellText(v: import('exceljs').CellValue): string {
  if (v == null) return '';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('text' in v) return String(v.text).trim();
    if ('result' in v) return cellText((v.result ?? null) as import('exceljs').CellValue);
    if ('error' in v) return '';
    if ('richText' in v)
      return v.richText
        .map((t) => t.text)
        .join('')
        .trim();
  }
  return String(v).trim();
}

/** The platform's number formats, the same as the web's fmtCount / fmtMoney: 4,899 and 1,280.00. */
export const FMT_COUNT = '#,##0';
export const FMT_MONEY = '#,##0.00';

/** '金额（元）', '政府支付（元）', '运营补贴（元/月）': the unit in brackets, so a name such as 张元 is no label. */
const MONEY_LABEL = /[（(]元|金额/;
/** Numbers that are names, not quantities: years, months, serial numbers, codes. */
const NOT_A_QUANTITY = /年份|年度|月份|序号|编号|代码|账号|^年$|^月$/;

/**
 * Gives every number cell of a sheet the platform's format, by what its label says: money ('（元）',
 * '金额') gets FMT_MONEY, other integers FMT_COUNT, other numbers two decimals with separators.
 * The label is the text cell to the left (a 标签｜数值 row such as 政府支付（元）｜1280) or the
 * column's header (the last row above made only of text). Call it once the sheet is written.
 */
export function formatNumbers(ws: import('exceljs').Worksheet): void {
  let header: string[] = [];
  ws.eachRow({ includeEmpty: false }, (row) => {
    const values: unknown[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => (values[col] = cell.value));
    const filled = values.filter((v) => v != null && v !== '');
    if (filled.length >= 2 && filled.every((v) => typeof v === 'string')) {
      header = values.map((v) => (typeof v === 'string' ? v : ''));
      return;
    }
    row.eachCell((cell, col) => {
      if (typeof cell.value !== 'number' || cell.numFmt?.includes('%')) return;
      const left = values[col - 1];
      const labels = [typeof left === 'string' ? left : '', header[col] ?? ''];
      if (labels.some((l) => NOT_A_QUANTITY.test(l))) return;
      if (labels.some((l) => MONEY_LABEL.test(l))) cell.numFmt = FMT_MONEY;
      else cell.numFmt = Number.isInteger(cell.value) ? FMT_COUNT : FMT_MONEY;
    });
  });
}
