/** The staff desk: orders of the region (filters, timers, dispatch manual or automatic, ordering
 * on an elder's behalf), the supplier catalogue, the menu, complaints and call-backs, and the
 * monthly statements (county admins build and approve them). */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, Form, Input, InputNumber, Modal, Select, Space, Table, Tabs, Tag } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../kernel/api';
import { useMe } from '../../kernel/auth';
import { PageHeader } from '../../kernel/components/PageHeader';
import { showError, showSuccess } from '../../kernel/notify';
import type { Page } from '../../kernel/types';
import { BedsTab } from './BedsTab';
import './locale';
import { OrderDrawer, orderColumns, SettlementDrawer, SettlementTable } from './shared';
import { yuan, type Menu, type Order, type Provider, type Quote, type Settlement } from './types';

export function StaffWork() {
  const { t } = useTranslation();
  const me = useMe();
  const staff = ['county_admin', 'township_staff', 'village_worker'].includes(me.role);
  return (
    <>
      <PageHeader title={t('services.title')} sub={t('services.sub')} />
      <Tabs
        destroyOnHidden
        items={[
          { key: 'orders', label: t('services.orders'), children: <StaffOrders canAct={staff} /> },
          ...(staff ? [{ key: 'new', label: <span data-testid="tab-on-behalf">{t('services.onBehalf')}</span>, children: <OnBehalf /> }] : []),
          { key: 'providers', label: t('services.providers'), children: <Providers /> },
          { key: 'menu', label: t('services.menu'), children: <MenuTab /> },
          { key: 'complaints', label: t('services.complaints'), children: <Complaints canAct={staff} /> },
          { key: 'beds', label: t('services.beds'), children: <BedsTab canAct={staff} /> },
          ...(me.role !== 'village_worker' ? [{ key: 'settlements', label: t('services.settlements'), children: <Statements /> }] : []),
        ]}
      />
    </>
  );
}

interface Filters {
  q?: string;
  status?: string;
  overdue?: string;
  flagged?: string;
  from?: string;
  to?: string;
}

