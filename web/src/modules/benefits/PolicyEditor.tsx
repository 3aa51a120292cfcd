/** The policy editor (county admin, drafts only): name, effective month, every benefit with its
 * eligibility, tiers (amount in 元), start/stop rules, and exclusion groups. Server validation
 * problems are placed on the fields and listed above the form. */
import { DeleteOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Checkbox, Col, DatePicker, Drawer, Form, Grid, Input, InputNumber, Row, Select, Space, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../kernel/api';
import { showSuccess } from '../../kernel/notify';
import { ErrorAlert } from './common';
import { CondFields, TierCondition } from './CondFields';
import { FIELD_KEYS, fromForm, NEW_BENEFIT, placeProblems, toForm, type BenefitForm, type PolicyForm } from './policyForm';
import type { Policy } from './types';

export function PolicyEditor({ policy, onClose }: { policy: Policy | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<PolicyForm>();
  const benefits = Form.useWatch('benefits', form) as BenefitForm[] | undefined;

  useEffect(() => {
    if (policy) form.setFieldsValue(toForm(policy));
  }, [policy, form]);

  const save = useMutation({
    meta: { silent: true },
    mutationFn: (v: PolicyForm) => api(`/api/v1/benefits/policies/${policy!.id}`, { method: 'PUT', body: fromForm(v) }),
    onSuccess: () => {
      showSuccess(t('benefits.editor.saved'));
      void qc.invalidateQueries({ queryKey: ['benefits'] });
      onClose();
    },
    onError: (err) => {
      if (err instanceof ApiError) placeProblems(form, err, i18n.language);
    },
    onSettled: () => setTimeout(() => document.querySelector('[data-testid=policy-editor] .ant-form-item-has-error')?.scrollIntoView({ block: 'center' }), 100),
  });

  const codes = (benefits ?? []).map((b) => b?.code).filter(Boolean);
  const problems = save.error instanceof ApiError ? save.error.problems : [];
  const problemAt = (prefix: string) => problems.some((p) => p.path.startsWith(prefix));
  /** rules.benefits.1.tiers.0.amountCents → 补贴项目“护理补贴” › 档次1 › 金额（元/月） */
  const pathLabel = (path: string) => {
    const seg = path.replace(/^rules\./, '').split('.');
    const out: string[] = [];
    for (let i = 0; i < seg.length; i++) {
      const s = seg[i]!;
      const n = Number(seg[i + 1]);
      if (s === 'benefits' && Number.isInteger(n)) {
        out.push(`${t('benefits.policy.benefit')}${n + 1}${benefits?.[n]?.name ? `“${benefits[n]!.name}”` : ''}`);
        i++;
      } else if ((s === 'tiers' || s === 'exclusions' || s === 'ability') && Number.isInteger(n)) {
        out.push(`${t(s === 'tiers' ? 'benefits.policy.tier' : s === 'exclusions' ? 'benefits.policy.exclusions' : 'benefits.cond.ability')}${n + 1}`);
        i++;
      } else out.push(FIELD_KEYS[s] ? t(FIELD_KEYS[s]) : s);
    }
    return out.join(' › ');
  };

  return (
    <Drawer
      open={!!policy}
      onClose={onClose}
      width={screens.lg ? 1080 : '100%'}
      title={policy ? `${t('benefits.editor.title')} · ${policy.policyKey} ${t('benefits.policy.versionN', { version: policy.version })}` : ''}
      destroyOnHidden
      data-testid="policy-editor"
      footer={
        save.error ? <ErrorAlert error={save.error} title={problems.length ? t('benefits.editor.serverErrors') : undefined} pathLabel={pathLabel} /> : null
      }
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="policy-save">
            {t('benefits.editor.save')}
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} scrollToFirstError>
        <Row gutter={12}>
          <Col xs={24} md={12}>
            <Form.Item name="name" label={t('benefits.policy.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
              <Input maxLength={200} data-testid="policy-name" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="effectiveFrom" label={t('benefits.policy.effectiveFrom')} rules={[{ required: true, message: t('common.required') }]}>
              <DatePicker picker="month" allowClear={false} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="backpayMonths" label={t('benefits.policy.backpayMonths')} tooltip={t('benefits.policy.backpayHint')}>
              <InputNumber min={0} max={24} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="sourceNote" label={t('benefits.policy.sourceNote')}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
        <Form.List name="benefits">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, bi) => (
                <Card
                  key={f.key}
                  size="small"
                  style={{ marginBottom: 12 }}
                  title={`${bi + 1}. ${benefits?.[bi]?.name || t('benefits.policy.benefit')}`}
                  extra={
                    fields.length > 1 && (
                      <Button size="small" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)}>
                        {t('benefits.editor.removeBenefit')}
                      </Button>
                    )
                  }
                  data-testid={`policy-benefit-${bi}`}
                >
                  <Row gutter={8}>
                    <Col xs={12} md={5}>
                      <Form.Item
                        name={[f.name, 'code']}
                        label={t('benefits.policy.code')}
                        tooltip={t('benefits.editor.codeHint')}
                        rules={[{ required: true, pattern: /^[a-z][a-z0-9_]{1,39}$/, message: t('benefits.editor.codeHint') }]}
                      >
                        <Input />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={7}>
                      <Form.Item
                        name={[f.name, 'name']}
                        label={t('benefits.policy.benefit')}
                        rules={[{ required: true, whitespace: true, message: t('common.required') }]}
                      >
                        <Input maxLength={60} data-testid={`benefit-name-${bi}`} />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={6}>
                      <Form.Item name={[f.name, 'payment']} label={t('benefits.policy.payment')}>
                        <Select options={(['cash', 'service'] as const).map((p) => ({ value: p, label: t(`benefits.policy.payments.${p}`) }))} />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={6}>
                      <Form.Item name={[f.name, 'needsApplication']} label={t('benefits.policy.needsApplication')} valuePropName="checked">
                        <Checkbox />
                      </Form.Item>
                    </Col>
                  </Row>
                  <Row gutter={8}>
                    <Col xs={12} md={6}>
                      <Form.Item name={[f.name, 'startsFrom']} label={t('benefits.policy.startsFrom')}>
                        <Select options={(['same_month', 'next_month'] as const).map((p) => ({ value: p, label: t(`benefits.policy.starts.${p}`) }))} />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={6}>
                      <Form.Item name={[f.name, 'stopsFrom']} label={t('benefits.policy.stopsFrom')}>
                        <Select options={(['same_month', 'next_month'] as const).map((p) => ({ value: p, label: t(`benefits.policy.stops.${p}`) }))} />
                      </Form.Item>
                    </Col>
                    <Col xs={24} md={8}>
                      <Form.Item name={[f.name, 'content']} label={t('benefits.policy.content')}>
                        <Input maxLength={500} />
                      </Form.Item>
                    </Col>
                    <Col xs={24} md={4}>
                      <Form.Item name={[f.name, 'responsible']} label={t('benefits.policy.responsible')}>
                        <Input maxLength={100} />
                      </Form.Item>
                    </Col>
                  </Row>
                  <Typography.Text strong>{t('benefits.policy.eligibility')}</Typography.Text>
                  <CondFields prefix={[f.name, 'eligibility']} />
                  <Typography.Text strong>{t('benefits.policy.tiers')}</Typography.Text>{' '}
                  <Typography.Text type="secondary">{t('benefits.editor.tierOrder')}</Typography.Text>
                  <Form.List name={[f.name, 'tiers']}>
                    {(tiers, tl) => (
                      <>
                        {tiers.map((tf, ti) => (
                          <Card key={tf.key} size="small" type="inner" style={{ marginTop: 8 }} data-testid={`benefit-${bi}-tier-${ti}`}>
                            <Row gutter={8} align="bottom">
                              <Col xs={12} md={10}>
                                <Form.Item
                                  name={[tf.name, 'label']}
                                  label={t('benefits.policy.tier')}
                                  rules={[{ required: true, whitespace: true, message: t('common.required') }]}
                                >
                                  <Input maxLength={60} />
                                </Form.Item>
                              </Col>
                              <Col xs={10} md={8}>
                                <Form.Item
                                  name={[tf.name, 'amount']}
                                  label={t('benefits.policy.amount')}
                                  rules={[{ required: true, message: t('common.required') }]}
                                >
                                  <InputNumber
                                    min={0}
                                    max={100000}
                                    precision={2}
                                    prefix="¥"
                                    style={{ width: '100%' }}
                                    data-testid={`tier-amount-${bi}-${ti}`}
                                  />
                                </Form.Item>
                              </Col>
                              <Col xs={2} md={6}>
                                {tiers.length > 1 && (
                                  <Form.Item>
                                    <Button icon={<MinusCircleOutlined />} onClick={() => tl.remove(tf.name)} />
                                  </Form.Item>
                                )}
                              </Col>
                            </Row>
                            <TierCondition
                              path={['benefits', f.name, 'tiers', tf.name, 'when']}
                              prefix={[tf.name, 'when']}
                              error={problemAt(`rules.benefits.${f.name}.tiers.${tf.name}.when`)}
                            />
                          </Card>
                        ))}
                        {tiers.length < 20 && (
                          <Button type="dashed" icon={<PlusOutlined />} onClick={() => tl.add({ label: '', when: {}, amount: 0 })} style={{ marginTop: 8 }}>
                            {t('benefits.editor.addTier')}
                          </Button>
                        )}
                      </>
                    )}
                  </Form.List>
                </Card>
              ))}
              <Button
                type="dashed"
                block
                icon={<PlusOutlined />}
                onClick={() => add({ ...NEW_BENEFIT, tiers: [{ label: '', when: {}, amount: 0 }] })}
                style={{ marginBottom: 16 }}
              >
                {t('benefits.editor.addBenefit')}
              </Button>
            </>
          )}
        </Form.List>
        <Typography.Title level={5}>{t('benefits.policy.exclusions')}</Typography.Title>
        <Form.List name="exclusions">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Row key={f.key} gutter={8} align="top">
                  <Col xs={24} md={10}>
                    <Form.Item
                      name={[f.name, 'benefits']}
                      label={t('benefits.editor.excludeBenefits')}
                      rules={[{ required: true, type: 'array', min: 2, message: t('common.required') }]}
                    >
                      <Select mode="multiple" options={codes.map((c) => ({ value: c, label: benefits?.find((b) => b?.code === c)?.name || c }))} />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={5}>
                    <Form.Item name={[f.name, 'keep']} label=" ">
                      <Select options={(['highest', 'first'] as const).map((k) => ({ value: k, label: t(`benefits.policy.keep.${k}`) }))} />
                    </Form.Item>
                  </Col>
                  <Col xs={10} md={8}>
                    <Form.Item name={[f.name, 'note']} label={t('benefits.editor.note')}>
                      <Input maxLength={200} />
                    </Form.Item>
                  </Col>
                  <Col xs={2} md={1}>
                    <Form.Item label=" ">
                      <MinusCircleOutlined onClick={() => remove(f.name)} />
                    </Form.Item>
                  </Col>
                </Row>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ benefits: [], keep: 'highest', note: '' })}>
                {t('benefits.editor.addExclusion')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}
