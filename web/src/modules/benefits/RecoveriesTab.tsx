/** 追回: amounts paid after a death or move-out was reported late; record how each was settled. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Card, Form, Input, Modal, Radio, Segmented, Typography } from 'antd';
import { Table } from '../../kernel/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../kernel/api';
import { useMe } from '../../kernel/auth';
import { showSuccess } from '../../kernel/notify';
import { money, STAFF, type Recovery, type RecoveryStatus } from './types';

export function RecoveriesTab() {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const [status, setStatus] = useState<RecoveryStatus>('open');
  const [settling, setSettling] = useState<Recovery | null>(null);
  const q = useQuery({
    queryKey: ['benefits', 'recoveries', status],
    queryFn: () => get<{ items: Recovery[]; totalCents: number }>('/api/v1/benefits/recoveries', { status }),
  });
  const canSettle = STAFF.includes(me.role) && status === 'open';
  return (
    <Card
      size="small"
      title={
        <Segmented
          value={status}
          onChange={(v) => setStatus(v as RecoveryStatus)}
          options={(['open', 'settled', 'waived'] as const).map((s) => ({ value: s, label: t(`benefits.rec.statuses.${s}`) }))}
          data-testid="rec-status"
        />
      }
      extra={
        <Typography.Text strong data-testid="rec-total">
          {t('benefits.rec.total', { total: money(q.data?.totalCents ?? 0) })}
        </Typography.Text>
      }
    >
      <Table<Recovery>
        size="middle"
        rowKey="id"
        loading={q.isFetching}
        dataSource={q.data?.items ?? []}
        scroll={{ x: 900 }}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        data-testid="rec-table"
        columns={[
          { title: t('benefits.lines.name'), dataIndex: 'elderName', width: 80 },
          { title: t('benefits.lines.idNumber'), dataIndex: 'idNumber', width: 170 },
          { title: t('benefits.lines.village'), dataIndex: 'regionName', width: 150, ellipsis: true },
          { title: t('benefits.lines.benefit'), dataIndex: 'benefit', width: 170 },
          { title: t('benefits.lines.forMonth'), dataIndex: 'forMonth', width: 90, render: (m: string) => m.slice(0, 7) },
          { title: t('benefits.lines.amount'), dataIndex: 'amountCents', width: 100, align: 'right', render: (c: number) => money(c) },
          { title: t('benefits.rec.reason'), dataIndex: 'reason' },
          ...(status !== 'open' ? [{ title: t('benefits.rec.note'), dataIndex: 'note' }] : []),
          ...(canSettle
            ? [
                {
                  title: t('common.actions'),
                  key: 'a',
                  width: 90,
                  render: (_: unknown, r: Recovery) => (
                    <Typography.Link onClick={() => setSettling(r)} data-testid="rec-settle">
                      {t('benefits.rec.settle')}
                    </Typography.Link>
                  ),
                },
              ]
            : []),
        ]}
      />
      {settling && (
        <SettleModal
          rec={settling}
          onClose={() => setSettling(null)}
          onDone={() => {
            setSettling(null);
            void qc.invalidateQueries({ queryKey: ['benefits', 'recoveries'] });
          }}
        />
      )}
    </Card>
  );
}

function SettleModal({ rec, onClose, onDone }: { rec: Recovery; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ status: 'settled' | 'waived'; note: string }>();
  const settle = useMutation({
    mutationFn: (v: { status: 'settled' | 'waived'; note: string }) =>
      post(`/api/v1/benefits/recoveries/${rec.id}/settle`, { status: v.status, note: v.note.trim() }),
    onSuccess: () => {
      showSuccess(t('benefits.rec.settled'));
      onDone();
    },
  });
  return (
    <Modal
      open
      title={t('benefits.rec.settleTitle', { name: rec.elderName })}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={settle.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph>
        {rec.benefit} · {rec.forMonth.slice(0, 7)} · {money(rec.amountCents)} · {rec.reason}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ status: 'settled' }} onFinish={(v) => settle.mutate(v)}>
        <Form.Item name="status" label={t('benefits.rec.result')}>
          <Radio.Group optionType="button" options={(['settled', 'waived'] as const).map((s) => ({ value: s, label: t(`benefits.rec.statuses.${s}`) }))} />
        </Form.Item>
        <Form.Item name="note" label={t('benefits.rec.note')} rules={[{ required: true, whitespace: true, message: t('benefits.rec.noteRequired') }]}>
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
