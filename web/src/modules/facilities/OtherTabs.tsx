/** 轮候公示 (the published lists, names masked — what the public API gives anyone) and 小区配建. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Empty, Form, Input, InputNumber, Select, Spin, Table, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../kernel/api';
import { useMe } from '../../kernel/auth';
import { RegionTreeSelect } from '../../kernel/components/RegionTreeSelect';
import { formatDate } from '../../kernel/format';
import { showError, showSuccess } from '../../kernel/notify';
import { MANAGER_ROLES, type WaitingList } from './types';

export function PublicTab() {
  const me = useMe();
  return <PublicLists county={me.countyCode} />;
}

/** The published lists of a county: also the public page /public/waiting-lists/<county> (no sign-in). */
export function PublicLists({ county }: { county: string }) {
  const { t, i18n } = useTranslation();
  const q = useQuery({
    queryKey: ['public-waiting-lists', county],
    queryFn: () => get<{ asOf: string; homes: WaitingList[] }>('/api/v1/public/waiting-lists', { county }),
  });
  if (q.isError) return <Alert type="error" showIcon message={String((q.error as Error).message)} />;
  if (!q.data) return <Spin />;
  return (
    <>
      <Alert type="info" showIcon message={t('facilities.pub.title')} description={t('facilities.pub.note')} style={{ marginBottom: 16 }} />
      {q.data.homes.map((h) => (
        <Card
          key={h.facilityId}
          title={h.facilityName}
          size="small"
          style={{ marginBottom: 12 }}
          extra={t('facilities.adm.rule', { version: h.rule.version, from: formatDate(h.rule.validFrom) })}
        >
          {h.entries.length ? (
            <Table
              rowKey="applicationId"
              size="small"
              pagination={false}
              dataSource={h.entries}
              columns={[
                { title: t('facilities.adm.rank'), dataIndex: 'rank', width: 70, render: (v: number | null) => v ?? '—' },
                { title: t('facilities.col.name'), dataIndex: 'name', width: 110 },
                { title: t('facilities.col.region'), dataIndex: 'regionName', width: 200 },
                {
                  title: t('facilities.adm.reason'),
                  render: (_, r) => (
                    <>
                      <Tag>{t(`facilities.adm.standing.${r.standing}`)}</Tag>
                      {i18n.language === 'en' ? r.reasonEn : r.reason}
                    </>
                  ),
                },
                { title: t('facilities.adm.appliedOn'), dataIndex: 'appliedOn', width: 120, render: (v: string) => formatDate(v) },
              ]}
            />
          ) : (
            <Empty description={t('facilities.pub.none')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
          )}
        </Card>
      ))}
    </>
  );
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
