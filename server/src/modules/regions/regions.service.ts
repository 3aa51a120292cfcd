import ExcelJS, { cellText, type CellValue } from '../../kernel/excel.js';
import type { Executor } from '../../kernel/db.js';
import { isIsoDate } from '../../kernel/dates.js';
import { badRequest, notFound } from '../../kernel/errors.js';
import { inScope, parentCode, regionLevel, townshipKind, villageKind, type RegionScope } from '../../kernel/scope.js';
import { regionsRepo, type RegionRow } from './regions.repository.js';
import { URBAN_RURAL } from './regions.schema.js';

export function presentRegion(r: RegionRow) {
  const level = r.level;
  return {
    code: r.code,
    name: r.name,
    level,
    parentCode: r.parent_code,
    countyCode: r.county_code,
    urbanRuralCode: r.urban_rural_code,
    kind: level === 4 ? townshipKind(r.code) : level === 5 ? villageKind(r.code) : null,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    childCount: r.child_count,
  };
}

export async function getRegion(tx: Executor, code: string) {
  const r = await regionsRepo.get(tx, code);
  if (!r) throw notFound('区划', 'region');
  return r;
}

export interface RegionInput {
  code: string;
  name: string;
  urbanRuralCode?: string | null;
  validFrom?: string | null;
  validTo?: string | null;
}

/** Problems of one region row, as (column, zh, en). `known` holds codes that exist already
 * or earlier in the same file, so a file may add a township and its villages together. */
export function regionProblems(r: RegionInput, known: Set<string>, scope: RegionScope): { column: string; zh: string; en: string }[] {
  const out: { column: string; zh: string; en: string }[] = [];
  if (!/^\d{12}$/.test(r.code)) {
    out.push({ column: '区划代码', zh: '区划代码须为6、9或12位数字', en: 'the region code must have 6, 9 or 12 digits' });
    return out;
  }
  const level = regionLevel(r.code);
  if (!r.name?.trim()) out.push({ column: '名称', zh: '名称不能为空', en: 'the name is required' });
  else if (r.name.length > 100) out.push({ column: '名称', zh: '名称过长', en: 'the name is too long' });
  const parent = parentCode(r.code);
  if (!inScope(scope, r.code) || (parent && !inScope(scope, parent) && level > 1 && !known.has(parent)))
    out.push({ column: '区划代码', zh: '该区划不在您的管辖范围内', en: 'this region is outside your area' });
  else if (parent && !known.has(parent)) out.push({ column: '区划代码', zh: `上级区划 ${parent} 不存在`, en: `the parent region ${parent} does not exist` });
  if (r.urbanRuralCode != null && r.urbanRuralCode !== '') {
    if (level !== 5) out.push({ column: '城乡分类代码', zh: '只有村（社区）级区划有城乡分类代码', en: 'only village-level regions have an urban-rural code' });
    else if (!(URBAN_RURAL as readonly string[]).includes(r.urbanRuralCode))
      out.push({
        column: '城乡分类代码',
        zh: '城乡分类代码须为111、112、121、122、123、210或220',
        en: 'the urban-rural code must be 111, 112, 121, 122, 123, 210 or 220',
      });
  } else if (level === 5) out.push({ column: '城乡分类代码', zh: '村（社区）须填写城乡分类代码', en: 'a village or community needs its urban-rural code' });
  for (const [col, v] of [
    ['启用日期', r.validFrom],
    ['停用日期', r.validTo],
  ] as const)
    if (v && !isIsoDate(v)) out.push({ column: col, zh: '日期无效，格式须为 YYYY-MM-DD', en: 'not a valid date; write dates as YYYY-MM-DD' });
  return out;
}

export async function upsertRegion(tx: Executor, r: RegionInput) {
  const level = regionLevel(r.code);
  return regionsRepo.upsert(tx, {
    code: r.code,
    name: r.name.trim(),
    level,
    parentCode: parentCode(r.code),
    urbanRuralCode: level === 5 ? (r.urbanRuralCode ?? null) : null,
    validFrom: r.validFrom ?? null,
    validTo: r.validTo ?? null,
  });
}

export const IMPORT_HEADERS = ['区划代码', '名称', '城乡分类代码', '启用日期', '停用日期'] as const;

export async function regionTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('区划');
  ws.addRow([...IMPORT_HEADERS]);
  ws.getRow(1).font = { bold: true };
  ws.columns.forEach((c) => (c.width = 18));
  const help = wb.addWorksheet('说明');
  // Examples live here, not on the data sheet, so importing the blank template changes nothing.
  help.addRows([
    ['示例（代码仅作格式参考）：370124001000 榆山街道；370124001001 某社区居民委员会 111 2000-01-01'],
    ['区划代码：6位（县）、9位（乡镇/街道）或12位（村/社区）统计用区划代码，不足12位自动补0'],
    ['城乡分类代码：村（社区）必填：111 主城区，112 城乡结合区，121 镇中心区，122 镇乡结合区，123 特殊区域，210 乡中心区，220 村庄'],
    ['日期：YYYY-MM-DD；停用日期留空表示仍有效'],
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function parseRegionWorkbook(buf: Buffer): Promise<{ row: number; r: RegionInput }[]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw badRequest('BAD_FILE', '无法读取文件，请上传 .xlsx 格式的 Excel 文件', 'the file could not be read; upload an .xlsx Excel file');
  }
  const ws = wb.worksheets[0];
  if (!ws) throw badRequest('BAD_FILE', '文件中没有工作表', 'the file has no worksheet');
  const header = (ws.getRow(1).values as CellValue[]).slice(1).map(cellText);
  const idx = IMPORT_HEADERS.map((h) => header.indexOf(h));
  if (idx[0] < 0 || idx[1] < 0)
    throw badRequest(
      'BAD_HEADER',
      `表头须包含：${IMPORT_HEADERS.join('、')}（请下载模板）`,
      `the header row must contain ${IMPORT_HEADERS.join(', ')} (download the template)`,
    );
  const out: { row: number; r: RegionInput }[] = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const get = (i: number) => (i < 0 ? '' : cellText(row.getCell(i + 1).value));
    const code = get(idx[0]);
    if (!code && !get(idx[1])) return;
    out.push({
      row: n,
      r: {
        code: /^\d{6}$|^\d{9}$/.test(code) ? code.padEnd(12, '0') : code,
        name: get(idx[1]),
        urbanRuralCode: get(idx[2]) || null,
        validFrom: get(idx[3]) || null,
        validTo: get(idx[4]) || null,
      },
    });
  });
  if (out.length > 100_000) throw badRequest('TOO_MANY_ROWS', '一次最多导入100000行', 'at most 100,000 rows per import');
  return out;
}
