/** One monthly run: progress while computing, township review (confirm / return), county
 * approval (never by the person who computed it), bank files and the bank's result, lines. */
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Form, Input, Modal, Progress, Row, Space, Statistic, Tag, Typography, Upload } from 'antd';
import { fmtCount } from '../../kernel/format';
import { Table } from '../../kernel/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, download, get, post } from '../../kernel/api';
import { useMe } from '../../kernel/auth';
import { LoadError } from '../../kernel/components/FullPage';
import { formatDateTime } from '../../kernel/format';
import { showError, showSuccess } from '../../kernel/notify';
import { ErrorAlert } from './common';
import { LinesTable } from './LinesTable';
import { money, monthLabel, RUN_COLORS, STAFF, type BankGroup, type RunDetail, type TownshipReview } from './types';

const REVIEW_COLORS: Record<string, string> = { confirmed: 'green', returned: 'red', pending: 'orange', none: 'default' };

export function useRun(id: string | null) {
  return useQuery({
    queryKey: ['benefits', 'run', id],
    queryFn: () => get<RunDetail>(`/api/v1/benefits/runs/${id}`),
    enabled: !!id,
    staleTime: 0,
    refetchInterval: (q) => (q.state.data?.run.status === 'computing' ? 1000 : false),
  });
}

