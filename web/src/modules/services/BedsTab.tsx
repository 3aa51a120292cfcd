/** 家庭养老床位: beds with their plan and the month's adherence; enrolment of an assessed elder; the
 * care plan and the home-adaptation record; the month's plan orders generated (per bed or for all
 * beds); the bed's month statement. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Checkbox, Form, Input, InputNumber, Modal, Progress, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { Table } from '../../kernel/table';
import dayjs from 'dayjs';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { get, patch, post } from '../../kernel/api';
import { useMe } from '../../kernel/auth';
import { showError, showSuccess } from '../../kernel/notify';
import type { Page } from '../../kernel/types';
import { BedStatement, type BedPlanLine } from './BedStatement';
import './locale';
import type { Menu, Provider } from './types';
import { DateField, MonthField } from '../../kernel/components/DateField';

interface AdaptationItem {
  name: string;
  done: boolean;
  date?: string | null;
}

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
  generated: number;
  done: number;
  adherence: number | null;
  plan: BedPlanLine[];
  adaptation: { items?: AdaptationItem[]; notes?: string | null };
}

interface Generated {
  created: number;
  existing: number;
  dispatched: number;
  undispatched: { no: string }[];
}

/** Roles that generate plan orders: township and county staff, the running provider. */
const PLANNERS = ['county_admin', 'township_staff', 'provider_admin'];

