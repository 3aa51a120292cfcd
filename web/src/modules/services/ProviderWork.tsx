/** A provider's desk: orders to accept (assign a caregiver) or refuse with a reason, all its
 * orders, its caregivers, and its monthly statements. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Input, Modal, Select, Space, Tabs } from 'antd';
import { Table } from '../../kernel/table';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../kernel/api';
import { useMe } from '../../kernel/auth';
import { PageHeader } from '../../kernel/components/PageHeader';
import { showError, showSuccess } from '../../kernel/notify';
import type { Page } from '../../kernel/types';
import { BedsTab } from './BedsTab';
import { CaregiverPanel } from './Catalog';
import './locale';
import { OrderDrawer, orderColumns, SettlementDrawer, SettlementTable } from './shared';
import type { Caregiver, Order, Settlement } from './types';
import { Complaints } from './StaffWork';

export function ProviderWork() {
  const { t } = useTranslation();
  // ?overdue=… and ?tab=complaints (the 工作台 links here filtered).
  const [params] = useSearchParams();
  const overdue = ['unaccepted', 'late'].find((s) => s === params.get('overdue'));
  const [tab, setTab] = useState(overdue ? 'overdue' : params.get('tab') === 'complaints' ? 'complaints' : 'accept');
  return (
    <>
      <PageHeader title={t('services.title')} sub={t('services.sub')} />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden
        items={[
          { key: 'accept', label: t('services.toAccept'), children: <ProviderOrders status="dispatched" /> },
          ...(overdue ? [{ key: 'overdue', label: t(`services.overdue.${overdue}`), children: <ProviderOrders overdue={overdue} /> }] : []),
          { key: 'all', label: t('services.allOrders'), children: <ProviderOrders /> },
          { key: 'complaints', label: t('services.complaints'), children: <Complaints canAct={false} /> },
          { key: 'caregivers', label: t('services.caregiverList'), children: <Caregivers /> },
          { key: 'beds', label: t('services.beds'), children: <BedsTab canAct={false} /> },
          { key: 'settlements', label: <span data-testid="tab-settlements">{t('services.settlements')}</span>, children: <ProviderStatements /> },
        ]}
      />
    </>
  );
}

function ProviderOrders({ status, overdue }: { status?: string; overdue?: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const { modal } = App.useApp();
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string | null>(null);
  const [accepting, setAccepting] = useState<Order | null>(null);
  const [carer, setCarer] = useState<string | undefined>();
  const list = useQuery({
    queryKey: ['services-orders', 'provider', status, overdue, page],
    queryFn: () => get<Page<Order>>('/api/v1/services/orders', { status, overdue, page, pageSize: 20 }),
  });
  const carers = useQuery({
    queryKey: ['services-caregivers', me.providerId],
    queryFn: () => get<{ items: Caregiver[] }>(`/api/v1/services/providers/${me.providerId}/caregivers`),
    enabled: !!accepting,
  });
  const reload = () => qc.invalidateQueries({ queryKey: ['services-orders'] });
  const accept = useMutation({
    mutationFn: () => post<{ caregiverName: string }>(`/api/v1/services/orders/${accepting!.id}/accept`, carer ? { caregiverId: carer } : {}),
    onSuccess: (r) => {
      showSuccess(t('services.accepted', { name: r.caregiverName }));
      setAccepting(null);
      void reload();
    },
  });
  const refuse = (o: Order) => {
    let reason = '';
    modal.confirm({
      title: t('services.refuseReason'),
      content: <Input.TextArea autoFocus onChange={(e) => (reason = e.target.value)} data-testid="refuse-reason" />,
      onOk: () =>
        post(`/api/v1/services/orders/${o.id}/refuse`, { reason: reason.trim() || '—' }).then(() => {
          showSuccess(t('services.refused'));
          void reload();
        }, showError),
    });
  };
  return (
    <>
      <Table
        rowKey="id"
        size="small"
        scroll={{ x: true }}
        loading={list.isLoading}
        dataSource={list.data?.items}
        pagination={{ current: page, total: list.data?.total, pageSize: 20, onChange: setPage, showSizeChanger: false }}
        columns={orderColumns(
          t,
          (o) =>
            o.status === 'dispatched' && (
              <Space>
                <Button size="small" type="primary" onClick={() => (setCarer(undefined), setAccepting(o))} data-testid={`accept-${o.no}`}>
                  {t('services.accept')}
                </Button>
                <Button size="small" danger onClick={() => refuse(o)}>
                  {t('services.refuse')}
                </Button>
              </Space>
            ),
          (o) => setOpen(o.id),
        )}
      />
      <Modal
        open={!!accepting}
        title={t('services.acceptTitle')}
        onCancel={() => setAccepting(null)}
        onOk={() => accept.mutate()}
        confirmLoading={accept.isPending}
        okButtonProps={{ ...{ 'data-testid': 'accept-ok' } }}
      >
        <p>
          {accepting?.no} · {accepting?.itemName} · {accepting?.date} {accepting?.time}
        </p>
        <Select
          style={{ width: '100%' }}
          allowClear
          placeholder={t('services.autoCaregiver')}
          value={carer}
          onChange={setCarer}
          data-testid="accept-caregiver"
          options={(carers.data?.items ?? [])
            .filter((c) => c.status === 'active')
            .map((c) => ({ value: c.id, label: `${c.name}（${t('services.load')} ${c.openOrders}）` }))}
        />
      </Modal>
      <OrderDrawer id={open} onClose={() => setOpen(null)} />
    </>
  );
}

/** The provider's own caregivers: add and edit skills, certificates, status. */
function Caregivers() {
  const me = useMe();
  return me.providerId ? <CaregiverPanel providerId={me.providerId} canEdit /> : null;
}

function ProviderStatements() {
  const me = useMe();
  const [open, setOpen] = useState<string | null>(null);
  const list = useQuery({ queryKey: ['services-settlements', me.providerId], queryFn: () => get<{ items: Settlement[] }>('/api/v1/services/settlements') });
  return (
    <>
      <SettlementTable items={list.data?.items ?? []} onOpen={setOpen} />
      <SettlementDrawer id={open} onClose={() => setOpen(null)} />
    </>
  );
}
