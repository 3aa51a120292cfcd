/** The supplier catalogue (供应商库) and the menu (十助) as staff keep them: providers with their
 * qualifications, service areas, contract and credit status (a change needs a reason), their
 * caregivers with skills and certificates (expired ones in red), and the menu's items. The
 * provider's own desk reuses the caregiver panel. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Descriptions, Drawer, Form, Input, InputNumber, Modal, Select, Space, Switch, Tag } from 'antd';
import { Table } from '../../kernel/table';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, patch, post } from '../../kernel/api';
import { useMe } from '../../kernel/auth';
import { RegionTreeSelect } from '../../kernel/components/RegionTreeSelect';
import { formatDateTime } from '../../kernel/format';
import { showSuccess } from '../../kernel/notify';
import type { Region } from '../../kernel/types';
import './locale';
import { CertificateTags } from './shared';
import { CREDIT_COLORS, yuan, type Caregiver, type Certificate, type Item, type Menu, type Provider } from './types';
import { DateField } from '../../kernel/components/DateField';

const CREDIT = ['good', 'watch', 'red', 'black'] as const;
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? null : v);

export function CreditTag({ p }: { p: Pick<Provider, 'creditStatus' | 'creditReason'> }) {
  const { t } = useTranslation();
  return (
    <Tag color={CREDIT_COLORS[p.creditStatus]} title={p.creditReason ?? undefined} data-testid="credit">
      {t(`services.creditStatus.${p.creditStatus}`, { defaultValue: p.creditStatus })}
    </Tag>
  );
}

export function ProvidersTab() {
  const { t } = useTranslation();
  const me = useMe();
  const [open, setOpen] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const list = useQuery({ queryKey: ['services-providers'], queryFn: () => get<{ items: Provider[] }>('/api/v1/services/providers') });
  return (
    <>
      {me.role === 'county_admin' && (
        <Button type="primary" onClick={() => setAdding(true)} style={{ marginBottom: 12 }} data-testid="provider-add">
          {t('services.addProvider')}
        </Button>
      )}
      <Table
        rowKey="id"
        size="small"
        scroll={{ x: true }}
        loading={list.isLoading}
        dataSource={list.data?.items}
        columns={[
          {
            title: t('services.provider'),
            render: (_, p) => (
              <a onClick={() => setOpen(p.id)} data-testid={`provider-${p.name}`}>
                {p.name}
              </a>
            ),
          },
          { title: t('services.region'), dataIndex: 'regionName' },
          { title: t('services.qualifications'), render: (_, p) => p.qualifications.join('；') },
          { title: t('services.serviceRegions'), render: (_, p) => p.serviceRegions.length || '—' },
          { title: t('services.contract'), render: (_, p) => (p.contractNo ? `${p.contractNo}（${p.contractFrom ?? ''} ~ ${p.contractTo ?? ''}）` : '—') },
          { title: t('services.rating'), dataIndex: 'rating' },
          { title: t('services.credit'), render: (_, p) => <CreditTag p={p} /> },
          { title: t('services.filterStatus'), render: (_, p) => t(`services.providerStatus.${p.status}`, { defaultValue: p.status }) },
          { title: t('services.caregivers'), dataIndex: 'caregivers' },
        ]}
      />
      <ProviderDrawer id={open} onClose={() => setOpen(null)} />
      <Modal open={adding} title={t('services.addProvider')} onCancel={() => setAdding(false)} footer={null} width={640} destroyOnHidden>
        <ProviderForm onDone={() => setAdding(false)} />
      </Modal>
    </>
  );
}

/** Township options for the service areas: the townships of the county (and any other code already set). */
function useAreaOptions(extra: string[]) {
  const me = useMe();
  const county = me.countyCode.padEnd(12, '0');
  const townships = useQuery({ queryKey: ['regions', county], queryFn: () => get<{ items: Region[] }>('/api/v1/regions', { parent: county }) });
  const known = new Map((townships.data?.items ?? []).map((r) => [r.code, r.name]));
  return [...known.entries(), ...extra.filter((c) => !known.has(c)).map((c) => [c, c] as const)].map(([value, label]) => ({ value, label }));
}

