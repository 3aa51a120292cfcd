/** One benefit line explained: the rule version and the facts behind the amount, and its payments. */
import { useQuery } from '@tanstack/react-query';
import { Alert, Descriptions, Drawer, Grid, Skeleton, Tag, Typography } from 'antd';
import { Table } from '../../kernel/table';
import { useTranslation } from 'react-i18next';
import { get } from '../../kernel/api';
import { LoadError } from '../../kernel/components/FullPage';
import { useLabels } from '../../kernel/meta';
import { money, type LineDetail } from './types';

const PAY_COLORS: Record<string, string> = { pending: 'blue', paid: 'green', failed: 'red' };

/** The bank payment of a cash line; a service line is a budget, not a payment. */
export function PayStatus({ status, payment }: { status: string | null; payment?: string }) {
  const { t } = useTranslation();
  if (payment === 'service') return <Tag color="cyan">{t('benefits.run.service')}</Tag>;
  if (!status) return <>—</>;
  return <Tag color={PAY_COLORS[status]}>{t(`benefits.lines.payStatuses.${status}`, { defaultValue: status })}</Tag>;
}

export function LineDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const screens = Grid.useBreakpoint();
  const q = useQuery({ queryKey: ['benefits', 'line', id], queryFn: () => get<LineDetail>(`/api/v1/benefits/lines/${id}`), enabled: !!id, gcTime: 0 });
  const d = q.data;
  const f = (d?.facts ?? {}) as {
    refDate?: string;
    age?: number;
    categories?: string[];
    since?: Record<string, string>;
    ability?: { standard: string; level: number; date: string };
    residence?: string;
    institution?: boolean;
    applied?: string;
  };
  return (
    <Drawer open={!!id} onClose={onClose} width={screens.md ? 640 : '100%'} title={t('benefits.lines.explain')} destroyOnHidden data-testid="line-drawer">
      {q.isError && <LoadError error={q.error} onRetry={() => void q.refetch()} />}
      {q.isPending && <Skeleton active />}
      {d && (
        <>
          <Alert type="info" showIcon message={d.explanation} style={{ marginBottom: 16 }} data-testid="line-explanation" />
          <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('benefits.lines.name')}>{d.line.elderName}</Descriptions.Item>
            <Descriptions.Item label={t('benefits.lines.idNumber')}>{d.line.idNumber ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('benefits.lines.benefit')}>{d.line.benefit}</Descriptions.Item>
            <Descriptions.Item label={t('benefits.lines.forMonth')}>{d.line.forMonth.slice(0, 7)}</Descriptions.Item>
            <Descriptions.Item label={t('benefits.lines.tier')}>{d.line.tier}</Descriptions.Item>
            <Descriptions.Item label={t('benefits.lines.amount')}>
              <Typography.Text strong>{money(d.line.amountCents)}</Typography.Text>
              {d.line.kind === 'backpay' && <Tag style={{ marginLeft: 8 }}>{t('benefits.lines.kinds.backpay')}</Tag>}
            </Descriptions.Item>
            <Descriptions.Item label={t('benefits.lines.policy')} span={2}>
              {d.policy.name} {t('benefits.policy.versionN', { version: d.policy.version })}（{d.policy.effectiveFrom.slice(0, 7)}）
            </Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5}>{t('benefits.lines.facts')}</Typography.Title>
          <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }} data-testid="line-facts">
            {f.age != null && (
              <Descriptions.Item label={t('benefits.cond.age')}>
                {f.age}（{f.refDate}）
              </Descriptions.Item>
            )}
            {!!f.categories?.length && (
              <Descriptions.Item label={t('elders.category')}>
                {f.categories.map((c) => (
                  <Tag key={c}>
                    {labels.category(c)}
                    {f.since?.[c] ? ` ${f.since[c]}` : ''}
                  </Tag>
                ))}
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('benefits.cond.ability')}>
              {f.ability ? `${f.ability.standard} ${f.ability.level}（${f.ability.date}）` : '—'}
            </Descriptions.Item>
            {f.residence && <Descriptions.Item label={t('benefits.cond.residence')}>{t(`benefits.cond.residences.${f.residence}`)}</Descriptions.Item>}
            {f.institution != null && (
              <Descriptions.Item label={t('benefits.cond.inInstitution')}>{t(`benefits.cond.institution.${f.institution ? 'yes' : 'no'}`)}</Descriptions.Item>
            )}
            {f.applied && <Descriptions.Item label={t('benefits.app.appliedOn')}>{f.applied}</Descriptions.Item>}
          </Descriptions>
          <Typography.Title level={5}>{t('benefits.lines.attempts')}</Typography.Title>
          <Table
            size="small"
            rowKey="attempt"
            pagination={false}
            dataSource={d.payments}
            data-testid="line-payments"
            columns={[
              { title: '#', dataIndex: 'attempt', width: 80, render: (n: number) => t('benefits.lines.attempt', { n }) },
              { title: t('benefits.lines.runMonth'), dataIndex: 'runMonth', width: 90, render: (m: string) => m.slice(0, 7) },
              { title: t('benefits.lines.payment'), dataIndex: 'status', width: 90, render: (s: string) => <PayStatus status={s} /> },
              { title: t('benefits.lines.bankRef'), dataIndex: 'bankRef', render: (v: string | null) => v ?? '—' },
              { title: t('benefits.lines.failReason'), dataIndex: 'failReason', render: (v: string | null) => v ?? '—' },
            ]}
          />
        </>
      )}
    </Drawer>
  );
}
