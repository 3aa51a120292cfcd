/** ECharts of the plan dashboard and the big screen (only the parts used are loaded). */
import ReactEChartsCore from 'echarts-for-react/lib/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { completion, STATUS_HEX, withUnit, type IndicatorView, type TownshipsView, type TrendView } from './types';

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, CanvasRenderer]);

interface ChartProps {
  dark?: boolean;
  height?: number;
  testId: string;
}

const fmt = (v: number | null | undefined, unit: string) => (v == null ? '—' : withUnit(Math.round(v * 10) / 10, unit));

/** Completion of each indicator with a value (value against target), binding first; colour = status. */
export function CompletionChart({ indicators, dark, testId }: ChartProps & { indicators: IndicatorView[] }) {
  const { t } = useTranslation();
  const rows = useMemo(() => indicators.filter((i) => completion(i) != null).reverse(), [indicators]);
  const option = useMemo(
    () => ({
      backgroundColor: 'transparent',
      tooltip: {
        trigger: 'item',
        formatter: (p: { dataIndex: number }) => {
          const i = rows[p.dataIndex];
          return `${i.name}<br/>${t('indicators.value')}：${fmt(i.value, i.unit)}<br/>${t('indicators.target')}：${fmt(i.target, i.unit)}<br/>${t(`indicators.statuses.${i.status}`)}`;
        },
      },
      grid: { left: 8, right: 48, top: 24, bottom: 8, containLabel: true },
      xAxis: { type: 'value', max: (v: { max: number }) => Math.max(100, Math.ceil(v.max / 10) * 10), axisLabel: { formatter: '{value}%' } },
      yAxis: {
        type: 'category',
        data: rows.map((i) => `${i.binding ? '★ ' : ''}${i.name.length > 16 ? `${i.name.slice(0, 16)}…` : i.name}`),
        axisLabel: { fontSize: dark ? 14 : 12 },
      },
      series: [
        {
          type: 'bar',
          barMaxWidth: 22,
          data: rows.map((i) => ({ value: Math.round(completion(i)! * 10) / 10, itemStyle: { color: STATUS_HEX[i.status] } })),
          label: { show: true, position: 'right', formatter: (p: { dataIndex: number }) => fmt(rows[p.dataIndex].value, rows[p.dataIndex].unit) },
          markLine: {
            symbol: 'none',
            silent: true,
            data: [{ xAxis: 100 }],
            lineStyle: { color: dark ? '#ffd666' : '#faad14', type: 'dashed' },
            label: { formatter: t('indicators.target') },
          },
        },
      ],
    }),
    [rows, t, dark],
  );
  return (
    <ReactEChartsCore
      echarts={echarts}
      option={option}
      theme={dark ? 'dark' : undefined}
      notMerge
      style={{ height: Math.max(160, rows.length * 34 + 64), width: '100%' }}
      data-testid={testId}
    />
  );
}

/** Month-end values of the binding indicators, with each target as a dashed line. */
export function TrendChart({ trend, dark, height = 320, testId }: ChartProps & { trend: TrendView }) {
  const option = useMemo(
    () => ({
      backgroundColor: 'transparent',
      tooltip: { trigger: 'axis' },
      legend: { top: 0, type: 'scroll' },
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: trend.months.map((m) => m.slice(0, 7)) },
      yAxis: { type: 'value' },
      series: trend.indicators.map((i) => ({
        name: i.name,
        type: 'line',
        showSymbol: trend.months.length <= 24,
        data: i.values.map((v) => (v == null ? null : Math.round(v * 10) / 10)),
        markLine:
          i.target == null
            ? undefined
            : { symbol: 'none', silent: true, data: [{ yAxis: i.target }], lineStyle: { type: 'dashed' }, label: { formatter: `${i.target}` } },
      })),
    }),
    [trend],
  );
  return (
    <ReactEChartsCore echarts={echarts} option={option} theme={dark ? 'dark' : undefined} notMerge style={{ height, width: '100%' }} data-testid={testId} />
  );
}

/** Townships ranked on one indicator, the target as a dashed line; colour = status. */
export function TownshipChart({ indicator, dark, height = 320, testId }: ChartProps & { indicator: TownshipsView['indicators'][number] }) {
  const { t } = useTranslation();
  const rows = useMemo(() => [...indicator.townships].reverse(), [indicator]);
  const option = useMemo(
    () => ({
      backgroundColor: 'transparent',
      tooltip: {
        trigger: 'item',
        formatter: (p: { dataIndex: number }) => {
          const r = rows[p.dataIndex];
          return `${r.rank ?? '—'}. ${r.name}<br/>${fmt(r.value, indicator.unit)}${r.numerator != null ? `（${r.numerator}/${r.denominator}）` : ''}<br/>${t(`indicators.statuses.${r.status}`)}`;
        },
      },
      grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: rows.map((r) => `${r.rank ?? '—'}. ${r.name}`), axisLabel: { fontSize: dark ? 14 : 12 } },
      series: [
        {
          type: 'bar',
          barMaxWidth: 22,
          data: rows.map((r) => ({ value: r.value == null ? null : Math.round(r.value * 10) / 10, itemStyle: { color: STATUS_HEX[r.status] } })),
          label: { show: true, position: 'right', formatter: (p: { dataIndex: number }) => fmt(rows[p.dataIndex].value, indicator.unit) },
          markLine:
            indicator.target == null
              ? undefined
              : {
                  symbol: 'none',
                  silent: true,
                  data: [{ xAxis: indicator.target }],
                  lineStyle: { color: dark ? '#ffd666' : '#faad14', type: 'dashed' },
                  label: { formatter: `${indicator.target}` },
                },
        },
      ],
    }),
    [rows, indicator, t, dark],
  );
  return (
    <ReactEChartsCore
      echarts={echarts}
      option={option}
      theme={dark ? 'dark' : undefined}
      notMerge
      style={{ height: Math.max(height, rows.length * 30 + 40), width: '100%' }}
      data-testid={testId}
    />
  );
}
