/** 申请审核: applications for benefits that need one — filed by village or township staff for an
 * elder, with documents; township review, then county decision; a refusal always has a reason. */
import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Form, Input, Modal, Radio, Segmented, Select, Space, Tag, Typography, Upload } from 'antd';
import { fmtCount } from '../../kernel/format';
import { Table } from '../../kernel/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, get, post } from '../../kernel/api';
import { useMe } from '../../kernel/auth';
import type { Page } from '../../kernel/types';
import { showSuccess } from '../../kernel/notify';
import type { ElderListItem } from '../elders/types';
import { ErrorAlert } from './common';
import { usePolicies } from './PoliciesTab';
import { APP_COLORS, APP_STATUSES, STAFF, type Application, type AppStatus, type Policy } from './types';

const LIVE: AppStatus[] = ['submitted', 'township_approved'];

/** The version of the active policy set in force today. */
function activePolicy(items: Policy[] | undefined): Policy | undefined {
  const today = dayjs().format('YYYY-MM-DD');
  return (items ?? [])
    .filter((p) => p.active && p.status === 'published' && p.effectiveFrom <= today)
    .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom) || b.version - a.version)[0];
}

export function ApplicationsTab() {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const { modal } = App.useApp();
  // ?status= (the 工作台 links here filtered); else the applications waiting.
  const [params] = useSearchParams();
  const [status, setStatus] = useState<AppStatus | 'all'>(() => APP_STATUSES.find((s) => s === params.get('status')) ?? 'submitted');
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const [deciding, setDeciding] = useState<{ app: Application; step: 'review' | 'decide' } | null>(null);
  const q = useQuery({
    queryKey: ['benefits', 'applications', status, page],
    queryFn: () => get<Page<Application>>('/api/v1/benefits/applications', { status: status === 'all' ? undefined : status, page, pageSize: 20 }),
    placeholderData: keepPreviousData,
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['benefits', 'applications'] });
  const upload = useMutation({
    mutationFn: ({ id, file }: { id: string; file: File }) => {
      const fd = new FormData();
      fd.append('file', file);
      return api(`/api/v1/benefits/applications/${id}/documents`, { method: 'POST', body: fd });
    },
    onSuccess: () => {
      showSuccess(t('benefits.app.uploaded'));
      refresh();
    },
  });
  const withdraw = useMutation({
    mutationFn: (id: string) => post(`/api/v1/benefits/applications/${id}/withdraw`),
    onSuccess: () => {
      showSuccess(t('benefits.app.done'));
      refresh();
    },
  });

  return (
    <Card
      size="small"
      title={
        <Segmented
          value={status}
          onChange={(v) => {
            setStatus(v as AppStatus | 'all');
            setPage(1);
          }}
          options={[...APP_STATUSES.map((s) => ({ value: s, label: t(`benefits.app.statuses.${s}`) })), { value: 'all', label: t('common.all') }]}
          data-testid="app-status"
        />
      }
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="app-new">
          {t('benefits.app.new')}
        </Button>
      }
    >
      <Table<Application>
        size="middle"
        rowKey="id"
        loading={q.isFetching}
        dataSource={q.data?.items ?? []}
        scroll={{ x: 1100 }}
        data-testid="apps-table"
        pagination={{
          current: page,
          pageSize: 20,
          total: q.data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
          showTotal: (n) => t('common.total', { total: fmtCount(n) }),
        }}
        columns={[
          { title: t('benefits.lines.name'), dataIndex: 'elderName', width: 80 },
          { title: t('benefits.lines.idNumber'), dataIndex: 'idNumber', width: 170 },
          { title: t('benefits.lines.village'), dataIndex: 'regionName', width: 150, ellipsis: true },
          { title: t('benefits.app.benefit'), dataIndex: 'benefit', width: 170 },
          { title: t('benefits.app.appliedOn'), dataIndex: 'appliedOn', width: 100 },
          {
            title: t('benefits.app.status'),
            key: 'status',
            width: 200,
            render: (_, a) => (
              <>
                <Tag color={APP_COLORS[a.status]}>{t(`benefits.app.statuses.${a.status}`)}</Tag>
                {a.refusalReason && <Typography.Text type="secondary">{a.refusalReason}</Typography.Text>}
              </>
            ),
          },
          {
            title: t('benefits.app.documents'),
            key: 'docs',
            render: (_, a) => (
              <Space direction="vertical" size={0}>
                {a.documents.map((d) => (
                  <Typography.Text key={d.id} style={{ fontSize: 12 }}>
                    {d.filename}（{Math.ceil(d.sizeBytes / 1024)} KB）
                  </Typography.Text>
                ))}
                {LIVE.includes(a.status) && (
                  <Upload
                    accept=".pdf,.jpg,.jpeg,.png"
                    showUploadList={false}
                    beforeUpload={(file) => {
                      upload.mutate({ id: a.id, file });
                      return false;
                    }}
                  >
                    <Button size="small" type="link" icon={<UploadOutlined />} style={{ padding: 0 }} title={t('benefits.app.uploadHint')}>
                      {t('benefits.app.upload')}
                    </Button>
                  </Upload>
                )}
              </Space>
            ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 150,
            render: (_, a) => (
              <Space size="small" wrap>
                {a.status === 'submitted' && STAFF.includes(me.role) && (
                  <Typography.Link onClick={() => setDeciding({ app: a, step: 'review' })} data-testid="app-review">
                    {t('benefits.app.review')}
                  </Typography.Link>
                )}
                {a.status === 'township_approved' && me.role === 'county_admin' && (
                  <Typography.Link onClick={() => setDeciding({ app: a, step: 'decide' })} data-testid="app-decide">
                    {t('benefits.app.decide')}
                  </Typography.Link>
                )}
                {LIVE.includes(a.status) && (
                  <Typography.Link
                    type="danger"
                    onClick={() =>
                      modal.confirm({ title: t('common.confirmTitle'), content: t('benefits.app.withdrawConfirm'), onOk: () => withdraw.mutateAsync(a.id) })
                    }
                  >
                    {t('benefits.app.withdraw')}
                  </Typography.Link>
                )}
              </Space>
            ),
          },
        ]}
      />
      {creating && (
        <NewApplication
          onClose={() => setCreating(false)}
          onDone={() => {
            setCreating(false);
            setStatus('submitted');
            refresh();
          }}
        />
      )}
      {deciding && (
        <DecideModal
          {...deciding}
          onClose={() => setDeciding(null)}
          onDone={() => {
            setDeciding(null);
            refresh();
          }}
        />
      )}
    </Card>
  );
}

