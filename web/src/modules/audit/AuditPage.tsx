/** 审计日志: filterable log with before/after images, and verification of the hash chain. */
import { SafetyCertificateOutlined, SearchOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Form, Input, Modal, Select, Space, Tag, Tooltip } from 'antd';
import { Table } from '../../kernel/table';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../kernel/api';
import { PageHeader } from '../../kernel/components/PageHeader';
import { formatDateTime } from '../../kernel/format';
import { useLabels } from '../../kernel/meta';
import type { Page } from '../../kernel/types';
import { auditActionLabel, auditEntityLabel } from './labels';
import { zh } from './locale';

interface AuditItem {
  id: string;
  seq: number | null;
  at: string | null;
  actorName: string | null;
  actorRole: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  regionCode: string;
  before: unknown;
  after: unknown;
  reason: string | null;
  ip: string | null;
  sealed: boolean;
}

interface VerifyResult {
  countyCode: string;
  checked: number;
  ok: boolean;
  firstBadSeq?: number;
  problem?: string;
  /** Entries not sealed into the chain yet. */
  pending?: number;
  /** Signed checkpoints of the chain's head that still match the table. */
  checkpoints?: number;
  /** Entries a checkpoint vouches for that are gone (deleted from the tail). */
  missing?: { from: number; to: number };
}

interface FilterValues {
  entity?: string;
  action?: string;
  actor?: string;
  dates?: [Dayjs | null, Dayjs | null] | null;
}

function Json({ value }: { value: unknown }) {
  const { t } = useTranslation();
  if (value === null || value === undefined) return <span style={{ color: 'rgba(0,0,0,0.45)' }}>{t('audit.empty')}</span>;
  return <pre className="yl-json">{JSON.stringify(value, null, 2)}</pre>;
}

