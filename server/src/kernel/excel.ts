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
