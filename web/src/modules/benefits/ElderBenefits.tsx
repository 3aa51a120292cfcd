/** The 补贴 tab of an elder's drawer: every benefit line (back-pay and recovery included), each
 * with the server's explanation of its amount. */
import { useQuery } from '@tanstack/react-query';
import { Empty, List, Skeleton, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { get } from '../../kernel/api';
import { LoadError } from '../../kernel/components/FullPage';
import { PayStatus } from './LineDrawer';
import { money, type Line } from './types';

export function ElderBenefits({ elderId }: { elderId: string }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['benefits', 'elder', elderId],
    queryFn: () => get<{ items: (Line & { explanation: string })[] }>(`/api/v1/elders/${elderId}/benefits`),
    gcTime: 0,
  });
  if (q.isError) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;
  if (q.isPending) return <Skeleton active />;
  if (!q.data.items.length) return <Empty description={t('benefits.elderTab.none')} />;
  return (
    <List
      size="small"
      dataSource={q.data.items}
      data-testid="elder-benefits"
      renderItem={(l) => (
        <List.Item key={l.id}>
          <div style={{ width: '100%' }}>
            <Space wrap>
              <Typography.Text strong>{l.forMonth.slice(0, 7)}</Typography.Text>
              <span>{l.benefit}</span>
              <span>{l.tier}</span>
              <Typography.Text strong>{money(l.amountCents)}</Typography.Text>
              {l.kind === 'backpay' && <Tag>{t('benefits.lines.kinds.backpay')}</Tag>}
              <PayStatus status={l.paymentStatus} payment={l.payment} />
              {l.recovery && <Tag color="red">{t(`benefits.rec.statuses.${l.recovery}`, { defaultValue: l.recovery })}</Tag>}
            </Space>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 0, fontSize: 12 }}>
              {l.explanation}
            </Typography.Paragraph>
          </div>
        </List.Item>
      )}
    />
  );
}
