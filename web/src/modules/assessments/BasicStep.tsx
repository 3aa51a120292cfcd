/** Step 1 基本信息: standard, reason (A.1), reference date, assessors. */
import { Card, DatePicker, Form, Radio, Segmented, Select } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { pick, useLang } from '../../kernel/i18n';
import type { FormState } from './state';
import type { Standard, StandardCode } from './types';

interface Props {
  standards: Standard[];
  standard: Standard;
  state: FormState;
  birthDate?: string;
  showErrors: boolean;
  onChange: (patch: Partial<FormState>) => void;
  onStandard: (code: StandardCode) => void;
}

export function BasicStep({ standards, standard, state, birthDate, showErrors, onChange, onStandard }: Props) {
  const { t } = useTranslation();
  const lang = useLang();
  const noAssessors = state.assessors.length === 0;
  return (
    <Card size="small" data-testid="basic-step">
      <Form layout="vertical" size="large">
        <Form.Item label={t('assessments.standard')}>
          <Segmented<StandardCode>
            size="large"
            value={standard.code}
            onChange={onStandard}
            options={standards.map((s) => ({ value: s.code, label: <span data-testid={`standard-${s.code.slice(0, 2)}`}>{s.code}</span> }))}
          />
        </Form.Item>
        <Form.Item label={t('assessments.reason')} required>
          <Radio.Group
            value={state.reason}
            onChange={(e) => onChange({ reason: e.target.value as string })}
            className="yl-reasons"
            data-testid="assess-reason"
            options={Object.entries(standard.reasons).map(([value, l]) => ({ value, label: pick(l, lang) }))}
          />
        </Form.Item>
        <Form.Item
          label={t('assessments.referenceDate')}
          required
          validateStatus={showErrors && !state.referenceDate ? 'error' : undefined}
          help={showErrors && !state.referenceDate ? t('assessments.dateRequired') : undefined}
        >
          <DatePicker
            value={state.referenceDate ? dayjs(state.referenceDate) : null}
            onChange={(d) => onChange({ referenceDate: d ? d.format('YYYY-MM-DD') : '' })}
            disabledDate={(d) => d.isAfter(dayjs(), 'day') || (!!birthDate && d.isBefore(dayjs(birthDate), 'day'))}
            allowClear={false}
            data-testid="assess-date"
          />
        </Form.Item>
        <Form.Item
          label={t('assessments.assessors')}
          required
          extra={t('assessments.assessorsHelp')}
          validateStatus={noAssessors ? 'error' : undefined}
          help={noAssessors ? t('assessments.assessorsRequired') : undefined}
        >
          <Select
            mode="tags"
            open={false}
            suffixIcon={null}
            value={state.assessors}
            onChange={(v: string[]) =>
              onChange({
                assessors: v
                  .map((s) => s.trim().slice(0, 30))
                  .filter(Boolean)
                  .slice(0, 5),
              })
            }
            tokenSeparators={[',', '，', '、']}
            data-testid="assess-assessors"
          />
        </Form.Item>
      </Form>
    </Card>
  );
}