interface ProviderValues {
  name: string;
  regionCode?: string;
  creditCode?: string | null;
  qualifications: string[];
  serviceRegions: string[];
  contractNo?: string | null;
  contractFrom?: string | null;
  contractTo?: string | null;
  contactPhone?: string | null;
  address?: string | null;
  status?: string;
  creditStatus?: string;
  creditReason?: string;
  rating?: number;
}

/** Adds a provider (no `p`) or edits one. */
function ProviderForm({ p, onDone }: { p?: Provider; onDone?: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<ProviderValues>();
  const credit = Form.useWatch('creditStatus', form);
  const areas = Form.useWatch('serviceRegions', form) ?? p?.serviceRegions ?? [];
  const options = useAreaOptions(areas);
  useEffect(() => {
    if (p) form.setFieldsValue({ ...p, creditReason: undefined });
  }, [p, form]);
  const save = useMutation({
    mutationFn: (v: ProviderValues) => {
      const body = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, blank(x)]));
      if (!p) {
        delete body.status;
        delete body.creditStatus;
        delete body.creditReason;
        delete body.rating;
        return post('/api/v1/services/providers', body);
      }
      delete body.regionCode;
      if (body.creditStatus === p.creditStatus) delete body.creditReason;
      return patch(`/api/v1/services/providers/${p.id}`, body);
    },
    onSuccess: () => {
      showSuccess(t('services.saved'));
      void qc.invalidateQueries({ queryKey: ['services-providers'] });
      void qc.invalidateQueries({ queryKey: ['services-provider'] });
      form.setFieldValue('creditReason', undefined);
      onDone?.();
    },
  });
  const creditChanged = !!p && !!credit && credit !== p.creditStatus;
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={(v) => save.mutate(v)}
      initialValues={{ qualifications: [], serviceRegions: [] }}
      data-testid="provider-form"
      style={{ maxWidth: 640 }}
    >
      <Form.Item name="name" label={t('services.providerName')} rules={[{ required: true }]}>
        <Input maxLength={200} />
      </Form.Item>
      {!p && (
        <Form.Item name="regionCode" label={t('services.providerRegion')} rules={[{ required: true }]}>
          <RegionTreeSelect />
        </Form.Item>
      )}
      <Form.Item name="creditCode" label={t('services.creditCode')}>
        <Input maxLength={18} />
      </Form.Item>
      <Form.Item name="qualifications" label={t('services.qualifications')}>
        <Select mode="tags" tokenSeparators={['；', ';']} open={false} data-testid="provider-qualifications" />
      </Form.Item>
      <Form.Item name="serviceRegions" label={t('services.serviceRegions')}>
        <Select mode="multiple" options={options} optionFilterProp="label" allowClear data-testid="provider-areas" />
      </Form.Item>
      <Space wrap>
        <Form.Item name="contractNo" label={t('services.contractNo')}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="contractFrom" label={t('services.contractFrom')}>
          <DateField />
        </Form.Item>
        <Form.Item
          name="contractTo"
          label={t('services.contractTo')}
          dependencies={['contractFrom']}
          rules={[
            ({ getFieldValue }) => ({
              validator: (_, v) => {
                const from = getFieldValue('contractFrom');
                return !v || !from || from <= v ? Promise.resolve() : Promise.reject(new Error('合同结束日期不能早于开始日期'));
              },
            }),
          ]}
        >
          <DateField />
        </Form.Item>
      </Space>
      <Space wrap>
        <Form.Item name="contactPhone" label={t('services.contactPhone')}>
          <Input maxLength={20} />
        </Form.Item>
        <Form.Item name="address" label={t('services.address')}>
          <Input maxLength={200} style={{ width: 300 }} />
        </Form.Item>
      </Space>
      {p && (
        <>
          <Space wrap align="start">
            <Form.Item name="status" label={t('services.filterStatus')}>
              <Select style={{ width: 140 }} options={['active', 'suspended', 'closed'].map((s) => ({ value: s, label: t(`services.providerStatus.${s}`) }))} />
            </Form.Item>
            <Form.Item name="creditStatus" label={t('services.credit')}>
              <Select
                style={{ width: 140 }}
                data-testid="provider-credit"
                options={CREDIT.map((s) => ({ value: s, label: <Tag color={CREDIT_COLORS[s]}>{t(`services.creditStatus.${s}`)}</Tag> }))}
              />
            </Form.Item>
            <Form.Item name="rating" label={t('services.rating')}>
              <InputNumber min={0} max={5} step={0.1} />
            </Form.Item>
          </Space>
          {creditChanged && (
            <Form.Item
              name="creditReason"
              label={t('services.creditReason')}
              rules={[{ required: true, whitespace: true, message: t('services.creditReasonRequired') }]}
            >
              <Input.TextArea maxLength={200} data-testid="provider-credit-reason" />
            </Form.Item>
          )}
        </>
      )}
      <div>
        <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="provider-save">
          {t('services.save')}
        </Button>
      </div>
    </Form>
  );
}

function ProviderDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const q = useQuery({ queryKey: ['services-provider', id], queryFn: () => get<Provider>(`/api/v1/services/providers/${id}`), enabled: !!id });
  const p = q.data;
  // Staff edit the providers of their own area (the server checks it too).
  const canEdit = !!p && (me.role === 'county_admin' || (me.role === 'township_staff' && p.regionCode.startsWith(me.regionCode.slice(0, 9))));
  return (
    <Drawer open={!!id} onClose={onClose} width={820} title={p?.name} destroyOnHidden>
      {p && (
        <Space direction="vertical" style={{ width: '100%' }} size="large">
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('services.credit')}>
              <CreditTag p={p} /> {p.creditReason && <span data-testid="provider-credit-reason-shown">{p.creditReason}</span>}
            </Descriptions.Item>
            <Descriptions.Item label={t('services.rating')}>
              {p.rating} {p.evaluatedAt && `（${formatDateTime(p.evaluatedAt)}）`}
            </Descriptions.Item>
          </Descriptions>
          {canEdit && (
            <Card size="small" title={t('services.editProvider')}>
              <ProviderForm p={p} />
            </Card>
          )}
          <Card size="small" title={t('services.caregiverList')}>
            <CaregiverPanel providerId={p.id} canEdit={canEdit} />
          </Card>
        </Space>
      )}
    </Drawer>
  );
}

