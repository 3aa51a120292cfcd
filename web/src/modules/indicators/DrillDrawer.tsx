/** 明细: the records behind a computed indicator — those not yet meeting it, the numerator, the denominator. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Drawer, Tabs, Typography } from 'antd';
import { fmtCount } from '../../kernel/format';
import { Table } from '../../kernel/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { get } from '../../kernel/api';
import type { Page } from '../../kernel/types';
import type { IndicatorView, MetricRecord, RecordSet } from './types';

const SETS: RecordSet[] = ['gap', 'numerator', 'denominator'];

function Records({ metric, set, regionCode, asOf }: { metric: string; set: RecordSet; regionCode: string; asOf: string }) {
  const { t } = useTranslation();
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const query = { regionCode, asOf, set, ...paging };
  const list = useQuery({
    queryKey: ['metric-records', metric, query],
    queryFn: () => get<Page<MetricRecord>>(`/api/v1/metrics/${metric}/records`, query),
    placeholderData: keepPreviousData,
  });
  return (
    <div data-testid={`drill-table-${set}`}>
      <Table<MetricRecord>
        size="small"
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        columns={[
          {
            title: t('indicators.recName'),
            dataIndex: 'name',
            render: (name: string, r) => (r.kind === 'elder' ? <Link to={`/m/elders?id=${encodeURIComponent(r.id)}`}>{name}</Link> : name),
          },
          { title: t('indicators.recRegion'), dataIndex: 'regionName', render: (v: string | null) => v ?? '—' },
          { title: t('indicators.recDetail'), dataIndex: 'detail' },
        ]}
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('indicators.recTotal', { total: fmtCount(total) }),
          onChange: (page, pageSize) => setPaging((p) => ({ page: pageSize !== p.pageSize ? 1 : page, pageSize })),
        }}
      />
    </div>
  );
}

export function DrillDrawer({
  indicator,
  regionCode,
  asOf,
  onClose,
}: {
  indicator: IndicatorView | null;
  regionCode: string;
  asOf: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [set, setSet] = useState<RecordSet>('gap');
  const metric = indicator?.metric;
  return (
    <Drawer
      open={!!indicator}
      onClose={onClose}
      width={720}
      title={indicator ? t('indicators.drillTitle', { name: indicator.name }) : ''}
      destroyOnHidden
      afterOpenChange={(o) => !o && setSet('gap')}
    >
      {indicator && metric && (
        <div data-testid="drill-drawer">
          {indicator.value != null && (
            <Typography.Paragraph type="secondary">
              {t('indicators.value')}：{indicator.value.toFixed(1)}
              {indicator.unit}
              {indicator.numerator != null && indicator.denominator != null && ` (${indicator.numerator} / ${indicator.denominator})`}
            </Typography.Paragraph>
          )}
          <Tabs
            activeKey={set}
            onChange={(k) => setSet(k as RecordSet)}
            destroyOnHidden
            items={SETS.map((s) => ({
              key: s,
              label: <span data-testid={`drill-tab-${s}`}>{t(`indicators.sets.${s}`)}</span>,
              children: <Records metric={metric} set={s} regionCode={regionCode} asOf={asOf} />,
            }))}
          />
        </div>
      )}
    </Drawer>
  );
}
