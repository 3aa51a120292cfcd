/** 基本信息: the (masked) record, its family contacts, and the edit form (PATCH /elders/:id). */
import { EditOutlined, LockOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Form, Input, Modal, Select, Tag } from 'antd';
import { Table } from '../../kernel/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, patch } from '../../kernel/api';
import { RegionTreeSelect } from '../../kernel/components/RegionTreeSelect';
import { formatDate } from '../../kernel/format';
import { useLabels } from '../../kernel/meta';
import { showError, showSuccess } from '../../kernel/notify';
import { AbilityTag } from '../assessments/common';
import { FamilyAccountButton } from '../family/FamilyAccountButton';
import { placeFieldErrors } from './forms';
import { LIVING_CODES, PHONE, STATUS_COLORS, type ElderDetail } from './types';

const mono = (v: string | null | undefined) => <span style={{ fontFamily: 'monospace' }}>{v || '—'}</span>;

export function BasicTab({ elder: e, writer, onChanged }: { elder: ElderDetail; writer: boolean; onChanged: () => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [editing, setEditing] = useState(false);
  return (
    <>
      {!e.masked && <Alert type="warning" showIcon message={t('elders.revealed')} style={{ marginBottom: 16 }} data-testid="elder-revealed" />}
      <Descriptions
        column={1}
        size="small"
        bordered
        styles={{ label: { width: 140 } }}
        title={
          <span>
            <span data-testid="elder-detail-name">{e.name}</span>{' '}
            {e.masked ? (
              <Tag icon={<LockOutlined />} color="default">
                {t('elders.masked')}
              </Tag>
            ) : (
              <Tag color="red">{t('elders.unmasked')}</Tag>
            )}
          </span>
        }
        extra={
          writer && (
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="elder-edit">
              {t('elders.edit.button')}
            </Button>
          )
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
          { key: 'ability', label: t('elders.ability'), children: <AbilityTag ability={e.ability} /> },
          { key: 'status', label: t('elders.status'), children: <Tag color={STATUS_COLORS[e.status]}>{t(`elders.statuses.${e.status}`, e.status)}</Tag> },
          ...(e.deathDate ? [{ key: 'death', label: t('elders.deathDate'), children: formatDate(e.deathDate) }] : []),
        ]}
      />
      {writer && e.status === 'active' && !e.contacts.some((c) => c.relation === '本人' && c.hasAccount) && (
        <div style={{ marginTop: 16 }}>
          <FamilyAccountButton elderId={e.id} self={e.name} hasAccount={false} onDone={onChanged} />
        </div>
      )}
      {e.contacts.length > 0 && (
        <Table
          style={{ marginTop: 16 }}
          size="small"
          rowKey="id"
          pagination={false}
          title={() => <strong>{t('elders.contacts')}</strong>}
          dataSource={e.contacts}
          columns={[
            { title: t('elders.reg.contactName'), dataIndex: 'name' },
            { title: t('elders.reg.relation'), dataIndex: 'relation' },
            { title: t('elders.phone'), dataIndex: 'phone', render: (v: string | null) => mono(v) },
            {
              title: t('family.account'),
              key: 'account',
              render: (_: unknown, c: ElderDetail['contacts'][number]) =>
                writer || c.hasAccount ? <FamilyAccountButton elderId={e.id} contact={c} hasAccount={c.hasAccount} onDone={onChanged} /> : '—',
            },
          ]}
        />
      )}
      {editing && (
        <EditModal
          elder={e}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            onChanged();
          }}
        />
      )}
    </>
  );
}

interface EditValues {
  name: string;
  phone?: string;
  address?: string;
  livingArrangement?: string | null;
  hukouRegionCode?: string | null;
}

/** Masked fields (phone, address) start empty: only what is typed replaces them. */
function EditModal({ elder: e, onClose, onSaved }: { elder: ElderDetail; onClose: () => void; onSaved: () => void }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<EditValues>();
  const save = useMutation({
    meta: { silent: true },
    mutationFn: (body: Record<string, unknown>) => patch<ElderDetail>(`/api/v1/elders/${e.id}`, body),
    onSuccess: () => {
      showSuccess(t('common.saved'));
      onSaved();
    },
    onError: (err) => {
      if (!(err instanceof ApiError) || !placeFieldErrors(form, err, i18n.language, ['name', 'phone', 'address', 'livingArrangement', 'hukouRegionCode']))
        showError(err);
    },
  });

  const submit = (v: EditValues) => {
    const body: Record<string, unknown> = {};
    if (v.name.trim() !== e.name) body.name = v.name.trim();
    if (v.phone?.trim()) body.phone = v.phone.trim();
    if (v.address?.trim()) body.address = v.address.trim();
    if ((v.livingArrangement ?? null) !== e.livingArrangement) body.livingArrangement = v.livingArrangement ?? null;
    if ((v.hukouRegionCode ?? null) !== e.hukouRegionCode) body.hukouRegionCode = v.hukouRegionCode ?? null;
    if (!Object.keys(body).length) return onClose();
    save.mutate(body);
  };

  const keep = (value: string | null) => (e.masked && value ? t('elders.edit.keepHint', { value }) : undefined);

  return (
    <Modal
      open
      title={t('elders.edit.title')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
      wrapProps={{ 'data-testid': 'elder-edit-modal' }}
    >
      <Form<EditValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          name: e.name,
          phone: e.masked ? undefined : (e.phone ?? undefined),
          address: e.masked ? undefined : (e.address ?? undefined),
          livingArrangement: e.livingArrangement,
          hukouRegionCode: e.hukouRegionCode,
        }}
      >
        <Form.Item name="name" label={t('elders.reg.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 50 }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="phone" label={t('elders.reg.phone')} extra={keep(e.phone)} rules={[{ pattern: PHONE, message: t('elders.reg.phoneRule') }]}>
          <Input maxLength={14} inputMode="tel" data-testid="edit-phone" />
        </Form.Item>
        <Form.Item name="address" label={t('elders.reg.address')} extra={keep(e.address)} rules={[{ max: 200 }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="livingArrangement" label={t('elders.reg.living')}>
          <Select allowClear options={LIVING_CODES.map((c) => ({ value: c, label: t(`elders.living.${c}`) }))} />
        </Form.Item>
        <Form.Item name="hukouRegionCode" label={t('elders.reg.hukou')}>
          <RegionTreeSelect style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
