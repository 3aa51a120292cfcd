/** Pieces used by both the staff and the provider pages: order table, order drawer, statements. */
import { useQuery } from '@tanstack/react-query';
import { Button, Descriptions, Drawer, Input, Space, Tag, Timeline, Typography } from 'antd';
import { Table } from '../../kernel/table';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { download, get } from '../../kernel/api';
import { formatDateTime } from '../../kernel/format';
import { useLang } from '../../kernel/i18n';
import './locale';
import { STATUS_COLORS, yuan, type Certificate, type Order, type Settlement } from './types';

export function StatusTag({ o }: { o: Pick<Order, 'status' | 'overdue' | 'escalation'> }) {
  const { t } = useTranslation();
  return (
    <Space size={2} wrap>
      <Tag color={STATUS_COLORS[o.status]}>{t(`services.status.${o.status}`)}</Tag>
      {o.overdue && <Tag color="red">{t(`services.overdue.${o.overdue}`)}</Tag>}
      {o.escalation && (
        <Tag color="magenta" title={t(`services.escalation.${o.escalation}`)} data-testid="escalated">
          {t('services.escalated')}
        </Tag>
      )}
    </Space>
  );
}

/** A caregiver's certificates; an expired one is red. */
export function CertificateTags({ certs }: { certs: Certificate[] }) {
  const { t } = useTranslation();
  const today = dayjs().format('YYYY-MM-DD');
  return (
    <Space size={2} wrap>
      {certs.map((c, i) => {
        const expired = !!c.validUntil && c.validUntil < today;
        return (
          <Tag key={i} color={expired ? 'red' : undefined} data-testid={expired ? 'cert-expired' : 'cert'}>
            {c.name}
            {c.no ? ` ${c.no}` : ''}
            {c.validUntil ? ` · ${t('services.certValidUntil')} ${c.validUntil}` : ''}
            {expired ? `（${t('services.expired')}）` : ''}
          </Tag>
        );
      })}
    </Space>
  );
}

export function FlagTags({ o }: { o: Pick<Order, 'flags'> }) {
  const lang = useLang();
  return (
    <>
      {o.flags.map((f) => (
        <Tag color="volcano" key={f.code}>
          {lang === 'en' ? f.labelEn : f.label}
        </Tag>
      ))}
    </>
  );
}

export function orderColumns(
  t: (k: string, o?: Record<string, unknown>) => string,
  actions?: (o: Order) => ReactNode,
  onOpen?: (o: Order) => void,
): ColumnsType<Order> {
  return [
    {
      title: t('services.no'),
      dataIndex: 'no',
      render: (v: string, o) => (
        <Typography.Link onClick={() => onOpen?.(o)} data-testid="order-no">
          {v}
        </Typography.Link>
      ),
    },
    { title: t('services.elder'), dataIndex: 'elderName' },
    { title: t('services.item'), dataIndex: 'itemName' },
    { title: t('services.serviceTime'), render: (_, o) => `${o.date} ${o.time}` },
    { title: t('services.region'), dataIndex: 'regionName', responsive: ['lg'] },
    { title: t('services.gov'), align: 'right', render: (_, o) => yuan(o.govCents) },
    { title: t('services.copay'), align: 'right', render: (_, o) => yuan(o.copayCents) },
    { title: t('services.provider'), render: (_, o) => [o.providerName, o.caregiverName].filter(Boolean).join(' / ') || '—', responsive: ['md'] },
    { title: t('services.filterStatus'), render: (_, o) => <StatusTag o={o} /> },
    { title: t('services.flags'), render: (_, o) => <FlagTags o={o} />, responsive: ['md'] },
    { title: t('services.rating'), dataIndex: 'rating', render: (v: number | null) => (v ? '★'.repeat(v) : '—'), responsive: ['lg'] },
    ...(actions ? [{ title: '', key: 'actions', render: (_: unknown, o: Order) => actions(o) }] : []),
  ];
}

