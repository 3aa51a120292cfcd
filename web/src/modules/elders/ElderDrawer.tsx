/** One elder, masked, in tabs: basic information (edit; “查看完整信息” asks for a reason and shows
 * the unmasked record, audited), categories, life events, assessments and history. */
import { EyeOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Drawer, Form, Grid, Input, Modal, Skeleton, Tabs } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../kernel/api';
import { useMe } from '../../kernel/auth';
import { LoadError } from '../../kernel/components/FullPage';
import { ElderBenefits } from '../benefits/ElderBenefits';
import { AssessmentsTab } from './AssessmentsTab';
import { BasicTab } from './BasicTab';
import { CategoriesTab } from './CategoriesTab';
import { EventsTab } from './EventsTab';
import { HistoryTab } from './HistoryTab';
import { WRITER_ROLES, type ElderDetail } from './types';

export function ElderDrawer({ id, onClose, onAssess }: { id: string | null; onClose: () => void; onAssess: (elderId: string) => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const screens = Grid.useBreakpoint();
  const [revealed, setRevealed] = useState<ElderDetail | null>(null);
  const [asking, setAsking] = useState(false);
  const [tab, setTab] = useState('basic');
  const writer = WRITER_ROLES.includes(me.role);
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
    setTab('basic');
  }, [id]);

  // A change re-reads the masked record; the unmasked one is not kept past it.
  const changed = () => {
    setRevealed(null);
    void detail.refetch();
    void qc.invalidateQueries({ queryKey: ['elders'] });
    void qc.invalidateQueries({ queryKey: ['due'] });
    void qc.invalidateQueries({ queryKey: ['elder-history', id] });
  };

  const e = revealed ?? detail.data;

  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      width={screens.md ? 760 : '100%'}
      title={e ? `${t('elders.detailTitle')} · ${e.name}` : t('elders.detailTitle')}
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
      {e && id && (
        <Tabs
          activeKey={tab}
          onChange={setTab}
          destroyOnHidden
          items={[
            {
              key: 'basic',
              label: <span data-testid="elder-tab-basic">{t('elders.tabs.basic')}</span>,
              children: <BasicTab elder={e} writer={writer} onChanged={changed} />,
            },
            {
              key: 'categories',
              label: <span data-testid="elder-tab-categories">{t('elders.tabs.categories')}</span>,
              children: <CategoriesTab elder={e} writer={writer} onChanged={changed} />,
            },
            ...(writer
              ? [
                  {
                    key: 'events',
                    label: <span data-testid="elder-tab-events">{t('elders.tabs.events')}</span>,
                    children: <EventsTab elder={e} onChanged={changed} />,
                  },
                ]
              : []),
            {
              key: 'assessments',
              label: <span data-testid="elder-tab-assessments">{t('elders.tabs.assessments')}</span>,
              children: <AssessmentsTab elder={e} onAssess={() => onAssess(e.id)} />,
            },
            ...(WRITER_ROLES.includes(me.role)
              ? [
                  {
                    key: 'benefits',
                    label: <span data-testid="elder-tab-benefits">{t('benefits.elderTab.title')}</span>,
                    children: <ElderBenefits elderId={e.id} />,
                  },
                ]
              : []),
            {
              key: 'history',
              label: <span data-testid="elder-tab-history">{t('elders.tabs.history')}</span>,
              children: <HistoryTab elderId={e.id} />,
            },
          ]}
        />
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
