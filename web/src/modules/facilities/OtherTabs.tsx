/** 轮候公示 (the published lists, names masked — what the public API gives anyone) and 小区配建. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, DatePicker, Form, Input, InputNumber, Select, Tag } from 'antd';
import { Table } from '../../kernel/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../kernel/api';
import { useMe } from '../../kernel/auth';
import { RegionTreeSelect } from '../../kernel/components/RegionTreeSelect';
import { showError, showSuccess } from '../../kernel/notify';
import { MANAGER_ROLES } from './types';
import { PublicLists } from './PublicLists';

export function PublicTab() {
  const me = useMe();
  return <PublicLists county={me.countyCode} />;
}

interface Compound {
  id: string;
  regionName: string | null;
  name: string;
  kind: string;
  households: number;
  facilityAreaM2: number;
  per100: number;
  required: number;
  compliant: boolean;
  assessedOn: string;
}

export function CompoundsTab() {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const q = useQuery({ queryKey: ['residential-compounds'], queryFn: () => get<{ items: Compound[] }>('/api/v1/residential-compounds') });
  const add = useMutation({
    mutationFn: (v: { regionCode: string; name: string; kind: string; households: number; facilityAreaM2: number; assessedOn: Dayjs }) =>
      post('/api/v1/residential-compounds', { ...v, assessedOn: v.assessedOn.format('YYYY-MM-DD') }),
    onSuccess: () => {
      showSuccess(t('facilities.detail.saved'));
      form.resetFields();
      void qc.invalidateQueries({ queryKey: ['residential-compounds'] });
    },
    onError: showError,
  });
  return (
    <Card>
      {MANAGER_ROLES.includes(me.role) && (
        <Form
          form={form}
          layout="inline"
          onFinish={(v) => add.mutate(v)}
          initialValues={{ kind: 'new', assessedOn: dayjs() }}
          style={{ marginBottom: 16, rowGap: 8 }}
        >
          <Form.Item name="regionCode" rules={[{ required: true, message: t('facilities.form.required') }]}>
            <RegionTreeSelect placeholder={t('facilities.col.region')} selectableLevel={5} style={{ width: 220 }} />
          </Form.Item>
          <Form.Item name="name" rules={[{ required: true, message: t('facilities.form.required') }]}>
            <Input placeholder={t('facilities.cmp.name')} maxLength={200} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="kind">
            <Select style={{ width: 90 }} options={['new', 'old'].map((k) => ({ value: k, label: t(`facilities.cmp.kinds.${k}`) }))} />
          </Form.Item>
          <Form.Item name="households" rules={[{ required: true, message: t('facilities.form.required') }]}>
            <InputNumber min={1} placeholder={t('facilities.cmp.households')} style={{ width: 110 }} />
          </Form.Item>
          <Form.Item name="facilityAreaM2" rules={[{ required: true, message: t('facilities.form.required') }]}>
            <InputNumber min={0} placeholder={t('facilities.cmp.area')} style={{ width: 150 }} />
          </Form.Item>
          <Form.Item name="assessedOn">
            <DatePicker />
          </Form.Item>
          <Button htmlType="submit" type="primary" loading={add.isPending}>
            {t('facilities.cmp.add')}
          </Button>
        </Form>
      )}
      <Table<Compound>
        rowKey="id"
        size="middle"
        loading={q.isLoading}
        dataSource={q.data?.items}
        columns={[
          { title: t('facilities.cmp.name'), dataIndex: 'name' },
          { title: t('facilities.col.region'), dataIndex: 'regionName' },
          { title: t('facilities.cmp.kind'), dataIndex: 'kind', render: (v: string) => t(`facilities.cmp.kinds.${v}`) },
          { title: t('facilities.cmp.households'), dataIndex: 'households', align: 'right' },
          { title: t('facilities.cmp.area'), dataIndex: 'facilityAreaM2', align: 'right' },
          { title: t('facilities.cmp.per100'), dataIndex: 'per100', align: 'right' },
          { title: t('facilities.cmp.required'), dataIndex: 'required', align: 'right' },
          {
            title: t('facilities.cmp.compliant'),
            dataIndex: 'compliant',
            render: (v: boolean) => <Tag color={v ? 'green' : 'red'}>{t(v ? 'facilities.cmp.yes' : 'facilities.cmp.no')}</Tag>,
          },
        ]}
      />
    </Card>
  );
}
