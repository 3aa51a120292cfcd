/** 监测看板: completion of every indicator against its target, the month-end trend of the binding
 * ones, and the townships ranked on a chosen indicator. */
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Empty, Row, Select, Spin } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../kernel/api';
import { errorText } from '../../kernel/notify';
import { CompletionChart, TownshipChart, TrendChart } from './charts';
import type { IndicatorView, TownshipsView, TrendView } from './types';

export function useTrend(planId: string | undefined, regionCode: string, refetchInterval?: number) {
  return useQuery({
    queryKey: ['plan-trend', planId, regionCode],
    queryFn: () => get<TrendView>(`/api/v1/plans/${planId}/trend`, { regionCode }),
    enabled: !!planId,
    refetchInterval,
  });
}

export function useTownships(planId: string | undefined, asOf: string, refetchInterval?: number) {
  return useQuery({
    queryKey: ['plan-townships', planId, asOf],
    queryFn: () => get<TownshipsView>(`/api/v1/plans/${planId}/townships`, { asOf }),
    enabled: !!planId,
    refetchInterval,
  });
}

export function Dashboard({ planId, regionCode, asOf, indicators }: { planId: string; regionCode: string; asOf: string; indicators: IndicatorView[] }) {
  const { t } = useTranslation();
  const trend = useTrend(planId, regionCode);
  const towns = useTownships(planId, asOf);
  const [picked, setPicked] = useState<string | undefined>();
  const list = towns.data?.indicators ?? [];
  const current = list.find((i) => i.id === picked) ?? list[0];
  return (
    <div data-testid="plan-dashboard">
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('indicators.dash.completion')}>
            {indicators.some((i) => i.value != null) ? (
              <CompletionChart indicators={indicators} testId="chart-completion" />
            ) : (
              <Empty description={t('indicators.dash.noValues')} />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('indicators.dash.trend')}>
            {trend.isError && <Alert type="error" showIcon message={errorText(trend.error)} />}
            {trend.isPending ? (
              <Spin />
            ) : trend.data && trend.data.indicators.length > 0 ? (
              <TrendChart trend={trend.data} testId="chart-trend" />
            ) : (
              <Empty description={t('indicators.dash.noComputed')} />
            )}
          </Card>
        </Col>
        <Col xs={24}>
          <Card
            size="small"
            title={t('indicators.dash.townships', { asOf })}
            extra={
              list.length > 0 && (
                <Select
                  style={{ width: 320 }}
                  value={current?.id}
                  onChange={setPicked}
                  data-testid="township-indicator"
                  options={list.map((i) => ({ value: i.id, label: i.name }))}
                />
              )
            }
          >
            {towns.isError && <Alert type="error" showIcon message={errorText(towns.error)} />}
            {towns.isPending ? (
              <Spin />
            ) : current ? (
              <TownshipChart indicator={current} testId="chart-townships" />
            ) : (
              <Empty description={t('indicators.dash.noComputed')} />
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}