export function BedsTab({ canAct }: { canAct: boolean }) {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const thisMonth = dayjs().format('YYYY-MM');
  const [month, setMonth] = useState(thisMonth);
  const [adding, setAdding] = useState(false);
  const [planOf, setPlanOf] = useState<Bed | null>(null);
  const [adaptOf, setAdaptOf] = useState<Bed | null>(null);
  const [statementOf, setStatementOf] = useState<string | null>(null);
  const [q, setQ] = useState('');
  const [form] = Form.useForm();
  const [planForm] = Form.useForm();
  const [adaptForm] = Form.useForm();
  const canGenerate = PLANNERS.includes(me.role);
  const generateLabel = month === thisMonth ? t('services.bedGenerate') : t('services.bedGenerateMonth', { month });
  const list = useQuery({ queryKey: ['services-beds', month], queryFn: () => get<{ items: Bed[] }>('/api/v1/services/family-beds', { month }) });
  const menu = useQuery({ queryKey: ['services-menu'], queryFn: () => get<Menu>('/api/v1/services/items'), enabled: adding || !!planOf });
  const providers = useQuery({ queryKey: ['services-providers'], queryFn: () => get<{ items: Provider[] }>('/api/v1/services/providers'), enabled: adding });
  const hits = useQuery({
    queryKey: ['services-elder-search', q],
    queryFn: () => get<Page<{ id: string; name: string; age: number; regionName: string | null }>>('/api/v1/elders', { q, pageSize: 10 }),
    enabled: adding && q.trim().length > 0,
  });
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['services-beds'] });
    void qc.invalidateQueries({ queryKey: ['services-bed-statement'] });
    void qc.invalidateQueries({ queryKey: ['services-orders'] });
  };
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
      refresh();
    },
    onError: showError,
  });
  const savePlan = useMutation({
    mutationFn: (v: { plan: { itemId: string; timesPerMonth: number }[] }) =>
      patch<{ cancelledOrders: string[] }>(`/api/v1/services/family-beds/${planOf!.id}`, { plan: v.plan }),
    onSuccess: (r) => {
      showSuccess(r.cancelledOrders.length ? t('services.bedPlanCancelled', { n: r.cancelledOrders.length }) : t('services.bedPlanSaved'));
      setPlanOf(null);
      refresh();
    },
    onError: showError,
  });
  const saveAdaptation = useMutation({
    mutationFn: (v: { items?: AdaptationItem[]; notes?: string }) =>
      patch(`/api/v1/services/family-beds/${adaptOf!.id}`, {
        adaptation: {
          items: (v.items ?? []).filter((i) => i?.name?.trim()).map((i) => ({ name: i.name.trim(), done: !!i.done, date: i.date || null })),
          notes: v.notes || null,
        },
      }),
    onSuccess: () => {
      showSuccess(t('services.bedAdaptationSaved'));
      setAdaptOf(null);
      refresh();
    },
    onError: showError,
  });
  const generate = useMutation({
    mutationFn: (bedId: string) => post<Generated>(`/api/v1/services/family-beds/${bedId}/plan-orders`, { month }),
    onSuccess: (r) => {
      showSuccess(t('services.bedGenerated', { created: r.created, existing: r.existing, dispatched: r.dispatched }));
      if (r.undispatched.length) showError(new Error(t('services.bedUndispatched', { n: r.undispatched.length })));
      refresh();
    },
    onError: showError,
  });
  const generateAll = useMutation({
    mutationFn: () =>
      post<{ beds: number; created: number; dispatched: number; failed: number }>('/api/v1/services/family-beds/plan-orders', {
        month,
      }),
    onSuccess: (r) => {
      showSuccess(t('services.bedGeneratedAll', { beds: r.beds, created: r.created, dispatched: r.dispatched, failed: r.failed }));
      refresh();
    },
    onError: showError,
  });
  const itemOptions = (menu.data?.items ?? []).filter((i) => i.active).map((i) => ({ value: i.id, label: `${i.categoryName} · ${i.name}` }));
  const planFields = (
    <Form.List name="plan">
      {(fields, { add, remove }) => (
        <>
          {fields.map((f) => (
            <Space key={f.key} align="baseline">
              <Form.Item name={[f.name, 'itemId']} rules={[{ required: true }]}>
                <Select style={{ width: 260 }} options={itemOptions} data-testid={`bed-plan-item-${f.name}`} />
              </Form.Item>
              <Form.Item name={[f.name, 'timesPerMonth']} rules={[{ required: true }]}>
                <InputNumber min={1} max={62} addonAfter={t('services.perMonth')} data-testid={`bed-plan-times-${f.name}`} />
              </Form.Item>
              <Button onClick={() => remove(f.name)} disabled={fields.length === 1}>
                −
              </Button>
            </Space>
          ))}
          <Button onClick={() => add({ timesPerMonth: 4 })} data-testid="bed-plan-add">
            + {t('services.bedPlan')}
          </Button>
        </>
      )}
    </Form.List>
  );
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <MonthField value={month} onChange={(v) => setMonth(v || thisMonth)} allowClear={false} style={{ width: 160 }} data-testid="beds-month" />
        {canAct && (
          <Button type="primary" onClick={() => setAdding(true)}>
            {t('services.bedEnrol')}
          </Button>
        )}
        {canGenerate && (
          <Tooltip title={t('services.bedGenerateHint')}>
            <Button loading={generateAll.isPending} onClick={() => generateAll.mutate()} disabled={month < thisMonth} data-testid="bed-generate-all">
              {generateLabel}
              {t('services.bedGenerateAll')}
            </Button>
          </Tooltip>
        )}
      </Space>
      <Table
        rowKey="id"
        size="small"
        scroll={{ x: true }}
        loading={list.isLoading}
        dataSource={list.data?.items}
        onRow={(b) => ({ 'data-testid': `bed-row-${b.elderName}` }) as HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('services.elder'), dataIndex: 'elderName', render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{v}</span> },
          { title: t('services.region'), dataIndex: 'regionName' },
          { title: t('services.bedProvider'), dataIndex: 'providerName' },
          { title: t('services.bedLevel'), render: (_, b) => `${b.abilityLevel}（${b.abilityStandard}）` },
          { title: t('services.bedSince'), dataIndex: 'enrolledOn', render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{v}</span> },
          {
            title: t('services.bedPlan'),
            render: (_, b) =>
              b.plan
                .filter((p) => p.timesPerMonth > 0)
                .map((p) => `${p.itemName} ${p.timesPerMonth}${t('services.perMonth')}`)
                .join('；'),
          },
          {
            title: t('services.bedAdherence'),
            render: (_, b) =>
              b.adherence == null ? (
                '—'
              ) : (
                <Tooltip
                  title={`${t('services.bedDone')} ${b.done} / ${t('services.bedPlanned')} ${b.planned} · ${t('services.bedGeneratedCol')} ${b.generated}`}
                >
                  <Progress percent={b.adherence} size="small" style={{ width: 120 }} />
                </Tooltip>
              ),
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
          {
            title: t('services.bedActions'),
            render: (_, b) => (
              <Space size={4} wrap>
                <Button size="small" onClick={() => setStatementOf(b.id)} data-testid={`bed-statement-${b.id}`}>
                  {t('services.bedStatement')}
                </Button>
                {canGenerate && b.status === 'active' && (
                  <Button
                    size="small"
                    type="primary"
                    ghost
                    disabled={month < thisMonth}
                    loading={generate.isPending && generate.variables === b.id}
                    onClick={() => generate.mutate(b.id)}
                    data-testid={`bed-generate-${b.id}`}
                  >
                    {generateLabel}
                  </Button>
                )}
                {canAct && b.status === 'active' && (
                  <>
                    <Button
                      size="small"
                      onClick={() => {
                        planForm.setFieldsValue({
                          plan: b.plan.filter((p) => p.timesPerMonth > 0).map((p) => ({ itemId: p.itemId, timesPerMonth: p.timesPerMonth })),
                        });
                        setPlanOf(b);
                      }}
                      data-testid={`bed-plan-${b.id}`}
                    >
                      {t('services.bedEditPlan')}
                    </Button>
                    <Button
                      size="small"
                      onClick={() => {
                        adaptForm.setFieldsValue({ items: b.adaptation.items ?? [], notes: b.adaptation.notes ?? '' });
                        setAdaptOf(b);
                      }}
                      data-testid={`bed-adapt-${b.id}`}
                    >
                      {t('services.bedEditAdaptation')}
                    </Button>
                  </>
                )}
              </Space>
            ),
          },
        ]}
      />
      <BedStatement bedId={statementOf} month={month} onClose={() => setStatementOf(null)} />
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
          {planFields}
        </Form>
      </Modal>
      <Modal
        open={!!planOf}
        title={`${t('services.bedEditPlan')} · ${planOf?.elderName ?? ''}`}
        onCancel={() => setPlanOf(null)}
        onOk={() => planForm.submit()}
        confirmLoading={savePlan.isPending}
        width={640}
        forceRender
      >
        <Typography.Paragraph type="secondary">{t('services.bedPlanHint')}</Typography.Paragraph>
        <Form form={planForm} layout="vertical" onFinish={(v) => savePlan.mutate(v)}>
          {planFields}
        </Form>
      </Modal>
      <Modal
        open={!!adaptOf}
        title={`${t('services.bedEditAdaptation')} · ${adaptOf?.elderName ?? ''}`}
        onCancel={() => setAdaptOf(null)}
        onOk={() => adaptForm.submit()}
        confirmLoading={saveAdaptation.isPending}
        width={640}
        forceRender
      >
        <Form form={adaptForm} layout="vertical" onFinish={(v) => saveAdaptation.mutate(v)}>
          <Form.List name="items">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="baseline" wrap>
                    <Form.Item name={[f.name, 'name']} rules={[{ required: true }]}>
                      <Input placeholder={t('services.bedAdaptationItem')} style={{ width: 200 }} maxLength={60} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'done']} valuePropName="checked">
                      <Checkbox>{t('services.bedAdaptationDone')}</Checkbox>
                    </Form.Item>
                    <Form.Item name={[f.name, 'date']}>
                      <DateField aria-label={t('services.bedAdaptationDate')} style={{ width: 160 }} />
                    </Form.Item>
                    <Button onClick={() => remove(f.name)}>−</Button>
                  </Space>
                ))}
                <Button onClick={() => add({ name: '', done: false })} style={{ marginBottom: 12 }}>
                  + {t('services.bedAdaptationItem')}
                </Button>
              </>
            )}
          </Form.List>
          <Form.Item name="notes" label={t('services.bedAdaptationNotes')}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
