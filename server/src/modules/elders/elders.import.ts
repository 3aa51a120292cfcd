/**
 * Roster import from Excel and export of filtered lists. An import is a job: the upload
 * returns at once with a job id, the web polls its progress, and the report names every bad
 * row and column. Modes: `all-or-nothing` (any bad row → nothing is written) or `valid-only`
 * (good rows are written, bad rows reported). Either way it is one transaction, so a crash
 * leaves nothing half-imported, and re-running reports the already-registered rows as
 * duplicates instead of inserting them twice.
 */
import { Readable } from 'node:stream';
import ExcelJS, { cellText, type CellValue, type Worksheet } from '../../kernel/excel.js';
import { arr, sql, type Database, type Executor } from '../../kernel/db.js';
import { badRequest } from '../../kernel/errors.js';
import { parseIdNumber } from '../../kernel/idnumber.js';
import { isIsoDate } from '../../kernel/dates.js';
import { principalScope, type Principal } from '../../kernel/principal.js';
import { getSetting } from '../../kernel/settings.js';
import { writeAudit } from '../../kernel/audit.js';
import { keepBeating, staleBeat } from '../../kernel/heartbeat.js';
import { freeText, textProblem } from '../../kernel/validation.js';
import { CATEGORIES, LIVING } from './categories.js';
import { ageAt, ID_PROBLEMS, namePinyin, today } from './elders.service.js';

export const ELDER_HEADERS = [
  '身份证号',
  '姓名',
  '居住村（社区）代码',
  '户籍地区划代码',
  '联系电话',
  '居住地址',
  '居住状况',
  '人员类别',
  '类别起始日期',
  '依据文件',
  '联系人姓名',
  '联系人关系',
  '联系人电话',
  // Optional, checked against the ID number (a mistyped number shows as the wrong sex); last so
  // rosters laid out before it still read the same.
  '性别',
] as const;
const REQUIRED = new Set(['身份证号', '姓名', '居住村（社区）代码']);

const LIVING_BY_LABEL = new Map(Object.entries(LIVING).map(([k, v]) => [v, k]));
const CATEGORY_BY_LABEL = new Map(Object.entries(CATEGORIES).flatMap(([k, v]) => [[v.zh, k] as const, [k, k] as const]));
const PHONE = /^(1\d{10}|0\d{2,3}-?\d{7,8})$/;

export interface RowError {
  row: number;
  column: string;
  message: string;
  messageEn: string;
}

export interface ImportReport {
  mode: 'all-or-nothing' | 'valid-only';
  total: number;
  imported: number;
  rejected: number;
  committed: boolean;
  errors: RowError[];
}

/** Rows of the template that carry dropdowns and text formats. */
const TEMPLATE_ROWS = 5000;
const SEX = { 男: 'M', 女: 'F' } as const;
const TEXT_COLUMNS = new Set(['身份证号', '居住村（社区）代码', '户籍地区划代码', '联系电话', '联系人电话']);

/** A list validation on one column of the data sheet (exceljs keys validations by address or range). */
function dropdown(ws: Worksheet, header: (typeof ELDER_HEADERS)[number], source: string, o: { prompt: string; strict: boolean }) {
  const col = ws.getColumn(ELDER_HEADERS.indexOf(header) + 1).letter;
  (ws as unknown as { dataValidations: { add(address: string, v: object): void } }).dataValidations.add(`${col}2:${col}${TEMPLATE_ROWS + 1}`, {
    type: 'list',
    allowBlank: true,
    formulae: [source],
    showInputMessage: true,
    promptTitle: header,
    prompt: o.prompt,
    showErrorMessage: true,
    // Categories may hold several values joined by 、: the warning lets the user keep them.
    errorStyle: o.strict ? 'stop' : 'information',
    errorTitle: header,
    error: o.strict ? `请从下拉列表中选择${header}` : o.prompt,
  });
}

