/** 工作台: the user's area at a glance — totals, a chart and a table by the next region level. */
import { AlertOutlined, HeartOutlined, HomeOutlined, SmileOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Card, Result, Skeleton, Statistic, Typography } from 'antd';
import { Table } from '../../kernel/table';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, get } from '../../kernel/api';
import { useMe } from '../../kernel/auth';
import { LoadError } from '../../kernel/components/FullPage';
import { PageHeader } from '../../kernel/components/PageHeader';
import { formatNumber } from '../../kernel/format';
import { OverviewChart, shortName } from './OverviewChart';
import { WorkList } from './WorkList';

export interface OverviewRow {
  code: string;
  name: string;
  elders: number;
  over80: number;
  tekun: number;
  dibao: number;
  livingAlone: number;
}
type Totals = Omit<OverviewRow, 'code' | 'name'>;

const CARDS: { key: keyof Totals; icon: ReactNode; color: string }[] = [
  { key: 'elders', icon: <TeamOutlined />, color: '#1560bd' },
  { key: 'over80', icon: <UserOutlined />, color: '#13a8a8' },
  { key: 'tekun', icon: <AlertOutlined />, color: '#fa8c16' },
  { key: 'dibao', icon: <HeartOutlined />, color: '#eb2f96' },
  { key: 'livingAlone', icon: <HomeOutlined />, color: '#722ed1' },
];

export default function OverviewPage() {
  const { t } = useTranslation();
  const me = useMe();
  const q = useQuery({
    queryKey: ['overview'],
    queryFn: () => get<{ totals: Totals; byChild: OverviewRow[] }>('/api/v1/overview'),
    meta: { silent: true },
  });
  const level = t(`region.level.${Math.min(5, (me.regionPath.at(-1)?.level ?? 3) + 1)}`);

  // Roles without the registry figures (a provider) still have their work list.
  if (q.error instanceof ApiError && q.error.code === 'FORBIDDEN')
    return me.role === 'provider_admin' ? (
      <div data-testid="overview-page">
        <PageHeader title={t('overview.title')} sub={me.regionName} />
        <WorkList />
      </div>
    ) : (
      <Result
        icon={<SmileOutlined style={{ color: '#1560bd' }} />}
        title={t('overview.welcome', { name: me.displayName })}
        subTitle={t('overview.noAccess')}
        data-testid="overview-no-access"
      />
    );
  if (q.isError) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;

  const totals = q.data?.totals;
  const pct = (n: number) => (totals && totals.elders ? `${((n / totals.elders) * 100).toFixed(1)}%` : '—');
  const num = (v: number) => formatNumber(v);

  return (
    <div data-testid="overview-page">
      <PageHeader title={t('overview.title')} sub={t('overview.sub', { region: me.regionName })} />
      <WorkList />
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(170px, 1fr))', gap: 16, marginBottom: 16 }}>
        {CARDS.map((c) => (
          <Card key={c.key} size="small" styles={{ body: { padding: 16 } }} data-testid={`stat-${c.key}`}>
            <Skeleton loading={q.isPending} active paragraph={false}>
              <div style={{ display: 'flex', alignItems: 'center', gap: 12 }}>
                <div
                  style={{
                    fontSize: 22,
                    color: c.color,
                    background: `${c.color}14`,
                    borderRadius: 8,
                    width: 44,
                    height: 44,
                    display: 'grid',
                    placeItems: 'center',
                  }}
                >
                  {c.icon}
                </div>
                <Statistic
                  title={t(`overview.${c.key}`)}
                  value={totals?.[c.key] ?? 0}
                  suffix={<span style={{ fontSize: 13 }}>{t('overview.person')}</span>}
                  valueStyle={{ fontWeight: 600 }}
                />
              </div>
              {c.key !== 'elders' && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('overview.share', { pct: pct(totals?.[c.key] ?? 0) })}
                </Typography.Text>
              )}
            </Skeleton>
          </Card>
        ))}
      </div>
      <Card title={t('overview.chartTitle', { level })} size="small" style={{ marginBottom: 16 }}>
        {q.data ? <OverviewChart rows={q.data.byChild} /> : <Skeleton active />}
      </Card>
      <Card title={t('overview.tableTitle', { level })} size="small">
        <Table<OverviewRow>
          rowKey="code"
          size="small"
          loading={q.isPending}
          dataSource={q.data?.byChild}
          pagination={false}
          scroll={{ x: 720 }}
          data-testid="overview-table"
          columns={[
            { title: t('overview.region'), dataIndex: 'name', fixed: 'left', render: (v: string, r) => <span title={v}>{shortName(v || r.code)}</span> },
            { title: t('overview.code'), dataIndex: 'code' },
            ...CARDS.map((c) => ({
              title: t(`overview.${c.key}`),
              dataIndex: c.key,
              align: 'right' as const,
              sorter: (a: OverviewRow, b: OverviewRow) => a[c.key] - b[c.key],
              render: num,
            })),
          ]}
          summary={() =>
            totals ? (
              <Table.Summary fixed>
                <Table.Summary.Row style={{ fontWeight: 600, background: '#fafafa' }}>
                  <Table.Summary.Cell index={0}>{t('overview.total')}</Table.Summary.Cell>
                  <Table.Summary.Cell index={1} />
                  {CARDS.map((c, i) => (
                    <Table.Summary.Cell key={c.key} index={i + 2} align="right">
                      {num(totals[c.key])}
                    </Table.Summary.Cell>
                  ))}
                </Table.Summary.Row>
              </Table.Summary>
            ) : null
          }
        />
      </Card>
    </div>
  );
}
