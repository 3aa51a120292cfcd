/** Bar chart of the overview figures by sub-region (ECharts, only the parts used). */
import ReactEChartsCore from 'echarts-for-react/lib/core';
import { BarChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { OverviewRow } from './OverviewPage';

echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, CanvasRenderer]);

const SERIES = ['elders', 'over80', 'tekun', 'dibao', 'livingAlone'] as const;
const COLORS = ['#1560bd', '#13a8a8', '#fa8c16', '#eb2f96', '#722ed1'];

/** 东关社区居民委员会 → 东关社区, 孔村村民委员会 → 孔村: axis labels stay short. */
export function shortName(name: string): string {
  return name
    .replace(/社区居(民委员|委)会$/, '社区')
    .replace(/居(民委员|委)会$/, '社区')
    .replace(/村(民委员|委)会$/, '村')
    .replace(/委员会$/, '');
}

export function OverviewChart({ rows }: { rows: OverviewRow[] }) {
  const { t } = useTranslation();
  const option = useMemo(() => {
    const many = rows.length > 12;
    return {
      color: COLORS,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0, type: 'scroll' },
      grid: { left: 24, right: 8, top: 40, bottom: many ? 48 : 8, containLabel: true },
      dataZoom: many ? [{ type: 'slider', height: 18, bottom: 8, startValue: 0, endValue: 11 }, { type: 'inside' }] : [],
      xAxis: {
        type: 'category',
        data: rows.map((r) => shortName(r.name || r.code)),
        axisLabel: { interval: 0, rotate: rows.length > 6 ? 30 : 0, fontSize: 12 },
      },
      yAxis: { type: 'value', minInterval: 1 },
      series: SERIES.map((k) => ({ name: t(`overview.${k}`), type: 'bar', data: rows.map((r) => r[k]), barMaxWidth: 18, emphasis: { focus: 'series' } })),
    };
  }, [rows, t]);
  return <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 360, width: '100%' }} data-testid="overview-chart" />;
}
