/** Condition fields of the policy editor (eligibility and tier conditions). */
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Checkbox, Col, Form, InputNumber, Row, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLabels } from '../../kernel/meta';
import { useDescribe } from './common';
import { condFromForm, type CondForm } from './policyForm';
import { STANDARDS } from './types';

/** The fields of one condition, under `prefix` (relative to the enclosing Form.List). */
export function CondFields({ prefix }: { prefix: (string | number)[] }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const cats = labels.categories.map((c) => ({ value: c.code, label: labels.category(c.code) }));
  return (
    <>
      <Row gutter={8}>
        <Col xs={12} md={4}>
          <Form.Item name={[...prefix, 'minAge']} label={t('benefits.cond.minAge')}>
            <InputNumber min={0} max={150} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12} md={4}>
          <Form.Item name={[...prefix, 'maxAge']} label={t('benefits.cond.maxAge')}>
            <InputNumber min={0} max={150} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name={[...prefix, 'categoriesAny']} label={t('benefits.cond.categoriesAny')}>
            <Select mode="multiple" allowClear options={cats} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name={[...prefix, 'categoriesNone']} label={t('benefits.cond.categoriesNone')}>
            <Select mode="multiple" allowClear options={cats} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={8}>
        <Col xs={12} md={5}>
          <Form.Item name={[...prefix, 'residence']} label={t('benefits.cond.residence')}>
            <Select
              allowClear
              placeholder={t('benefits.cond.any')}
              options={(['urban', 'rural'] as const).map((r) => ({ value: r, label: t(`benefits.cond.residences.${r}`) }))}
            />
          </Form.Item>
        </Col>
        <Col xs={12} md={5}>
          <Form.Item name={[...prefix, 'inInstitution']} label={t('benefits.cond.inInstitution')}>
            <Select
              allowClear
              placeholder={t('benefits.cond.any')}
              options={(['yes', 'no'] as const).map((r) => ({ value: r, label: t(`benefits.cond.institution.${r}`) }))}
            />
          </Form.Item>
        </Col>
        <Col xs={12} md={4}>
          <Form.Item name={[...prefix, 'localHukou']} label={t('benefits.cond.localHukou')} valuePropName="checked">
            <Checkbox />
          </Form.Item>
        </Col>
        <Col xs={24} md={10}>
          <Form.Item label={t('benefits.cond.ability')} style={{ marginBottom: 8 }}>
            <Form.List name={[...prefix, 'ability']}>
              {(fields, { add, remove }) => (
                <>
                  {fields.map((f) => (
                    <Space key={f.key} align="baseline" size={4} wrap>
                      <Form.Item name={[f.name, 'standard']} rules={[{ required: true, message: t('common.required') }]} style={{ marginBottom: 4 }}>
                        <Select style={{ width: 150 }} options={STANDARDS.map((s) => ({ value: s, label: s }))} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'minLevel']} style={{ marginBottom: 4 }}>
                        <InputNumber min={0} max={5} precision={0} style={{ width: 56 }} />
                      </Form.Item>
                      –
                      <Form.Item name={[f.name, 'maxLevel']} style={{ marginBottom: 4 }}>
                        <InputNumber min={0} max={5} precision={0} style={{ width: 56 }} />
                      </Form.Item>
                      <MinusCircleOutlined onClick={() => remove(f.name)} />
                    </Space>
                  ))}
                  {fields.length < 4 && (
                    <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={() => add({ standard: STANDARDS[0], minLevel: 2, maxLevel: 4 })}>
                      {t('benefits.cond.addBand')}
                    </Button>
                  )}
                </>
              )}
            </Form.List>
          </Form.Item>
        </Col>
      </Row>
    </>
  );
}

/** A tier's condition in words; its fields open on demand (kept mounted so they are submitted). */
export function TierCondition({ path, prefix, error }: { path: (string | number)[]; prefix: (string | number)[]; error: boolean }) {
  const { t } = useTranslation();
  const describe = useDescribe();
  const form = Form.useFormInstance();
  const when = Form.useWatch(path, form) as CondForm | undefined;
  const [open, setOpen] = useState(false);
  const shown = open || error;
  return (
    <>
      <Space size="small" wrap style={{ marginBottom: shown ? 8 : 0 }}>
        <Typography.Text type="secondary">{t('benefits.policy.tierWhen')}：</Typography.Text>
        <Typography.Text>{describe(condFromForm(when), t('benefits.policy.otherwise'))}</Typography.Text>
        <Typography.Link onClick={() => setOpen(!shown)}>{shown ? t('common.close') : t('common.edit')}</Typography.Link>
      </Space>
      <div style={{ display: shown ? 'block' : 'none' }}>
        <CondFields prefix={prefix} />
      </div>
    </>
  );
}
