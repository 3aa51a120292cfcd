/** 家庭养老床位: beds with their plan and this month's adherence; enrolment of an assessed elder. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, InputNumber, Modal, Progress, Select, Space, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../kernel/api';
import { showError, showSuccess } from '../../kernel/notify';
import type { Page } from '../../kernel/types';
import './locale';
import type { Menu, Provider } from './types';

interface Bed {
  id: string;
  elderName: string;
  regionName: string | null;
  providerName: string | null;
  abilityStandard: string;
  abilityLevel: number;
  enrolledOn: string;
  status: string;
  planned: number;
  done: number;
  adherence: number | null;
  plan: { itemId: string; itemName: string; timesPerMonth: number; done: number }[];
  adaptation: { items?: { name: string; done: boolean }[] };
}

export function BedsTab({ canAct }: { canAct: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [month, setMonth] = useState(dayjs().format('YYYY-MM'));
  const [adding, setAdding] = useState(false);
  const [q, setQ] = useState('');
  const [form] = Form.useForm();
  const list = useQuery({ queryKey: ['services-beds', month], queryFn: () => get<{ items: Bed[] }>('/api/v1/services/family-beds', { month }) });
  const menu = useQuery({ queryKey: ['services-menu'], queryFn: () => get<Menu>('/api/v1/services/items'), enabled: adding });
  const providers = useQuery({ queryKey: ['services-providers'], queryFn: () => get<{ items: Provider[] }>('/api/v1/services/providers'), enabled: adding });
  const hits = useQuery({
    queryKey: ['services-elder-search', q],
    queryFn: () => get<Page<{ id: string; name: string; age: number; regionName: string | null }>>('/api/v1/elders', { q, pageSize: 10 }),
    enabled: adding && q.trim().length > 0,
  });
  const enrol = useMutation({
    mutationFn: (v: { elderId: string; providerId: string; adaptation?: string; plan: { itemId: string; timesPerMonth: number }[] }) =>
      post('/api/v1/services/family-beds', {
        elderId: v.elderId,
        providerId: v.providerId,
        enrolledOn: dayjs().format('YYYY-MM-DD'),
        adaptation: {
          items: (v.adaptation ?? '')
            .split(/[，,、\s]+/)
            .filter(Boolean)
            .map((name) => ({ name, done: false })),
        },
        plan: v.plan,
      }),
    onSuccess: () => {
      showSuccess(t('services.bedEnrolled'));
      setAdding(false);
      form.resetFields();
      void qc.invalidateQueries({ queryKey: ['services-beds'] });
    },
    onError: showError,
  });
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Input type="month" value={month} onChange={(e) => setMonth(e.target.value)} style={{ width: 160 }} />
        {canAct && (
          <Button type="primary" onClick={() => setAdding(true)}>
            {t('services.bedEnrol')}
          </Button>
        )}
      </Space>
      <Table
        rowKey="id"
        size="small"
        scroll={{ x: true }}
        loading={list.isLoading}
        dataSource={list.data?.items}
        columns={[
          { title: t('services.elder'), dataIndex: 'elderName' },
          { title: t('services.region'), dataIndex: 'regionName' },
          { title: t('services.bedProvider'), dataIndex: 'providerName' },
          { title: t('services.bedLevel'), render: (_, b) => `${b.abilityLevel}（${b.abilityStandard}）` },
          { title: t('services.bedSince'), dataIndex: 'enrolledOn' },
          { title: t('services.bedPlan'), render: (_, b) => b.plan.map((p) => `${p.itemName} ${p.done}/${p.timesPerMonth}`).join('；') },
          {
            title: t('services.bedAdherence'),
            render: (_, b) => (b.adherence == null ? '—' : <Progress percent={b.adherence} size="small" style={{ width: 120 }} />),
          },
          {
            title: t('services.bedAdaptation'),
            render: (_, b) =>
              (b.adaptation.items ?? []).map((i) => (
                <Tag key={i.name} color={i.done ? 'green' : 'default'}>
                  {i.name}
                </Tag>
              )),
          },
          {
            title: t('services.filterStatus'),
            render: (_, b) => (
              <Tag color={b.status === 'active' ? 'blue' : 'default'}>{b.status === 'active' ? t('services.bedActive') : t('services.bedEnded')}</Tag>
            ),
          },
        ]}
      />
      <Modal
        open={adding}
        title={t('services.bedEnrol')}
        onCancel={() => setAdding(false)}
        onOk={() => form.submit()}
        confirmLoading={enrol.isPending}
        width={640}
      >
        <Form form={form} layout="vertical" onFinish={(v) => enrol.mutate(v)} initialValues={{ plan: [{ timesPerMonth: 4 }] }}>
          <Form.Item name="elderId" label={t('services.elder')} rules={[{ required: true }]} extra={t('services.bedRule')}>
            <Select
              showSearch
              filterOption={false}
              onSearch={setQ}
              placeholder={t('services.searchElder')}
              options={(hits.data?.items ?? []).map((e) => ({ value: e.id, label: `${e.name}（${e.age}岁，${e.regionName ?? ''}）` }))}
            />
          </Form.Item>
          <Form.Item name="providerId" label={t('services.bedProvider')} rules={[{ required: true }]}>
            <Select options={(providers.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))} />
          </Form.Item>
          <Form.Item name="adaptation" label={t('services.bedAdaptation')}>
            <Input placeholder="卫生间扶手、防滑地面、紧急呼叫器" />
          </Form.Item>
          <Form.List name="plan">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="baseline">
                    <Form.Item name={[f.name, 'itemId']} rules={[{ required: true }]}>
                      <Select style={{ width: 260 }} options={(menu.data?.items ?? []).map((i) => ({ value: i.id, label: `${i.categoryName} · ${i.name}` }))} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'timesPerMonth']} rules={[{ required: true }]}>
                      <InputNumber min={1} max={62} addonAfter={t('services.perMonth')} />
                    </Form.Item>
                    <Button onClick={() => remove(f.name)}>−</Button>
                  </Space>
                ))}
                <Button onClick={() => add({ timesPerMonth: 4 })}>+ {t('services.bedPlan')}</Button>
              </>
            )}
          </Form.List>
        </Form>
      </Modal>
    </>
  );
}
