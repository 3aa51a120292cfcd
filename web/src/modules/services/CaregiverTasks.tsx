/** The caregiver's phone: today's tasks, check-in and check-out with the phone's location, what
 * was done, the elder's confirmation and photos. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Checkbox, Empty, Input, Space, Spin, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get, post } from '../../kernel/api';
import { useLang } from '../../kernel/i18n';
import { showSuccess } from '../../kernel/notify';
import './locale';
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
    </div>
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
  const checkIn = useMutation({
    mutationFn: () => withLocation((at) => post<{ distanceM: number | null }>(`/api/v1/services/orders/${o.id}/check-in`, at)),
    onSuccess: (r) => {
      showSuccess(t('services.checkedIn', { m: r.distanceM ?? '—' }));
      void reload();
    },
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
      {o.elderPhone && (
        <a href={`tel:${o.elderPhone}`} style={{ fontSize: 16 }}>
          {t('services.call')} {o.elderPhone}
        </a>
      )}
      {o.flags.length > 0 && (
        <div style={{ marginTop: 6 }}>
          {o.flags.map((f) => (
            <Tag color="red" key={f.code} data-testid="task-flag">
              {lang === 'en' ? f.labelEn : f.label}
            </Tag>
          ))}
        </div>
      )}
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
          <label style={{ display: 'block' }}>
            {t('services.photo')}：
            <input
              type="file"
              accept="image/jpeg,image/png,image/webp"
              capture="environment"
              data-testid="task-photo"
              onChange={(e) => e.target.files?.[0] && upload.mutate(e.target.files[0])}
            />
          </label>
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
      {o.photoIds.length > 0 && <div style={{ color: '#888', marginTop: 6 }}>📷 × {o.photoIds.length}</div>}
    </Card>
  );
}
