/** 月度发放: the run wizard — pick a month, preview it, compute it, let the townships review it,
 * approve it (another county admin), then the bank files — and the list of runs. */
import { CalculatorOutlined, EyeOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Form, Progress, Steps, Tag, Typography } from 'antd';
import { Table } from '../../kernel/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, get, post } from '../../kernel/api';
import { useMe } from '../../kernel/auth';
import { formatDateTime } from '../../kernel/format';
import { ErrorAlert } from './common';
import { PreviewPanel } from './PreviewPanel';
import { RunPanel, useRun } from './RunPanel';
import { money, monthLabel, RUN_COLORS, type Preview, type Run } from './types';

export function RunsTab() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const admin = me.role === 'county_admin';
  const qc = useQueryClient();
  const { modal } = App.useApp();
  const [month, setMonth] = useState<Dayjs>(() => dayjs());
  const [previewed, setPreviewed] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const m = month.format('YYYY-MM');

  const runs = useQuery({ queryKey: ['benefits', 'runs'], queryFn: () => get<{ items: Run[] }>('/api/v1/benefits/runs') });
  const preview = useQuery({
    queryKey: ['benefits', 'preview', previewed],
    queryFn: () => get<Preview>('/api/v1/benefits/preview', { month: previewed! }),
    enabled: !!previewed,
    staleTime: 0,
    meta: { silent: true },
  });
  const compute = useMutation({
    meta: { silent: true },
    mutationFn: () => post<{ id: string }>('/api/v1/benefits/runs', { month: m }),
    onSuccess: ({ id }) => {
      setSelected(id);
      void qc.invalidateQueries({ queryKey: ['benefits', 'runs'] });
    },
    // The month has a run already (perhaps just started by someone else): show that run.
    onError: (e) => {
      const id = e instanceof ApiError && e.code === 'RUN_EXISTS' ? (e.details as { id?: string } | undefined)?.id : undefined;
      if (id) {
        setSelected(id);
        void qc.invalidateQueries({ queryKey: ['benefits', 'runs'] });
      }
    },
  });
  // The run of the month shown opens by itself once the list is in (once: a discarded run stays closed).
  const autoPicked = useRef(false);
  useEffect(() => {
    if (autoPicked.current || !runs.data) return;
    autoPicked.current = true;
    const r = runs.data.items.find((x) => x.month.slice(0, 7) === m);
    if (r && !selected) setSelected(r.id);
  }, [runs.data, m, selected]);
  const current = useRun(selected);
  const run = current.data?.run;
  const existing = runs.data?.items.find((r) => r.month.slice(0, 7) === m);

  // The wizard's step follows the selected run, else the preview.
  let step = 0;
  if (run) {
    const pending = current.data!.townships.some((x) => x.lines > 0 && x.review?.status !== 'confirmed');
    step = run.status === 'computing' ? 1 : run.status === 'computed' ? (pending ? 2 : 3) : 4;
  } else if (preview.data) step = 1;

  const pickRun = (r: Run) => {
    setSelected(r.id);
    setMonth(dayjs(r.month));
  };

  return (
    <>
      <Card size="small" style={{ marginBottom: 16 }} data-testid="run-wizard">
        <Steps
          size="small"
          current={step}
          style={{ marginBottom: 16 }}
          items={(['preview', 'compute', 'review', 'approve', 'bank'] as const).map((k) => ({ title: t(`benefits.run.steps.${k}`) }))}
        />
        <Form layout="inline" className="yl-filters" style={{ rowGap: 8 }}>
          <Form.Item label={t('benefits.run.month')}>
            <DatePicker
              picker="month"
              value={month}
              allowClear={false}
              onChange={(d) => {
                if (!d) return;
                setMonth(d);
                setPreviewed(null);
                compute.reset();
                const r = runs.data?.items.find((x) => x.month.slice(0, 7) === d.format('YYYY-MM'));
                setSelected(r?.id ?? null);
              }}
              data-testid="run-month"
            />
          </Form.Item>
          <Button
            icon={<EyeOutlined />}
            onClick={() => (previewed === m ? void preview.refetch() : setPreviewed(m))}
            loading={preview.isFetching}
            data-testid="run-preview-btn"
          >
            {t('benefits.run.preview')}
          </Button>
          {admin && (
            <Button
              type="primary"
              icon={<CalculatorOutlined />}
              disabled={existing?.status === 'approved'}
              loading={compute.isPending}
              data-testid="run-compute"
              onClick={() =>
                modal.confirm({
                  title: t('common.confirmTitle'),
                  content: t('benefits.run.computeConfirm', {
                    month: monthLabel(m, i18n.language),
                    policy:
                      preview.data && previewed === m
                        ? `${preview.data.policy.name} ${t('benefits.policy.versionN', { version: preview.data.policy.version })}`
                        : t('benefits.policy.active'),
                  }),
                  onOk: () => compute.mutateAsync().catch(() => undefined),
                })
              }
            >
              {t('benefits.run.compute')}
            </Button>
          )}
        </Form>
        <div style={{ marginTop: 12 }}>
          <ErrorAlert error={compute.error ?? preview.error} />
        </div>
        {preview.data && previewed === m && <PreviewPanel preview={preview.data} />}
      </Card>
      {selected && <RunPanel key={selected} id={selected} onGone={() => setSelected(null)} />}
      <Card size="small" title={t('benefits.run.list')} style={{ marginTop: 16 }}>
        <Table<Run>
          size="middle"
          rowKey="id"
          loading={runs.isPending}
          dataSource={runs.data?.items ?? []}
          pagination={{ pageSize: 12, hideOnSinglePage: true }}
          scroll={{ x: 800 }}
          locale={{ emptyText: t('benefits.run.noRuns') }}
          data-testid="runs-table"
          onRow={(r) => ({ 'data-testid': `run-row-${r.month.slice(0, 7)}` }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: t('benefits.run.month'), dataIndex: 'month', width: 110, render: (v: string) => monthLabel(v, i18n.language) },
            {
              title: t('benefits.run.status'),
              key: 'status',
              width: 180,
              render: (_, r) =>
                r.status === 'computing' ? (
                  <Progress percent={r.progress} size="small" status="active" />
                ) : (
                  <Tag color={RUN_COLORS[r.status]}>{t(`benefits.run.statuses.${r.status}`)}</Tag>
                ),
            },
            { title: t('benefits.run.lines'), key: 'lines', width: 100, align: 'right', render: (_, r) => r.summary?.lines?.toLocaleString() ?? '—' },
            { title: t('benefits.run.total'), key: 'total', width: 140, align: 'right', render: (_, r) => money(r.summary?.totalCents) },
            { title: t('benefits.run.computedAt'), dataIndex: 'computedAt', width: 170, render: formatDateTime },
            { title: t('benefits.run.approvedAt'), dataIndex: 'approvedAt', width: 170, render: formatDateTime },
            {
              title: t('common.actions'),
              key: 'open',
              width: 70,
              render: (_, r) => (
                <Typography.Link onClick={() => pickRun(r)} data-testid="run-open">
                  {t('benefits.run.open')}
                </Typography.Link>
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}
