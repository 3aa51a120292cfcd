/** The elder's own ordering page, large print, for a phone: used by a family member linked to the
 * elder (or by the elder on that account). Pick the service and a time, see what the government
 * pays and what is left to pay, place it; then follow, rate, cancel or complain. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Input, Rate, Space, Spin, Tag } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../kernel/api';
import { formatDateTime } from '../../kernel/format';
import { showError, showSuccess } from '../../kernel/notify';
import type { Page } from '../../kernel/types';
import './locale';
import './phone.locale';
import { STATUS_COLORS, yuan, type Complaint, type Menu, type Order, type Quote } from './types';
import { DateField } from '../../kernel/components/DateField';

const BIG = { fontSize: 20 } as const;
const TIMES = Array.from({ length: 23 }, (_, i) => `${String(7 + Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`);

interface FamilyElder {
  id: string;
  name: string;
  age: number;
  address: string | null;
  /** The signed-in account is this elder's own (老人本人账号). */
  self: boolean;
}

export function FamilyOrder() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const elders = useQuery({ queryKey: ['family-elders'], queryFn: () => get<{ items: FamilyElder[] }>('/api/v1/family/elders') });
  const menu = useQuery({ queryKey: ['services-menu'], queryFn: () => get<Menu>('/api/v1/services/items') });
  const [elderId, setElderId] = useState<string>();
  const [itemId, setItemId] = useState<string>();
  const [date, setDate] = useState(dayjs().format('YYYY-MM-DD'));
  const [time, setTime] = useState('09:00');
  const [note, setNote] = useState('');
  const [ordering, setOrdering] = useState(false);
  useEffect(() => {
    if (!elderId && elders.data?.items[0]) setElderId(elders.data.items[0].id);
  }, [elders.data, elderId]);

  const body = elderId && itemId ? { elderId, itemId, quantity: 1, date, time, note: note || null } : null;
  const quote = useQuery({
    queryKey: ['services-quote', body],
    queryFn: () => post<Quote>('/api/v1/services/orders/quote', body),
    enabled: !!body,
    retry: false,
  });
  const orders = useQuery({
    queryKey: ['services-family-orders'],
    queryFn: () => get<Page<Order>>('/api/v1/services/orders', { pageSize: 50 }),
  });
  const place = useMutation({
    mutationFn: () => post<Order>('/api/v1/services/orders', body),
    onSuccess: (o) => {
      showSuccess(t('services.ordered', { no: o.no }));
      setItemId(undefined);
      setNote('');
      setOrdering(false);
      void qc.invalidateQueries({ queryKey: ['services-family-orders'] });
    },
  });

  if (elders.isLoading || menu.isLoading) return <Spin />;
  if (!elders.data?.items.length)
    return (
      <Card>
        <Empty description={t('family.none')} />
      </Card>
    );
  const elder = elders.data.items.find((e) => e.id === elderId);
  // The elder on their own account: a greeting by name, what is booked, and one button to book.
  const self = elders.data.items.find((e) => e.self);
  if (self && !ordering) return <ElderHome elder={self} orders={orders.data?.items ?? []} onOrder={() => setOrdering(true)} />;

  return (
    <div className={`yl-services-family${self ? ' yl-elder' : ''}`} style={{ maxWidth: 640, margin: '0 auto', ...BIG }}>
      <h2 style={{ fontSize: 26, margin: '8px 0' }} data-testid="page-title">
        {self ? t('services.phone.elderOrderTitle') : t('services.familyTitle')}
      </h2>
      {!self && <p style={{ color: '#666', fontSize: 17 }}>{t('services.familySub')}</p>}

      {elders.data.items.length > 1 && (
        <Card title={<span style={BIG}>{t('services.chooseElder')}</span>} style={{ marginBottom: 12 }}>
          <Space wrap>
            {elders.data.items.map((e) => (
              <Button key={e.id} size="large" type={e.id === elderId ? 'primary' : 'default'} onClick={() => setElderId(e.id)} style={BIG}>
                {e.name}
              </Button>
            ))}
          </Space>
        </Card>
      )}

      {elder && (
        <Card style={{ marginBottom: 12, borderColor: '#1677ff', background: '#f0f7ff' }} styles={{ body: { padding: 14 } }} data-testid="order-for">
          <div style={{ fontSize: 22, fontWeight: 600 }}>
            {self ? t('services.phone.hello', { name: elder.name }) : t('services.phone.forWhom', { name: elder.name })}
          </div>
          <div style={{ fontSize: 18, color: '#333' }}>
            {elder.address ? t('services.phone.address', { address: elder.address }) : t('services.phone.noAddress')}
          </div>
        </Card>
      )}

      <Card title={<span style={BIG}>{t('services.chooseItem')}</span>} style={{ marginBottom: 12 }}>
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(140px, 1fr))', gap: 10 }}>
          {menu.data?.items.map((i) => (
            <button
              key={i.id}
              type="button"
              data-testid={`item-${i.code}`}
              onClick={() => setItemId(i.id)}
              style={{
                padding: '14px 8px',
                borderRadius: 10,
                border: i.id === itemId ? '3px solid #1677ff' : '1px solid #d9d9d9',
                background: i.id === itemId ? '#e6f4ff' : '#fff',
                fontSize: 20,
                cursor: 'pointer',
                textAlign: 'center',
              }}
            >
              <div style={{ fontWeight: 600 }}>{i.name}</div>
              <div style={{ fontSize: 16, color: '#888' }}>
                {yuan(i.priceCents)}/{i.unit}
              </div>
            </button>
          ))}
        </div>
      </Card>

      <Card title={<span style={BIG}>{t('services.when')}</span>} style={{ marginBottom: 12 }}>
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <DateField
            data-testid="order-date"
            value={date}
            min={dayjs().format('YYYY-MM-DD')}
            onChange={setDate}
            allowClear={false}
            size="large"
            style={{ width: '100%' }}
          />
          <select data-testid="order-time" value={time} onChange={(e) => setTime(e.target.value)} style={{ fontSize: 22, padding: 8, width: '100%' }}>
            {TIMES.map((x) => (
              <option key={x}>{x}</option>
            ))}
          </select>
          <Input.TextArea value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('services.note')} style={{ fontSize: 18 }} maxLength={200} />
        </Space>
      </Card>

      {body && (
        <Card title={<span style={BIG}>{t('services.quote')}</span>} style={{ marginBottom: 12 }} data-testid="order-quote">
          {quote.isLoading ? (
            <Spin />
          ) : quote.data ? (
            <QuoteView q={quote.data} who={self ? t('services.phone.you') : (elder?.name ?? '')} />
          ) : (
            quote.error && <Tag color="red">{(quote.error as Error).message}</Tag>
          )}
        </Card>
      )}

      <Button
        type="primary"
        size="large"
        block
        disabled={!body || !quote.data}
        loading={place.isPending}
        onClick={() => place.mutate()}
        style={{ height: 56, fontSize: 22, marginBottom: 24 }}
        data-testid="order-submit"
      >
        {t('services.submit')}
      </Button>

      <FamilyComplaints />

      <h3 style={{ fontSize: 22 }}>{t('services.myOrders')}</h3>
      {!orders.data?.items.length ? <Empty description={t('services.noOrders')} /> : orders.data.items.map((o) => <FamilyOrderCard key={o.id} o={o} />)}
    </div>
  );
}