export function RunPanel({ id, onGone }: { id: string; onGone: () => void }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const admin = me.role === 'county_admin';
  const staff = STAFF.includes(me.role);
  const { modal } = App.useApp();
  const qc = useQueryClient();
  const q = useRun(id);
  const [returning, setReturning] = useState<TownshipReview | null>(null);
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['benefits', 'run', id] });
    void qc.invalidateQueries({ queryKey: ['benefits', 'runs'] });
  };

  const review = useMutation({
    mutationFn: (v: { township: string; status: 'confirmed' | 'returned'; note?: string }) => post(`/api/v1/benefits/runs/${id}/reviews`, v),
    onSuccess: () => {
      showSuccess(t('benefits.run.reviewed'));
      setReturning(null);
      refresh();
    },
  });
  const approve = useMutation({
    meta: { silent: true },
    mutationFn: () => post(`/api/v1/benefits/runs/${id}/approve`),
    onSuccess: () => {
      showSuccess(t('benefits.run.approved'));
      refresh();
      void qc.invalidateQueries({ queryKey: ['benefits', 'stats'] });
    },
  });
  const resume = useMutation({
    mutationFn: () => post(`/api/v1/benefits/runs/${id}/compute`),
    onSuccess: () => {
      showSuccess(t('benefits.run.resumed'));
      refresh();
    },
  });
  const discard = useMutation({
    mutationFn: () => api(`/api/v1/benefits/runs/${id}`, { method: 'DELETE' }),
    onSuccess: () => {
      showSuccess(t('benefits.run.discarded'));
      void qc.invalidateQueries({ queryKey: ['benefits', 'runs'] });
      onGone();
    },
  });
  const result = useMutation({
    meta: { silent: true },
    mutationFn: (file: File) => {
      const fd = new FormData();
      fd.append('file', file);
      return api<{ paid: number; failed: number }>(`/api/v1/benefits/runs/${id}/bank-result`, { method: 'POST', body: fd });
    },
    onSuccess: (r) => {
      showSuccess(t('benefits.run.bankResultDone', r));
      refresh();
      void qc.invalidateQueries({ queryKey: ['benefits', 'lines', id] });
    },
  });

  if (q.isError) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return <Card loading />;
  const { run, townships, banks } = q.data;
  const s = run.summary;
  const computed = run.status === 'computed';
  const selfComputed = run.computedBy === me.id;
  const reviewOf = (tw: TownshipReview) => (tw.lines === 0 ? 'none' : (tw.review?.status ?? 'pending'));

  return (
    <Card
      data-testid="run-panel"
      data-status={run.status}
      title={
        <Space wrap>
          {t('benefits.run.detail', { month: monthLabel(run.month, i18n.language) })}
          <Tag color={RUN_COLORS[run.status]} data-testid="run-status">
            {t(`benefits.run.statuses.${run.status}`)}
          </Tag>
        </Space>
      }
      extra={
        admin && (
          <Space wrap>
            {run.status === 'computing' && (
              <Button onClick={() => resume.mutate()} loading={resume.isPending} data-testid="run-resume">
                {t('benefits.run.resume')}
              </Button>
            )}
            {run.status !== 'approved' && (
              <Button
                danger
                data-testid="run-discard"
                onClick={() =>
                  modal.confirm({
                    title: t('common.confirmTitle'),
                    content: t('benefits.run.discardConfirm'),
                    okButtonProps: { danger: true },
                    onOk: () => discard.mutateAsync(),
                  })
                }
              >
                {t('benefits.run.discard')}
              </Button>
            )}
            {computed && (
              <Button
                type="primary"
                data-testid="run-approve"
                title={selfComputed ? t('benefits.run.selfApprove') : undefined}
                onClick={() =>
                  modal.confirm({
                    title: t('common.confirmTitle'),
                    content: t('benefits.run.approveConfirm'),
                    onOk: () => approve.mutateAsync().catch(() => undefined),
                  })
                }
              >
                {t('benefits.run.approve')}
              </Button>
            )}
          </Space>
        )
      }
    >
      {run.status === 'computing' && (
        <div style={{ marginBottom: 16 }}>
          <Typography.Text>{t('benefits.run.computing')}</Typography.Text>
          <Progress percent={run.progress} status="active" data-testid="run-progress" />
        </div>
      )}
      <ErrorAlert error={approve.error} />
      {approve.error instanceof ApiError && approve.error.code === 'REVIEW_PENDING' && (
        <Typography.Paragraph type="secondary">{t('benefits.run.pendingTownships')}</Typography.Paragraph>
      )}
      {s?.lines != null && (
        <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
          <Col xs={12} md={4}>
            <Statistic title={t('benefits.run.lines')} value={s.lines} />
          </Col>
          <Col xs={12} md={5}>
            <Statistic title={t('benefits.run.total')} value={money(s.totalCents)} valueStyle={{ color: '#1560bd' }} data-testid="run-total" />
          </Col>
          <Col xs={12} md={5}>
            <Statistic
              title={t('benefits.run.backpay')}
              value={`${fmtCount(s.backpayLines ?? 0)} · ${money(s.backpayCents ?? 0)}`}
              valueStyle={{ fontSize: 18 }}
            />
          </Col>
          <Col xs={12} md={5}>
            <Statistic
              title={t('benefits.run.recoveries')}
              value={`${fmtCount(s.recoveries ?? 0)} · ${money(s.recoveryCents ?? 0)}`}
              valueStyle={{ fontSize: 18 }}
            />
          </Col>
          <Col xs={12} md={5}>
            <Statistic title={t('benefits.run.payments')} value={fmtCount(s.payments)} valueStyle={{ fontSize: 18 }} data-testid="run-payments" />
          </Col>
        </Row>
      )}
      <Typography.Title level={5}>{t('benefits.run.steps.review')}</Typography.Title>
      <Table<TownshipReview>
        size="small"
        rowKey="code"
        pagination={false}
        dataSource={townships}
        scroll={{ x: 760 }}
        style={{ marginBottom: 16 }}
        data-testid="run-townships"
        onRow={(r) => ({ 'data-testid': `township-${r.code}`, 'data-review': reviewOf(r) }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('benefits.run.township'), dataIndex: 'name', width: 130 },
          { title: t('benefits.run.lines'), dataIndex: 'lines', width: 90, align: 'right', render: (n: number) => fmtCount(n) },
          { title: t('benefits.run.total'), dataIndex: 'totalCents', width: 130, align: 'right', render: (c: number) => money(c) },
          { title: t('benefits.run.backpay'), dataIndex: 'backpayLines', width: 70, align: 'right' },
          {
            title: t('benefits.run.reviewStatus'),
            key: 'review',
            render: (_, r) => (
              <Space size={4} wrap>
                <Tag color={REVIEW_COLORS[reviewOf(r)]}>{t(`benefits.run.reviews.${reviewOf(r)}`)}</Tag>
                {r.review && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {r.review.reviewer} {formatDateTime(r.review.reviewedAt)}
                    {r.review.note ? `：${r.review.note}` : ''}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          ...(staff && computed
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 170,
                  render: (_: unknown, r: TownshipReview) =>
                    r.lines > 0 && (
                      <Space size="small">
                        {r.review?.status !== 'confirmed' && (
                          <Typography.Link
                            onClick={() => review.mutate({ township: r.code, status: 'confirmed' })}
                            disabled={review.isPending}
                            data-testid={`township-confirm-${r.code}`}
                          >
                            {me.role === 'township_staff' ? t('benefits.run.confirm') : t('benefits.run.onBehalf')}
                          </Typography.Link>
                        )}
                        <Typography.Link type="danger" onClick={() => setReturning(r)} data-testid={`township-return-${r.code}`}>
                          {t('benefits.run.returnIt')}
                        </Typography.Link>
                      </Space>
                    ),
                },
              ]
            : []),
        ]}
      />
      {run.status === 'approved' && admin && (
        <BankFiles runId={id} banks={banks} onImported={(f) => result.mutate(f)} importing={result.isPending} error={result.error} />
      )}
      {run.status === 'approved' && !admin && banks.length > 0 && (
        <Alert type="success" showIcon style={{ marginBottom: 16 }} message={`${t('benefits.run.approvedAt')} ${formatDateTime(run.approvedAt)}`} />
      )}
      {run.status !== 'computing' && (
        <>
          <Typography.Title level={5}>{t('benefits.lines.title')}</Typography.Title>
          <LinesTable run={run} townships={townships} />
        </>
      )}
      <ReturnModal
        township={returning}
        loading={review.isPending}
        onClose={() => setReturning(null)}
        onOk={(note) => returning && review.mutate({ township: returning.code, status: 'returned', note })}
      />
    </Card>
  );
}