/**
 * The roster template: the data sheet (text-formatted code and number columns, dropdowns for
 * living arrangement, categories, sex and the village code), the villages and communities in the
 * user's area with their names, the option lists, and the instructions.
 */
export async function elderTemplate(villages: { code: string; name: string; township: string | null }[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('老年人名册');
  ws.addRow([...ELDER_HEADERS]);
  ws.getRow(1).font = { bold: true };
  ELDER_HEADERS.forEach((h, i) => {
    ws.getColumn(i + 1).width = Math.max(12, h.length * 2.2);
    // Text, so an 18-digit ID number or a 12-digit code keeps every digit (a number keeps 15).
    if (TEXT_COLUMNS.has(h)) ws.getColumn(i + 1).numFmt = '@';
    if (REQUIRED.has(h)) ws.getCell(1, i + 1).note = '必填';
  });
  ws.getColumn(1).width = 22;
  ws.views = [{ state: 'frozen', ySplit: 1 }];

  const vs = wb.addWorksheet('村（社区）代码');
  vs.columns = [
    { header: '代码', key: 'code', width: 16, style: { numFmt: '@' } },
    { header: '名称', key: 'name', width: 28 },
    { header: '乡镇（街道）', key: 'township', width: 16 },
  ];
  vs.getRow(1).font = { bold: true };
  for (const v of villages) vs.addRow(v);

  const opts = wb.addWorksheet('选项');
  const lists = { 居住状况: Object.values(LIVING), 人员类别: Object.values(CATEGORIES).map((c) => c.zh), 性别: Object.keys(SEX) };
  Object.entries(lists).forEach(([title, values], i) => {
    opts.getColumn(i + 1).width = 20;
    opts.getCell(1, i + 1).value = title;
    values.forEach((v, j) => (opts.getCell(j + 2, i + 1).value = v));
  });
  opts.getRow(1).font = { bold: true };
  const range = (i: number, n: number) => {
    const col = opts.getColumn(i + 1).letter;
    return `选项!$${col}$2:$${col}$${n + 1}`;
  };

  if (villages.length)
    dropdown(ws, '居住村（社区）代码', `'村（社区）代码'!$A$2:$A$${villages.length + 1}`, {
      prompt: '从下拉列表选择12位代码；名称见“村（社区）代码”表',
      strict: true,
    });
  dropdown(ws, '居住状况', range(0, lists.居住状况.length), { prompt: '从下拉列表选择', strict: true });
  dropdown(ws, '人员类别', range(1, lists.人员类别.length), { prompt: '可选一个，或填写多个并用“、”分隔', strict: false });
  dropdown(ws, '性别', range(2, lists.性别.length), { prompt: '可不填；填写时须与身份证号一致', strict: true });

  const help = wb.addWorksheet('说明');
  // The example lives here, not on the data sheet, so importing the blank template registers no one.
  help.addRows([
    [
      '示例：11010519491231002X | 张秀英 | 370124001001 | | 13800001234 | 东关社区幸福路1号 | 独居 | 低保、独居 | 2024-01-01 | 平民字〔2024〕3号 | 张建国 | 儿子 | 13900004321 | 女',
    ],
    ['带“必填”批注的列必须填写；出生日期和性别由身份证号自动得出，“性别”列可不填，填写时须与身份证号一致。'],
    ['居住村（社区）代码：12位统计用区划代码，从下拉列表选择；您辖区内的代码和名称见“村（社区）代码”表。'],
    ['身份证号和各代码、电话列已设为文本格式：请勿改为数字格式，否则18位身份证号的末几位会丢失。'],
    [`居住状况：${Object.values(LIVING).join('、')}`],
    [
      `人员类别（可多个，用“、”分隔）：${Object.values(CATEGORIES)
        .map((c) => c.zh)
        .join('、')}`,
    ],
    ['日期格式：YYYY-MM-DD（日期单元格亦可）。'],
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

type Raw = Record<(typeof ELDER_HEADERS)[number], string> & {
  row: number;
  /** The ID number was a number cell of 16 digits or more: a spreadsheet kept only 15 of them. */
  idAsNumber?: boolean;
};

/** Excel and Calc keep 15 significant digits of a number: an 18-digit ID number typed into a
 * cell not formatted as text comes back as 3.70124E+17 with its last digits set to 0. */
const idStoredAsNumber = (v: CellValue) => {
  const n = typeof v === 'object' && v && 'result' in v ? v.result : v;
  return typeof n === 'number' && Math.abs(n) >= 1e15;
};

/** Streams the first worksheet; returns rows keyed by header. */
export async function readRoster(buf: Buffer): Promise<Raw[]> {
  const rows: Raw[] = [];
  let idx: number[] | null = null;
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(buf), {
      sharedStrings: 'cache',
      hyperlinks: 'ignore',
      // Styles tell a date cell (a number with a date format, as Calc, Excel and WPS save a
      // typed 2024-01-01) from a plain number.
      styles: 'cache',
      worksheets: 'emit',
    });
    for await (const ws of reader) {
      for await (const row of ws) {
        const cells = (row.values as CellValue[]).slice(1);
        const values = cells.map(cellText);
        if (!idx) {
          idx = ELDER_HEADERS.map((h) => values.findIndex((v) => v.replace(/[*＊\s]/g, '') === h));
          const missing = ELDER_HEADERS.filter((h, i) => REQUIRED.has(h) && idx![i] < 0);
          if (missing.length)
            throw badRequest(
              'BAD_HEADER',
              `表头缺少：${missing.join('、')}（请下载模板）`,
              `the header row lacks ${missing.join(', ')} (download the template)`,
            );
          continue;
        }
        if (values.every((v) => !v)) continue;
        const r = { row: row.number } as Raw;
        ELDER_HEADERS.forEach((h, i) => (r[h] = idx![i] >= 0 ? (values[idx![i]] ?? '') : ''));
        if (idStoredAsNumber(cells[idx[0]])) r.idAsNumber = true;
        rows.push(r);
        if (rows.length > 200_000) throw badRequest('TOO_MANY_ROWS', '一次最多导入200000行', 'at most 200,000 rows per import');
      }
      break; // first worksheet only
    }
  } catch (e) {
    if ((e as { status?: number }).status) throw e;
    throw badRequest('BAD_FILE', '无法读取文件，请上传 .xlsx 格式的 Excel 文件', 'the file could not be read; upload an .xlsx Excel file');
  }
  if (!idx) throw badRequest('BAD_FILE', '文件中没有数据', 'the file has no rows');
  return rows;
}

interface Valid {
  row: number;
  idNumber: string;
  name: string;
  py: { full: string; initials: string };
  sex: 'M' | 'F';
  birthDate: string;
  regionCode: string;
  hukou: string | null;
  phone: string | null;
  address: string | null;
  living: string | null;
  categories: string[];
  catFrom: string;
  sourceDoc: string | null;
  contact: { name: string; relation: string; phone: string | null } | null;
}

const progress = new Map<string, { processed: number; total: number }>();
export const importProgress = (id: string) => progress.get(id);

/**
 * Validates a roster and writes its good rows. Reads (villages, settings, numbers already
 * registered) run in one short transaction, validation runs in JavaScript yielding to the event
 * loop so progress polls are answered (PGlite has one connection), and all writes run in one
 * transaction: nothing half-imported.
 */
export async function importRoster(
  db: Database,
  p: Principal,
  rows: Raw[],
  mode: ImportReport['mode'],
  onProgress: (n: number) => void = () => {},
  onCommit?: (tx: Executor, r: ImportReport) => Promise<void>,
): Promise<ImportReport> {
  const county = p.regionCode.slice(0, 6);
  const scope = principalScope(p);
  const at = today();
  const candidates = new Set<string>();
  for (const r of rows) {
    const id = parseIdNumber(r['身份证号'], at, 1800);
    if (id.ok) candidates.add(id.value.idNumber);
  }
  const ctx = await db.scoped(scope, async (tx) => {
    const existing = new Set<string>();
    const list = [...candidates];
    for (let i = 0; i < list.length; i += 20_000)
      for (const r of await tx.rows<{ id_number: string }>(sql`select id_number from yl_registered_ids(${county}, ${arr(list.slice(i, i + 20_000))}::text[])`))
        existing.add(r.id_number);
    return {
      minAge: await getSetting(tx, county, 'registry.minAge'),
      minYear: await getSetting(tx, county, 'registry.minBirthYear'),
      villages: new Set(
        (await tx.rows<{ code: string }>(sql`select code from regions where level = 5 and (valid_to is null or valid_to > current_date)`)).map((r) => r.code),
      ),
      existing,
    };
  });
  const { minAge, minYear, villages, existing } = ctx;
  const errors: RowError[] = [];
  const err = (row: number, column: string, zh: string, en: string) => errors.push({ row, column, message: zh, messageEn: en });
  const seen = new Map<string, number>();
  const good: Valid[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const before = errors.length;
    // Control, direction and (outside the address) zero-width characters: the row is refused.
    for (const h of ELDER_HEADERS) {
      const why = r[h] ? textProblem(r[h], h !== '居住地址') : null;
      if (why) err(r.row, h, ...(why.split(' / ', 2) as [string, string]));
    }
    const id = parseIdNumber(r['身份证号'], at, minYear);
    if (!r['身份证号']) err(r.row, '身份证号', '身份证号不能为空', 'the ID number is required');
    else if (r.idAsNumber)
      err(
        r.row,
        '身份证号',
        '身份证号被表格软件存成了数字（显示为 3.70124E+17 一类），末尾几位已丢失：请将“身份证号”列的单元格格式设为“文本”，再重新输入或粘贴身份证号后导入',
        'the ID number was stored as a number (shown like 3.70124E+17) and lost its last digits: format the ID number column as Text, enter the numbers again and re-import',
      );
    else if (!id.ok) err(r.row, '身份证号', ID_PROBLEMS[id.problem].zh, ID_PROBLEMS[id.problem].en);
    else if (ageAt(id.value.birthDate, at) < minAge) err(r.row, '身份证号', `未满${minAge}周岁`, `younger than ${minAge}`);
    else if (seen.has(id.value.idNumber))
      err(r.row, '身份证号', `与第${seen.get(id.value.idNumber)}行重复`, `same ID number as row ${seen.get(id.value.idNumber)}`);
    else if (existing.has(id.value.idNumber)) err(r.row, '身份证号', '该身份证号已登记', 'this ID number is already registered');
    if (id.ok && !seen.has(id.value.idNumber)) seen.set(id.value.idNumber, r.row);
    if (!r['姓名']) err(r.row, '姓名', '姓名不能为空', 'the name is required');
    else if (r['姓名'].length > 50) err(r.row, '姓名', '姓名过长', 'the name is too long');
    const village = r['居住村（社区）代码'];
    if (!village) err(r.row, '居住村（社区）代码', '居住村（社区）代码不能为空', 'the village/community code is required');
    else if (!villages.has(village))
      err(r.row, '居住村（社区）代码', `村（社区）代码 ${village} 不存在或不在您的辖区`, `village/community ${village} does not exist or is outside your area`);
    const hukou = r['户籍地区划代码'] || null;
    if (hukou && !/^\d{12}$/.test(hukou)) err(r.row, '户籍地区划代码', '户籍地区划代码须为12位数字', 'the household-register code has 12 digits');
    const phone = r['联系电话'] || null;
    if (phone && !PHONE.test(phone)) err(r.row, '联系电话', '电话号码格式不正确', 'not a valid phone number');
    const living = r['居住状况'] ? (LIVING_BY_LABEL.get(r['居住状况'] as never) ?? null) : null;
    if (r['居住状况'] && !living) err(r.row, '居住状况', `未知的居住状况：${r['居住状况']}`, `unknown living arrangement: ${r['居住状况']}`);
    const catLabels = r['人员类别'] ? r['人员类别'].split(/[、,，;；\s]+/).filter(Boolean) : [];
    const cats = catLabels.map((l) => CATEGORY_BY_LABEL.get(l));
    const unknown = catLabels.filter((_, j) => !cats[j]);
    if (unknown.length) err(r.row, '人员类别', `未知的人员类别：${unknown.join('、')}`, `unknown category: ${unknown.join(', ')}`);
    const catFrom = r['类别起始日期'] || at;
    if (r['类别起始日期'] && !isIsoDate(r['类别起始日期'])) err(r.row, '类别起始日期', '日期无效，格式须为 YYYY-MM-DD', 'not a valid date (YYYY-MM-DD)');
    const sex = r['性别'] ? (SEX[r['性别'] as keyof typeof SEX] ?? null) : null;
    if (r['性别'] && !sex) err(r.row, '性别', `性别须为“男”或“女”：${r['性别']}`, `sex is 男 or 女: ${r['性别']}`);
    else if (sex && id.ok && sex !== id.value.sex)
      err(r.row, '性别', '性别与身份证号不符，请核对身份证号', 'the sex does not match the ID number: check the ID number');
    const cPhone = r['联系人电话'] || null;
    if (cPhone && !PHONE.test(cPhone)) err(r.row, '联系人电话', '电话号码格式不正确', 'not a valid phone number');
    if (errors.length === before && id.ok)
      good.push({
        row: r.row,
        idNumber: id.value.idNumber,
        name: r['姓名'],
        py: namePinyin(r['姓名']),
        sex: id.value.sex,
        birthDate: id.value.birthDate,
        regionCode: village,
        hukou,
        phone,
        address: freeText(r['居住地址']) || null,
        living,
        categories: [...new Set(cats as string[])],
        catFrom,
        sourceDoc: r['依据文件'] || null,
        contact: r['联系人姓名'] ? { name: r['联系人姓名'].slice(0, 50), relation: r['联系人关系'] || '其他', phone: cPhone } : null,
      });
    if (i % 2000 === 1999) {
      onProgress(Math.floor(i * 0.7));
      await new Promise((r) => setImmediate(r));
    }
  }
  errors.sort((a, b) => a.row - b.row);
  const rejected = new Set(errors.map((e) => e.row)).size;
  const commit = mode === 'valid-only' || errors.length === 0;
  const report: ImportReport = { mode, total: rows.length, imported: commit ? good.length : 0, rejected, committed: commit, errors: errors.slice(0, 5000) };
  onProgress(Math.floor(rows.length * 0.7));
  if (commit || onCommit)
    await db.scoped(scope, async (tx) => {
      if (commit) for (let i = 0; i < good.length; i += 5000) await insertBatch(tx, county, good.slice(i, i + 5000), p.userId);
      await onCommit?.(tx, report);
    });
  // Planner statistics follow a large import (PGlite has no autovacuum to do it).
  if (commit && good.length > 1000) await db.execScript('ANALYZE elders; ANALYZE elder_categories; ANALYZE elder_contacts; ANALYZE elder_events');
  onProgress(rows.length);
  return report;
}

async function insertBatch(tx: Executor, county: string, b: Valid[], userId: string) {
  const ids = await tx.rows<{
    id: string;
    id_number: string;
  }>(sql`insert into elders (county_code, region_code, hukou_region_code, id_number, name, name_pinyin,
      name_initials, sex, birth_date, phone, address, living_arrangement)
    select ${county}, r, h, i, n, py, ini, s, b, ph, ad, lv
      from unnest(${arr(b.map((v) => v.regionCode))}::text[], ${arr(b.map((v) => v.hukou))}::text[], ${arr(b.map((v) => v.idNumber))}::text[],
                  ${arr(b.map((v) => v.name))}::text[], ${arr(b.map((v) => v.py.full))}::text[], ${arr(b.map((v) => v.py.initials))}::text[],
                  ${arr(b.map((v) => v.sex))}::text[], ${arr(b.map((v) => v.birthDate))}::date[], ${arr(b.map((v) => v.phone))}::text[],
                  ${arr(b.map((v) => v.address))}::text[], ${arr(b.map((v) => v.living))}::text[]) as t(r, h, i, n, py, ini, s, b, ph, ad, lv)
    returning id::text as id, id_number`);
  const idOf = new Map(ids.map((r) => [r.id_number, r.id]));
  const cats = b.flatMap((v) => v.categories.map((c) => [idOf.get(v.idNumber)!, v.regionCode, c, v.catFrom, v.sourceDoc] as const));
  if (cats.length)
    await tx.exec(sql`insert into elder_categories (elder_id, county_code, region_code, category, valid_from, source_doc)
      select e, ${county}, r, c, f, d from unnest(${arr(cats.map((x) => x[0]))}::uuid[], ${arr(cats.map((x) => x[1]))}::text[], ${arr(cats.map((x) => x[2]))}::text[],
        ${arr(cats.map((x) => x[3]))}::date[], ${arr(cats.map((x) => x[4]))}::text[]) as t(e, r, c, f, d)`);
  const contacts = b.filter((v) => v.contact);
  if (contacts.length)
    await tx.exec(sql`insert into elder_contacts (elder_id, county_code, region_code, name, relation, phone)
      select e, ${county}, r, n, rel, ph from unnest(${arr(contacts.map((v) => idOf.get(v.idNumber)!))}::uuid[], ${arr(contacts.map((v) => v.regionCode))}::text[],
        ${arr(contacts.map((v) => v.contact!.name))}::text[], ${arr(contacts.map((v) => v.contact!.relation))}::text[], ${arr(contacts.map((v) => v.contact!.phone))}::text[]) as t(e, r, n, rel, ph)`);
  await tx.exec(sql`insert into elder_events (elder_id, county_code, region_code, kind, event_date, detail, created_by)
    select e, ${county}, r, 'registered', current_date, '{"source":"import"}'::jsonb, ${userId}::uuid
      from unnest(${arr(b.map((v) => idOf.get(v.idNumber)!))}::uuid[], ${arr(b.map((v) => v.regionCode))}::text[]) as t(e, r)`);
}

/** Records an import job in the request's transaction; `runImportJob` does the work after. */
export async function createImportJob(tx: Executor, p: Principal, total: number, fileName: string, mode: ImportReport['mode']): Promise<string> {
  const job = await tx.one<{ id: string }>(sql`insert into import_jobs (county_code, region_code, user_id, kind, mode, file_name, total)
    values (${p.regionCode.slice(0, 6)}, ${p.regionCode}, ${p.userId}, 'elders', ${mode}, ${fileName}, ${total}) returning id::text as id`);
  progress.set(job!.id, { processed: 0, total });
  return job!.id;
}

/** What a job left running by a stopped process says (its writes are one transaction: none
 * were made). */
export const ABANDONED = {
  zh: '导入中断：处理该文件的服务进程已停止，本次导入没有写入任何数据，请重新导入该文件',
  en: 'the import was interrupted: the server process handling it stopped; nothing was written, please import the file again',
};

/** Thrown in the write transaction when the job is no longer running (marked abandoned): the
 * writes roll back, so what the job says (nothing written) stays true. */
class JobNotRunning extends Error {}

/**
 * Runs an import job. While it runs, a heartbeat marks it alive (kernel/heartbeat.ts); its end is
 * one conditional update (running → done in the write transaction, running → failed after an
 * error), so a job that `failAbandonedImports` already marked failed is neither written nor
 * changed back.
 */
export async function runImportJob(db: Database, p: Principal, id: string, rows: Raw[], mode: ImportReport['mode'], fileName: string) {
  const actor = { id: p.userId, name: p.displayName, role: p.role };
  const stopBeating = keepBeating(() => db.system((tx) => tx.exec(sql`update import_jobs set heartbeat_at = now() where id = ${id} and status = 'running'`)));
  try {
    await importRoster(
      db,
      p,
      rows,
      mode,
      (n) => progress.set(id, { processed: n, total: rows.length }),
      async (tx, r) => {
        if (r.committed)
          await writeAudit(tx, actor, {
            action: 'import',
            entity: 'elder',
            regionCode: p.regionCode,
            after: { file: fileName, mode, imported: r.imported, rejected: r.rejected },
          });
        const n = await tx.exec(
          sql`update import_jobs set status = 'done', processed = ${rows.length}, report = ${JSON.stringify(r)}::jsonb, finished_at = now()
               where id = ${id} and status = 'running'`,
        );
        if (!n) throw new JobNotRunning(`import job ${id} is no longer running`);
      },
    );
  } catch (e) {
    if (!(e instanceof JobNotRunning))
      await db
        .scoped(principalScope(p), (tx) =>
          tx.exec(sql`update import_jobs set status = 'failed', finished_at = now(),
          report = ${JSON.stringify({ error: (e as Error).message.slice(0, 500) })}::jsonb where id = ${id} and status = 'running'`),
        )
        .catch(() => {});
  } finally {
    stopBeating();
    progress.delete(id);
  }
}

/**
 * Marks failed the import jobs a stopped process left running, telling the user to import the
 * file again (its writes are one transaction: nothing was written). Called at start and every
 * minute (background.ts). A job counts as left behind when its heartbeat is stale — on
 * PostgreSQL another live process may be running it — and, at start on PGlite, always: one
 * process holds the data folder, so no other can be running it. One conditional update, so a
 * job finishing at that moment is either done (and stays so) or failed (and writes nothing).
 */
export async function failAbandonedImports(db: Database, o: { atStart?: boolean } = {}): Promise<string[]> {
  const any = !!o.atStart && db.kind === 'pglite';
  const rows = await db.system((tx) =>
    tx.rows<{ id: string }>(sql`update import_jobs set status = 'failed', finished_at = now(),
        report = ${JSON.stringify({ error: ABANDONED.zh, errorEn: ABANDONED.en, abandoned: true })}::jsonb
      where status = 'running' and (${any} or ${staleBeat(sql`heartbeat_at`)}) returning id::text as id`),
  );
  return rows.map((r) => r.id);
}

export async function exportElders(
  rows: {
    name: string;
    idNumber: string | null;
    sex: string;
    age: number;
    townshipName: string | null;
    regionName: string | null;
    phone: string | null;
    status: string;
    categories: string[];
  }[],
) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('老年人名单');
  ws.columns = [
    { header: '姓名', key: 'name', width: 10 },
    { header: '身份证号（脱敏）', key: 'idNumber', width: 22 },
    { header: '性别', key: 'sex', width: 6 },
    { header: '年龄', key: 'age', width: 6 },
    { header: '乡镇（街道）', key: 'township', width: 14 },
    { header: '村（社区）', key: 'village', width: 22 },
    { header: '电话（脱敏）', key: 'phone', width: 14 },
    { header: '状态', key: 'status', width: 8 },
    { header: '人员类别', key: 'categories', width: 30 },
  ];
  const STATUS: Record<string, string> = { active: '在册', deceased: '已故', moved_out: '迁出' };
  for (const r of rows)
    ws.addRow({
      name: r.name,
      idNumber: r.idNumber,
      sex: r.sex === 'M' ? '男' : '女',
      age: r.age,
      township: r.townshipName,
      village: r.regionName,
      phone: r.phone,
      status: STATUS[r.status] ?? r.status,
      categories: r.categories.map((c) => CATEGORIES[c as keyof typeof CATEGORIES]?.zh ?? c).join('、'),
    });
  ws.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