/** 政府补贴 and 自付 in large type, why in one plain sentence, the rules behind a link. */
function QuoteView({ q, who }: { q: Quote; who: string }) {
  const { t } = useTranslation();
  const [more, setMore] = useState(false);
  const ent = q.entitlement;
  const reason =
    ent.budgetCents <= 0
      ? t('services.phone.quoteNone', { name: who })
      : q.availableCents <= 0
        ? t('services.phone.quoteUsed', { name: who, budget: yuan(ent.budgetCents) })
        : q.copayCents > 0
          ? t('services.phone.quotePart', { name: who, left: yuan(q.availableCents) })
          : t('services.phone.quoteAll', { name: who, left: yuan(q.availableCents) });
  return (
    <div>
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 10, textAlign: 'center' }}>
        <div style={{ background: '#f6ffed', border: '2px solid #389e0d', borderRadius: 10, padding: '8px 4px' }}>
          <div style={{ fontSize: 18, color: '#135200' }}>{t('services.phone.subsidy')}</div>
          <b style={{ fontSize: 32, color: '#135200' }} data-testid="quote-gov">
            {yuan(q.govCents)}
          </b>
        </div>
        <div style={{ background: '#fff2e8', border: '2px solid #d4380d', borderRadius: 10, padding: '8px 4px' }}>
          <div style={{ fontSize: 18, color: '#871400' }}>{t('services.phone.selfPay')}</div>
          <b style={{ fontSize: 32, color: '#871400' }} data-testid="quote-copay">
            {yuan(q.copayCents)}
          </b>
        </div>
      </div>
      <p style={{ fontSize: 19, margin: '10px 0 4px', color: '#222' }} data-testid="quote-reason">
        {reason}
        <span style={{ color: '#666', fontSize: 16 }}>（{t('services.phone.fee', { amount: yuan(q.amountCents) })}）</span>
      </p>
      {ent.sources.length > 0 && (
        <>
          <Button type="link" style={{ padding: 0, fontSize: 17 }} onClick={() => setMore(!more)} aria-expanded={more} data-testid="quote-more">
            {more ? t('services.phone.quoteLess') : t('services.phone.quoteMore')}
          </Button>
          {more && (
            <div style={{ fontSize: 15, color: '#555', lineHeight: 1.6 }} data-testid="quote-explanation">
              {ent.sources.map((s) => (
                <p key={s.name} style={{ margin: '4px 0' }}>
                  <b>{s.name}</b>：{s.explanation}
                </p>
              ))}
            </div>
          )}
        </>
      )}
    </div>
  );
}

