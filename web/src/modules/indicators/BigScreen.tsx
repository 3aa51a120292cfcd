/** 大屏: the plan for a wall display — dark, large figures, refreshed every minute. Opened from the
 * dashboard (/m/indicators?screen=1&plan=…); covers the whole window, and the whole screen on request. */
import { CloseOutlined, FullscreenOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Space, Spin } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../kernel/api';
import { CompletionChart, TownshipChart, TrendChart } from './charts';
import { useTownships, useTrend } from './Dashboard';
import { STATUS_HEX, withUnit, type PlanView, type Status } from './types';

const REFRESH_MS = 60_000;
const PANEL: React.CSSProperties = { background: 'rgba(255,255,255,0.04)', border: '1px solid rgba(120,170,255,0.25)', borderRadius: 8, padding: 16 };

export function BigScreen({ planId, regionCode, onExit }: { planId: string; regionCode: string; onExit: () => void }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => dayjs());
  useEffect(() => {
    const h = setInterval(() => setNow(dayjs()), 1000);
    return () => clearInterval(h);
  }, []);
  const asOf = now.format('YYYY-MM-DD');
  const plan = useQuery({
    queryKey: ['plan', planId, { regionCode, asOf }, 'screen'],
    queryFn: () => get<PlanView>(`/api/v1/plans/${planId}`, { regionCode, asOf }),
    refetchInterval: REFRESH_MS,
  });
  const trend = useTrend(planId, regionCode, REFRESH_MS);
  const towns = useTownships(planId, asOf, REFRESH_MS);
  const indicators = plan.data?.indicators ?? [];
  const binding = indicators.filter((i) => i.binding);
  const count = (s: Status) => indicators.filter((i) => i.status === s).length;
  const firstTown = towns.data?.indicators.find((i) => i.binding) ?? towns.data?.indicators[0];

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && !document.fullscreenElement && onExit();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onExit]);

  return (
    <div
      data-testid="big-screen"
      style={{
        position: 'fixed',
        inset: 0,
        zIndex: 1100,
        overflow: 'auto',
        background: 'radial-gradient(circle at 50% 0, #0f2a5a 0, #050b1a 70%)',
        color: '#e6f0ff',
        padding: 24,
      }}
    >
      <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', marginBottom: 16 }}>
        <div style={{ fontSize: 32, fontWeight: 700, letterSpacing: 2 }} data-testid="big-screen-title">
          {/* The region whose figures are shown: a township's screen is titled by the township, not the county's plan. */}
          {plan.data ? t('indicators.screen.title', { region: plan.data.regionName }) : ''}
          <div style={{ fontSize: 16, fontWeight: 400, letterSpacing: 0, opacity: 0.7 }} data-testid="big-screen-plan">
            {plan.data?.title ?? ''}
          </div>
        </div>
        <Space>
          <span style={{ fontSize: 20, fontVariantNumeric: 'tabular-nums' }}>{now.format('YYYY年MM月DD日 HH:mm:ss')}</span>
          <Button ghost icon={<FullscreenOutlined />} onClick={() => void document.documentElement.requestFullscreen?.().catch(() => {})}>
            {t('indicators.screen.fullscreen')}
          </Button>
          <Button ghost icon={<CloseOutlined />} onClick={onExit} data-testid="big-screen-exit">
            {t('indicators.screen.exit')}
          </Button>
        </Space>
      </div>
      {plan.isPending ? (
        <Spin size="large" />
      ) : (
        <>
          <div style={{ display: 'grid', gridTemplateColumns: 'repeat(5, 1fr)', gap: 16, marginBottom: 16 }}>
            <div style={PANEL}>
              <div style={{ fontSize: 16, opacity: 0.7 }}>{t('indicators.screen.total')}</div>
              <div style={{ fontSize: 56, fontWeight: 700 }} data-testid="screen-total">
                {indicators.length}
              </div>
            </div>
            {(['met', 'on_track', 'behind', 'unknown'] as const).map((s) => (
              <div key={s} style={PANEL}>
                <div style={{ fontSize: 16, opacity: 0.7 }}>{t(`indicators.summary.${s}`)}</div>
                <div style={{ fontSize: 56, fontWeight: 700, color: STATUS_HEX[s] }} data-testid={`screen-${s}`}>
                  {count(s)}
                </div>
              </div>
            ))}
          </div>
          <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(260px, 1fr))', gap: 16, marginBottom: 16 }}>
            {binding.map((i) => (
              <div key={i.id} style={{ ...PANEL, borderColor: STATUS_HEX[i.status] }} data-testid={`screen-card-${i.metric ?? i.id}`}>
                <div style={{ fontSize: 15, opacity: 0.8, minHeight: 40 }}>{i.name}</div>
                <div style={{ fontSize: 40, fontWeight: 700, color: STATUS_HEX[i.status] }}>
                  {i.value == null ? '—' : withUnit(Math.round(i.value * 10) / 10, i.unit)}
                </div>
                <div style={{ fontSize: 14, opacity: 0.7 }}>
                  {t('indicators.target')} {i.target == null ? '—' : withUnit(i.target, i.unit)} · {t(`indicators.statuses.${i.status}`)}
                </div>
              </div>
            ))}
          </div>
          <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 16 }}>
            <div style={PANEL}>
              <div style={{ fontSize: 18, marginBottom: 8 }}>{t('indicators.dash.completion')}</div>
              <CompletionChart indicators={indicators} dark testId="screen-completion" />
            </div>
            <div style={PANEL}>
              <div style={{ fontSize: 18, marginBottom: 8 }}>{t('indicators.dash.trend')}</div>
              {trend.data && trend.data.indicators.length > 0 ? (
                <TrendChart trend={trend.data} dark testId="screen-trend" />
              ) : (
                <div>{t('indicators.dash.noComputed')}</div>
              )}
              {firstTown && (
                <>
                  <div style={{ fontSize: 18, margin: '16px 0 8px' }}>{t('indicators.screen.townships', { name: firstTown.name })}</div>
                  <TownshipChart indicator={firstTown} dark testId="screen-townships" />
                </>
              )}
            </div>
          </div>
        </>
      )}
    </div>
  );
}
