/** 登记老年人: ID number checked in the browser (birth date and sex shown, never typed), residence
 * village, categories with dates, family contacts. A likely duplicate (same name and birth date)
 * is shown and may be confirmed; server field errors are put next to their fields. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Col, Drawer, Form, Grid, Input, Row, Select, Space, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, post } from '../../kernel/api';
import { useMe } from '../../kernel/auth';
import { RegionTreeSelect } from '../../kernel/components/RegionTreeSelect';
import { showError, showSuccess } from '../../kernel/notify';
import { regionLevel } from '../../kernel/types';
import { placeFieldErrors } from './forms';
import { CategoryRows, ContactRows } from './RegisterRows';
import { parseIdNumber } from './idnumber';
import { LIVING_CODES, PHONE, type DuplicateMatch, type ElderDetail } from './types';

export interface RegisterValues {
  idNumber: string;
  name: string;
  regionCode: string;
  hukouRegionCode?: string;
  phone?: string;
  address?: string;
  livingArrangement?: string;
  categories?: { category: string; validFrom: Dayjs; sourceDoc?: string }[];
  contacts?: { name: string; relation: string; phone?: string }[];
}

const blank = (s: string | undefined) => s?.trim() || null;

function toBody(v: RegisterValues, confirmDuplicate: boolean) {
  return {
    idNumber: v.idNumber.trim().toUpperCase(),
    name: v.name.trim(),
    regionCode: v.regionCode,
    hukouRegionCode: v.hukouRegionCode || null,
    phone: blank(v.phone),
    address: blank(v.address),
    livingArrangement: v.livingArrangement || null,
    categories: (v.categories ?? []).map((c) => ({ category: c.category, validFrom: c.validFrom.format('YYYY-MM-DD'), sourceDoc: blank(c.sourceDoc) })),
    contacts: (v.contacts ?? []).map((c) => ({ name: c.name.trim(), relation: c.relation.trim(), phone: blank(c.phone) })),
    confirmDuplicate,
  };
}

const FIELDS = ['idNumber', 'name', 'regionCode', 'hukouRegionCode', 'phone', 'address', 'livingArrangement', 'categories', 'contacts'];

export function RegisterDrawer({ onClose, onCreated }: { onClose: () => void; onCreated: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<RegisterValues>();
  const [dupes, setDupes] = useState<DuplicateMatch[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const idNumber = Form.useWatch('idNumber', form) ?? '';
  const parsed = parseIdNumber(idNumber);

  const save = useMutation({
    meta: { silent: true },
    mutationFn: ({ v, confirm }: { v: RegisterValues; confirm: boolean }) => post<ElderDetail>('/api/v1/elders', toBody(v, confirm)),
    onSuccess: (e) => {
      showSuccess(t('elders.reg.created', { name: e.name }));
      void qc.invalidateQueries({ queryKey: ['elders'] });
      void qc.invalidateQueries({ queryKey: ['due'] });
      onClose();
      onCreated(e.id);
    },
    onError: (err) => {
      setDupes(null);
      setProblem(null);
      if (!(err instanceof ApiError)) return showError(err);
      if (err.code === 'LIKELY_DUPLICATE') return setDupes((err.details as { matches?: DuplicateMatch[] })?.matches ?? []);
      if (err.code === 'DUPLICATE_ID') {
        form.setFields([{ name: 'idNumber', errors: [err.text(i18n.language)] }]);
        return setProblem(err.text(i18n.language));
      }
      if (!placeFieldErrors(form, err, i18n.language, FIELDS)) showError(err);
    },
  });

  const submit = (confirm: boolean) =>
    void form.validateFields().then(
      (v) => save.mutate({ v, confirm }),
      () => undefined,
    );

  return (
    <Drawer
      open
      title={t('elders.reg.title')}
      width={screens.md ? 760 : '100%'}
      onClose={onClose}
      destroyOnHidden
      data-testid="register-drawer"
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => submit(false)} data-testid="reg-submit">
            {t('elders.reg.submit')}
          </Button>
        </Space>
      }
    >
      {problem && <Alert type="error" showIcon message={t('elders.reg.dupId')} description={problem} style={{ marginBottom: 16 }} data-testid="reg-dup-id" />}
      {dupes && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="reg-duplicates"
          message={t('elders.reg.dupTitle')}
          description={
            <>
              <div style={{ marginBottom: 8 }}>{t('elders.reg.dupDesc')}</div>
              <ul style={{ paddingLeft: 18, margin: '0 0 8px' }}>
                {dupes.map((m) => (
                  <li key={m.id} style={{ fontFamily: 'monospace' }}>
                    {m.name} · {m.idNumber ?? '—'} · {m.regionCode}
                  </li>
                ))}
              </ul>
              <Button type="primary" danger loading={save.isPending} onClick={() => submit(true)} data-testid="reg-confirm-duplicate">
                {t('elders.reg.dupConfirm')}
              </Button>
            </>
          }
        />
      )}
      <Form<RegisterValues>
        form={form}
        layout="vertical"
        initialValues={{ regionCode: regionLevel(me.regionCode) === 5 ? me.regionCode : undefined }}
        onValuesChange={() => (dupes || problem) && (setDupes(null), setProblem(null))}
        data-testid="register-form"
      >
        <Row gutter={16}>
          <Col xs={24} md={14}>
            <Form.Item
              name="idNumber"
              label={t('elders.reg.idNumber')}
              extra={
                parsed.ok ? (
                  <Typography.Text type={parsed.value.age < 60 ? 'warning' : 'success'} data-testid="reg-derived">
                    {t('elders.reg.derived', { birth: parsed.value.birthDate, sex: t(`elders.sexes.${parsed.value.sex}`), age: parsed.value.age })}
                    {parsed.value.age < 60 && ` — ${t('elders.reg.under60')}`}
                  </Typography.Text>
                ) : (
                  t('elders.reg.idHelp')
                )
              }
              rules={[
                { required: true, whitespace: true, message: t('common.required') },
                {
                  validator: (_, v: string) => {
                    if (!v?.trim()) return Promise.resolve();
                    const p = parseIdNumber(v);
                    return p.ok ? Promise.resolve() : Promise.reject(new Error(t(`elders.reg.idProblems.${p.problem}`)));
                  },
                },
              ]}
            >
              <Input
                maxLength={18}
                placeholder={t('elders.reg.idPlaceholder')}
                style={{ fontFamily: 'monospace' }}
                autoComplete="off"
                data-testid="reg-idnumber"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={10}>
            <Form.Item name="name" label={t('elders.reg.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 50 }]}>
              <Input maxLength={50} autoComplete="off" data-testid="reg-name" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="regionCode"
              label={t('elders.reg.residence')}
              extra={t('elders.reg.residenceHelp')}
              rules={[
                { required: true, message: t('elders.reg.villageOnly') },
                { validator: (_, v?: string) => (!v || regionLevel(v) === 5 ? Promise.resolve() : Promise.reject(new Error(t('elders.reg.villageOnly')))) },
              ]}
            >
              <RegionTreeSelect selectableLevel={5} style={{ width: '100%' }} data-testid="reg-region" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="hukouRegionCode" label={t('elders.reg.hukou')}>
              <RegionTreeSelect style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="phone" label={t('elders.reg.phone')} rules={[{ pattern: PHONE, message: t('elders.reg.phoneRule') }]}>
              <Input maxLength={14} inputMode="tel" data-testid="reg-phone" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="livingArrangement" label={t('elders.reg.living')}>
              <Select allowClear options={LIVING_CODES.map((c) => ({ value: c, label: t(`elders.living.${c}`) }))} data-testid="reg-living" />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="address" label={t('elders.reg.address')} rules={[{ max: 200 }]}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
        </Row>
        <CategoryRows />
        <ContactRows />
      </Form>
    </Drawer>
  );
}
