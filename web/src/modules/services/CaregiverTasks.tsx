/** The caregiver's phone: today's tasks, check-in and check-out with the phone's location, what
 * was done, the elder's confirmation and photos; a map link for each address and the week ahead.
 * A check-in far from the address is not taken silently: the caregiver sees the distance and
 * gives a reason, which the server requires and keeps with the check-in. */
import { CameraOutlined, EnvironmentOutlined, PhoneOutlined, WarningOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Empty, Input, Modal, Space, Spin, Tag, Upload, type ButtonProps } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, get, post } from '../../kernel/api';
import { useLang } from '../../kernel/i18n';
import { showError, showSuccess } from '../../kernel/notify';
import type { Page } from '../../kernel/types';
import './locale';
import './phone.locale';
import { STATUS_COLORS, type Order } from './types';

function here(): Promise<{ lat: number; lng: number }> {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) return reject(new Error('no geolocation'));
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, lng: p.coords.longitude }),
      (e) => reject(new Error(e.message)),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 30_000 },
    );
  });
}

export function CaregiverTasks() {
  const { t } = useTranslation();
  const tasks = useQuery({ queryKey: ['services-tasks'], queryFn: () => get<{ date: string; items: Order[] }>('/api/v1/services/caregiver/tasks') });
  if (tasks.isLoading) return <Spin />;
  const items = tasks.data?.items ?? [];
  return (
    <div style={{ maxWidth: 560, margin: '0 auto' }}>
      <h2 style={{ fontSize: 22, margin: '8px 0 0' }} data-testid="page-title">
        {t('services.tasksTitle')}
      </h2>
      <p style={{ color: '#666' }}>{t('services.tasksSub', { date: tasks.data?.date ?? '', n: items.length })}</p>
      {items.length === 0 ? <Empty description={t('services.noTasks')} /> : items.map((o) => <TaskCard key={o.id} o={o} />)}
      {tasks.data && <Week today={tasks.data.date} />}
    </div>
  );
}

/** A link that opens the address in the phone's map app (高德 URI; the web page offers the app). */
export function mapUrl(o: Pick<Order, 'lat' | 'lng' | 'address' | 'elderName'>): string | null {
  if (o.lat != null && o.lng != null)
    return `https://uri.amap.com/marker?position=${o.lng},${o.lat}&name=${encodeURIComponent(o.address ?? o.elderName)}&coordinate=wgs84&callnative=1`;
  return o.address ? `https://uri.amap.com/search?keyword=${encodeURIComponent(o.address)}&callnative=1` : null;
}

/** The next seven days after today, one line per visit, grouped by day. */
function Week({ today }: { today: string }) {
  const { t } = useTranslation();
  const from = dayjs(today).add(1, 'day').format('YYYY-MM-DD');
  const to = dayjs(today).add(7, 'day').format('YYYY-MM-DD');
  const week = useQuery({
    queryKey: ['services-tasks-week', from, to],
    queryFn: () => get<Page<Order>>('/api/v1/services/orders', { from, to, pageSize: 200 }),
  });
  const days = (week.data?.items ?? [])
    .filter((o) => ['accepted', 'in_service', 'completed'].includes(o.status))
    .sort((a, b) => `${a.date} ${a.time}`.localeCompare(`${b.date} ${b.time}`))
    .reduce<Record<string, Order[]>>((acc, o) => ({ ...acc, [o.date]: [...(acc[o.date] ?? []), o] }), {});
  const names = t('services.phone.weekdays').split(',');
  return (
    <Card title={<span style={{ fontSize: 18 }}>{t('services.phone.week')}</span>} style={{ marginTop: 16 }} data-testid="task-week">
      {week.isLoading ? (
        <Spin />
      ) : !Object.keys(days).length ? (
        <div style={{ color: '#666' }}>{t('services.phone.weekNone')}</div>
      ) : (
        Object.entries(days).map(([date, list]) => (
          <div key={date} style={{ marginBottom: 10 }} data-testid={`task-week-${date}`}>
            <div style={{ fontWeight: 600, fontSize: 16, borderBottom: '1px solid #f0f0f0', paddingBottom: 2 }}>
              {dayjs(date).format('M月D日')} {names[dayjs(date).day()]}
            </div>
            {list.map((o) => (
              <div key={o.id} style={{ display: 'flex', gap: 8, fontSize: 16, padding: '4px 0' }}>
                <span style={{ width: 48, flex: 'none' }}>{o.time}</span>
                <span style={{ flex: 1 }}>
                  {o.itemName} · {o.elderName}
                  {o.address && <div style={{ color: '#666', fontSize: 14 }}>{o.address}</div>}
                </span>
              </div>
            ))}
          </div>
        ))
      )}
    </Card>
  );
}

