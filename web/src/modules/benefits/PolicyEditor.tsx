/** The policy editor (county admin, drafts only): name, effective month, every benefit with its
 * eligibility, tiers (amount in 元), start/stop rules, and exclusion groups. Server validation
 * problems are placed on the fields and listed above the form. */
import { DeleteOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Checkbox, Col, DatePicker, Drawer, Form, Grid, Input, InputNumber, Row, Select, Space, Typography } from 'antd';
import type { FormInstance } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../kernel/api';
import { useLabels } from '../../kernel/meta';
import { showSuccess } from '../../kernel/notify';
import { ErrorAlert, useDescribe } from './common';
import { STANDARDS, type AbilityBand, type Condition, type Policy, type PolicyRules } from './types';

interface CondForm {
  minAge?: number | null;
  maxAge?: number | null;
  categoriesAny?: string[];
  categoriesNone?: string[];
  ability?: AbilityBand[];
  residence?: 'urban' | 'rural' | null;
  inInstitution?: 'yes' | 'no' | null;
  localHukou?: boolean;
}

interface BenefitForm {
  code: string;
  name: string;
  payment: 'cash' | 'service';
  content?: string;
  responsible?: string;
  needsApplication: boolean;
  startsFrom: 'same_month' | 'next_month';
  stopsFrom: 'same_month' | 'next_month';
  eligibility: CondForm;
  tiers: { label: string; when: CondForm; amount: number }[];
}

interface PolicyForm {
  name: string;
  effectiveFrom: Dayjs;
  sourceNote?: string | null;
  backpayMonths: number;
  benefits: BenefitForm[];
  exclusions: { benefits: string[]; keep: 'highest' | 'first'; note?: string }[];
}

const condToForm = (c: Condition = {}): CondForm => ({
  ...c,
  inInstitution: c.inInstitution == null ? null : c.inInstitution ? 'yes' : 'no',
});

function condFromForm(f: CondForm = {}): Condition {
  const c: Condition = {};
  if (f.minAge != null) c.minAge = f.minAge;
  if (f.maxAge != null) c.maxAge = f.maxAge;
  if (f.categoriesAny?.length) c.categoriesAny = f.categoriesAny;
  if (f.categoriesNone?.length) c.categoriesNone = f.categoriesNone;
  const bands = (f.ability ?? []).filter((b) => b && b.standard);
  if (bands.length) c.ability = bands.map((b) => ({ standard: b.standard, minLevel: b.minLevel ?? 0, maxLevel: b.maxLevel ?? b.minLevel ?? 0 }));
  if (f.residence) c.residence = f.residence;
  if (f.inInstitution) c.inInstitution = f.inInstitution === 'yes';
  if (f.localHukou) c.localHukou = true;
  return c;
}

export function toForm(p: Policy): PolicyForm {
  return {
    name: p.name,
    effectiveFrom: dayjs(p.effectiveFrom),
    sourceNote: p.sourceNote,
    backpayMonths: p.rules.backpayMonths ?? 6,
    benefits: p.rules.benefits.map((b) => ({
      ...b,
      eligibility: condToForm(b.eligibility),
      tiers: b.tiers.map((t) => ({ label: t.label, when: condToForm(t.when), amount: t.amountCents / 100 })),
    })),
    exclusions: (p.rules.exclusions ?? []).map((x) => ({ ...x })),
  };
}

export function fromForm(v: PolicyForm): { name: string; effectiveFrom: string; sourceNote: string | null; rules: PolicyRules } {
  return {
    name: v.name.trim(),
    effectiveFrom: v.effectiveFrom.startOf('month').format('YYYY-MM-DD'),
    sourceNote: v.sourceNote?.trim() || null,
    rules: {
      backpayMonths: v.backpayMonths ?? 0,
      benefits: (v.benefits ?? []).map((b) => ({
        code: (b.code ?? '').trim(),
        name: (b.name ?? '').trim(),
        payment: b.payment,
        content: b.content ?? '',
        responsible: b.responsible || '县民政局',
        needsApplication: !!b.needsApplication,
        startsFrom: b.startsFrom,
        stopsFrom: b.stopsFrom,
        eligibility: condFromForm(b.eligibility),
        tiers: (b.tiers ?? []).map((t) => ({ label: (t.label ?? '').trim(), when: condFromForm(t.when), amountCents: Math.round((t.amount ?? 0) * 100) })),
      })),
      exclusions: (v.exclusions ?? []).map((x) => ({ benefits: x.benefits ?? [], keep: x.keep ?? 'highest', note: x.note ?? '' })),
    },
  };
}

/** Server path (rules.benefits.0.tiers.1.amountCents) → form name (benefits, 0, tiers, 1, amount). */
function placeProblems(form: FormInstance, err: ApiError, lang: string) {
  const en = lang.startsWith('en');
  form.setFields(
    err.problems.map((p) => ({
      name: p.path
        .replace(/^rules\./, '')
        .split('.')
        .map((s) => (s === 'amountCents' ? 'amount' : /^\d+$/.test(s) ? Number(s) : s)),
      errors: [en ? p.messageEn : p.message],
    })),
  );
}

const FIELD_KEYS: Record<string, string> = {
  name: 'benefits.policy.name',
  effectiveFrom: 'benefits.policy.effectiveFrom',
  sourceNote: 'benefits.policy.sourceNote',
  backpayMonths: 'benefits.policy.backpayMonths',
  code: 'benefits.policy.code',
  payment: 'benefits.policy.payment',
  content: 'benefits.policy.content',
  responsible: 'benefits.policy.responsible',
  eligibility: 'benefits.policy.eligibility',
  when: 'benefits.policy.tierWhen',
  label: 'benefits.policy.tier',
  amountCents: 'benefits.policy.amount',
  minAge: 'benefits.cond.minAge',
  maxAge: 'benefits.cond.maxAge',
  categoriesAny: 'benefits.cond.categoriesAny',
  categoriesNone: 'benefits.cond.categoriesNone',
  residence: 'benefits.cond.residence',
  minLevel: 'benefits.cond.ability',
  maxLevel: 'benefits.cond.ability',
};

const NEW_BENEFIT: BenefitForm = {
  code: '',
  name: '',
  payment: 'cash',
  content: '',
  responsible: '县民政局',
  needsApplication: false,
  startsFrom: 'same_month',
  stopsFrom: 'next_month',
  eligibility: {},
  tiers: [{ label: '', when: {}, amount: 0 }],
};

/** The fields of one condition, under `prefix` (relative to the enclosing Form.List). */
function CondFields({ prefix }: { prefix: (string | number)[] }) {
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
function TierCondition({ path, prefix, error }: { path: (string | number)[]; prefix: (string | number)[]; error: boolean }) {
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