/** The elder's own page: a greeting by name, what is booked and when the caregiver comes, and
 * one button to book — large type, high contrast, few choices. */
function ElderHome({ elder, orders, onOrder }: { elder: FamilyElder; orders: Order[]; onOrder: () => void }) {
  const { t } = useTranslation();
  const booked = orders
    .filter((o) => ['pending', 'dispatched', 'refused', 'accepted', 'in_service'].includes(o.status))
    .sort((a, b) => `${a.date} ${a.time}`.localeCompare(`${b.date} ${b.time}`));
  const done = orders.filter((o) => o.status === 'completed' && o.rating == null);
  return (
    <div className="yl-elder" style={{ maxWidth: 640, margin: '0 auto', color: '#000', fontSize: 22, lineHeight: 1.5 }} data-testid="elder-home">
      <h2 style={{ fontSize: 32, margin: '8px 0 0', color: '#000' }} data-testid="page-title">
        {t('services.phone.hello', { name: elder.name })}
      </h2>
      <p style={{ fontSize: 20, color: '#333', margin: '0 0 12px' }}>{t('services.phone.elderSub')}</p>
      <Button type="primary" block onClick={onOrder} style={{ height: 64, fontSize: 26, marginBottom: 20, background: '#003eb3' }} data-testid="elder-order">
        {t('services.phone.orderMore')}
      </Button>
      <h3 style={{ fontSize: 26, margin: '0 0 8px', color: '#000' }}>{t('services.phone.booked')}</h3>
      {!booked.length ? (
        <div style={{ fontSize: 22, color: '#333', marginBottom: 16 }} data-testid="elder-none">
          {t('services.phone.noBooked')}
        </div>
      ) : (
        booked.map((o) => (
          <div
            key={o.id}
            style={{ border: '2px solid #000', borderRadius: 12, padding: '12px 14px', marginBottom: 12, background: '#fff' }}
            data-testid={`elder-booked-${o.no}`}
          >
            <div style={{ fontSize: 26, fontWeight: 700 }}>{o.itemName}</div>
            <div style={{ fontSize: 24, fontWeight: 600, color: '#003eb3' }}>
              {t('services.phone.comes', { date: dayjs(o.date).format('M月D日'), time: o.time })}
            </div>
            <div style={{ fontSize: 22 }}>{o.caregiverName ? t('services.phone.carer', { name: o.caregiverName }) : t('services.phone.noCarer')}</div>
            <div style={{ fontSize: 20, color: '#333' }}>{t(`services.status.${o.status}`)}</div>
          </div>
        ))
      )}
      {done.map((o) => (
        <FamilyOrderCard key={o.id} o={o} />
      ))}
    </div>
  );
}

