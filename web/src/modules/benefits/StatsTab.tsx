/** 统计: amounts by month and benefit (stacked), and by township for the latest month with lines. */
import { useQuery } from '@tanstack/react-query';
import { Card, Col, Empty, Row } from 'antd';
import ReactEChartsCore from 'echarts-for-react/lib/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../kernel/api';
import { LoadError } from '../../kernel/components/FullPage';
import { monthLabel, type Stats } from './types';

echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

const COLORS = ['#1560bd', '#13a8a8', '#fa8c16', '#eb2f96', '#722ed1', '#52c41a', '#fadb14', '#8c8c8c'];
const yuan = (cents: number) => Math.round(cents) / 100;

export function StatsTab() {
  const { t, i18n } = useTranslation();
  const q = useQuery({ queryKey: ['benefits', 'stats'], queryFn: () => get<Stats>('/api/v1/benefits/stats', { months: 12 }) });
  const data = q.data;
  const { byMonth, byTownship, latest } = useMemo(() => {
    if (!data?.rows.length) return { byMonth: null, byTownship: null, latest: null };
    const benefits = [...new Set(data.rows.map((r) => r.benefit))];
    const sum = (f: (r: Stats['rows'][number]) => boolean) => data.rows.filter(f).reduce((a, r) => a + r.totalCents, 0);
    const latest = [...data.rows.map((r) => r.month)].sort().at(-1)!;
    const towns = [...new Map(data.rows.filter((r) => r.month === latest).map((r) => [r.township, r.townshipName])).entries()].sort((a, b) =>
      a[0].localeCompare(b[0]),
    );
    const tooltip = {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v: number) => `¥${v.toLocaleString('zh-CN', { minimumFractionDigits: 2 })}`,
    };
    return {
      latest,
      byMonth: {
        color: COLORS,
        tooltip,
        legend: { bottom: 0, type: 'scroll' },
        grid: { left: 16, right: 8, top: 16, bottom: 36, containLabel: true },
        xAxis: { type: 'category', data: data.months.map((m) => monthLabel(m, i18n.language)) },
        yAxis: { type: 'value' },
        series: benefits.map((b) => ({
          name: b,
          type: 'bar',
          stack: 'all',
          barMaxWidth: 36,
          data: data.months.map((m) => yuan(sum((r) => r.month === m && r.benefit === b))),
        })),
      },
      byTownship: {
        color: COLORS,
        tooltip,
        legend: { bottom: 0, type: 'scroll' },
        grid: { left: 16, right: 8, top: 16, bottom: 36, containLabel: true },
        xAxis: { type: 'category', data: towns.map(([, n]) => n), axisLabel: { interval: 0, rotate: towns.length > 6 ? 30 : 0 } },
        yAxis: { type: 'value' },
        series: benefits.map((b) => ({
          name: b,
          type: 'bar',
          stack: 'all',
          barMaxWidth: 36,
          data: towns.map(([code]) => yuan(sum((r) => r.month === latest && r.township === code && r.benefit === b))),
        })),
      },
    };
  }, [data, i18n.language]);
  if (q.isError) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;
  if (q.isSuccess && !byMonth)
    return (
      <Card>
        <Empty description={t('benefits.stats.none')} />
      </Card>
    );
  return (
    <Row gutter={16}>
      <Col xs={24} xl={14} style={{ marginBottom: 16 }}>
        <Card size="small" title={t('benefits.stats.byMonth')} loading={q.isPending}>
          {byMonth && <ReactEChartsCore echarts={echarts} option={byMonth} notMerge style={{ height: 380, width: '100%' }} data-testid="stats-by-month" />}
        </Card>
      </Col>
      <Col xs={24} xl={10} style={{ marginBottom: 16 }}>
        <Card size="small" title={latest ? t('benefits.stats.byTownship', { month: monthLabel(latest, i18n.language) }) : ' '} loading={q.isPending}>
          {byTownship && (
            <ReactEChartsCore echarts={echarts} option={byTownship} notMerge style={{ height: 380, width: '100%' }} data-testid="stats-by-township" />
          )}
        </Card>
      </Col>
    </Row>
  );
}
