/** One elder, masked; "查看完整信息" asks for a reason and shows the unmasked record (audited). */
import { EyeOutlined, LockOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Drawer, Form, Grid, Input, Modal, Skeleton, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../kernel/api';
import { LoadError } from '../../kernel/components/FullPage';
import { formatDate } from '../../kernel/format';
import { useLabels } from '../../kernel/meta';
import { STATUS_COLORS, type ElderDetail } from './types';

export function ElderDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const screens = Grid.useBreakpoint();
  const [revealed, setRevealed] = useState<ElderDetail | null>(null);
  const [asking, setAsking] = useState(false);
  const detail = useQuery({
    queryKey: ['elder', id],
    queryFn: () => get<ElderDetail>(`/api/v1/elders/${id}`),
    enabled: !!id,
    // Never keep someone's record around longer than the drawer is open.
    gcTime: 0,
  });

  useEffect(() => {
    setRevealed(null);
    setAsking(false);
  }, [id]);

  const e = revealed ?? detail.data;
  const mono = (v: string | null | undefined) => <span style={{ fontFamily: 'monospace' }}>{v || '—'}</span>;

  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      width={screens.md ? 560 : '100%'}
      title={t('elders.detailTitle')}
      destroyOnHidden
      data-testid="elder-drawer"
      extra={
        e?.masked ? (
          <Button type="primary" icon={<EyeOutlined />} onClick={() => setAsking(true)} data-testid="elder-reveal">
            {t('elders.reveal')}
          </Button>
        ) : null
      }
    >
      {detail.isError && <LoadError error={detail.error} onRetry={() => void detail.refetch()} />}
      {!e && detail.isPending && <Skeleton active />}
      {e && (
        <>
          {!e.masked && <Alert type="warning" showIcon message={t('elders.revealed')} style={{ marginBottom: 16 }} data-testid="elder-revealed" />}
          <Descriptions
            column={1}
            size="small"
            bordered
            styles={{ label: { width: 140 } }}
            title={
              <span>
                {e.name}{' '}
                {e.masked ? (
                  <Tag icon={<LockOutlined />} color="default">
                    {t('elders.masked')}
                  </Tag>
                ) : (
                  <Tag color="red">{t('elders.unmasked')}</Tag>
                )}
              </span>
            }
            items={[
              { key: 'sex', label: t('elders.sex'), children: t(`elders.sexes.${e.sex}`) },
              { key: 'age', label: t('elders.age'), children: t('elders.ageValue', { age: e.age }) },
              { key: 'birth', label: t('elders.birthDate'), children: formatDate(e.birthDate) },
              { key: 'id', label: t('elders.idNumber'), children: <span data-testid="elder-idnumber">{mono(e.idNumber)}</span> },
              { key: 'phone', label: t('elders.phone'), children: mono(e.phone) },
              { key: 'address', label: t('elders.address'), children: e.address || '—' },
              { key: 'region', label: t('elders.region'), children: [e.townshipName, e.regionName].filter(Boolean).join(' / ') || e.regionCode },
              { key: 'hukou', label: t('elders.hukou'), children: mono(e.hukouRegionCode) },
              {
                key: 'living',
                label: t('elders.livingArrangement'),
                children: e.livingArrangement ? t(`elders.living.${e.livingArrangement}`, e.livingArrangement) : '—',
              },
              {
                key: 'cats',
                label: t('elders.categories'),
                children: e.categories.length ? e.categories.map((c) => <Tag key={c}>{labels.category(c)}</Tag>) : '—',
              },
              { key: 'status', label: t('elders.status'), children: <Tag color={STATUS_COLORS[e.status]}>{t(`elders.statuses.${e.status}`, e.status)}</Tag> },
              ...(e.deathDate ? [{ key: 'death', label: t('elders.deathDate'), children: formatDate(e.deathDate) }] : []),
            ]}
          />
        </>
      )}
      {id && <RevealModal id={id} open={asking} onClose={() => setAsking(false)} onRevealed={(d) => setRevealed(d)} />}
    </Drawer>
  );
}

function RevealModal({ id, open, onClose, onRevealed }: { id: string; open: boolean; onClose: () => void; onRevealed: (d: ElderDetail) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const reveal = useMutation({
    mutationFn: (reason: string) => post<ElderDetail>(`/api/v1/elders/${id}/reveal`, { reason }),
    onSuccess: (d) => {
      onRevealed(d);
      form.resetFields();
      onClose();
    },
  });
  return (
    <Modal
      open={open}
      title={t('elders.revealTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.ok')}
      confirmLoading={reveal.isPending}
      destroyOnHidden
      wrapProps={{ 'data-testid': 'reveal-modal' }}
    >
      <Alert type="info" showIcon message={t('elders.revealHint')} style={{ marginBottom: 16 }} />
      <Form form={form} layout="vertical" onFinish={(v) => reveal.mutate(v.reason.trim())}>
        <Form.Item name="reason" label={t('elders.reason')} rules={[{ required: true, whitespace: true, min: 2, message: t('elders.reasonRequired') }]}>
          <Input.TextArea rows={3} maxLength={200} showCount placeholder={t('elders.reasonPlaceholder')} data-testid="reveal-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
