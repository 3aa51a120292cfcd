/** 生活事件: record a death, moving out or back, a change of residence, or a health change that
 * asks for an immediate reassessment; below, the events recorded so far. */
import { useMutation, useQuery } from '@tanstack/react-query';
import { App, Button, DatePicker, Form, Input, List, Select, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ApiError, get, post } from '../../kernel/api';
import { RegionTreeSelect } from '../../kernel/components/RegionTreeSelect';
import { formatDate } from '../../kernel/format';
import { showError, showSuccess } from '../../kernel/notify';
import { regionLevel } from '../../kernel/types';
import { placeFieldErrors } from './forms';
import { EVENT_KINDS, type ElderDetail, type EventKind, type HistoryItem } from './types';

interface Values {
  kind: EventKind;
  date: Dayjs;
  regionCode?: string;
  sourceDoc?: string;
  note?: string;
}

/** Which events the record's status allows (the server answers 409 WRONG_STATE otherwise). */
const ALLOWED: Record<string, EventKind[]> = {
  active: ['death', 'move_out', 'residence_change', 'health_change'],
  moved_out: ['move_in', 'death'],
  deceased: [],
};

export function useHistory(elderId: string) {
  return useQuery({
    queryKey: ['elder-history', elderId],
    queryFn: () => get<{ elderId: string; items: HistoryItem[] }>(`/api/v1/elders/${elderId}/history`),
    gcTime: 0,
  });
}

export function EventsTab({ elder: e, onChanged }: { elder: ElderDetail; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const { modal } = App.useApp();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form);
  const history = useHistory(e.id);
  const allowed = ALLOWED[e.status] ?? [];

  const record = useMutation({
    meta: { silent: true },
    mutationFn: (v: Values) =>
      post<ElderDetail>(`/api/v1/elders/${e.id}/events`, {
        kind: v.kind,
        date: v.date.format('YYYY-MM-DD'),
        regionCode: v.kind === 'residence_change' ? v.regionCode : undefined,
        sourceDoc: v.sourceDoc?.trim() || null,
        note: v.note?.trim() || null,
      }),
    onSuccess: () => {
      showSuccess(t('elders.events.done'));
      form.resetFields();
      void history.refetch();
      onChanged();
    },
    onError: (err) => {
      if (!(err instanceof ApiError) || !placeFieldErrors(form, err, i18n.language, ['kind', 'date', 'regionCode', 'sourceDoc', 'note'])) showError(err);
    },
  });

  const submit = (v: Values) =>
    modal.confirm({
      title: t('common.confirmTitle'),
      content: t('elders.events.confirm', { kind: t(`elders.events.kinds.${v.kind}`) }),
      okButtonProps: { danger: v.kind === 'death' || v.kind === 'move_out' },
      onOk: () => record.mutateAsync(v).catch(() => undefined),
    });

  const events = (history.data?.items ?? []).filter((h) => h.source === 'event' && (EVENT_KINDS as readonly string[]).includes(h.kind));

  return (
    <>
      <Typography.Title level={5}>{t('elders.events.title')}</Typography.Title>
      <Form<Values> form={form} layout="vertical" onFinish={submit} initialValues={{ date: dayjs() }} disabled={!allowed.length} data-testid="event-form">
        <Form.Item name="kind" label={t('elders.events.kind')} rules={[{ required: true, message: t('common.required') }]}>
          <Select
            data-testid="event-kind"
            options={EVENT_KINDS.map((k) => ({ value: k, label: t(`elders.events.kinds.${k}`), disabled: !allowed.includes(k) }))}
          />
        </Form.Item>
        <Form.Item name="date" label={t('elders.events.date')} rules={[{ required: true, message: t('common.required') }]}>
          <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day') || d.isBefore(dayjs(e.birthDate), 'day')} />
        </Form.Item>
        {kind === 'residence_change' && (
          <Form.Item
            name="regionCode"
            label={t('elders.events.region')}
            extra={t('elders.reg.residenceHelp')}
            rules={[
              { required: true, message: t('elders.reg.villageOnly') },
              { validator: (_, v?: string) => (!v || regionLevel(v) === 5 ? Promise.resolve() : Promise.reject(new Error(t('elders.reg.villageOnly')))) },
            ]}
          >
            <RegionTreeSelect selectableLevel={5} style={{ width: '100%' }} />
          </Form.Item>
        )}
        <Form.Item name="sourceDoc" label={t('elders.events.sourceDoc')} rules={[{ max: 100 }]}>
          <Input maxLength={100} placeholder={t('elders.reg.sourceDocPlaceholder')} />
        </Form.Item>
        <Form.Item name="note" label={t('elders.events.note')} rules={[{ max: 500 }]}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={record.isPending} data-testid="event-submit">
          {t('elders.events.submit')}
        </Button>
      </Form>
      <List
        style={{ marginTop: 24 }}
        size="small"
        header={<strong>{t('elders.events.recent')}</strong>}
        loading={history.isPending}
        dataSource={events}
        locale={{ emptyText: t('common.noData') }}
        renderItem={(h) => {
          const d = (h.detail ?? {}) as { note?: string | null };
          return (
            <List.Item>
              <span>
                <Tag>{formatDate(h.date)}</Tag>
                {t(`elders.events.kinds.${h.kind}`, h.kind)}
                {d.note ? ` — ${d.note}` : ''}
              </span>
              <Typography.Text type="secondary">{h.actorName}</Typography.Text>
            </List.Item>
          );
        }}
      />
    </>
  );
}
