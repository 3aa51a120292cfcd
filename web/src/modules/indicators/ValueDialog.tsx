/** 填报: a figure the platform cannot compute, with its date and source. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, DatePicker, Form, Input, InputNumber, Modal } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { post } from '../../kernel/api';
import { showError, showSuccess } from '../../kernel/notify';
import type { IndicatorView } from './types';

interface Values {
  value: number;
  asOf: Dayjs;
  sourceNote: string;
}

export function ValueDialog({ planId, indicator, asOf, onClose }: { planId: string; indicator: IndicatorView | null; asOf: string; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const save = useMutation({
    mutationFn: (v: Values) =>
      post(`/api/v1/plans/${planId}/indicators/${indicator!.id}/values`, {
        value: v.value,
        asOf: v.asOf.format('YYYY-MM-DD'),
        sourceNote: v.sourceNote.trim(),
      }),
    onSuccess: async () => {
      showSuccess(t('indicators.filled'));
      await qc.invalidateQueries({ queryKey: ['plan', planId] });
      onClose();
    },
    onError: showError,
  });

  return (
    <Modal
      open={!!indicator}
      title={indicator ? t('indicators.fillTitle', { name: indicator.name }) : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <div data-testid="fill-dialog">
        <Alert type="info" showIcon message={t('indicators.fillHint')} style={{ marginBottom: 16 }} />
        <Form<Values>
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={{ value: indicator?.value ?? undefined, asOf: dayjs(asOf) }}
          onFinish={(v) => save.mutate(v)}
        >
          <Form.Item name="value" label={t('indicators.fillValue')} rules={[{ required: true, message: t('common.required') }]}>
            <InputNumber style={{ width: 200 }} suffix={indicator?.unit || undefined} data-testid="fill-value" />
          </Form.Item>
          <Form.Item name="asOf" label={t('indicators.fillAsOf')} rules={[{ required: true, message: t('common.required') }]}>
            <DatePicker allowClear={false} disabledDate={(d) => d.isAfter(dayjs(), 'day')} data-testid="fill-asof" />
          </Form.Item>
          <Form.Item
            name="sourceNote"
            label={t('indicators.fillSource')}
            rules={[{ required: true, whitespace: true, min: 2, message: t('indicators.fillSourceRequired') }]}
          >
            <Input maxLength={200} placeholder={t('indicators.fillSourcePlaceholder')} data-testid="fill-source" />
          </Form.Item>
        </Form>
      </div>
    </Modal>
  );
}
