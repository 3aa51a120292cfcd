/** The staff desk: orders of the region (filters, timers, dispatch manual or automatic, ordering
 * on an elder's behalf), the supplier catalogue, the menu, complaints and call-backs, and the
 * monthly statements (county admins build and approve them). */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, Form, Input, Modal, Select, Space, Tabs, Tag } from 'antd';
import { Table } from '../../kernel/table';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ApiError, get, post } from '../../kernel/api';
import { useMe } from '../../kernel/auth';
import { PageHeader } from '../../kernel/components/PageHeader';
import { showError, showSuccess } from '../../kernel/notify';
import type { Page } from '../../kernel/types';
import { BedsTab } from './BedsTab';
import { MenuTab, ProvidersTab } from './Catalog';
import './locale';
import { OrderDrawer, orderColumns, SettlementDrawer, SettlementTable } from './shared';
import { yuan, type Menu, type Order, type Provider, type Quote, type Settlement } from './types';
import { DateField, MonthField, TimeField } from '../../kernel/components/DateField';

export function StaffWork() {
  const { t } = useTranslation();
  const me = useMe();
  const staff = ['county_admin', 'township_staff', 'village_worker'].includes(me.role);
  const [params] = useSearchParams();
  return (
    <>
      <PageHeader title={t('services.title')} sub={t('services.sub')} />
      <Tabs
        destroyOnHidden
        defaultActiveKey={params.get('tab') ?? 'orders'}
        items={[
          { key: 'orders', label: t('services.orders'), children: <StaffOrders canAct={staff} /> },
          ...(staff ? [{ key: 'new', label: <span data-testid="tab-on-behalf">{t('services.onBehalf')}</span>, children: <OnBehalf /> }] : []),
          { key: 'providers', label: <span data-testid="tab-providers">{t('services.providers')}</span>, children: <ProvidersTab /> },
          { key: 'menu', label: <span data-testid="tab-menu">{t('services.menu')}</span>, children: <MenuTab /> },
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
  escalated?: string;
  from?: string;
  to?: string;
}

const urlFilters = (p: URLSearchParams): Filters => {
  const f: Filters = {};
  for (const k of ['status', 'overdue', 'escalated', 'flagged'] as const) if (p.get(k)) f[k] = p.get(k)!;
  return f;
};

function StaffOrders({ canAct }: { canAct: boolean }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Filters>();
  // ?status=, ?overdue=, ?escalated=true (the 工作台 links here filtered).
  const [params] = useSearchParams();
  const [filters, setFilters] = useState<Filters>(() => urlFilters(params));
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
      <Form form={form} layout="inline" initialValues={filters} onFinish={(v) => (setFilters(v), setPage(1))} style={{ marginBottom: 12, rowGap: 8 }}>
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
        <Form.Item name="escalated" valuePropName="checked" getValueFromEvent={(e) => (e.target.checked ? 'true' : undefined)}>
          <Checkbox data-testid="filter-escalated">{t('services.escalated')}</Checkbox>
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
      <OrderDrawer id={open} onClose={() => setOpen(null)} actions={canAct ? (o) => <OrderActions o={o} /> : undefined} />
    </>
  );
}

const CHANGEABLE = ['pending', 'dispatched', 'refused', 'accepted'];

/** Staff change an order before the service starts: a new date and time (the server splits
 * again), or cancel it with a reason. The server's answer (e.g. started already) is shown. */
function OrderActions({ o }: { o: Order }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [mode, setMode] = useState<'reschedule' | 'cancel' | null>(null);
  const [form] = Form.useForm<{ date: string; time: string; reason: string }>();
  const done = (msg: string) => {
    showSuccess(msg);
    setMode(null);
    void qc.invalidateQueries({ queryKey: ['services-order', o.id] });
    void qc.invalidateQueries({ queryKey: ['services-orders'] });
  };
  const go = useMutation({
    mutationFn: (v: { date: string; time: string; reason: string }) =>
      mode === 'cancel'
        ? post(`/api/v1/services/orders/${o.id}/cancel`, { reason: v.reason })
        : post(`/api/v1/services/orders/${o.id}/reschedule`, { date: v.date, time: v.time }),
    onSuccess: () => done(mode === 'cancel' ? t('services.cancelled') : t('services.rescheduled')),
  });
  if (!CHANGEABLE.includes(o.status) && o.status !== 'in_service') return null;
  return (
    <Space>
      <Button onClick={() => (form.setFieldsValue({ date: o.date, time: o.time }), setMode('reschedule'))} data-testid="order-reschedule">
        {t('services.reschedule')}
      </Button>
      <Button danger onClick={() => (form.resetFields(), setMode('cancel'))} data-testid="order-cancel">
        {t('services.cancelOrder')}
      </Button>
      <Modal
        open={!!mode}
        title={mode === 'cancel' ? `${t('services.cancelOrder')} ${o.no}` : `${t('services.reschedule')} ${o.no}`}
        onCancel={() => setMode(null)}
        onOk={() => form.submit()}
        confirmLoading={go.isPending}
        okButtonProps={{ ...{ 'data-testid': 'order-action-ok' } }}
        forceRender
      >
        <Form form={form} layout="vertical" onFinish={(v) => go.mutate(v)}>
          {mode === 'reschedule' ? (
            <>
              <p style={{ color: '#888' }}>{t('services.rescheduleHint')}</p>
              <Space>
                <Form.Item name="date" label={t('services.date')} rules={[{ required: true }]}>
                  <DateField min={dayjs().format('YYYY-MM-DD')} data-testid="reschedule-date" />
                </Form.Item>
                <Form.Item name="time" label={t('services.time')} rules={[{ required: true }]}>
                  <TimeField data-testid="reschedule-time" />
                </Form.Item>
              </Space>
            </>
          ) : (
            <Form.Item name="reason" label={t('services.cancelReason')} rules={[{ required: true, whitespace: true }]}>
              <Input.TextArea maxLength={200} data-testid="cancel-reason" />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </Space>
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
          <DateField value={date} onChange={setDate} min={dayjs().format('YYYY-MM-DD')} />
          <TimeField value={time} onChange={setTime} />
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

export function Complaints({ canAct }: { canAct: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { modal } = App.useApp();
  const [month, setMonth] = useState(dayjs().format('YYYY-MM'));
  // ?status=open (the 工作台 links here filtered).
  const [params] = useSearchParams();
  const status = ['open', 'handling', 'closed'].find((s) => s === params.get('status'));
  const list = useQuery({ queryKey: ['services-complaints', status], queryFn: () => get<{ items: Complaint[] }>('/api/v1/services/complaints', { status }) });
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
          extra={<MonthField value={month} onChange={setMonth} allowClear={false} style={{ width: 160 }} />}
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
  // A rebuild names the draft it replaces; building a month that has a draft opens that draft.
  const build = useMutation({
    meta: { silent: true },
    mutationFn: (v: { providerId: string; month: string; replaces?: string }) => post<Settlement>('/api/v1/services/settlements', v),
    onSuccess: (s) => {
      void qc.invalidateQueries({ queryKey: ['services-settlements'] });
      void qc.invalidateQueries({ queryKey: ['services-settlement'] });
      setOpen(s.id);
    },
    onError: (e) => {
      const id = e instanceof ApiError && e.code === 'STATEMENT_EXISTS' ? (e.details as { id?: string } | undefined)?.id : undefined;
      showError(e);
      if (id) {
        void qc.invalidateQueries({ queryKey: ['services-settlements'] });
        setOpen(id);
      }
    },
  });
  const approve = useMutation({
    mutationFn: (id: string) => post(`/api/v1/services/settlements/${id}/approve`, {}),
    onSuccess: () => {
      showSuccess(t('services.approved'));
      void qc.invalidateQueries({ queryKey: ['services-settlement'] });
      void qc.invalidateQueries({ queryKey: ['services-settlements'] });
    },
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
          <MonthField value={month} onChange={setMonth} allowClear={false} style={{ width: 160 }} data-testid="statement-month" />
          <Button
            type="primary"
            disabled={!providerId}
            loading={build.isPending}
            onClick={() => providerId && build.mutate({ providerId, month })}
            data-testid="statement-build"
          >
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
            <Space>
              <Button
                onClick={() => build.mutate({ providerId: s.providerId, month: s.month, replaces: s.id })}
                loading={build.isPending}
                data-testid="statement-rebuild"
              >
                {t('services.rebuildStatement')}
              </Button>
              <Button type="primary" onClick={() => approve.mutate(s.id)} loading={approve.isPending} data-testid="statement-approve">
                {t('services.approve')}
              </Button>
            </Space>
          )
        }
      />
    </>
  );
}
