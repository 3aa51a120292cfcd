import { describe, expect, it } from 'vitest';
import ExcelJS, { FMT_COUNT, FMT_MONEY, formatNumbers } from './excel.js';

describe('formatNumbers (one count and money format in every export)', () => {
  it('formats money by its label (left cell or column header), counts as #,##0, and leaves years and serial numbers alone', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('s');
    ws.addRow(['结算工单数', 4899, '政府支付（元）', 1280]);
    ws.addRow([]);
    ws.addRow(['序号', '工单号', '服务项目', '金额（元）', '次数', '年度', '执行率']);
    ws.addRow([1, 'FW1', '上门助浴', 80, 16329, 2025, 66.7]);
    ws.addRow(['合计', 16329, '', 1280.5]);
    // Written and read back: the formats are in the file a user opens.
    const back = new ExcelJS.Workbook();
    formatNumbers(ws);
    await back.xlsx.load(Buffer.from(await wb.xlsx.writeBuffer()) as unknown as ArrayBuffer);
    const s = back.worksheets[0]!;
    const fmt = (r: number, c: number) => s.getRow(r).getCell(c).numFmt;
    expect(fmt(1, 2)).toBe(FMT_COUNT);
    expect(fmt(1, 4)).toBe(FMT_MONEY);
    expect(fmt(4, 1) ?? '').not.toContain('#,##0'); // 序号
    expect(fmt(4, 4)).toBe(FMT_MONEY); // 金额（元） by the header
    expect(fmt(4, 5)).toBe(FMT_COUNT);
    expect(fmt(4, 6) ?? '').not.toContain('#,##0'); // 年度 2025, not 2,025
    expect(fmt(4, 7)).toBe(FMT_MONEY); // a non-integer keeps two decimals
    expect(fmt(5, 2)).toBe(FMT_COUNT);
    expect(fmt(5, 4)).toBe(FMT_MONEY);
  });
});
