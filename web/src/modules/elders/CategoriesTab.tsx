/** 人员类别: every category record with its dates, source document and end reason; add one, end one. */
import { PlusOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Button, Card, DatePicker, Form, Input, Modal, Select, Space, Tag } from 'antd';
import { Table } from '../../kernel/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, post } from '../../kernel/api';
import { formatDate } from '../../kernel/format';
import { useLabels } from '../../kernel/meta';
import { showError, showSuccess } from '../../kernel/notify';
import { placeFieldErrors } from './forms';
import type { CategoryRecord, ElderDetail } from './types';

const noFuture = (d: Dayjs) => d.isAfter(dayjs(), 'day');

export function CategoriesTab({ elder: e, writer, onChanged }: { elder: ElderDetail; writer: boolean; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const [form] = Form.useForm<{ category: string; validFrom: Dayjs; sourceDoc?: string }>();
  const [adding, setAdding] = useState(false);
  const [ending, setEnding] = useState<CategoryRecord | null>(null);
  const active = e.status === 'active';

  const add = useMutation({
    meta: { silent: true },
    mutationFn: (v: { category: string; validFrom: Dayjs; sourceDoc?: string }) =>
      post(`/api/v1/elders/${e.id}/categories`, { category: v.category, validFrom: v.validFrom.format('YYYY-MM-DD'), sourceDoc: v.sourceDoc?.trim() || null }),
    onSuccess: () => {
      showSuccess(t('elders.cats.added'));
      form.resetFields();
      setAdding(false);
      onChanged();
    },
    onError: (err) => {
      if (!(err instanceof ApiError) || !placeFieldErrors(form, err, i18n.language, ['category', 'validFrom', 'sourceDoc'])) showError(err);
    },
  });

  return (
    <>
      {writer && active && !adding && (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} style={{ marginBottom: 12 }} data-testid="category-add-open">
          {t('elders.cats.add')}
        </Button>
      )}
      {adding && (
        <Card size="small" title={t('elders.cats.add')} style={{ marginBottom: 12 }}>
          <Form form={form} layout="vertical" onFinish={(v) => add.mutate(v)} initialValues={{ validFrom: dayjs() }} data-testid="category-add-form">
            <Space wrap align="start">
              <Form.Item name="category" label={t('elders.reg.category')} rules={[{ required: true, message: t('common.required') }]}>
                <Select
                  style={{ width: 220 }}
                  options={labels.categories.map((c) => ({ value: c.code, label: labels.category(c.code), disabled: e.categories.includes(c.code) }))}
                />
              </Form.Item>
              <Form.Item name="validFrom" label={t('elders.reg.validFrom')} rules={[{ required: true, message: t('common.required') }]}>
                <DatePicker disabledDate={noFuture} />
              </Form.Item>
              <Form.Item name="sourceDoc" label={t('elders.reg.sourceDoc')} rules={[{ max: 100 }]}>
                <Input maxLength={100} placeholder={t('elders.reg.sourceDocPlaceholder')} style={{ width: 200 }} />
              </Form.Item>
            </Space>
            <Space>
              <Button type="primary" htmlType="submit" loading={add.isPending}>
                {t('common.save')}
              </Button>
              <Button onClick={() => setAdding(false)}>{t('common.cancel')}</Button>
            </Space>
          </Form>
        </Card>
      )}
      <Table<CategoryRecord>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={e.categoryRecords}
        scroll={{ x: 640 }}
        data-testid="category-table"
        columns={[
          {
            title: t('elders.reg.category'),
            dataIndex: 'category',
            render: (c: string, r) => <Tag color={r.validTo ? 'default' : 'blue'}>{labels.category(c)}</Tag>,
          },
          { title: t('elders.reg.validFrom'), dataIndex: 'validFrom', width: 100, render: formatDate },
          {
            title: t('elders.cats.validTo'),
            dataIndex: 'validTo',
            width: 100,
            render: (v: string | null) => (v ? formatDate(v) : <Tag color="green">{t('elders.cats.current')}</Tag>),
          },
          { title: t('elders.reg.sourceDoc'), dataIndex: 'sourceDoc', render: (v: string | null) => v || '—' },
          { title: t('elders.cats.endReason'), dataIndex: 'endReason', render: (v: string | null) => v || '—' },
          ...(writer
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 70,
                  render: (_: unknown, r: CategoryRecord) =>
                    r.validTo ? null : (
                      <a onClick={() => setEnding(r)} data-testid="category-end">
                        {t('elders.cats.end')}
                      </a>
                    ),
                },
              ]
            : []),
        ]}
      />
      {ending && (
        <EndModal
          elderId={e.id}
          record={ending}
          onClose={() => setEnding(null)}
          onDone={() => {
            setEnding(null);
            onChanged();
          }}
        />
      )}
    </>
  );
}

function EndModal({ elderId, record, onClose, onDone }: { elderId: string; record: CategoryRecord; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [form] = Form.useForm<{ validTo: Dayjs; reason: string }>();
  const end = useMutation({
    mutationFn: (v: { validTo: Dayjs; reason: string }) =>
      post(`/api/v1/elders/${elderId}/categories/${record.id}/end`, { validTo: v.validTo.format('YYYY-MM-DD'), reason: v.reason.trim() }),
    onSuccess: () => {
      showSuccess(t('elders.cats.endedDone'));
      onDone();
    },
  });
  return (
    <Modal
      open
      title={t('elders.cats.endTitle', { name: labels.category(record.category) })}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={end.isPending}
      destroyOnHidden
      wrapProps={{ 'data-testid': 'category-end-modal' }}
    >
      <Form form={form} layout="vertical" onFinish={(v) => end.mutate(v)} initialValues={{ validTo: dayjs() }}>
        <Form.Item name="validTo" label={t('elders.cats.validTo')} rules={[{ required: true, message: t('common.required') }]}>
          <DatePicker disabledDate={(d) => d.isBefore(dayjs(record.validFrom), 'day')} />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('elders.cats.endReason')}
          rules={[{ required: true, whitespace: true, min: 2, message: t('elders.cats.reasonRequired') }]}
        >
          <Input.TextArea rows={2} maxLength={200} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
