/** Edit a region, or add a sub-region under it (county admins). */
import { useMutation } from '@tanstack/react-query';
import { DatePicker, Form, Input, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { patch, post } from '../../kernel/api';
import { showSuccess } from '../../kernel/notify';
import { regionLevel, type Region, type RegionDetail } from '../../kernel/types';
import { childPrefix } from './tree';

const UR_CODES = ['111', '112', '121', '122', '123', '210', '220'];

interface Values {
  code: string;
  name: string;
  urbanRuralCode?: string;
  validFrom?: Dayjs | null;
  validTo?: Dayjs | null;
}

interface Props {
  mode: 'edit' | 'add';
  region: RegionDetail;
  onClose: () => void;
  onSaved: (r: Region) => void;
}

export function RegionForm({ mode, region, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const prefix = childPrefix(region);
  const code = Form.useWatch('code', form);
  const level = mode === 'edit' ? region.level : regionLevel(code ?? '') || region.level + 1;
  const day = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);

  const save = useMutation({
    mutationFn: (v: Values) =>
      mode === 'add'
        ? post<Region>('/api/v1/regions', {
            code: v.code,
            name: v.name.trim(),
            ...(level === 5 ? { urbanRuralCode: v.urbanRuralCode } : {}),
            ...(v.validFrom ? { validFrom: day(v.validFrom) } : {}),
          })
        : patch<Region>(`/api/v1/regions/${region.code}`, {
            name: v.name.trim(),
            ...(level === 5 && v.urbanRuralCode ? { urbanRuralCode: v.urbanRuralCode } : {}),
            ...(v.validFrom ? { validFrom: day(v.validFrom) } : {}),
            validTo: day(v.validTo),
          }),
    onSuccess: (r) => {
      showSuccess(t('regions.saved'));
      onSaved(r);
    },
  });

  return (
    <Modal
      open
      title={mode === 'add' ? t('regions.addTitle', { parent: region.name }) : t('regions.editTitle', { name: region.name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
      wrapProps={{ 'data-testid': 'region-form' }}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(v) => save.mutate(v)}
        initialValues={
          mode === 'add'
            ? { code: prefix }
            : {
                code: region.code,
                name: region.name,
                urbanRuralCode: region.urbanRuralCode ?? undefined,
                validFrom: region.validFrom ? dayjs(region.validFrom) : null,
                validTo: region.validTo ? dayjs(region.validTo) : null,
              }
        }
      >
        <Form.Item
          name="code"
          label={t('regions.code')}
          extra={mode === 'add' ? t('regions.codeHelp', { prefix }) : undefined}
          rules={[
            { required: true, message: t('common.required') },
            {
              validator: (_, v: string) =>
                mode === 'edit' || (/^\d{12}$/.test(v ?? '') && v.startsWith(prefix) && regionLevel(v) === region.level + 1)
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('regions.codeInvalid', { prefix }))),
            },
          ]}
        >
          <Input maxLength={12} disabled={mode === 'edit'} style={{ fontFamily: 'monospace' }} data-testid="region-code" />
        </Form.Item>
        <Form.Item name="name" label={t('regions.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 100 }]}>
          <Input maxLength={100} data-testid="region-name" />
        </Form.Item>
        {level === 5 && (
          <Form.Item
            name="urbanRuralCode"
            label={t('regions.urbanRural')}
            extra={t('regions.urbanRuralHelp')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <Select options={UR_CODES.map((c) => ({ value: c, label: `${c} ${t(`regions.ur.${c}`)}` }))} />
          </Form.Item>
        )}
        <Form.Item name="validFrom" label={t('regions.validFrom')}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        {mode === 'edit' && (
          <Form.Item name="validTo" label={t('regions.validTo')}>
            <DatePicker style={{ width: '100%' }} allowClear />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