/** An order with its history; `actions` adds buttons (staff: reschedule, cancel). */
export function OrderDrawer({ id, onClose, actions }: { id: string | null; onClose: () => void; actions?: (o: Order) => ReactNode }) {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ['services-order', id], queryFn: () => get<Order>(`/api/v1/services/orders/${id}`), enabled: !!id });
  const o = q.data;
  return (
    <Drawer open={!!id} onClose={onClose} width={560} title={o ? `${t('services.order')} ${o.no}` : ''} destroyOnHidden extra={o && actions?.(o)}>
      {o && (
        <>
          <Descriptions column={1} size="small" bordered data-testid="order-detail">
            <Descriptions.Item label={t('services.filterStatus')}>
              <StatusTag o={o} />
            </Descriptions.Item>
            <Descriptions.Item label={t('services.elder')}>
              {o.elderName} {o.elderPhone} {o.address}
            </Descriptions.Item>
            <Descriptions.Item label={t('services.item')}>
              {o.itemName} × {o.quantity}（{o.durationMin} min）
            </Descriptions.Item>
            <Descriptions.Item label={t('services.serviceTime')}>
              {o.date} {o.time}
            </Descriptions.Item>
            <Descriptions.Item label={t('services.amount')}>
              {yuan(o.amountCents)} = {t('services.gov')} {yuan(o.govCents)} + {t('services.copay')} {yuan(o.copayCents)}
            </Descriptions.Item>
            <Descriptions.Item label={t('services.quote')}>
              {o.entitlement.sources.length
                ? o.entitlement.sources.map((s) => (
                    <div key={s.name}>
                      {s.name}：{s.explanation}
                    </div>
                  ))
                : t('services.noBudget')}
            </Descriptions.Item>
            <Descriptions.Item label={t('services.orderedBy')}>
              <span data-testid="order-channel">
                {t(`services.channel.${o.channel}`)}
                {o.createdByName ? ` · ${o.createdByName}` : ''}
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('services.provider')}>{[o.providerName, o.caregiverName].filter(Boolean).join(' / ') || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('services.checkIn')}>
              {formatDateTime(o.checkinAt)} {o.checkinDistanceM != null ? `（${o.checkinDistanceM} m）` : ''}
            </Descriptions.Item>
            <Descriptions.Item label={t('services.checkOut')}>{formatDateTime(o.checkoutAt)}</Descriptions.Item>
            <Descriptions.Item label={t('services.flags')}>
              <FlagTags o={o} />
            </Descriptions.Item>
            <Descriptions.Item label={t('services.workDone')}>{o.workDone ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('services.rating')}>{o.rating ? `${'★'.repeat(o.rating)} ${o.ratingComment ?? ''}` : '—'}</Descriptions.Item>
            {o.escalation && <Descriptions.Item label={t('services.escalated')}>{t(`services.escalation.${o.escalation}`)}</Descriptions.Item>}
            {o.cancelReason && <Descriptions.Item label={t('services.cancelReason')}>{o.cancelReason}</Descriptions.Item>}
          </Descriptions>
          {o.photoIds.length > 0 && (
            <Space wrap style={{ marginTop: 12 }}>
              {o.photoIds.map((p) => (
                <img key={p} src={`/api/v1/services/orders/${o.id}/photos/${p}`} alt="" style={{ height: 96, borderRadius: 6 }} />
              ))}
            </Space>
          )}
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('services.events')}
          </Typography.Title>
          <Timeline
            items={(o.events ?? []).map((e) => ({
              children: (
                <span>
                  {formatDateTime(e.at)} {e.actorName} · {t(`services.eventKind.${e.kind}`, { defaultValue: e.kind })}
                  {e.reason ? `：${e.reason}` : ''}
                </span>
              ),
            }))}
          />
        </>
      )}
    </Drawer>
  );
}

