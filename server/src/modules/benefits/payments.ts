/** Bank files of an approved run and the bank's result file. */
import { Readable } from 'node:stream';
import { sql, type Executor } from '../../kernel/db.js';
import { badRequest, conflict } from '../../kernel/errors.js';
import ExcelJS, { cellText, formatNumbers, type CellValue } from '../../kernel/excel.js';
import { scopeOf } from '../../kernel/scope.js';
import type { RunRow } from './runs.js';

export interface BankGroup {
  bankCode: string;
  bankName: string;
  payments: number;
  totalCents: number;
}

/** Payments of the run grouped by bank; elders without an account are listed as `NONE`. */
export async function bankGroups(tx: Executor, run: RunRow, regionCode: string): Promise<BankGroup[]> {
  const s = scopeOf(regionCode);
  return (
    await tx.rows<{ bank_code: string; bank_name: string; n: number; c: string }>(sql`
    select coalesce(a.bank_code, 'NONE') as bank_code, coalesce(a.bank_name, '未登记账户') as bank_name, count(*)::int as n, sum(bp.amount_cents)::text as c
      from benefit_payments bp join benefit_lines l on l.id = bp.line_id left join elder_bank_accounts a on a.elder_id = l.elder_id
     where bp.run_id = ${run.id} and bp.region_code between ${s.lo} and ${s.hi}
     group by 1, 2 order by 1`)
  ).map((r) => ({ bankCode: r.bank_code, bankName: r.bank_name, payments: r.n, totalCents: Number(r.c) }));
}

interface PayRow {
  payment_id: string;
  name: string;
  id_number: string;
  bank_name: string | null;
  account_no: string | null;
  holder_name: string | null;
  amount_cents: number;
  benefit_code: string;
  for_month: string;
  kind: string;
  attempt: number;
  township: string | null;
  village: string | null;
}

export const BANK_HEADERS = [
  '业务编号',
  '序号',
  '户名',
  '身份证号',
  '开户行',
  '账号',
  '金额（元）',
  '补贴项目',
  '所属月份',
  '乡镇（街道）',
  '村（社区）',
  '备注',
];

export async function bankRows(tx: Executor, run: RunRow, bankCode: string | undefined, regionCode: string): Promise<PayRow[]> {
  const s = scopeOf(regionCode);
  return tx.rows<PayRow>(sql`
    select bp.id::text as payment_id, e.name, e.id_number, a.bank_name, a.account_no, a.holder_name, bp.amount_cents, l.benefit_code,
           to_char(l.for_month, 'YYYY-MM') as for_month, l.kind, bp.attempt, t.name as township, v.name as village
      from benefit_payments bp join benefit_lines l on l.id = bp.line_id join elders e on e.id = l.elder_id
      left join elder_bank_accounts a on a.elder_id = l.elder_id
      left join regions v on v.code = l.region_code
      left join regions t on t.code = left(l.region_code, 9) || '000'
     where bp.run_id = ${run.id} and bp.region_code between ${s.lo} and ${s.hi}
       and ${bankCode === undefined ? sql`true` : bankCode === 'NONE' ? sql`a.elder_id is null` : sql`a.bank_code = ${bankCode}`}
     order by l.region_code, e.id_number, l.benefit_code, l.for_month`);
}

