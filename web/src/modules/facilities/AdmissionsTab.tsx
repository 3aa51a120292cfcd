/** 入住轮候: choose a public home, see its live-ranked waiting list with the reason for each
 * place, file an application, offer beds, record acceptance or refusal. */
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Form, Input, Modal, Popconfirm, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { Table } from '../../kernel/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../kernel/api';
import { useMe } from '../../kernel/auth';
import { formatDate } from '../../kernel/format';
import { useLabels } from '../../kernel/meta';
import { showError, showSuccess } from '../../kernel/notify';
import type { Page } from '../../kernel/types';
import { LevelTag, useLevelName } from '../assessments/common';
import { FacilityDrawer } from './RegistryTab';
import { MANAGER_ROLES, type FacilityItem, type QueueEntry, type WaitingList } from './types';

const STANDING_COLOR = { priority: 'red', spare: 'blue', pending_assessment: 'default' } as const;

export function useHomes() {
  return useQuery({
    queryKey: ['facilities', 'homes'],
    queryFn: () => get<Page<FacilityItem>>('/api/v1/facilities', { admits: 'true', pageSize: 200 }),
  });
}

export function AdmissionsTab() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const labels = useLabels();
  const qc = useQueryClient();
  const homes = useHomes();
  const [home, setHome] = useState<string | undefined>();
  const [applying, setApplying] = useState(false);
  const [openFacility, setOpenFacility] = useState<string | null>(null);
  const homeId = home ?? homes.data?.items[0]?.id;
  const list = useQuery({
    queryKey: ['waiting-list', homeId],
    queryFn: () => get<WaitingList>(`/api/v1/facilities/${homeId}/waiting-list`),
    enabled: !!homeId,
  });
  const manager = MANAGER_ROLES.includes(me.role);
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['waiting-list'] });
    void qc.invalidateQueries({ queryKey: ['facilities'] });
    void qc.invalidateQueries({ queryKey: ['facility-beds'] });
    void qc.invalidateQueries({ queryKey: ['facility'] });
  };
  const offer = useMutation({
    mutationFn: (applicationId: string | undefined) =>
      post<{ respondBy: string }>(`/api/v1/facilities/${homeId}/offers`, applicationId ? { applicationId } : {}),
    onSuccess: (o) => {
      showSuccess(t('facilities.adm.offered', { date: formatDate(o.respondBy) }));
      refresh();
    },
    onError: showError,
  });
  const answer = useMutation({
    mutationFn: ({ id, accept }: { id: string; accept: boolean }) => post(`/api/v1/admission-offers/${id}/${accept ? 'accept' : 'decline'}`, {}),
    onSuccess: (_r, v) => {
      showSuccess(t(v.accept ? 'facilities.adm.accepted' : 'facilities.adm.declined'));
      refresh();
    },
    onError: (e) => {
      showError(e);
      refresh();
    },
  });
  const withdraw = useMutation({
    mutationFn: (id: string) => post(`/api/v1/admissions/${id}/withdraw`, {}),
    onSuccess: () => {
      showSuccess(t('facilities.adm.withdrawn'));
      refresh();
    },
    onError: showError,
  });
  const wl = list.data;
  return (
    <Card>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          style={{ width: 320 }}
          placeholder={t('facilities.adm.chooseHome')}
          value={homeId}
          onChange={setHome}
          loading={homes.isLoading}
          options={homes.data?.items.map((h) => ({ value: h.id, label: h.name }))}
          data-testid="home-select"
          showSearch
          optionFilterProp="label"
        />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setApplying(true)} data-testid="apply-open">
          {t('facilities.adm.apply')}
        </Button>
        {manager && homeId && (
          <Button onClick={() => offer.mutate(undefined)} loading={offer.isPending} data-testid="offer-next">
            {t('facilities.adm.offerNext')}
          </Button>
        )}
        {homeId && <Typography.Link onClick={() => setOpenFacility(homeId)}>{t('facilities.detail.bedsTitle')}</Typography.Link>}
      </Space>
      {wl && (
        <Alert
          style={{ marginBottom: 12 }}
          type="info"
          message={
            <span data-testid="rule-info">
              {wl.rule.version > 0
                ? t('facilities.adm.rule', { version: wl.rule.version, from: formatDate(wl.rule.validFrom) })
                : t('facilities.adm.ruleDefault')}
              ；{t('facilities.adm.beds', { beds: wl.beds, free: wl.freeBeds, offers: wl.openOffers })}
            </span>
          }
          description={wl.rule.note}
        />
      )}
      <Table<QueueEntry>
        rowKey="applicationId"
        size="middle"
        loading={list.isFetching}
        dataSource={wl?.entries}
        pagination={false}
        locale={{ emptyText: t('facilities.adm.empty') }}
        onRow={(r) => ({ 'data-testid': `queue-row-${r.applicationId}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('facilities.adm.rank'), dataIndex: 'rank', width: 70, render: (v: number | null) => <b data-testid="queue-rank">{v ?? '—'}</b> },
          { title: t('facilities.adm.name'), dataIndex: 'name', render: (v: string) => <span data-testid="queue-name">{v}</span> },
          { title: t('facilities.col.region'), dataIndex: 'regionName' },
          { title: t('facilities.adm.ageCol'), dataIndex: 'age', render: (v: number | null) => (v == null ? '—' : t('facilities.adm.age', { age: v })) },
          { title: t('facilities.detail.ability'), dataIndex: 'ability', render: (v: string | null) => <AbilityCell value={v} /> },
          {
            title: t('facilities.adm.reason'),
            className: 'yl-wrap',
            width: 340,
            render: (_, r) => (
              <div data-testid="queue-reason">
                <Tag color={STANDING_COLOR[r.standing]}>{t(`facilities.adm.standing.${r.standing}`)}</Tag>
                {i18n.language === 'en' ? r.reasonEn : r.reason}
                <div>
                  {r.categories.map((c) => (
                    <Tag key={c} bordered={false}>
                      {labels.category(c)}
                    </Tag>
                  ))}
                </div>
              </div>
            ),
          },
          { title: t('facilities.adm.appliedOn'), dataIndex: 'appliedOn', render: (v: string) => formatDate(v), width: 110 },
          {
            title: '',
            width: 230,
            render: (_, r) => (
              <Space wrap>
                {r.offer ? (
                  <>
                    <Tag color="gold">{t('facilities.adm.respondBy', { date: formatDate(r.offer.respondBy) })}</Tag>
                    {manager && (
                      <>
                        <Button
                          size="small"
                          type="primary"
                          data-testid="offer-accept"
                          loading={answer.isPending}
                          onClick={() => answer.mutate({ id: r.offer!.id, accept: true })}
                        >
                          {t('facilities.adm.accept')}
                        </Button>
                        <Popconfirm title={t('facilities.adm.decline')} onConfirm={() => answer.mutate({ id: r.offer!.id, accept: false })}>
                          <Button size="small">{t('facilities.adm.decline')}</Button>
                        </Popconfirm>
                      </>
                    )}
                  </>
                ) : (
                  manager &&
                  r.offerable && (
                    <Button size="small" type="primary" ghost data-testid="offer-make" onClick={() => offer.mutate(r.applicationId)}>
                      {t('facilities.adm.offer')}
                    </Button>
                  )
                )}
                {r.elderId && (
                  <Popconfirm title={t('facilities.adm.withdraw')} onConfirm={() => withdraw.mutate(r.applicationId)}>
                    <Button size="small" type="link">
                      {t('facilities.adm.withdraw')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      <ApplyDialog open={applying} onClose={() => setApplying(false)} homeId={homeId} homes={homes.data?.items ?? []} onDone={refresh} />
      <FacilityDrawer id={openFacility} onClose={() => setOpenFacility(null)} />
    </Card>
  );
}

interface ApplyValues {
  elderId: string;
  facilityId: string;
  applicant: 'elder' | 'family' | 'village_worker';
  applicantName?: string;
  appliedOn?: Dayjs;
}

function ApplyDialog({
  open,
  onClose,
  homeId,
  homes,
  onDone,
}: {
  open: boolean;
  onClose: () => void;
  homeId?: string;
  homes: FacilityItem[];
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const [form] = Form.useForm<ApplyValues>();
  const [q, setQ] = useState('');
  const elders = useQuery({
    queryKey: ['elders', 'apply-search', q],
    queryFn: () => get<Page<{ id: string; name: string; age: number; regionName: string | null }>>('/api/v1/elders', { q, pageSize: 10, status: 'active' }),
    enabled: q.trim().length > 0,
  });
  const m = useMutation({
    mutationFn: (v: ApplyValues) =>
      post('/api/v1/admissions', {
        elderId: v.elderId,
        facilityId: v.facilityId,
        applicant: v.applicant,
        applicantName: v.applicantName || null,
        appliedOn: v.appliedOn ? v.appliedOn.format('YYYY-MM-DD') : undefined,
      }),
    onSuccess: () => {
      showSuccess(t('facilities.adm.applied'));
      form.resetFields();
      onDone();
      onClose();
    },
    onError: showError,
  });
  return (
    <Modal open={open} title={t('facilities.adm.apply')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={m.isPending} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => m.mutate(v)}
        initialValues={{ facilityId: homeId, applicant: me.role === 'village_worker' ? 'village_worker' : 'elder', appliedOn: dayjs() }}
        data-testid="apply-form"
      >
        <Form.Item name="elderId" label={t('facilities.adm.elder')} rules={[{ required: true, message: t('facilities.form.required') }]}>
          <Select
            showSearch
            filterOption={false}
            onSearch={setQ}
            placeholder={t('facilities.adm.elderSearch')}
            loading={elders.isFetching}
            data-testid="apply-elder"
            options={elders.data?.items.map((e) => ({ value: e.id, label: `${e.name}（${e.age}岁，${e.regionName ?? ''}）` }))}
          />
        </Form.Item>
        <Form.Item name="facilityId" label={t('facilities.adm.home')} rules={[{ required: true, message: t('facilities.form.required') }]}>
          <Select options={homes.map((h) => ({ value: h.id, label: h.name }))} data-testid="apply-home" />
        </Form.Item>
        <Space wrap>
          <Form.Item name="applicant" label={t('facilities.adm.applicant')}>
            <Select
              style={{ width: 220 }}
              options={(['elder', 'family', 'village_worker'] as const).map((k) => ({ value: k, label: t(`facilities.adm.applicantKind.${k}`) }))}
            />
          </Form.Item>
          <Form.Item name="applicantName" label={t('facilities.adm.applicantName')}>
            <Input maxLength={60} style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="appliedOn" label={t('facilities.adm.appliedOn')}>
            <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

/** "GB/T 42195-2022 2级" as the server presents it → the level's tag with its Chinese name
 * (the standard's code is in the tooltip, not in the cell). */
function AbilityCell({ value }: { value: string | null }) {
  const levelName = useLevelName();
  const m = value ? /^(.*)\s(\d+)级$/.exec(value) : null;
  if (!m) return <>{value ?? '—'}</>;
  const level = Number(m[2]);
  return (
    <Tooltip title={m[1]}>
      <span>
        <LevelTag level={level} name={levelName(m[1], level)} />
      </span>
    </Tooltip>
  );
}
