/** 变更历史: life events and audit entries of the record, newest first. Changed values are not
 * shown, only which fields changed: the audit images hold unmasked data. */
import { Empty, Skeleton, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { LoadError } from '../../kernel/components/FullPage';
import { formatDate, formatDateTime } from '../../kernel/format';
import { useLabels } from '../../kernel/meta';
import { useHistory } from './EventsTab';
import type { HistoryItem } from './types';

const FIELD_KEYS: Record<string, string> = {
  name: 'elders.name',
  phone: 'elders.phone',
  address: 'elders.address',
  livingArrangement: 'elders.livingArrangement',
  hukouRegionCode: 'elders.hukou',
};

const COLORS: Record<string, string> = { death: 'gray', move_out: 'orange', health_change: 'red', assessed: 'green', assess: 'green', registered: 'blue' };

export function HistoryTab({ elderId }: { elderId: string }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const history = useHistory(elderId);
  if (history.isError) return <LoadError error={history.error} onRetry={() => void history.refetch()} />;
  if (history.isPending) return <Skeleton active />;
  if (!history.data.items.length) return <Empty description={t('elders.hist.empty')} />;

  const title = (h: HistoryItem) => {
    if (h.kind.startsWith('event:')) return t('elders.hist.eventPrefix') + t(`elders.events.kinds.${h.kind.slice(6)}`, h.kind.slice(6));
    return t(`elders.hist.kinds.${h.kind}`, h.kind);
  };

  const summary = (h: HistoryItem): string[] => {
    const d = (h.detail ?? {}) as Record<string, unknown>;
    const out: string[] = [];
    if (h.source === 'event') {
      if (typeof d.category === 'string') out.push(labels.category(d.category));
      if (typeof d.reason === 'string') out.push(d.reason);
      if (typeof d.note === 'string' && d.note) out.push(d.note);
      if (typeof d.finalLevel === 'number') out.push(`${d.standard ?? ''} ${t('elders.levelN', { level: d.finalLevel })}`.trim());
      if (typeof d.from === 'string' && typeof d.to === 'string') out.push(`${d.from} → ${d.to}`);
    } else {
      const after = (d.after ?? {}) as Record<string, unknown>;
      if (h.kind === 'update')
        out.push(
          Object.keys(after)
            .map((k) => (FIELD_KEYS[k] ? t(FIELD_KEYS[k]) : k))
            .join('、'),
        );
      if (typeof after.category === 'string') out.push(labels.category(after.category));
      if (typeof d.reason === 'string' && d.reason) out.push(d.reason);
    }
    return out.filter(Boolean);
  };

  return (
    <Timeline
      style={{ marginTop: 8 }}
      data-testid="history-timeline"
      items={history.data.items.map((h, i) => ({
        key: i,
        color: COLORS[h.kind] ?? (h.source === 'audit' ? 'gray' : 'blue'),
        children: (
          <div data-testid="history-item" data-kind={h.kind}>
            <div>
              <strong>{title(h)}</strong> {h.source === 'audit' && <Tag style={{ marginInlineStart: 4 }}>{t('elders.hist.audit')}</Tag>}
            </div>
            {summary(h).map((s, j) => (
              <div key={j}>{s}</div>
            ))}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatDateTime(h.at)}
              {h.date && ` · ${t('elders.hist.date', { date: formatDate(h.date) })}`}
              {h.actorName && ` · ${t('elders.hist.by', { name: h.actorName })}`}
            </Typography.Text>
          </div>
        ),
      }))}
    />
  );
}
