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
