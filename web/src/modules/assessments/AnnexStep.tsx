/** Annex A information the level rules read. GB/T 42195: diagnoses by A.4.1 group (ICD-10
 * optional; a psychiatrist's diagnosis for other mental disorders), care-risk events in 30 days,
 * coma (A.5.11). MZ/T 039: dementia, mental illness and accidents in 30 days. */
import { Card, Checkbox, Form, Input, Radio, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { pick, useLang } from '../../kernel/i18n';
import { ICD10, type FormState } from './state';
import { GB, GB_PSYCHIATRIC_GROUP, RISK_COUNTS, type Diagnosis, type Standard } from './types';

interface Props {
  standard: Standard;
  state: FormState;
  onChange: (patch: Partial<FormState>) => void;
}

export function AnnexStep({ standard, state, onChange }: Props) {
  const { t } = useTranslation();
  return (
    <div data-testid="annex-step">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('assessments.steps.annex')}
      </Typography.Title>
      {standard.code === GB ? (
        <GbDiagnoses standard={standard} state={state} onChange={onChange} />
      ) : (
        <MzConditions standard={standard} state={state} onChange={onChange} />
      )}
      <RiskEvents standard={standard} state={state} onChange={onChange} />
      {standard.code === GB && (
        <Card size="small" title={t('assessments.annex.coma')} style={{ marginBottom: 16 }}>
          <Radio.Group
            size="large"
            optionType="button"
            buttonStyle="solid"
            value={state.comaA511}
            onChange={(e) => onChange({ comaA511: e.target.value as boolean })}
            data-testid="annex-coma"
            options={[
              { value: false, label: t('assessments.annex.comaNo') },
              { value: true, label: t('assessments.annex.comaYes') },
            ]}
          />
        </Card>
      )}
    </div>
  );
}

function GbDiagnoses({ standard, state, onChange }: Props) {
  const { t } = useTranslation();
  const lang = useLang();
  const groups = standard.diagnosisGroups ?? {};
  const selected = state.diagnoses.map((d) => d.group ?? '');
  const setGroups = (codes: string[]) => onChange({ diagnoses: codes.map((g) => state.diagnoses.find((d) => d.group === g) ?? ({ group: g } as Diagnosis)) });
  const setOne = (group: string, patch: Partial<Diagnosis>) =>
    onChange({ diagnoses: state.diagnoses.map((d) => (d.group === group ? { ...d, ...patch } : d)) });

  return (
    <Card size="small" title={t('assessments.annex.diagnoses')} style={{ marginBottom: 16 }}>
      <Select
        mode="multiple"
        size="large"
        allowClear
        style={{ width: '100%' }}
        placeholder={t('assessments.annex.diagnosesPlaceholder')}
        value={selected}
        onChange={setGroups}
        optionFilterProp="label"
        data-testid="annex-diagnoses"
        options={Object.entries(groups).map(([code, g]) => ({
          value: code,
          label: `${pick(g, lang)}${g.icd10 ? `（${g.icd10[0]}${g.icd10[1] !== g.icd10[0] ? `~${g.icd10[1]}` : ''}）` : ''}`,
        }))}
      />
      {state.diagnoses.map((d) => {
        const bad = !!d.icd10?.trim() && !ICD10.test(d.icd10.trim());
        return (
          <Space key={d.group} wrap align="start" style={{ marginTop: 12, width: '100%' }}>
            <Typography.Text strong style={{ display: 'inline-block', minWidth: 160, lineHeight: '40px' }}>
              {pick(groups[d.group ?? ''], lang)}
            </Typography.Text>
            <Form.Item validateStatus={bad ? 'error' : undefined} help={bad ? t('assessments.annex.icd10Invalid') : undefined} style={{ marginBottom: 0 }}>
              <Input
                size="large"
                style={{ width: 200 }}
                placeholder={t('assessments.annex.icd10')}
                value={d.icd10}
                maxLength={8}
                onChange={(e) => setOne(d.group!, { icd10: e.target.value })}
              />
            </Form.Item>
            {d.group === GB_PSYCHIATRIC_GROUP && (
              <Checkbox
                checked={!!d.byPsychiatrist}
                onChange={(e) => setOne(d.group!, { byPsychiatrist: e.target.checked })}
                style={{ lineHeight: '40px' }}
                data-testid="annex-psychiatrist"
              >
                {t('assessments.annex.byPsychiatrist')}
              </Checkbox>
            )}
          </Space>
        );
      })}
    </Card>
  );
}

function MzConditions({ standard, state, onChange }: Props) {
  const { t } = useTranslation();
  const lang = useLang();
  const options = (m: Record<string, { zh: string; en: string }> | undefined) => Object.entries(m ?? {}).map(([value, l]) => ({ value, label: pick(l, lang) }));
  return (
    <>
      <Card size="small" title={t('assessments.annex.dementia')} style={{ marginBottom: 16 }}>
        <Radio.Group
          size="large"
          optionType="button"
          buttonStyle="solid"
          value={state.dementia}
          onChange={(e) => onChange({ dementia: e.target.value as string })}
          options={options(standard.dementia)}
          data-testid="annex-dementia"
        />
      </Card>
      <Card size="small" title={t('assessments.annex.mentalIllness')} style={{ marginBottom: 16 }}>
        <Select
          size="large"
          style={{ width: '100%', maxWidth: 420 }}
          value={state.mentalIllness}
          onChange={(v) => onChange({ mentalIllness: v })}
          options={options(standard.mentalIllness)}
          data-testid="annex-mental"
        />
      </Card>
    </>
  );
}

function RiskEvents({ standard, state, onChange }: Props) {
  const { t } = useTranslation();
  const lang = useLang();
  return (
    <Card size="small" title={standard.code === GB ? t('assessments.annex.risk') : t('assessments.annex.riskMz')} style={{ marginBottom: 16 }}>
      {Object.entries(standard.riskEvents).map(([code, label]) => (
        <div key={code} className="yl-risk-row" data-testid={`risk-${code}`}>
          <span className="yl-risk-label">{pick(label, lang)}</span>
          <Radio.Group
            size="large"
            optionType="button"
            buttonStyle="solid"
            value={state.riskEvents[code] ?? 0}
            onChange={(e) => onChange({ riskEvents: { ...state.riskEvents, [code]: e.target.value as number } })}
            options={RISK_COUNTS.map((n) => ({ value: n, label: t(`assessments.annex.counts.${n}`) }))}
          />
        </div>
      ))}
    </Card>
  );
}