export default function AuditPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const [form] = Form.useForm<FilterValues>();
  const [filters, setFilters] = useState<Record<string, string | undefined>>({});
  const [paging, setPaging] = useState({ page: 1, pageSize: 50 });
  const [verified, setVerified] = useState<VerifyResult[] | null>(null);

  const query = { ...filters, ...paging };
  const list = useQuery({ queryKey: ['audit', query], queryFn: () => get<Page<AuditItem>>('/api/v1/audit', query), placeholderData: keepPreviousData });
  const verify = useMutation({
    mutationFn: () => post<{ results: VerifyResult[] }>('/api/v1/audit/verify'),
    onSuccess: (r) => {
      setVerified(r.results);
      void list.refetch();
    },
  });

  const apply = (v: FilterValues) => {
    setFilters({
      entity: v.entity,
      action: v.action,
      actor: v.actor?.trim() || undefined,
      from: v.dates?.[0]?.format('YYYY-MM-DD'),
      to: v.dates?.[1]?.format('YYYY-MM-DD'),
    });
    setPaging((p) => ({ ...p, page: 1 }));
  };
  const actionLabel = (a: string, entity?: string) => auditActionLabel(t, a, entity);
  const entityLabel = (e: string) => auditEntityLabel(t, e);
  // One choice per name (a record kind may be stored under its table name and its route name).
  const entityOptions = Object.keys(zh.entities)
    .map((e) => ({ value: e, label: entityLabel(e) }))
    .filter((o, i, all) => all.findIndex((x) => x.label === o.label) === i);
  // The page is for administrators: the stored code is there on hover, never in place of the name.
  const coded = (label: string, code: string) => (
    <Tooltip title={label === code ? undefined : code}>
      <span data-code={code}>{label}</span>
    </Tooltip>
  );

  return (
    <div data-testid="audit-page">
      <PageHeader
        title={t('audit.title')}
        sub={t('audit.sub')}
        extra={
          <Button type="primary" icon={<SafetyCertificateOutlined />} loading={verify.isPending} onClick={() => verify.mutate()} data-testid="audit-verify">
            {t('audit.verify')}
          </Button>
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form<FilterValues> form={form} layout="inline" className="yl-filters" onFinish={apply}>
          <Form.Item name="entity" label={t('audit.entity')}>
            <Select
              allowClear
              placeholder={t('common.all')}
              style={{ width: 130 }}
              showSearch
              optionFilterProp="label"
              popupMatchSelectWidth={false}
              options={entityOptions}
            />
          </Form.Item>
          <Form.Item name="action" label={t('audit.action')}>
            <Select
              allowClear
              placeholder={t('common.all')}
              style={{ width: 160 }}
              popupMatchSelectWidth={false}
              showSearch
              optionFilterProp="label"
              options={Object.keys(zh.actions).map((a) => ({ value: a, label: actionLabel(a) }))}
            />
          </Form.Item>
          <Form.Item name="actor" label={t('audit.actor')}>
            <Input allowClear style={{ width: 150 }} maxLength={60} />
          </Form.Item>
          <Form.Item name="dates" label={t('audit.dates')}>
            <DatePicker.RangePicker style={{ width: 250 }} />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                {t('common.search')}
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  apply({});
                }}
              >
                {t('common.reset')}
              </Button>
            </Space>
          </Form.Item>
        </Form>
      </Card>
      <Card size="small">
        <Table<AuditItem>
          rowKey="id"
          size="small"
          loading={list.isFetching}
          dataSource={list.data?.items}
          scroll={{ x: 1200 }}
          data-testid="audit-table"
          expandable={{
            rowExpandable: (r) => r.before != null || r.after != null || !!r.reason,
            expandedRowRender: (r) => (
              <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(280px, 1fr))', gap: 12 }} data-testid="audit-expanded">
                <div>
                  <strong>{t('audit.before')}</strong>
                  <Json value={r.before} />
                </div>
                <div>
                  <strong>{t('audit.after')}</strong>
                  <Json value={r.after} />
                </div>
              </div>
            ),
          }}
          pagination={{
            current: paging.page,
            pageSize: paging.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100, 200],
            showTotal: (total) => t('common.total', { total }),
            onChange: (page, pageSize) => setPaging({ page, pageSize }),
          }}
          columns={[
            { title: t('audit.seq'), dataIndex: 'seq', width: 80, render: (v: number | null) => v ?? '—' },
            { title: t('audit.at'), dataIndex: 'at', width: 170, render: formatDateTime },
            { title: t('audit.actor'), dataIndex: 'actorName', width: 170, ellipsis: true, render: (v: string | null) => v ?? '—' },
            { title: t('audit.actorRole'), dataIndex: 'actorRole', width: 150, render: (v: string | null) => (v ? labels.role(v) : '—') },
            {
              title: t('audit.action'),
              dataIndex: 'action',
              width: 140,
              render: (v: string, r: AuditItem) => (
                <Tag color={v === 'reveal' ? 'red' : v === 'login_failed' ? 'orange' : 'blue'} data-testid="audit-action">
                  {coded(actionLabel(v, r.entity), v)}
                </Tag>
              ),
            },
            {
              title: t('audit.entity'),
              dataIndex: 'entity',
              width: 120,
              ellipsis: true,
              render: (v: string) => <span data-testid="audit-entity">{coded(entityLabel(v), v)}</span>,
            },
            {
              title: t('audit.entityId'),
              dataIndex: 'entityId',
              width: 150,
              ellipsis: true,
              render: (v: string | null) => <span style={{ fontFamily: 'monospace', fontSize: 12 }}>{v ?? '—'}</span>,
            },
            { title: t('audit.region'), dataIndex: 'regionCode', width: 120 },
            { title: t('audit.reason'), dataIndex: 'reason', ellipsis: true, render: (v: string | null) => v ?? '—' },
            { title: t('audit.ip'), dataIndex: 'ip', width: 120, responsive: ['lg'] },
            {
              title: t('audit.sealed'),
              dataIndex: 'sealed',
              width: 90,
              render: (v: boolean) => (v ? <Tag color="green">{t('audit.sealedYes')}</Tag> : <Tag>{t('audit.sealedNo')}</Tag>),
            },
          ]}
        />
      </Card>
      <Modal
        open={!!verified}
        title={t('audit.verifyTitle')}
        onCancel={() => setVerified(null)}
        footer={<Button onClick={() => setVerified(null)}>{t('common.close')}</Button>}
        wrapProps={{ 'data-testid': 'verify-modal' }}
      >
        <Space direction="vertical" style={{ width: '100%' }} data-testid="verify-results">
          {verified?.length === 0 && <Alert type="info" showIcon message={t('audit.verifyNone')} />}
          {verified?.map((r) => (
            <Alert
              key={r.countyCode}
              type={r.ok ? 'success' : 'error'}
              showIcon
              data-testid="verify-result"
              data-ok={String(r.ok)}
              message={
                r.ok
                  ? t('audit.verifyOk', { county: r.countyCode, checked: r.checked })
                  : r.missing
                    ? t('audit.verifyMissing', { county: r.countyCode, from: r.missing.from, to: r.missing.to })
                    : t('audit.verifyBad', { county: r.countyCode, seq: r.firstBadSeq ?? '?', problem: r.problem ?? '', checked: r.checked })
              }
              description={
                [
                  r.checkpoints ? t('audit.verifyCheckpoints', { checkpoints: r.checkpoints }) : '',
                  r.missing && r.problem ? r.problem : '',
                  r.pending ? t('audit.verifyPending', { pending: r.pending }) : '',
                ]
                  .filter(Boolean)
                  .join(' ') || undefined
              }
            />
          ))}
        </Space>
      </Modal>
    </div>
  );
}
