/** 规划指标与评估报告: a plan's indicators evaluated live for a region and date, with a summary,
 * the records behind computed figures, and hand-entered values for the others. */
import { DesktopOutlined, FileExcelOutlined, FileTextOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, DatePicker, Empty, Form, Row, Select, Space, Statistic, Tabs, Tag, Typography } from 'antd';
import { Table } from '../../kernel/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { download, get, withQuery } from '../../kernel/api';
import { useMe } from '../../kernel/auth';
import { PageHeader } from '../../kernel/components/PageHeader';
import { RegionTreeSelect } from '../../kernel/components/RegionTreeSelect';
import { errorText, showError } from '../../kernel/notify';
import { BigScreen } from './BigScreen';
import { Dashboard } from './Dashboard';
import { ReportDialog } from './ReportDialog';
import { CreatePlanDialog } from './CreatePlanDialog';
import { DrillDrawer } from './DrillDrawer';
import { COMPARATOR_SIGNS, SOURCE_COLORS, STATUS_COLORS, withUnit, type IndicatorView, type PlanListItem, type PlanView, type Status } from './types';
import { ValueDialog } from './ValueDialog';

const STATUSES: Status[] = ['met', 'on_track', 'behind', 'unknown'];
const SUMMARY_COLORS: Record<Status, string> = { met: '#389e0d', on_track: '#1677ff', behind: '#cf1322', unknown: 'rgba(0,0,0,0.45)' };