/** The complaints about the family's elders' orders and how each was handled (above the
 * orders, so an answer is seen first; nothing when there are none). */
function FamilyComplaints() {
  const { t } = useTranslation();
  const list = useQuery({ queryKey: ['services-family-complaints'], queryFn: () => get<{ items: Complaint[] }>('/api/v1/services/complaints') });
  if (!list.data?.items.length) return null;
  return (
    <div data-testid="family-complaints">
      <h3 style={{ fontSize: 22 }}>{t('services.myComplaints')}</h3>
      {list.data.items.map((c) => (
        <Card key={c.id} style={{ marginBottom: 12, fontSize: 18 }} data-testid={`family-complaint-${c.orderNo}`}>
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8 }}>
            <b>
              {c.itemName} · {c.orderNo}
            </b>
            <Tag color={c.status === 'closed' ? 'green' : c.status === 'handling' ? 'blue' : 'orange'} style={{ fontSize: 16, padding: '2px 8px' }}>
              {t(`services.complaintStatus.${c.status}`)}
            </Tag>
          </div>
          <div style={{ color: '#666', fontSize: 16 }}>
            {t('services.filedAt')} {formatDateTime(c.filedAt)}
            {c.filedByName ? ` · ${c.filedByName}` : ''}
          </div>
          <div style={{ margin: '6px 0' }}>{c.content}</div>
          {c.resolution ? (
            <div style={{ background: '#f6ffed', border: '1px solid #b7eb8f', borderRadius: 8, padding: '8px 12px' }} data-testid="family-complaint-resolution">
              <b>{t('services.resolution')}：</b>
              {c.resolution}
              <div style={{ color: '#666', fontSize: 15 }}>
                {c.handlerName ? `${t('services.handler')} ${c.handlerName}` : ''}
                {c.closedAt ? ` · ${formatDateTime(c.closedAt)}` : ''}
              </div>
            </div>
          ) : (
            <div style={{ color: '#d46b08' }}>{t('services.waiting')}</div>
          )}
        </Card>
      ))}
    </div>
  );
}

