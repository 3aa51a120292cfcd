/** 设施名录: the list of facilities, registration, and the detail drawer with beds by room. */
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Button,
  Card,
  Checkbox,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Rate,
  Select,
  Space,
  Spin,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { Table } from '../../kernel/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, patch, post } from '../../kernel/api';
import { useMe } from '../../kernel/auth';
import { RegionTreeSelect } from '../../kernel/components/RegionTreeSelect';
import { formatDate } from '../../kernel/format';
import { showError, showSuccess } from '../../kernel/notify';
import type { Page } from '../../kernel/types';
import { FUNCTIONS, KINDS, MANAGER_ROLES, type Bed, type FacilityDetail, type FacilityItem } from './types';

const STATUS_COLOR: Record<string, string> = { operating: 'green', planned: 'blue', suspended: 'orange', closed: 'default' };

export function RegistryTab() {
  const { t } = useTranslation();
  const me = useMe();
  const [kind, setKind] = useState<string | undefined>();
  const [q, setQ] = useState('');
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [openId, setOpenId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const query = { kind, q: q.trim() || undefined, ...paging };
  const list = useQuery({
    queryKey: ['facilities', query],
    queryFn: () => get<Page<FacilityItem>>('/api/v1/facilities', query),
    placeholderData: keepPreviousData,
  });
  return (
    <Card>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          placeholder={t('facilities.filterKind')}
          style={{ width: 220 }}
          value={kind}
          onChange={(v) => {
            setKind(v);
            setPaging((p) => ({ ...p, page: 1 }));
          }}
          options={KINDS.map((k) => ({ value: k, label: t(`facilities.kind.${k}`) }))}
          data-testid="facility-kind-filter"
        />
        <Input.Search allowClear placeholder={t('facilities.search')} onSearch={(v) => setQ(v)} style={{ width: 240 }} data-testid="facility-search" />
        {MANAGER_ROLES.includes(me.role) && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('facilities.create')}
          </Button>
        )}
      </Space>
      <Table<FacilityItem>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items}
        scroll={{ x: 1000 }}
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: list.data?.total,
          showSizeChanger: true,
          onChange: (page, pageSize) => setPaging({ page, pageSize }),
        }}
        columns={[
          {
            title: t('facilities.col.name'),
            dataIndex: 'name',
            render: (v: string, r) => (
              <Typography.Link onClick={() => setOpenId(r.id)} data-testid="facility-name">
                {v}
              </Typography.Link>
            ),
          },
          { title: t('facilities.col.kind'), dataIndex: 'kind', render: (v: string) => t(`facilities.kind.${v}`) },
          { title: t('facilities.col.ownership'), dataIndex: 'ownership', render: (v: string) => t(`facilities.ownership.${v}`) },
          { title: t('facilities.col.region'), render: (_, r) => [r.townshipName, r.regionName].filter((x, i, a) => x && a.indexOf(x) === i).join(' / ') },
          { title: t('facilities.col.beds'), dataIndex: 'beds', align: 'right' },
          { title: t('facilities.col.nursing'), dataIndex: 'nursingBeds', align: 'right' },
          { title: t('facilities.col.occupied'), dataIndex: 'occupied', align: 'right' },
          { title: t('facilities.col.stars'), dataIndex: 'stars', render: (v: number | null) => (v ? '★'.repeat(v) : '—') },
          { title: t('facilities.col.status'), dataIndex: 'status', render: (v: string) => <Tag color={STATUS_COLOR[v]}>{t(`facilities.status.${v}`)}</Tag> },
        ]}
      />
      <FacilityDrawer id={openId} onClose={() => setOpenId(null)} />
      <CreateFacility open={creating} onClose={() => setCreating(false)} />
    </Card>
  );
}