export default function IndicatorsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const admin = me.role === 'county_admin';
  const [picked, setPicked] = useState<string | undefined>();
  const [regionCode, setRegionCode] = useState(me.regionCode);
  const [date, setDate] = useState<Dayjs>(() => dayjs());
  const [creating, setCreating] = useState(false);
  const [drill, setDrill] = useState<IndicatorView | null>(null);
  const [filling, setFilling] = useState<IndicatorView | null>(null);
  const [reporting, setReporting] = useState(false);
  const [tab, setTab] = useState('table');
  const [params, setParams] = useSearchParams();
  const asOf = date.format('YYYY-MM-DD');

  const plans = useQuery({ queryKey: ['plans'], queryFn: () => get<{ items: PlanListItem[] }>('/api/v1/plans') });
  const items = plans.data?.items ?? [];
  const planId = items.some((p) => p.id === picked) ? picked : items[0]?.id;
  const screenPlan = params.get('screen') === '1' ? (params.get('plan') ?? planId) : undefined;

  const plan = useQuery({
    queryKey: ['plan', planId, { regionCode, asOf }],
    queryFn: () => get<PlanView>(`/api/v1/plans/${planId}`, { regionCode, asOf }),
    enabled: !!planId,
    placeholderData: keepPreviousData,
  });
  const indicators = plan.data?.id === planId ? (plan.data?.indicators ?? []) : [];

  const targetText = (i: IndicatorView) => {
    if (i.comparator === 'grow') return i.baseline != null ? t('indicators.growBaseline', { baseline: withUnit(i.baseline, i.unit) }) : t('indicators.grow');
    return i.target == null ? '—' : `${COMPARATOR_SIGNS[i.comparator]} ${withUnit(i.target, i.unit)}`;
  };

  const count = (s: Status, binding: boolean) => indicators.filter((i) => i.status === s && i.binding === binding).length;
  const exportDashboard = () =>
    void download(withQuery(`/api/v1/plans/${planId}/export.xlsx`, { regionCode, asOf }), `${t('indicators.dash.exportName')}.xlsx`).catch(showError);

  if (screenPlan) return <BigScreen planId={screenPlan} regionCode={params.get('region') ?? regionCode} onExit={() => setParams({}, { replace: true })} />;

  return (
    <div data-testid="indicators-page">
      <PageHeader
        title={t('indicators.title')}
        sub={t('indicators.sub')}
        extra={
          items.length > 0 && (
            <>
              <Button icon={<ReloadOutlined />} loading={plan.isFetching} onClick={() => void plan.refetch()} disabled={!planId} data-testid="plan-refresh">
                {t('common.refresh')}
              </Button>
              <Button icon={<FileExcelOutlined />} onClick={exportDashboard} disabled={!planId} data-testid="dashboard-export">
                {t('indicators.dash.export')}
              </Button>
              <Button icon={<FileTextOutlined />} onClick={() => setReporting(true)} disabled={!planId} data-testid="report-open">
                {t('indicators.report.title')}
              </Button>
              <Button
                icon={<DesktopOutlined />}
                onClick={() => planId && setParams({ screen: '1', plan: planId, region: regionCode })}
                disabled={!planId}
                data-testid="big-screen-open"
              >
                {t('indicators.screen.open')}
              </Button>
              {admin && (
                <Button icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-plan">
                  {t('indicators.createPlan')}
                </Button>
              )}
            </>
          )
        }
      />
      {plans.isError && <Alert type="error" showIcon message={`${t('errors.load')}：${errorText(plans.error)}`} style={{ marginBottom: 16 }} />}
      {plans.isSuccess && items.length === 0 ? (
        <Card>
          <Empty description={admin ? t('indicators.noPlans') : `${t('indicators.noPlans')}。${t('indicators.noPlansHint')}`}>
            {admin && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-plan">
                {t('indicators.createPlan')}
              </Button>
            )}
          </Empty>
        </Card>
      ) : (
        <>
          <Card size="small" style={{ marginBottom: 16 }}>
            <Form layout="inline" className="yl-filters">
              <Form.Item label={t('indicators.plan')}>
                <Select
                  style={{ width: 400 }}
                  loading={plans.isPending}
                  value={planId}
                  onChange={setPicked}
                  placeholder={t('indicators.planPlaceholder')}
                  popupMatchSelectWidth={false}
                  data-testid="plan-select"
                  options={items.map((p) => ({ value: p.id, label: `${p.title}（${t('indicators.period', { start: p.periodStart, end: p.periodEnd })}）` }))}
                />
              </Form.Item>
              {(me.regionPath.at(-1)?.level ?? 5) < 5 && (
                <Form.Item label={t('indicators.region')}>
                  <RegionTreeSelect
                    value={regionCode}
                    onChange={(v) => setRegionCode(v ?? me.regionCode)}
                    allowClear={false}
                    style={{ width: 220 }}
                    data-testid="region-select"
                  />
                </Form.Item>
              )}
              <Form.Item label={t('indicators.asOf')}>
                <DatePicker value={date} onChange={(d) => d && setDate(d)} allowClear={false} data-testid="asof-date" />
              </Form.Item>
            </Form>
          </Card>
          {plan.isError && <Alert type="error" showIcon message={`${t('errors.load')}：${errorText(plan.error)}`} style={{ marginBottom: 16 }} />}
          <Row gutter={16} style={{ marginBottom: 16 }}>
            {STATUSES.map((s) => (
              <Col key={s} xs={24} sm={12} md={6}>
                <Card size="small" data-testid={`summary-${s}`}>
                  <Statistic title={t(`indicators.summary.${s}`)} value={count(s, true) + count(s, false)} valueStyle={{ color: SUMMARY_COLORS[s] }} />
                  <Typography.Text type="secondary">{t('indicators.summary.split', { binding: count(s, true), expected: count(s, false) })}</Typography.Text>
                </Card>
              </Col>
            ))}
          </Row>
          <Tabs
            activeKey={tab}
            onChange={setTab}
            data-testid="indicator-tabs"
            items={[
              {
                key: 'table',
                label: <span data-testid="tab-table">{t('indicators.tabs.table')}</span>,
                children: (
                  <Card size="small">
                    <Table<IndicatorView>
                      size="middle"
                      rowKey="id"
                      data-testid="indicators-table"
                      loading={plan.isFetching || plans.isPending}
                      dataSource={indicators}
                      pagination={false}
                      scroll={{ x: 1000 }}
                      onRow={(r) => ({ 'data-testid': `indicator-row-${r.metric ?? r.id}` }) as React.HTMLAttributes<HTMLElement>}
                      columns={[
                        {
                          title: t('indicators.name'),
                          key: 'name',
                          width: 260,
                          render: (_, r) => (
                            <Space size={4} align="start">
                              <Tag color={r.binding ? 'red' : 'blue'} style={{ marginInlineEnd: 4 }}>
                                {r.binding ? t('indicators.binding') : t('indicators.expected')}
                              </Tag>
                              <span>{r.name}</span>
                            </Space>
                          ),
                        },
                        {
                          title: t('indicators.target'),
                          key: 'target',
                          width: 130,
                          render: (_, r) => (
                            <>
                              <div>{targetText(r)}</div>
                              {r.comparator !== 'grow' && r.baseline != null && (
                                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                                  {r.baselineYear != null
                                    ? t('indicators.baselineYear', { baseline: withUnit(r.baseline, r.unit), year: r.baselineYear })
                                    : t('indicators.baseline', { baseline: withUnit(r.baseline, r.unit) })}
                                </Typography.Text>
                              )}
                            </>
                          ),
                        },
                        {
                          title: t('indicators.value'),
                          key: 'value',
                          width: 110,
                          render: (_, r) =>
                            r.value == null ? (
                              '—'
                            ) : (
                              <>
                                <div>
                                  <Typography.Text strong>{withUnit(r.value, r.unit, 1)}</Typography.Text>
                                </div>
                                {r.numerator != null && r.denominator != null && (
                                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                                    {t('indicators.ratio', { numerator: r.numerator.toLocaleString(), denominator: r.denominator.toLocaleString() })}
                                  </Typography.Text>
                                )}
                              </>
                            ),
                        },
                        {
                          title: t('indicators.statusCol'),
                          key: 'status',
                          width: 90,
                          render: (_, r) => (
                            <Tag color={STATUS_COLORS[r.status]} data-testid="indicator-status">
                              {t(`indicators.statuses.${r.status}`)}
                            </Tag>
                          ),
                        },
                        {
                          title: t('indicators.sourceCol'),
                          key: 'source',
                          width: 130,
                          render: (_, r) => <Tag color={SOURCE_COLORS[r.source]}>{t(`indicators.sources.${r.source}`)}</Tag>,
                        },
                        {
                          title: t('indicators.note'),
                          key: 'note',
                          render: (_, r) => (r.note ? <Typography.Text type="secondary">{r.note}</Typography.Text> : null),
                        },
                        {
                          title: t('common.actions'),
                          key: 'actions',
                          width: 90,
                          render: (_, r) => (
                            <Space size="small">
                              {r.drillable && r.metric && (
                                <Typography.Link onClick={() => setDrill(r)} data-testid={`drill-${r.metric}`}>
                                  {t('indicators.drill')}
                                </Typography.Link>
                              )}
                              {admin && r.source !== 'computed' && (
                                <Typography.Link onClick={() => setFilling(r)} data-testid={`fill-${r.metric ?? r.id}`}>
                                  {t('indicators.fill')}
                                </Typography.Link>
                              )}
                            </Space>
                          ),
                        },
                      ]}
                    />
                  </Card>
                ),
              },
              {
                key: 'dashboard',
                label: <span data-testid="tab-dashboard">{t('indicators.tabs.dashboard')}</span>,
                children: planId && tab === 'dashboard' ? <Dashboard planId={planId} regionCode={regionCode} asOf={asOf} indicators={indicators} /> : null,
              },
            ]}
          />
        </>
      )}
      {admin && <CreatePlanDialog open={creating} onClose={() => setCreating(false)} onCreated={setPicked} />}
      <DrillDrawer indicator={drill} regionCode={regionCode} asOf={asOf} onClose={() => setDrill(null)} />
      {planId && plan.data && (
        <ReportDialog
          open={reporting}
          onClose={() => setReporting(false)}
          planId={planId}
          regionCode={regionCode}
          periodStart={plan.data.periodStart}
          periodEnd={plan.data.periodEnd}
        />
      )}
      {planId && <ValueDialog planId={planId} indicator={filling} asOf={asOf} onClose={() => setFilling(null)} />}
    </div>
  );
}