function FamilyOrderCard({ o }: { o: Order }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { modal } = App.useApp();
  const [stars, setStars] = useState(5);
  const reload = () =>
    Promise.all([qc.invalidateQueries({ queryKey: ['services-family-orders'] }), qc.invalidateQueries({ queryKey: ['services-family-complaints'] })]);
  const rate = useMutation({
    mutationFn: () => post(`/api/v1/services/orders/${o.id}/rating`, { stars }),
    onSuccess: () => {
      showSuccess(t('services.thanks'));
      void reload();
    },
  });
  const ask = (title: string, url: string, field: string, done: string, extra: Record<string, unknown> = {}) => {
    let text = '';
    modal.confirm({
      title,
      content: <Input.TextArea autoFocus onChange={(e) => (text = e.target.value)} style={{ fontSize: 18 }} />,
      onOk: () =>
        post(url, { [field]: text.trim() || '—', ...extra }).then(() => {
          showSuccess(done);
          void reload();
        }, showError),
    });
  };
  const reschedule = () => {
    let date = o.date;
    let time = o.time;
    modal.confirm({
      title: t('services.reschedule'),
      content: (
        <Space direction="vertical" style={{ width: '100%' }}>
          <DateField
            defaultValue={o.date}
            min={dayjs().format('YYYY-MM-DD')}
            onChange={(v) => (date = v)}
            allowClear={false}
            size="large"
            style={{ width: '100%' }}
          />
          <select defaultValue={o.time} onChange={(e) => (time = e.target.value)} style={{ fontSize: 20, width: '100%' }}>
            {TIMES.map((x) => (
              <option key={x}>{x}</option>
            ))}
          </select>
        </Space>
      ),
      onOk: () =>
        post(`/api/v1/services/orders/${o.id}/reschedule`, { date, time }).then(() => {
          showSuccess(t('services.rescheduled'));
          void reload();
        }, showError),
    });
  };
  return (
    <Card data-testid={`family-order-${o.no}`} style={{ marginBottom: 12, fontSize: 18 }}>
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
        <b style={{ fontSize: 22 }}>{o.itemName}</b>
        <Tag color={STATUS_COLORS[o.status]} style={{ fontSize: 16, padding: '2px 8px' }} data-testid="family-order-status">
          {t(`services.status.${o.status}`)}
        </Tag>
      </div>
      <div>
        {o.elderName} · {o.date} {o.time}
      </div>
      <div>
        {t('services.gov')} {yuan(o.govCents)} · {t('services.copay')} {yuan(o.copayCents)}
      </div>
      {o.providerName && (
        <div style={{ color: '#666' }}>
          {o.providerName}
          {o.caregiverName ? ` · ${t('services.caregiver')} ${o.caregiverName}` : ''}
        </div>
      )}
      {o.photoIds.length > 0 && (
        <div style={{ marginTop: 8 }} data-testid="family-order-photos">
          <div style={{ color: '#666', fontSize: 16 }}>{t('services.photos')}</div>
          <Space wrap>
            {o.photoIds.map((p) => (
              <a key={p} href={`/api/v1/services/orders/${o.id}/photos/${p}`} target="_blank" rel="noreferrer">
                <img src={`/api/v1/services/orders/${o.id}/photos/${p}`} alt={t('services.photos')} style={{ height: 110, borderRadius: 8 }} />
              </a>
            ))}
          </Space>
        </div>
      )}
      {o.status === 'completed' && o.rating == null && (
        <div style={{ marginTop: 8 }}>
          <Rate value={stars} onChange={setStars} style={{ fontSize: 34 }} data-testid="family-rate-stars" />
          <Button
            type="primary"
            size="large"
            style={{ marginLeft: 12, fontSize: 18 }}
            loading={rate.isPending}
            onClick={() => rate.mutate()}
            data-testid="family-rate"
          >
            {t('services.rateSubmit')}
          </Button>
        </div>
      )}
      {o.rating != null && <div data-testid="family-rated">{t('services.rated', { stars: o.rating })}</div>}
      <Space style={{ marginTop: 8 }} wrap>
        {['pending', 'dispatched', 'refused', 'accepted'].includes(o.status) && (
          <>
            <Button size="large" onClick={reschedule}>
              {t('services.reschedule')}
            </Button>
            <Button size="large" onClick={() => ask(t('services.cancelReason'), `/api/v1/services/orders/${o.id}/cancel`, 'reason', t('services.cancelled'))}>
              {t('services.cancel')}
            </Button>
          </>
        )}
        {['completed', 'in_service', 'accepted'].includes(o.status) && (
          <Button
            size="large"
            onClick={() =>
              ask(t('services.complainContent'), `/api/v1/services/orders/${o.id}/complaints`, 'content', t('services.complained'), { kind: 'other' })
            }
          >
            {t('services.complain')}
          </Button>
        )}
      </Space>
    </Card>
  );
}