/** A provider's caregivers with their skills and certificates; add and edit when allowed. */
export function CaregiverPanel({ providerId, canEdit }: { providerId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<Caregiver | 'new' | null>(null);
  const menu = useQuery({ queryKey: ['services-menu'], queryFn: () => get<Menu>('/api/v1/services/items') });
  const list = useQuery({
    queryKey: ['services-caregivers', providerId],
    queryFn: () => get<{ items: Caregiver[] }>(`/api/v1/services/providers/${providerId}/caregivers`),
  });
  const skills = menu.data?.skills ?? {};
  return (
    <>
      {canEdit && (
        <Button type="primary" onClick={() => setEditing('new')} style={{ marginBottom: 12 }} data-testid="caregiver-add">
          {t('services.addCaregiver')}
        </Button>
      )}
      <Table
        rowKey="id"
        size="small"
        scroll={{ x: true }}
        loading={list.isLoading}
        dataSource={list.data?.items}
        columns={[
          { title: t('services.caregiver'), dataIndex: 'name' },
          { title: t('services.contactPhone'), dataIndex: 'phone' },
          { title: t('services.skills'), render: (_, c) => c.skills.map((s) => <Tag key={s}>{skills[s] ?? s}</Tag>) },
          { title: t('services.certificates'), render: (_, c) => <CertificateTags certs={c.certificates} /> },
          {
            title: t('services.filterStatus'),
            render: (_, c) => <Tag color={c.status === 'active' ? 'green' : 'default'}>{t(`services.caregiverStatus.${c.status}`)}</Tag>,
          },
          { title: t('services.account'), dataIndex: 'username' },
          { title: t('services.load'), dataIndex: 'openOrders' },
          ...(canEdit
            ? [
                {
                  title: '',
                  key: 'edit',
                  render: (_: unknown, c: Caregiver) => (
                    <Button size="small" onClick={() => setEditing(c)} data-testid={`caregiver-edit-${c.name}`}>
                      {t('services.edit')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && <CaregiverModal providerId={providerId} c={editing === 'new' ? undefined : editing} skills={skills} onClose={() => setEditing(null)} />}
    </>
  );
}

interface CaregiverValues {
  name: string;
  phone?: string;
  skills: string[];
  certificates: Certificate[];
  active: boolean;
}

function CaregiverModal({ providerId, c, skills, onClose }: { providerId: string; c?: Caregiver; skills: Record<string, string>; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const me = useMe();
  const [form] = Form.useForm<CaregiverValues>();
  // Staff see phones masked: when editing, a phone is sent only when typed anew.
  const masked = !!c && me.role !== 'provider_admin';
  const save = useMutation({
    mutationFn: (v: CaregiverValues) => {
      const certificates = (v.certificates ?? []).map((x) => ({ name: x.name, no: blank(x.no) ?? null, validUntil: blank(x.validUntil) ?? null }));
      const phone = blank(v.phone) as string | null | undefined;
      const body = { name: v.name, skills: v.skills ?? [], certificates, ...(phone || !masked ? { phone: phone ?? null } : {}) };
      return c
        ? patch(`/api/v1/services/caregivers/${c.id}`, { ...body, status: v.active ? 'active' : 'inactive' })
        : post(`/api/v1/services/providers/${providerId}/caregivers`, body);
    },
    onSuccess: () => {
      showSuccess(t('services.saved'));
      void qc.invalidateQueries({ queryKey: ['services-caregivers'] });
      void qc.invalidateQueries({ queryKey: ['services-providers'] });
      onClose();
    },
  });
  return (
    <Modal
      open
      title={c ? t('services.editCaregiver') : t('services.addCaregiver')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      width={720}
      okButtonProps={{ ...{ 'data-testid': 'caregiver-save' } }}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => save.mutate(v)}
        initialValues={{
          name: c?.name,
          phone: masked ? undefined : (c?.phone ?? undefined),
          skills: c?.skills ?? [],
          certificates: c?.certificates ?? [],
          active: (c?.status ?? 'active') === 'active',
        }}
      >
        <Space wrap>
          <Form.Item name="name" label={t('services.caregiver')} rules={[{ required: true, whitespace: true }]}>
            <Input maxLength={50} data-testid="caregiver-name" />
          </Form.Item>
          <Form.Item name="phone" label={t('services.contactPhone')}>
            <Input maxLength={20} placeholder={masked ? t('services.phoneKeep', { phone: c?.phone ?? '—' }) : undefined} style={{ width: 240 }} />
          </Form.Item>
          {c && (
            <Form.Item name="active" label={t('services.filterStatus')} valuePropName="checked">
              <Switch checkedChildren={t('services.caregiverStatus.active')} unCheckedChildren={t('services.caregiverStatus.inactive')} />
            </Form.Item>
          )}
        </Space>
        <Form.Item name="skills" label={t('services.skills')}>
          <Select mode="multiple" options={Object.entries(skills).map(([value, label]) => ({ value, label }))} data-testid="caregiver-skills" />
        </Form.Item>
        <Form.List name="certificates">
          {(fields, { add, remove }) => (
            <div>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" wrap style={{ display: 'flex' }}>
                  <Form.Item name={[f.name, 'name']} rules={[{ required: true, whitespace: true }]} label={t('services.certType')}>
                    <Input maxLength={60} style={{ width: 240 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'no']} label={t('services.certNo')}>
                    <Input maxLength={60} style={{ width: 140 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'validUntil']} label={t('services.certValidUntil')}>
                    <DateField />
                  </Form.Item>
                  <Button danger size="small" onClick={() => remove(f.name)}>
                    ✕
                  </Button>
                </Space>
              ))}
              <Button onClick={() => add({ name: '' })} data-testid="caregiver-cert-add">
                {t('services.addCertificate')}
              </Button>
            </div>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

interface ItemValues {
  code: string;
  category: string;
  name: string;
  unit: string;
  price: number;
  durationMin: number;
  skill?: string | null;
  description?: string | null;
  active: boolean;
}

export function MenuTab() {
  const { t } = useTranslation();
  const me = useMe();
  const [editing, setEditing] = useState<Item | 'new' | null>(null);
  const menu = useQuery({ queryKey: ['services-menu', 'all'], queryFn: () => get<Menu>('/api/v1/services/items', { all: 'true' }) });
  const canEdit = me.role === 'county_admin';
  return (
    <>
      {canEdit && (
        <Button type="primary" onClick={() => setEditing('new')} style={{ marginBottom: 12 }} data-testid="item-add">
          {t('services.addItem')}
        </Button>
      )}
      <Table
        rowKey="id"
        size="small"
        dataSource={menu.data?.items}
        pagination={false}
        columns={[
          { title: t('services.itemCode'), dataIndex: 'code' },
          { title: t('services.category'), dataIndex: 'categoryName' },
          { title: t('services.item'), dataIndex: 'name' },
          { title: t('services.unit'), dataIndex: 'unit' },
          { title: t('services.price'), render: (_, i) => yuan(i.priceCents) },
          { title: t('services.duration'), dataIndex: 'durationMin' },
          { title: t('services.skill'), render: (_, i) => (i.skill ? (menu.data?.skills[i.skill] ?? i.skill) : '—') },
          {
            title: t('services.filterStatus'),
            render: (_, i) => (i.active ? <Tag color="green">{t('services.active')}</Tag> : <Tag>{t('services.inactive')}</Tag>),
          },
          ...(canEdit
            ? [
                {
                  title: '',
                  key: 'edit',
                  render: (_: unknown, i: Item) => (
                    <Button size="small" onClick={() => setEditing(i)} data-testid={`item-edit-${i.code}`}>
                      {t('services.edit')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && menu.data && <ItemModal item={editing === 'new' ? undefined : editing} menu={menu.data} onClose={() => setEditing(null)} />}
    </>
  );
}

function ItemModal({ item, menu, onClose }: { item?: Item; menu: Menu; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<ItemValues>();
  const save = useMutation({
    mutationFn: (v: ItemValues) => {
      const body = {
        category: v.category,
        name: v.name,
        unit: v.unit,
        priceCents: Math.round(Number(v.price) * 100),
        durationMin: v.durationMin,
        skill: v.skill ?? null,
        description: blank(v.description) ?? null,
      };
      return item ? patch(`/api/v1/services/items/${item.id}`, { ...body, active: v.active }) : post('/api/v1/services/items', { ...body, code: v.code });
    },
    onSuccess: () => {
      showSuccess(t('services.saved'));
      void qc.invalidateQueries({ queryKey: ['services-menu'] });
      onClose();
    },
  });
  return (
    <Modal
      open
      title={item ? t('services.editItem') : t('services.addItem')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      okButtonProps={{ ...{ 'data-testid': 'item-save' } }}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => save.mutate(v)}
        initialValues={item ? { ...item, price: item.priceCents / 100 } : { unit: '次', durationMin: 60, active: true }}
      >
        <Form.Item name="code" label={t('services.itemCode')} rules={[{ required: true, pattern: /^[A-Za-z0-9_-]{1,20}$/, message: '编码为1-20位字母数字' }]}>
          <Input maxLength={20} disabled={!!item} data-testid="item-code" />
        </Form.Item>
        <Form.Item name="category" label={t('services.category')} rules={[{ required: true }]}>
          <Select options={Object.entries(menu.categories).map(([value, l]) => ({ value, label: l.zh }))} data-testid="item-category" />
        </Form.Item>
        <Form.Item name="name" label={t('services.item')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={60} data-testid="item-name" />
        </Form.Item>
        <Space wrap>
          <Form.Item name="unit" label={t('services.unit')} rules={[{ required: true, whitespace: true }]}>
            <Input maxLength={10} style={{ width: 100 }} />
          </Form.Item>
          <Form.Item name="price" label={t('services.priceYuan')} rules={[{ required: true }]}>
            <InputNumber min={0} max={100000} step={1} precision={2} data-testid="item-price" />
          </Form.Item>
          <Form.Item name="durationMin" label={t('services.duration')} rules={[{ required: true }]}>
            <InputNumber min={1} max={1440} data-testid="item-duration" />
          </Form.Item>
        </Space>
        <Form.Item name="skill" label={t('services.skill')}>
          <Select allowClear options={Object.entries(menu.skills).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        <Form.Item name="description" label={t('services.description')}>
          <Input.TextArea maxLength={500} />
        </Form.Item>
        {item && (
          <Form.Item name="active" label={t('services.filterStatus')} valuePropName="checked">
            <Switch checkedChildren={t('services.active')} unCheckedChildren={t('services.inactive')} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