function NewApplication({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ elderId: string; benefitCode: string; appliedOn: Dayjs; note?: string }>();
  const [q, setQ] = useState('');
  const policies = usePolicies();
  const policy = activePolicy(policies.data?.items);
  const choices = (policy?.rules.benefits ?? []).filter((b) => b.needsApplication);
  const elders = useQuery({
    queryKey: ['benefits', 'elder-search', q],
    queryFn: () => get<Page<ElderListItem>>('/api/v1/elders', { q, pageSize: 20, status: 'active' }),
    enabled: q.trim().length > 0,
    placeholderData: keepPreviousData,
  });
  const create = useMutation({
    meta: { silent: true },
    mutationFn: (v: { elderId: string; benefitCode: string; appliedOn: Dayjs; note?: string }) =>
      post('/api/v1/benefits/applications', {
        elderId: v.elderId,
        benefitCode: v.benefitCode,
        appliedOn: v.appliedOn.format('YYYY-MM-DD'),
        note: v.note?.trim() || null,
      }),
    onSuccess: () => {
      showSuccess(t('benefits.app.created'));
      onDone();
    },
  });
  return (
    <Modal
      open
      title={t('benefits.app.new')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      destroyOnHidden
      wrapProps={{ 'data-testid': 'app-new-modal' }}
    >
      <ErrorAlert error={create.error} />
      {policies.isSuccess && !choices.length && <Alert type="warning" showIcon message={t('benefits.app.noAppBenefits')} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ appliedOn: dayjs(), benefitCode: choices.length === 1 ? choices[0]!.code : undefined }}
        onFinish={(v) => create.mutate(v)}
      >
        <Form.Item name="elderId" label={t('benefits.app.elder')} rules={[{ required: true, message: t('common.required') }]}>
          <Select
            showSearch
            filterOption={false}
            onSearch={setQ}
            placeholder={t('benefits.app.elderSearch')}
            loading={elders.isFetching}
            notFoundContent={null}
            options={(elders.data?.items ?? []).map((e) => ({
              value: e.id,
              label: `${e.name} · ${t('elders.ageValue', { age: e.age })} · ${e.idNumber ?? ''} · ${e.regionName ?? ''}`,
            }))}
            data-testid="app-elder"
          />
        </Form.Item>
        <Form.Item name="benefitCode" label={t('benefits.app.benefit')} rules={[{ required: true, message: t('common.required') }]}>
          <Select options={choices.map((b) => ({ value: b.code, label: b.name }))} data-testid="app-benefit" />
        </Form.Item>
        <Form.Item name="appliedOn" label={t('benefits.app.appliedOn')} rules={[{ required: true, message: t('common.required') }]}>
          <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} allowClear={false} />
        </Form.Item>
        <Form.Item name="note" label={t('benefits.app.note')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function DecideModal({ app, step, onClose, onDone }: { app: Application; step: 'review' | 'decide'; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ approve: boolean; reason?: string }>();
  const approve = Form.useWatch('approve', form);
  const send = useMutation({
    meta: { silent: true },
    mutationFn: (v: { approve: boolean; reason?: string }) =>
      post(`/api/v1/benefits/applications/${app.id}/${step}`, { approve: v.approve, reason: v.reason?.trim() || null }),
    onSuccess: () => {
      showSuccess(t('benefits.app.done'));
      onDone();
    },
  });
  return (
    <Modal
      open
      title={t(step === 'review' ? 'benefits.app.reviewTitle' : 'benefits.app.decideTitle', { name: app.elderName, benefit: app.benefit })}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={send.isPending}
      destroyOnHidden
      wrapProps={{ 'data-testid': 'app-decide-modal' }}
    >
      <ErrorAlert error={send.error} />
      <Form form={form} layout="vertical" initialValues={{ approve: true }} onFinish={(v) => send.mutate(v)}>
        <Form.Item name="approve">
          <Radio.Group
            optionType="button"
            options={[
              { value: true, label: t('benefits.app.approve') },
              { value: false, label: t('benefits.app.refuse') },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('benefits.app.reason')}
          rules={[{ required: approve === false, whitespace: true, message: t('benefits.app.reasonRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
