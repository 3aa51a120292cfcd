/**
 * PDF documents (pdfmake) in Chinese. pdfmake's default font has no Chinese glyphs, so a CJK
 * font from the system is used: PDF_FONT (a .ttf/.otf, or a .ttc with PDF_FONT_NAME), else
 * WenQuanYi Zen Hei from Debian's fonts-wqy-zenhei, else Noto Sans CJK.
 */
import fs from 'node:fs';
import pdfmake from 'pdfmake';
import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { AppError } from './errors.js';

const CANDIDATES: [string, string | undefined][] = [
  ['/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', 'WenQuanYiZenHei'],
  ['/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', 'NotoSansCJKsc-Regular'],
  ['/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', 'WenQuanYiMicroHei'],
];

export function cjkFont(): [string, string | undefined] | null {
  if (process.env.PDF_FONT) return [process.env.PDF_FONT, process.env.PDF_FONT_NAME];
  return CANDIDATES.find(([f]) => fs.existsSync(f)) ?? null;
}

// In Node, pdfmake's main export is its PdfPrinter class (the typings describe the browser build).
interface Printer {
  createPdfKitDocument(doc: TDocumentDefinitions): NodeJS.EventEmitter & { end(): void };
}
const PdfPrinter = pdfmake as unknown as new (fonts: Record<string, Record<string, unknown>>) => Printer;
let printer: Printer | undefined;

export async function renderPdf(doc: TDocumentDefinitions): Promise<Buffer> {
  const font = cjkFont();
  if (!font)
    throw new AppError(
      503,
      'NO_CJK_FONT',
      '服务器未安装中文字体，无法生成 PDF（请安装 fonts-wqy-zenhei 或设置 PDF_FONT）',
      'no Chinese font on the server, so no PDF can be made (install fonts-wqy-zenhei or set PDF_FONT)',
    );
  const face = font[1] ? [font[0], font[1]] : font[0];
  printer ??= new PdfPrinter({ Zh: { normal: face, bold: face, italics: face, bolditalics: face } });
  const pdf = printer.createPdfKitDocument({ ...doc, defaultStyle: { font: 'Zh', fontSize: 10, ...doc.defaultStyle } });
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
    pdf.end();
  });
}
