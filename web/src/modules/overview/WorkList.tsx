/** 待办: what waits for the signed-in user (per role, in their scope), each count a link to the
 * list it comes from, already filtered (see server/src/modules/overview/work.ts). */
import { useQuery } from '@tanstack/react-query';
import { Badge, Card, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { get } from '../../kernel/api';
import { formatNumber } from '../../kernel/format';

export interface WorkItem {
  key: string;
  count: number;
  link: string;
}

export function WorkList() {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ['overview', 'work'], queryFn: () => get<{ items: WorkItem[] }>('/api/v1/overview/work'), meta: { silent: true } });
  if (q.isError) return null;
  const items = q.data?.items ?? [];
  const open = items.filter((i) => i.count > 0).length;
  return (
    <Card
      size="small"
      title={t('overview.work.title')}
      extra={q.data && <Typography.Text type="secondary">{open === 0 ? t('overview.work.none') : t('overview.work.open', { n: open })}</Typography.Text>}
      style={{ marginBottom: 16 }}
      data-testid="work-list"
    >
      {q.isPending ? (
        <Skeleton active paragraph={{ rows: 1 }} />
      ) : (
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(180px, 1fr))', gap: 12 }}>
          {items.map((i) => (
            <Link
              key={i.key}
              to={i.link}
              data-testid={`work-${i.key}`}
              data-count={i.count}
              style={{
                display: 'block',
                padding: '10px 14px',
                borderRadius: 8,
                border: `1px solid ${i.count > 0 ? '#ffccc7' : '#f0f0f0'}`,
                background: i.count > 0 ? '#fff7f6' : '#fafafa',
                color: 'inherit',
              }}
            >
              <div style={{ fontSize: 13, color: '#595959' }}>{t(`overview.work.keys.${i.key}`)}</div>
              <div style={{ display: 'flex', alignItems: 'baseline', gap: 6 }}>
                <span style={{ fontSize: 26, fontWeight: 600, color: i.count > 0 ? '#cf1322' : '#8c8c8c', fontVariantNumeric: 'tabular-nums' }}>
                  {formatNumber(i.count)}
                </span>
                {i.count > 0 && <Badge status="error" text={<span style={{ fontSize: 12 }}>{t('overview.work.go')}</span>} />}
              </div>
            </Link>
          ))}
        </div>
      )}
    </Card>
  );
}