export function bankCsv(rows: PayRow[], names: Map<string, string>): string {
  const esc = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const lines = [BANK_HEADERS.join(',')];
  rows.forEach((r, i) =>
    lines.push(
      cells(r, i, names)
        .map((v) => esc(String(v)))
        .join(','),
    ),
  );
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

function cells(r: PayRow, i: number, names: Map<string, string>) {
  const note = [r.kind === 'backpay' ? '补发' : '', r.attempt > 1 ? `重发（第${r.attempt}次）` : ''].filter(Boolean).join('，');
  return [
    r.payment_id,
    i + 1,
    r.holder_name ?? r.name,
    r.id_number,
    r.bank_name ?? '',
    r.account_no ?? '',
    (r.amount_cents / 100).toFixed(2),
    names.get(r.benefit_code) ?? r.benefit_code,
    r.for_month,
    r.township ?? '',
    r.village ?? '',
    note,
  ];
}

export async function bankXlsx(rows: PayRow[], names: Map<string, string>, title: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('代发明细');
  ws.addRow(BANK_HEADERS);
  ws.getRow(1).font = { bold: true };
  rows.forEach((r, i) => {
    const c = cells(r, i, names);
    c[6] = Number(c[6]);
    ws.addRow(c);
  });
  ws.getColumn(1).width = 38;
  ws.getColumn(4).width = 22;
  ws.getColumn(6).width = 24;
  const total = rows.reduce((a, r) => a + r.amount_cents, 0);
  ws.addRow([]);
  ws.addRow(['合计', rows.length, '', '', '', '', total / 100]);
  formatNumbers(ws);
  wb.title = title;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export interface ResultRowError {
  row: number;
  column: string;
  message: string;
  messageEn: string;
}

/**
 * The bank's result file: the bank file with a 结果 column (成功/失败), 失败原因 and 银行流水号.
 * All rows are checked first; nothing is written if any row is wrong.
 */
export async function importBankResult(tx: Executor, run: RunRow, buf: Buffer): Promise<{ paid: number; failed: number }> {
  if (run.status !== 'approved') throw conflict('RUN_NOT_APPROVED', '只有已审批的批次才能导入银行回盘', 'only an approved run takes bank results');
  const rows: { row: number; id: string; result: string; reason: string; ref: string; amount: string }[] = [];
  let idx: Record<string, number> | null = null;
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(buf), {
      sharedStrings: 'cache',
      hyperlinks: 'ignore',
      styles: 'ignore',
      worksheets: 'emit',
    });
    for await (const ws of reader) {
      for await (const row of ws) {
        const v = (row.values as CellValue[]).slice(1).map(cellText);
        if (!idx) {
          idx = Object.fromEntries(['业务编号', '金额（元）', '结果', '失败原因', '银行流水号'].map((h) => [h, v.findIndex((x) => x.trim() === h)]));
          const missing = ['业务编号', '结果'].filter((h) => idx![h]! < 0);
          if (missing.length) throw badRequest('BAD_HEADER', `表头缺少：${missing.join('、')}`, `the header row lacks ${missing.join(', ')}`);
          continue;
        }
        if (v.every((x) => !x)) continue;
        const at = (h: string) => (idx![h]! >= 0 ? (v[idx![h]!] ?? '').trim() : '');
        if (at('业务编号') === '' && at('结果') === '') continue;
        rows.push({ row: row.number, id: at('业务编号'), result: at('结果'), reason: at('失败原因'), ref: at('银行流水号'), amount: at('金额（元）') });
      }
      break;
    }
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode) throw e;
    throw badRequest('BAD_FILE', '无法读取该文件，请上传银行回盘 Excel（.xlsx）', 'the file could not be read; upload the bank result as .xlsx');
  }
  if (!idx) throw badRequest('EMPTY_FILE', '文件是空的', 'the file is empty');
  const known = new Map(
    (
      await tx.rows<{ id: string; amount_cents: number; status: string }>(
        sql`select id::text as id, amount_cents, status from benefit_payments where run_id = ${run.id}`,
      )
    ).map((p) => [p.id, p]),
  );
  const errors: ResultRowError[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    const p = known.get(r.id);
    if (!p)
      errors.push({
        row: r.row,
        column: '业务编号',
        message: `第${r.row}行：本批次没有业务编号 ${r.id}`,
        messageEn: `row ${r.row}: no payment ${r.id} in this run`,
      });
    else if (seen.has(r.id))
      errors.push({ row: r.row, column: '业务编号', message: `第${r.row}行：业务编号重复`, messageEn: `row ${r.row}: duplicate payment id` });
    if (!['成功', '失败'].includes(r.result))
      errors.push({ row: r.row, column: '结果', message: `第${r.row}行：结果只能填“成功”或“失败”`, messageEn: `row ${r.row}: result must be 成功 or 失败` });
    if (r.result === '失败' && !r.reason)
      errors.push({ row: r.row, column: '失败原因', message: `第${r.row}行：失败时请填写失败原因`, messageEn: `row ${r.row}: give the reason of a failure` });
    if (p && r.amount && Math.round(Number(r.amount) * 100) !== p.amount_cents)
      errors.push({ row: r.row, column: '金额（元）', message: `第${r.row}行：金额与本批次不符`, messageEn: `row ${r.row}: amount differs from the run` });
    seen.add(r.id);
  }
  if (errors.length)
    throw badRequest('BAD_ROWS', `回盘文件有 ${errors.length} 处错误，未导入任何一行`, `${errors.length} errors in the result file; nothing was imported`, {
      errors,
    });
  // A payment takes one result (pending → paid or failed); the caller holds the run's lock, so a
  // second upload of the same result finds it recorded and changes nothing.
  const recorded = rows.filter((r) => known.get(r.id)!.status !== 'pending');
  if (recorded.length)
    throw conflict(
      'RESULT_RECORDED',
      `回盘文件中 ${recorded.length} 笔已有银行结果（如第${recorded[0]!.row}行），未导入任何一行；重复导入同一回盘不会改变结果`,
      `${recorded.length} payments in the file already have a bank result (row ${recorded[0]!.row} first); nothing was imported`,
      { rows: recorded.slice(0, 100).map((r) => r.row) },
    );
  const ok = rows.filter((r) => r.result === '成功');
  const bad = rows.filter((r) => r.result === '失败');
  const json = (xs: typeof rows) => JSON.stringify(xs.map((r) => ({ id: r.id, reason: r.reason || null, ref: r.ref || null })));
  await tx.exec(sql`update benefit_payments bp set status = 'paid', bank_ref = x.ref, fail_reason = null, settled_at = now()
    from jsonb_to_recordset(${json(ok)}::jsonb) as x(id uuid, reason text, ref text) where bp.id = x.id and bp.run_id = ${run.id} and bp.status = 'pending'`);
  await tx.exec(sql`update benefit_payments bp set status = 'failed', bank_ref = x.ref, fail_reason = x.reason, settled_at = now()
    from jsonb_to_recordset(${json(bad)}::jsonb) as x(id uuid, reason text, ref text) where bp.id = x.id and bp.run_id = ${run.id} and bp.status = 'pending'`);
  return { paid: ok.length, failed: bad.length };
}