function TaskCard({ o }: { o: Order }) {
  const { t } = useTranslation();
  const lang = useLang();
  const qc = useQueryClient();
  const [locating, setLocating] = useState(false);
  const [work, setWork] = useState('');
  const [notes, setNotes] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const reload = () => qc.invalidateQueries({ queryKey: ['services-tasks'] });
  const withLocation = async <T,>(fn: (at: { lat: number; lng: number }) => Promise<T>) => {
    setLocating(true);
    try {
      const at = await here().catch(() => {
        throw new Error(t('services.noLocation'));
      });
      return await fn(at);
    } finally {
      setLocating(false);
    }
  };
  // A check-in the server finds too far comes back asking for a reason: the same place is sent
  // again with it.
  const [far, setFar] = useState<{ at: { lat: number; lng: number }; message: string } | null>(null);
  const [reason, setReason] = useState('');
  const checkIn = useMutation({
    meta: { silent: true },
    mutationFn: async (again?: { at: { lat: number; lng: number }; reason: string }) => {
      if (again) return post<{ distanceM: number | null }>(`/api/v1/services/orders/${o.id}/check-in`, { ...again.at, reason: again.reason });
      return withLocation(async (at) => {
        try {
          return await post<{ distanceM: number | null }>(`/api/v1/services/orders/${o.id}/check-in`, at);
        } catch (e) {
          if (e instanceof ApiError && e.code === 'CHECKIN_REASON_REQUIRED') {
            setReason('');
            setFar({ at, message: e.text(lang) });
            return null;
          }
          throw e;
        }
      });
    },
    onSuccess: (r) => {
      if (!r) return;
      setFar(null);
      showSuccess(t('services.checkedIn', { m: r.distanceM?.toLocaleString('en-US') ?? '—' }));
      void reload();
    },
    onError: showError,
  });
  const checkOut = useMutation({
    mutationFn: () =>
      withLocation((at) =>
        post(`/api/v1/services/orders/${o.id}/check-out`, { ...at, workDone: work.trim() || o.itemName, notes: notes || null, elderConfirmed: confirmed }),
      ),
    onSuccess: () => {
      showSuccess(t('services.checkedOut'));
      void reload();
    },
  });
  const upload = useMutation({
    mutationFn: (f: File) => {
      const fd = new FormData();
      fd.append('file', f);
      return api(`/api/v1/services/orders/${o.id}/photos`, { method: 'POST', body: fd });
    },
    onSuccess: () => {
      showSuccess(t('services.photoAdded'));
      void reload();
    },
  });
  return (
    <Card data-testid={`task-${o.no}`} style={{ marginBottom: 12 }} styles={{ body: { padding: 14 } }}>
      <div style={{ display: 'flex', justifyContent: 'space-between', fontSize: 18 }}>
        <b>
          {o.time} {o.itemName}
        </b>
        <Tag color={STATUS_COLORS[o.status]} data-testid="task-status">
          {t(`services.status.${o.status}`)}
        </Tag>
      </div>
      <div style={{ fontSize: 17, marginTop: 4 }}>{o.elderName}</div>
      <div style={{ color: '#555' }}>
        {t('services.navigate')}：{o.address ?? '—'}
      </div>
      <Space wrap style={{ marginTop: 4 }}>
        {mapUrl(o) && (
          <Button href={mapUrl(o)!} target="_blank" rel="noreferrer" icon={<EnvironmentOutlined />} data-testid="task-map">
            {t('services.phone.map')}
          </Button>
        )}
        {o.elderPhone && (
          <Button href={`tel:${o.elderPhone}`} icon={<PhoneOutlined />}>
            {t('services.call')} {o.elderPhone}
          </Button>
        )}
      </Space>
      {o.flags.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 8 }}
          data-testid="task-flags"
          message={o.flags.map((f) => (lang === 'en' ? f.labelEn : f.label)).join('；')}
          description={
            <>
              {o.checkinDistanceM != null && <div>{t('services.checkedIn', { m: o.checkinDistanceM.toLocaleString('en-US') })}</div>}
              {t('services.phone.flagged')}
            </>
          }
        />
      )}
      <Modal
        open={!!far}
        title={
          <span style={{ color: '#cf1322' }}>
            <WarningOutlined /> {t('services.phone.farTitle')}
          </span>
        }
        okText={t('services.phone.farSubmit')}
        cancelText={t('services.phone.farCancel')}
        okButtonProps={{ danger: true, disabled: !reason.trim(), loading: checkIn.isPending, 'data-testid': 'checkin-reason-submit' } as ButtonProps}
        onOk={() => far && checkIn.mutate({ at: far.at, reason: reason.trim() })}
        onCancel={() => setFar(null)}
        destroyOnHidden
      >
        <Alert type="error" showIcon message={<b style={{ fontSize: 16 }}>{far?.message}</b>} description={t('services.phone.farHint')} />
        <Input.TextArea
          autoFocus
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={t('services.phone.farReason')}
          maxLength={200}
          rows={3}
          style={{ marginTop: 12, fontSize: 16 }}
          data-testid="checkin-reason"
        />
      </Modal>
      {o.status === 'accepted' && (
        <Button
          type="primary"
          size="large"
          block
          style={{ marginTop: 10, height: 48 }}
          loading={checkIn.isPending || locating}
          onClick={() => checkIn.mutate()}
          data-testid="task-checkin"
        >
          {t('services.checkIn')}
        </Button>
      )}
      {o.status === 'in_service' && (
        <Space direction="vertical" style={{ width: '100%', marginTop: 10 }}>
          <Input.TextArea
            placeholder={t('services.workDone')}
            value={work}
            onChange={(e) => setWork(e.target.value)}
            data-testid="task-work"
            maxLength={1000}
          />
          <Input.TextArea placeholder={t('services.workNotes')} value={notes} onChange={(e) => setNotes(e.target.value)} maxLength={1000} />
          <Checkbox checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} data-testid="task-confirmed" style={{ fontSize: 16 }}>
            {t('services.elderConfirmed')}
          </Checkbox>
          <Upload
            accept="image/jpeg,image/png,image/webp"
            capture="environment"
            showUploadList={false}
            customRequest={({ file, onSuccess, onError }) =>
              upload.mutate(file as File, { onSuccess: () => onSuccess?.(null), onError: (e) => onError?.(e as Error) })
            }
            data-testid="task-photo"
          >
            <Button size="large" icon={<CameraOutlined />} loading={upload.isPending} block>
              {t('services.photo')}
            </Button>
          </Upload>
          <Button
            type="primary"
            size="large"
            block
            style={{ height: 48 }}
            loading={checkOut.isPending || locating}
            onClick={() => checkOut.mutate()}
            data-testid="task-checkout"
          >
            {t('services.checkOut')}
          </Button>
        </Space>
      )}
      {o.photoIds.length > 0 && (
        <div style={{ color: '#555', marginTop: 6 }} data-testid="task-photo-count">
          <CameraOutlined /> {t('services.phone.photoCount', { n: o.photoIds.length })}
        </div>
      )}
    </Card>
  );
}