export function SettlementDrawer({ id, onClose, extra }: { id: string | null; onClose: () => void; extra?: (s: Settlement) => ReactNode }) {
  const { t } = useTranslation();
  const lang = useLang();
  const q = useQuery({ queryKey: ['services-settlement', id], queryFn: () => get<Settlement>(`/api/v1/services/settlements/${id}`), enabled: !!id });
  const s = q.data;
  const [find, setFind] = useState('');
  const lines = (s?.lines ?? []).filter((l) => !find.trim() || l.orderNo.includes(find.trim().toUpperCase()) || l.elderName.includes(find.trim()));
  return (
    <Drawer open={!!id} onClose={onClose} width={900} title={s ? `${s.providerName} ${s.month} ${t('services.statement')}` : ''} destroyOnHidden>
      {s && (
        <div data-testid="statement">
          <Space wrap style={{ marginBottom: 12 }}>
            <Tag color={s.status === 'approved' ? 'green' : 'orange'}>{s.status === 'approved' ? t('services.approved') : t('services.draft')}</Tag>
            <Tag color={s.reconciliation?.ok ? 'green' : 'red'}>{s.reconciliation?.ok ? t('services.reconciled') : t('services.notReconciled')}</Tag>
            <span>
              {t('services.orderCount')} {s.orderCount} · {t('services.gov')} <b data-testid="statement-gov">{yuan(s.govCents)}</b> · {t('services.copay')}{' '}
              {yuan(s.copayCents)}
            </span>
            <span>
              {t('services.heldCount')} {s.heldCount} · {t('services.heldGov')} {yuan(s.heldGovCents)}
            </span>
            <Button onClick={() => void download(`/api/v1/services/settlements/${s.id}/export`, `${s.month}.xlsx`)}>{t('services.export')}</Button>
            {extra?.(s)}
            <Input.Search
              allowClear
              placeholder={`${t('services.no')} / ${t('services.elder')}`}
              onChange={(e) => setFind(e.target.value)}
              style={{ width: 220 }}
              data-testid="statement-q"
            />
          </Space>
          <Table
            size="small"
            rowKey="orderId"
            dataSource={lines}
            pagination={{ pageSize: 50 }}
            columns={[
              { title: t('services.no'), dataIndex: 'orderNo' },
              { title: t('services.date'), dataIndex: 'date' },
              { title: t('services.elder'), dataIndex: 'elderName' },
              { title: t('services.item'), dataIndex: 'itemName' },
              { title: t('services.amount'), align: 'right', render: (_, l) => yuan(l.amountCents) },
              { title: t('services.gov'), align: 'right', render: (_, l) => yuan(l.govCents) },
              { title: t('services.copay'), align: 'right', render: (_, l) => yuan(l.copayCents) },
              {
                title: t('services.holdReasons'),
                render: (_, l) =>
                  l.held ? (
                    l.holdReasons.map((r) => (
                      <Tag color="red" key={r.code}>
                        {lang === 'en' ? r.labelEn : r.label}
                      </Tag>
                    ))
                  ) : (
                    <Tag color="green">{t('services.paid')}</Tag>
                  ),
              },
            ]}
          />
        </div>
      )}
    </Drawer>
  );
}

export function SettlementTable({ items, onOpen }: { items: Settlement[]; onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  return (
    <Table
      rowKey="id"
      size="small"
      dataSource={items}
      pagination={{ pageSize: 20 }}
      columns={[
        { title: t('services.month'), dataIndex: 'month' },
        { title: t('services.provider'), dataIndex: 'providerName' },
        { title: t('services.orderCount'), dataIndex: 'orderCount' },
        { title: t('services.gov'), align: 'right', render: (_, s) => yuan(s.govCents) },
        { title: t('services.copay'), align: 'right', render: (_, s) => yuan(s.copayCents) },
        { title: t('services.heldCount'), dataIndex: 'heldCount' },
        {
          title: t('services.filterStatus'),
          render: (_, s) => (
            <Tag color={s.status === 'approved' ? 'green' : 'orange'}>{s.status === 'approved' ? t('services.approved') : t('services.draft')}</Tag>
          ),
        },
        {
          title: '',
          render: (_, s) => (
            <Button size="small" onClick={() => onOpen(s.id)} data-testid={`statement-open-${s.month}`}>
              {t('services.detail')}
            </Button>
          ),
        },
      ]}
    />
  );
}