export function FacilityDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const detail = useQuery({ queryKey: ['facility', id], queryFn: () => get<FacilityDetail>(`/api/v1/facilities/${id}`), enabled: !!id });
  const beds = useQuery({ queryKey: ['facility-beds', id], queryFn: () => get<{ items: Bed[] }>(`/api/v1/facilities/${id}/beds`), enabled: !!id });
  const [form] = Form.useForm<{ room: string; count: number; type: string }>();
  const addBeds = useMutation({
    mutationFn: (v: { room: string; count: number; type: string }) =>
      post<{ added: number }>(`/api/v1/facilities/${id}/beds`, {
        room: v.room,
        type: v.type,
        labels: Array.from({ length: v.count }, (_, i) => String(i + 1)),
      }),
    onSuccess: (r) => {
      showSuccess(t('facilities.detail.added', { n: r.added }));
      form.resetFields();
      void qc.invalidateQueries({ queryKey: ['facility-beds', id] });
      void qc.invalidateQueries({ queryKey: ['facility', id] });
      void qc.invalidateQueries({ queryKey: ['facilities'] });
    },
    onError: showError,
  });
  const f = detail.data;
  const rooms = new Map<string, Bed[]>();
  for (const b of beds.data?.items ?? []) rooms.set(b.room, [...(rooms.get(b.room) ?? []), b]);
  const yes = (v: boolean, label: string) => (v ? <Tag color="green">{label}</Tag> : null);
  return (
    <Drawer open={!!id} onClose={onClose} width={760} title={f?.name} destroyOnHidden>
      {!f ? (
        <Spin />
      ) : (
        <div data-testid="facility-drawer">
          <Descriptions column={2} size="small" bordered>
            <Descriptions.Item label={t('facilities.col.kind')}>{t(`facilities.kind.${f.kind}`)}</Descriptions.Item>
            <Descriptions.Item label={t('facilities.col.ownership')}>{t(`facilities.ownership.${f.ownership}`)}</Descriptions.Item>
            <Descriptions.Item label={t('facilities.detail.operator')}>{f.operatorName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('facilities.detail.opened')}>{formatDate(f.openedOn)}</Descriptions.Item>
            <Descriptions.Item label={t('facilities.detail.address')} span={2}>
              {f.address ?? '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('facilities.col.functions')} span={2}>
              {f.functions.map((x) => (
                <Tag key={x}>{t(`facilities.fn.${x}`)}</Tag>
              ))}
            </Descriptions.Item>
            <Descriptions.Item label={t('facilities.detail.medical')} span={2}>
              {f.clinic && <Tag color="blue">{t('facilities.detail.clinic')}</Tag>}
              {f.medicalPartner && (
                <Tag color="blue">
                  {t('facilities.detail.partner')}：{f.medicalPartner} {t('facilities.detail.until', { date: formatDate(f.medicalAgreementUntil) })}
                </Tag>
              )}
              {!f.clinic && !f.medicalPartner && t('facilities.detail.none')}
            </Descriptions.Item>
            <Descriptions.Item label={t('facilities.detail.flags')} span={2}>
              {yes(f.smartFire, t('facilities.detail.smartFire'))}
              {yes(f.smartGas, t('facilities.detail.smartGas'))}
              {yes(f.kitchenCamera, t('facilities.detail.kitchenCamera'))}
              {yes(f.smartCareHome, t('facilities.detail.smartCareHome'))}
              {yes(f.affordable, t('facilities.detail.affordable'))}
              {yes(f.medicalLicensed, t('facilities.detail.licensed'))}
              {yes(f.admitsApplicants, t('facilities.detail.admits'))}
            </Descriptions.Item>
            <Descriptions.Item label={t('facilities.detail.ratings')} span={2}>
              {f.ratings.length
                ? f.ratings.map((r) => (
                    <div key={r.id}>
                      <Rate disabled value={r.stars} style={{ fontSize: 14 }} /> {formatDate(r.ratedOn)}
                      {r.validUntil ? ` – ${formatDate(r.validUntil)}` : ''} {r.note}
                    </div>
                  ))
                : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('facilities.detail.occupancy')} span={2}>
              <Space wrap size={4}>
                {f.occupancy.map((o) => (
                  <Tooltip key={o.month} title={`${o.occupied} / ${o.beds}`}>
                    <Tag>
                      {o.month.slice(2)}：{o.beds ? Math.round((100 * o.occupied) / o.beds) : 0}%
                    </Tag>
                  </Tooltip>
                ))}
              </Space>
            </Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('facilities.detail.bedsTitle')}（{f.beds} / {t('facilities.col.occupied')} {f.occupied}）
          </Typography.Title>
          {[...rooms.entries()].map(([room, bs]) => (
            <div key={room} style={{ marginBottom: 6 }}>
              <Typography.Text strong style={{ display: 'inline-block', width: 56 }}>
                {room}
              </Typography.Text>
              {bs.map((b) => (
                <Tooltip key={b.id} title={`${t(`facilities.bedType.${b.type}`)} · ${t(`facilities.bedStatus.${b.status}`)}`}>
                  <Tag
                    color={b.status === 'occupied' ? 'volcano' : b.status === 'free' ? 'green' : 'default'}
                    data-testid={`bed-${b.id}`}
                    data-status={b.status}
                  >
                    {b.label}
                    {b.resident ? ` ${b.resident.name}` : ''}
                  </Tag>
                </Tooltip>
              ))}
            </div>
          ))}
          <Residents facilityId={f.id} manager={MANAGER_ROLES.includes(me.role)} />
          {MANAGER_ROLES.includes(me.role) && <ManageFacility f={f} />}
          {MANAGER_ROLES.includes(me.role) && (
            <Form form={form} layout="inline" onFinish={(v) => addBeds.mutate(v)} style={{ marginTop: 12 }} initialValues={{ count: 2, type: 'nursing' }}>
              <Form.Item name="room" rules={[{ required: true, message: t('facilities.form.required') }]}>
                <Input placeholder={t('facilities.detail.room')} style={{ width: 100 }} />
              </Form.Item>
              <Form.Item name="count">
                <InputNumber min={1} max={50} addonAfter={t('facilities.detail.count')} style={{ width: 130 }} />
              </Form.Item>
              <Form.Item name="type">
                <Select
                  style={{ width: 130 }}
                  options={['general', 'nursing', 'dementia', 'hospice'].map((x) => ({ value: x, label: t(`facilities.bedType.${x}`) }))}
                />
              </Form.Item>
              <Button htmlType="submit" loading={addBeds.isPending}>
                {t('facilities.detail.addBeds')}
              </Button>
            </Form>
          )}
        </div>
      )}
    </Drawer>
  );
}