/** The bank group of payments to elders without an account on file (server: payments.ts). */
const NO_ACCOUNT = 'NONE';

function BankFiles({
  runId,
  banks,
  onImported,
  importing,
  error,
}: {
  runId: string;
  banks: BankGroup[];
  onImported: (f: File) => void;
  importing: boolean;
  error: unknown;
}) {
  const { t } = useTranslation();
  const get = (b: BankGroup, format: 'xlsx' | 'csv') =>
    download(`/api/v1/benefits/runs/${runId}/bank-file?bank=${encodeURIComponent(b.bankCode)}&format=${format}`, `bank-${b.bankCode}.${format}`).catch(
      showError,
    );
  return (
    <Card
      size="small"
      type="inner"
      title={t('benefits.run.banks')}
      style={{ marginBottom: 16 }}
      data-testid="run-banks"
      extra={
        <Space wrap>
          <Button
            icon={<DownloadOutlined />}
            onClick={() => void download(`/api/v1/benefits/runs/${runId}/bank-file?format=xlsx`, 'bank-all.xlsx').catch(showError)}
            data-testid="bank-xlsx-all"
          >
            {t('benefits.run.allBanks')}
          </Button>
          <Upload
            accept=".xlsx"
            showUploadList={false}
            beforeUpload={(f) => {
              onImported(f);
              return false;
            }}
          >
            <Button icon={<UploadOutlined />} loading={importing} data-testid="bank-result-upload">
              {t('benefits.run.bankResult')}
            </Button>
          </Upload>
        </Space>
      }
    >
      <ErrorAlert error={error} />
      <Table<BankGroup>
        size="small"
        rowKey="bankCode"
        pagination={false}
        dataSource={banks}
        columns={[
          {
            title: t('benefits.run.bank'),
            key: 'bank',
            // Elders without an account (bankCode NONE) are not a bank: they cannot be paid, and the list is for chasing accounts.
            render: (_, b) =>
              b.bankCode === NO_ACCOUNT ? (
                <Typography.Text type="warning" title={t('benefits.run.noAccountHint')} data-testid="bank-none">
                  {t('benefits.run.noAccount')}
                </Typography.Text>
              ) : (
                b.bankName
              ),
          },
          { title: t('benefits.run.payments'), dataIndex: 'payments', width: 100, align: 'right', render: (n: number) => fmtCount(n) },
          { title: t('benefits.run.total'), dataIndex: 'totalCents', width: 140, align: 'right', render: (c: number) => money(c) },
          {
            title: t('common.actions'),
            key: 'dl',
            width: 200,
            render: (_, b) =>
              b.bankCode === NO_ACCOUNT ? (
                <Button size="small" type="link" icon={<DownloadOutlined />} onClick={() => void get(b, 'xlsx')} data-testid="bank-none-list">
                  {t('benefits.run.noAccountList')}
                </Button>
              ) : (
                <Space>
                  <Button size="small" icon={<DownloadOutlined />} onClick={() => void get(b, 'xlsx')} data-testid={`bank-xlsx-${b.bankCode}`}>
                    Excel
                  </Button>
                  <Button size="small" icon={<DownloadOutlined />} onClick={() => void get(b, 'csv')} data-testid={`bank-csv-${b.bankCode}`}>
                    CSV
                  </Button>
                </Space>
              ),
          },
        ]}
      />
    </Card>
  );
}

function ReturnModal({
  township,
  loading,
  onClose,
  onOk,
}: {
  township: TownshipReview | null;
  loading: boolean;
  onClose: () => void;
  onOk: (note: string) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ note: string }>();
  return (
    <Modal
      open={!!township}
      title={township ? t('benefits.run.returnTitle', { name: township.name }) : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={loading}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => onOk(v.note.trim())}>
        <Form.Item name="note" label={t('benefits.run.returnNote')} rules={[{ required: true, whitespace: true, message: t('benefits.run.noteRequired') }]}>
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
