import dayjs from 'dayjs';

/** 2026-01-05 14:03:22 in the browser's time zone (the county's, in practice). */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = dayjs(iso);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm:ss') : iso;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  return iso.slice(0, 10);
}

export function formatNumber(n: number | null | undefined): string {
  return n == null ? '—' : n.toLocaleString('zh-CN');
}

// One format for counts and money everywhere in the UI (the Excel exports use the same:
// '#,##0' and '#,##0.00', server/src/kernel/excel.ts): 4,899 and ¥1,280.00.
const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const MONEY = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A count with thousands separators: 4,899 (— when unknown). */
export function fmtCount(n: number | null | undefined): string {
  return n == null || !Number.isFinite(n) ? '—' : COUNT.format(n);
}

/** An amount in yuan: ¥1,280.00, -¥12.50 (— when unknown). */
export function fmtMoney(yuan: number | null | undefined): string {
  if (yuan == null || !Number.isFinite(yuan)) return '—';
  return `${yuan < 0 ? '-' : ''}¥${MONEY.format(Math.abs(yuan))}`;
}

/** An amount held in cents (fen), as the server sends money: 128000 → ¥1,280.00. */
export function fmtCents(cents: number | null | undefined): string {
  return cents == null ? '—' : fmtMoney(cents / 100);
}

/** Text for officials from rule data written by developers: without confidence tags ([A] … [C],
 * [GAP]) and references to the project's own documents (STANDARDS.md §7.1). */
export function officialText(s: string | null | undefined): string {
  if (!s) return '';
  return s
    .replace(/\s*\[(?:[A-D]|GAP)\]/g, '')
    .replace(/(?:docs\/)?STANDARDS\.md\s*§[\d.]+\s*[:：]?\s*/g, '')
    .trim();
}
