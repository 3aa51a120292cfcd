/** 覆盖情况: which kinds of facility operate in each township (a heat map: townships × kinds —
 * no online map tiles are reachable), with village coverage, functions and bed occupancy. */
import { useQuery } from '@tanstack/react-query';
import { Card, Progress, Spin, Tag } from 'antd';
import { Table } from '../../kernel/table';
import ReactEChartsCore from 'echarts-for-react/lib/core';
import { HeatmapChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../kernel/api';

echarts.use([HeatmapChart, GridComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

interface Coverage {
  kinds: string[];
  functions: string[];
  townships: {
    code: string;
    name: string;
    kinds: Record<string, number>;
    functions: string[];
    villages: number;
    villagesCovered: number;
    beds: number;
    occupied: number;
  }[];
}

export function CoverageTab() {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ['facilities', 'coverage'], queryFn: () => get<Coverage>('/api/v1/facilities/coverage') });
  const option = useMemo(() => {
    if (!q.data) return null;
    const { kinds, townships } = q.data;
    const data = townships.flatMap((tw, y) => kinds.map((k, x) => [x, y, tw.kinds[k] ?? 0]));
    const max = Math.max(1, ...data.map((d) => d[2]));
    return {
      tooltip: { formatter: (p: { value: number[] }) => `${townships[p.value[1]].name} · ${t(`facilities.kind.${kinds[p.value[0]]}`)}：${p.value[2]}` },
      grid: { left: 8, right: 8, top: 8, bottom: 60, containLabel: true },
      xAxis: {
        type: 'category',
        data: kinds.map((k) => t(`facilities.kind.${k}`)),
        axisLabel: { interval: 0, rotate: 30, fontSize: 11 },
        splitArea: { show: true },
      },
      yAxis: { type: 'category', data: townships.map((tw) => tw.name), splitArea: { show: true } },
      visualMap: { min: 0, max, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: ['#f5f5f5', '#91caff', '#1560bd'] } },
      series: [{ type: 'heatmap', data, label: { show: true, formatter: (p: { value: number[] }) => (p.value[2] ? String(p.value[2]) : '—') } }],
    };
  }, [q.data, t]);
  if (!q.data) return <Spin />;
  return (
    <>
      <Card title={t('facilities.cov.chart')} style={{ marginBottom: 16 }} data-testid="coverage-chart">
        {option && <ReactEChartsCore echarts={echarts} option={option} style={{ height: 80 + 40 * q.data.townships.length }} notMerge />}
      </Card>
      <Card>
        <Table
          rowKey="code"
          size="small"
          pagination={false}
          dataSource={q.data.townships}
          columns={[
            { title: t('facilities.col.region'), dataIndex: 'name' },
            {
              title: t('facilities.cov.villages'),
              render: (_, r) => (
                <Progress
                  percent={r.villages ? Math.round((100 * r.villagesCovered) / r.villages) : 0}
                  size="small"
                  format={() => `${r.villagesCovered}/${r.villages}`}
                />
              ),
            },
            { title: t('facilities.cov.funcs'), render: (_, r) => r.functions.map((f) => <Tag key={f}>{t(`facilities.fn.${f}`)}</Tag>) },
            { title: t('facilities.cov.occupancy'), render: (_, r) => `${r.occupied} / ${r.beds}` },
          ]}
        />
      </Card>
    </>
  );
}