function StaffOrders({ canAct }: { canAct: boolean }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string | null>(null);
  const [dispatching, setDispatching] = useState<Order | null>(null);
  const list = useQuery({
    queryKey: ['services-orders', filters, page],
    queryFn: () => get<Page<Order>>('/api/v1/services/orders', { ...filters, page, pageSize: 20 }),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <Form form={form} layout="inline" onFinish={(v) => (setFilters(v), setPage(1))} style={{ marginBottom: 12, rowGap: 8 }}>
        <Form.Item name="q">
          <Input placeholder={`${t('services.no')} / ${t('services.elder')}`} allowClear data-testid="orders-q" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="status" label={t('services.filterStatus')}>
          <Select
            allowClear
            style={{ width: 130 }}
            data-testid="filter-status"
            options={['pending', 'dispatched', 'refused', 'accepted', 'in_service', 'completed', 'cancelled'].map((s) => ({
              value: s,
              label: t(`services.status.${s}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="overdue" label={t('services.filterOverdue')}>
          <Select
            allowClear
            style={{ width: 130 }}
            options={[
              { value: 'any', label: t('services.filterOverdue') },
              { value: 'unaccepted', label: t('services.overdue.unaccepted') },
              { value: 'late', label: t('services.overdue.late') },
            ]}
          />
        </Form.Item>
        <Form.Item name="flagged" valuePropName="checked" getValueFromEvent={(e) => (e.target.checked ? 'true' : undefined)}>
          <Checkbox>{t('services.flagged')}</Checkbox>
        </Form.Item>
        <Button htmlType="submit" type="primary" data-testid="orders-search">
          {t('common.search')}
        </Button>
      </Form>
      <Table
        rowKey="id"
        size="small"
        scroll={{ x: true }}
        loading={list.isLoading}
        dataSource={list.data?.items}
        pagination={{ current: page, total: list.data?.total, pageSize: 20, onChange: setPage, showSizeChanger: false }}
        columns={orderColumns(
          t,
          canAct
            ? (o) =>
                ['pending', 'refused'].includes(o.status) && (
                  <Button size="small" type="primary" onClick={() => setDispatching(o)} data-testid={`dispatch-${o.no}`}>
                    {t('services.dispatch')}
                  </Button>
                )
            : undefined,
          (o) => setOpen(o.id),
        )}
      />
      <DispatchModal order={dispatching} onClose={() => setDispatching(null)} />
      <OrderDrawer id={open} onClose={() => setOpen(null)} />
    </>
  );
}

interface Candidate {
  providerId: string;
  name: string;
  distanceKm: number | null;
  openOrders: number;
  caregivers: number;
  rating: number;
  creditStatus: string;
  score: number;
}

function DispatchModal({ order, onClose }: { order: Order | null; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const cands = useQuery({
    queryKey: ['services-candidates', order?.id],
    queryFn: () => get<{ items: Candidate[] }>(`/api/v1/services/orders/${order!.id}/candidates`),
    enabled: !!order,
  });
  const go = useMutation({
    mutationFn: (b: { mode: 'manual' | 'auto'; providerId?: string }) => post<{ providerName: string }>(`/api/v1/services/orders/${order!.id}/dispatch`, b),
    onSuccess: (r) => {
      showSuccess(t('services.dispatched', { name: r.providerName }));
      onClose();
      void qc.invalidateQueries({ queryKey: ['services-orders'] });
    },
    onError: showError,
  });
  return (
    <Modal open={!!order} title={t('services.dispatchTitle', { no: order?.no })} onCancel={onClose} footer={null} width={760} destroyOnHidden>
      <Button type="primary" style={{ marginBottom: 12 }} loading={go.isPending} onClick={() => go.mutate({ mode: 'auto' })} data-testid="dispatch-auto">
        {t('services.autoDispatch')}
      </Button>
      <Table
        rowKey="providerId"
        size="small"
        loading={cands.isLoading}
        dataSource={cands.data?.items}
        pagination={false}
        columns={[
          { title: t('services.provider'), dataIndex: 'name' },
          { title: t('services.distance'), render: (_, c) => (c.distanceKm == null ? '—' : `${c.distanceKm} km`) },
          { title: t('services.load'), dataIndex: 'openOrders' },
          { title: t('services.caregivers'), dataIndex: 'caregivers' },
          { title: t('services.rating'), dataIndex: 'rating' },
          { title: t('services.score'), dataIndex: 'score' },
          {
            title: '',
            render: (_, c) => (
              <Button size="small" onClick={() => go.mutate({ mode: 'manual', providerId: c.providerId })} data-testid={`dispatch-to-${c.name}`}>
                {t('services.dispatch')}
              </Button>
            ),
          },
        ]}
      />
    </Modal>
  );
}

interface ElderHit {
  id: string;
  name: string;
  age: number;
  regionName: string | null;
}

function OnBehalf() {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [elder, setElder] = useState<string>();
  const [itemId, setItemId] = useState<string>();
  const [date, setDate] = useState(dayjs().add(1, 'day').format('YYYY-MM-DD'));
  const [time, setTime] = useState('09:00');
  const menu = useQuery({ queryKey: ['services-menu'], queryFn: () => get<Menu>('/api/v1/services/items') });
  const hits = useQuery({
    queryKey: ['services-elder-search', q],
    queryFn: () => get<Page<ElderHit>>('/api/v1/elders', { q, pageSize: 10 }),
    enabled: q.trim().length > 0,
  });
  const body = elder && itemId ? { elderId: elder, itemId, quantity: 1, date, time } : null;
  const quote = useQuery({
    queryKey: ['services-quote', body],
    queryFn: () => post<Quote>('/api/v1/services/orders/quote', body),
    enabled: !!body,
    retry: false,
  });
  const place = useMutation({
    mutationFn: () => post<Order>('/api/v1/services/orders', body),
    onSuccess: (o) => showSuccess(t('services.ordered', { no: o.no })),
    onError: showError,
  });
  return (
    <Card style={{ maxWidth: 640 }}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Select
          showSearch
          filterOption={false}
          onSearch={setQ}
          value={elder}
          onChange={setElder}
          placeholder={t('services.searchElder')}
          style={{ width: '100%' }}
          data-testid="behalf-elder"
          options={(hits.data?.items ?? []).map((e) => ({ value: e.id, label: `${e.name}（${e.age}岁，${e.regionName ?? ''}）` }))}
        />
        <Select
          value={itemId}
          onChange={setItemId}
          placeholder={t('services.chooseItem')}
          style={{ width: '100%' }}
          options={(menu.data?.items ?? []).map((i) => ({ value: i.id, label: `${i.categoryName} · ${i.name}（${yuan(i.priceCents)}/${i.unit}）` }))}
        />
        <Space>
          <Input type="date" value={date} onChange={(e) => setDate(e.target.value)} />
          <Input type="time" value={time} onChange={(e) => setTime(e.target.value)} step={1800} />
        </Space>
        {quote.data && (
          <div>
            {t('services.amount')} {yuan(quote.data.amountCents)} = {t('services.gov')} {yuan(quote.data.govCents)} + {t('services.copay')}{' '}
            {yuan(quote.data.copayCents)}
          </div>
        )}
        <Button type="primary" disabled={!quote.data} loading={place.isPending} onClick={() => place.mutate()}>
          {t('services.submit')}
        </Button>
      </Space>
    </Card>
  );
}

function Providers() {
  const { t } = useTranslation();
  const list = useQuery({ queryKey: ['services-providers'], queryFn: () => get<{ items: Provider[] }>('/api/v1/services/providers') });
  const credit: Record<string, string> = { good: 'green', watch: 'orange', red: 'red', black: 'black' };
  return (
    <Table
      rowKey="id"
      size="small"
      scroll={{ x: true }}
      dataSource={list.data?.items}
      columns={[
        { title: t('services.provider'), dataIndex: 'name' },
        { title: t('services.region'), dataIndex: 'regionName' },
        { title: t('services.qualifications'), render: (_, p) => p.qualifications.join('；') },
        { title: t('services.serviceRegions'), render: (_, p) => p.serviceRegions.length || '—' },
        { title: t('services.contract'), render: (_, p) => (p.contractNo ? `${p.contractNo}（${p.contractFrom} ~ ${p.contractTo}）` : '—') },
        { title: t('services.rating'), dataIndex: 'rating' },
        { title: t('services.credit'), render: (_, p) => <Tag color={credit[p.creditStatus]}>{p.creditStatus}</Tag> },
        { title: t('services.caregivers'), dataIndex: 'caregivers' },
      ]}
    />
  );
}

function MenuTab() {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const [adding, setAdding] = useState(false);
  const [form] = Form.useForm();
  const menu = useQuery({ queryKey: ['services-menu', 'all'], queryFn: () => get<Menu>('/api/v1/services/items', { all: 'true' }) });
  const add = useMutation({
    mutationFn: (v: Record<string, unknown>) => post('/api/v1/services/items', { ...v, priceCents: Math.round(Number(v.price) * 100), price: undefined }),
    onSuccess: () => {
      setAdding(false);
      void qc.invalidateQueries({ queryKey: ['services-menu'] });
    },
    onError: showError,
  });
  return (
    <>
      {me.role === 'county_admin' && (
        <Button type="primary" onClick={() => setAdding(true)} style={{ marginBottom: 12 }}>
          {t('services.addItem')}
        </Button>
      )}
      <Table
        rowKey="id"
        size="small"
        dataSource={menu.data?.items}
        pagination={false}
        columns={[
          { title: t('services.category'), dataIndex: 'categoryName' },
          { title: t('services.item'), dataIndex: 'name' },
          { title: t('services.unit'), dataIndex: 'unit' },
          { title: t('services.price'), render: (_, i) => yuan(i.priceCents) },
          { title: t('services.duration'), dataIndex: 'durationMin' },
          { title: t('services.skill'), render: (_, i) => (i.skill ? (menu.data?.skills[i.skill] ?? i.skill) : '—') },
        ]}
      />
      <Modal open={adding} title={t('services.addItem')} onCancel={() => setAdding(false)} onOk={() => form.submit()} confirmLoading={add.isPending}>
        <Form form={form} layout="vertical" onFinish={(v) => add.mutate(v)} initialValues={{ unit: '次', durationMin: 60 }}>
          <Form.Item name="code" label="编码" rules={[{ required: true }]}>
            <Input maxLength={20} />
          </Form.Item>
          <Form.Item name="category" label={t('services.category')} rules={[{ required: true }]}>
            <Select options={Object.entries(menu.data?.categories ?? {}).map(([value, l]) => ({ value, label: l.zh }))} />
          </Form.Item>
          <Form.Item name="name" label={t('services.item')} rules={[{ required: true }]}>
            <Input maxLength={60} />
          </Form.Item>
          <Form.Item name="unit" label={t('services.unit')} rules={[{ required: true }]}>
            <Input maxLength={10} />
          </Form.Item>
          <Form.Item name="price" label={`${t('services.price')}（元）`} rules={[{ required: true }]}>
            <InputNumber min={0} step={1} precision={2} />
          </Form.Item>
          <Form.Item name="durationMin" label={t('services.duration')} rules={[{ required: true }]}>
            <InputNumber min={1} max={1440} />
          </Form.Item>
          <Form.Item name="skill" label={t('services.skill')}>
            <Select allowClear options={Object.entries(menu.data?.skills ?? {}).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

interface Complaint {
  id: string;
  orderNo: string;
  elderName: string;
  itemName: string;
  providerName: string | null;
  kind: string;
  content: string;
  status: string;
  filedAt: string | null;
  resolution: string | null;
}

function Complaints({ canAct }: { canAct: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { modal } = App.useApp();
  const [month, setMonth] = useState(dayjs().format('YYYY-MM'));
  const list = useQuery({ queryKey: ['services-complaints'], queryFn: () => get<{ items: Complaint[] }>('/api/v1/services/complaints') });
  const sample = useQuery({
    queryKey: ['services-callbacks', month],
    queryFn: () =>
      get<{
        share: number;
        completed: number;
        items: { id: string; no: string; date: string; elderName: string; elderPhone: string | null; itemName: string; providerName: string | null }[];
      }>('/api/v1/services/callbacks/sample', { month }),
    enabled: canAct,
  });
  const handle = (c: Complaint, status: 'handling' | 'closed') => {
    let text = '';
    modal.confirm({
      title: t('services.resolution'),
      content: <Input.TextArea autoFocus onChange={(e) => (text = e.target.value)} />,
      onOk: () =>
        post(`/api/v1/services/complaints/${c.id}/handle`, { status, resolution: text.trim() || '—' }).then(
          () => void qc.invalidateQueries({ queryKey: ['services-complaints'] }),
          showError,
        ),
    });
  };
  const callback = (id: string, satisfied: boolean, happened: boolean) =>
    post(`/api/v1/services/orders/${id}/callback`, { reached: true, satisfied, serviceHappened: happened }).then(() => {
      showSuccess(t('services.callbackSaved'));
      void qc.invalidateQueries({ queryKey: ['services-callbacks'] });
    }, showError);
  return (
    <>
      <Table
        rowKey="id"
        size="small"
        scroll={{ x: true }}
        dataSource={list.data?.items}
        columns={[
          { title: t('services.no'), dataIndex: 'orderNo' },
          { title: t('services.elder'), dataIndex: 'elderName' },
          { title: t('services.provider'), dataIndex: 'providerName' },
          { title: t('services.category'), render: (_, c) => t(`services.complaintKind.${c.kind}`) },
          { title: t('services.complainContent'), dataIndex: 'content' },
          {
            title: t('services.filterStatus'),
            render: (_, c) => <Tag color={c.status === 'closed' ? 'green' : 'red'}>{t(`services.complaintStatus.${c.status}`)}</Tag>,
          },
          { title: t('services.resolution'), dataIndex: 'resolution' },
          {
            title: '',
            render: (_, c) =>
              canAct &&
              c.status !== 'closed' && (
                <Space>
                  {c.status === 'open' && (
                    <Button size="small" onClick={() => handle(c, 'handling')}>
                      {t('services.handling')}
                    </Button>
                  )}
                  <Button size="small" type="primary" onClick={() => handle(c, 'closed')}>
                    {t('services.closeIt')}
                  </Button>
                </Space>
              ),
          },
        ]}
      />
      {canAct && (
        <Card
          title={`${t('services.callbacks')}（${Math.round((sample.data?.share ?? 0) * 100)}% / ${sample.data?.completed ?? 0}）`}
          extra={<Input type="month" value={month} onChange={(e) => setMonth(e.target.value)} style={{ width: 160 }} />}
          style={{ marginTop: 16 }}
        >
          <Table
            rowKey="id"
            size="small"
            dataSource={sample.data?.items}
            columns={[
              { title: t('services.no'), dataIndex: 'no' },
              { title: t('services.date'), dataIndex: 'date' },
              { title: t('services.elder'), dataIndex: 'elderName' },
              { title: t('services.item'), dataIndex: 'itemName' },
              { title: t('services.provider'), dataIndex: 'providerName' },
              {
                title: t('services.callback'),
                render: (_, r) => (
                  <Space>
                    <Button size="small" onClick={() => void callback(r.id, true, true)}>
                      {t('services.satisfied')}
                    </Button>
                    <Button size="small" danger onClick={() => void callback(r.id, false, false)}>
                      {t('services.happened')}？✗
                    </Button>
                  </Space>
                ),
              },
            ]}
          />
        </Card>
      )}
    </>
  );
}

function Statements() {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const [open, setOpen] = useState<string | null>(null);
  const [providerId, setProviderId] = useState<string>();
  const [month, setMonth] = useState(dayjs().format('YYYY-MM'));
  const providers = useQuery({ queryKey: ['services-providers'], queryFn: () => get<{ items: Provider[] }>('/api/v1/services/providers') });
  const list = useQuery({ queryKey: ['services-settlements'], queryFn: () => get<{ items: Settlement[] }>('/api/v1/services/settlements') });
  const build = useMutation({
    mutationFn: () => post<Settlement>('/api/v1/services/settlements', { providerId, month }),
    onSuccess: (s) => {
      void qc.invalidateQueries({ queryKey: ['services-settlements'] });
      setOpen(s.id);
    },
    onError: showError,
  });
  const approve = useMutation({
    mutationFn: (id: string) => post(`/api/v1/services/settlements/${id}/approve`, {}),
    onSuccess: () => {
      showSuccess(t('services.approved'));
      void qc.invalidateQueries({ queryKey: ['services-settlement'] });
      void qc.invalidateQueries({ queryKey: ['services-settlements'] });
    },
    onError: showError,
  });
  return (
    <>
      {me.role === 'county_admin' && (
        <Space style={{ marginBottom: 12 }} wrap>
          <Select
            style={{ width: 280 }}
            placeholder={t('services.provider')}
            value={providerId}
            onChange={setProviderId}
            data-testid="statement-provider"
            options={(providers.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
          />
          <Input type="month" value={month} onChange={(e) => setMonth(e.target.value)} style={{ width: 160 }} data-testid="statement-month" />
          <Button type="primary" disabled={!providerId} loading={build.isPending} onClick={() => build.mutate()} data-testid="statement-build">
            {t('services.makeStatement')}
          </Button>
        </Space>
      )}
      <SettlementTable items={list.data?.items ?? []} onOpen={setOpen} />
      <SettlementDrawer
        id={open}
        onClose={() => setOpen(null)}
        extra={(s) =>
          me.role === 'county_admin' &&
          s.status === 'draft' && (
            <Button type="primary" onClick={() => approve.mutate(s.id)} loading={approve.isPending} data-testid="statement-approve">
              {t('services.approve')}
            </Button>
          )
        }
      />
    </>
  );
}