interface CreateValues {
  regionCode: string;
  name: string;
  kind: string;
  ownership: string;
  operatorName?: string;
  functions: string[];
  address?: string;
  openedOn?: Dayjs;
  flags: string[];
}

function CreateFacility({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<CreateValues>();
  const m = useMutation({
    mutationFn: (v: CreateValues) =>
      post<FacilityDetail>('/api/v1/facilities', {
        regionCode: v.regionCode,
        name: v.name,
        kind: v.kind,
        ownership: v.ownership,
        operatorName: v.operatorName || null,
        functions: v.functions ?? [],
        address: v.address || null,
        openedOn: v.openedOn ? v.openedOn.format('YYYY-MM-DD') : null,
        status: v.openedOn ? 'operating' : 'planned',
        ...Object.fromEntries((v.flags ?? []).map((k) => [k, true])),
      }),
    onSuccess: () => {
      showSuccess(t('facilities.created'));
      form.resetFields();
      void qc.invalidateQueries({ queryKey: ['facilities'] });
      onClose();
    },
    onError: showError,
  });
  const FLAGS = ['clinic', 'medicalLicensed', 'smartFire', 'smartGas', 'kitchenCamera', 'smartCareHome', 'affordable', 'admitsApplicants'];
  const flagLabel: Record<string, string> = {
    clinic: 'clinic',
    medicalLicensed: 'licensed',
    smartFire: 'smartFire',
    smartGas: 'smartGas',
    kitchenCamera: 'kitchenCamera',
    smartCareHome: 'smartCareHome',
    affordable: 'affordable',
    admitsApplicants: 'admits',
  };
  return (
    <Modal open={open} title={t('facilities.create')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={m.isPending} width={640} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => m.mutate(v)} initialValues={{ ownership: 'public', functions: [], flags: [] }}>
        <Form.Item name="name" label={t('facilities.col.name')} rules={[{ required: true, message: t('facilities.form.required') }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="kind" label={t('facilities.col.kind')} rules={[{ required: true, message: t('facilities.form.required') }]}>
            <Select style={{ width: 240 }} options={KINDS.map((k) => ({ value: k, label: t(`facilities.kind.${k}`) }))} />
          </Form.Item>
          <Form.Item name="ownership" label={t('facilities.col.ownership')}>
            <Select
              style={{ width: 160 }}
              options={['public', 'private', 'public_private'].map((k) => ({ value: k, label: t(`facilities.ownership.${k}`) }))}
            />
          </Form.Item>
          <Form.Item name="openedOn" label={t('facilities.form.openedOn')}>
            <DatePicker />
          </Form.Item>
        </Space>
        <Form.Item name="regionCode" label={t('facilities.form.region')} rules={[{ required: true, message: t('facilities.form.required') }]}>
          <RegionTreeSelect />
        </Form.Item>
        <Form.Item name="operatorName" label={t('facilities.detail.operator')}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="address" label={t('facilities.detail.address')}>
          <Input maxLength={300} />
        </Form.Item>
        <Form.Item name="functions" label={t('facilities.col.functions')}>
          <Checkbox.Group options={FUNCTIONS.map((k) => ({ value: k, label: t(`facilities.fn.${k}`) }))} />
        </Form.Item>
        <Form.Item name="flags" label={t('facilities.detail.flags')}>
          <Checkbox.Group options={FLAGS.map((k) => ({ value: k, label: t(`facilities.detail.${flagLabel[k]}`) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface Resident {
  id: string;
  elderId: string;
  name: string;
  idNumber: string | null;
  age: number;
  bedLabel: string | null;
  moveIn: string;
  moveOut: string | null;
  ability: string | null;
}

/** Current residents, with move-out for managers (frees the bed). */
function Residents({ facilityId, manager }: { facilityId: string; manager: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['facility-residents', facilityId], queryFn: () => get<{ items: Resident[] }>(`/api/v1/facilities/${facilityId}/residents`) });
  const out = useMutation({
    mutationFn: (id: string) =>
      post(`/api/v1/facility-residents/${id}/move-out`, { moveOut: dayjs().format('YYYY-MM-DD'), reason: t('facilities.detail.moveOutReason') }),
    onSuccess: () => {
      showSuccess(t('facilities.detail.movedOut'));
      for (const k of ['facility-residents', 'facility-beds', 'facility', 'facilities']) void qc.invalidateQueries({ queryKey: [k] });
    },
    onError: showError,
  });
  return (
    <>
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('facilities.detail.residents')}（{q.data?.items.length ?? 0}）
      </Typography.Title>
      <Table<Resident>
        rowKey="id"
        size="small"
        loading={q.isLoading}
        dataSource={q.data?.items}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        columns={[
          { title: t('facilities.col.name'), dataIndex: 'name' },
          { title: t('facilities.detail.bedLabel'), dataIndex: 'bedLabel' },
          { title: t('facilities.detail.ability'), render: (_, r) => `${t('facilities.adm.age', { age: r.age })} ${r.ability ?? ''}` },
          { title: t('facilities.detail.moveIn'), dataIndex: 'moveIn', render: (v: string) => formatDate(v) },
          ...(manager
            ? [
                {
                  title: '',
                  render: (_: unknown, r: Resident) => (
                    <Popconfirm title={t('facilities.detail.moveOut')} onConfirm={() => out.mutate(r.id)}>
                      <Button size="small" type="link">
                        {t('facilities.detail.moveOut')}
                      </Button>
                    </Popconfirm>
                  ),
                },
              ]
            : []),
        ]}
      />
    </>
  );
}

/** Status and star rating (county admin), for managers of the facility's region. */
function ManageFacility({ f }: { f: FacilityDetail }) {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const done = () => {
    showSuccess(t('facilities.detail.saved'));
    void qc.invalidateQueries({ queryKey: ['facility', f.id] });
    void qc.invalidateQueries({ queryKey: ['facilities'] });
  };
  const status = useMutation({ mutationFn: (v: string) => patch(`/api/v1/facilities/${f.id}`, { status: v }), onSuccess: done, onError: showError });
  const rate = useMutation({
    mutationFn: (v: { stars: number; ratedOn: Dayjs }) =>
      post(`/api/v1/facilities/${f.id}/ratings`, {
        stars: v.stars,
        ratedOn: v.ratedOn.format('YYYY-MM-DD'),
        validUntil: v.ratedOn.add(3, 'year').format('YYYY-MM-DD'),
      }),
    onSuccess: done,
    onError: showError,
  });
  return (
    <Space wrap style={{ marginTop: 12 }}>
      <span>{t('facilities.col.status')}</span>
      <Select
        style={{ width: 120 }}
        value={f.status}
        onChange={(v) => status.mutate(v)}
        options={['operating', 'suspended', 'closed'].map((k) => ({ value: k, label: t(`facilities.status.${k}`) }))}
      />
      {me.role === 'county_admin' && (
        <Form layout="inline" onFinish={(v: { stars: number; ratedOn: Dayjs }) => rate.mutate(v)} initialValues={{ stars: 3, ratedOn: dayjs() }}>
          <Form.Item name="stars" label={t('facilities.detail.rate')}>
            <Rate />
          </Form.Item>
          <Form.Item name="ratedOn">
            <DatePicker />
          </Form.Item>
          <Button htmlType="submit" loading={rate.isPending}>
            {t('facilities.detail.saveRating')}
          </Button>
        </Form>
      )}
    </Space>
  );
}
