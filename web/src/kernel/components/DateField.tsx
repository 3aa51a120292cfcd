/**
 * Ant Design's date, month and time pickers holding the plain strings the API speaks
 * ('2026-05-01', '2026-05', '09:30'), so a form or a filter keeps its string state. The
 * browser's own date inputs looked different beside Ant Design's and spoke the browser's
 * language; these follow the app's locale (zh_CN from the ConfigProvider).
 */
import { DatePicker, TimePicker } from 'antd';
import dayjs from 'dayjs';
import type { CSSProperties } from 'react';

interface Props {
  /** Controlled value; leave it out (undefined) and give `defaultValue` for an uncontrolled field. */
  value?: string | null;
  defaultValue?: string;
  onChange?: (value: string) => void;
  /** Earliest and latest day (or month) that can be picked, same format as the value. */
  min?: string;
  max?: string;
  allowClear?: boolean;
  style?: CSSProperties;
  className?: string;
  size?: 'small' | 'middle' | 'large';
  placeholder?: string;
  'data-testid'?: string;
  'aria-label'?: string;
}

function Field({ picker, value, defaultValue, onChange, min, max, ...rest }: Props & { picker: 'date' | 'month' }) {
  const fmt = picker === 'month' ? 'YYYY-MM' : 'YYYY-MM-DD';
  const unit = picker === 'month' ? 'month' : 'day';
  return (
    <DatePicker
      picker={picker}
      format={fmt}
      value={value === undefined ? undefined : value ? dayjs(value) : null}
      defaultValue={defaultValue ? dayjs(defaultValue) : undefined}
      onChange={(d) => onChange?.(d ? d.format(fmt) : '')}
      disabledDate={min || max ? (d) => (!!min && d.isBefore(dayjs(min), unit)) || (!!max && d.isAfter(dayjs(max), unit)) : undefined}
      {...rest}
    />
  );
}

/** A day as 'YYYY-MM-DD'. */
export function DateField(props: Props) {
  return <Field picker="date" {...props} />;
}

/** A month as 'YYYY-MM'. */
export function MonthField(props: Props) {
  return <Field picker="month" {...props} />;
}

/** A time of day as 'HH:mm', in steps of `minuteStep` minutes (30 by default: the order slots). */
export function TimeField({ value, defaultValue, onChange, minuteStep = 30, ...rest }: Omit<Props, 'min' | 'max'> & { minuteStep?: 1 | 5 | 10 | 15 | 30 }) {
  return (
    <TimePicker
      format="HH:mm"
      minuteStep={minuteStep}
      needConfirm={false}
      value={value === undefined ? undefined : value ? dayjs(`2000-01-01T${value}`) : null}
      defaultValue={defaultValue ? dayjs(`2000-01-01T${defaultValue}`) : undefined}
      onChange={(d) => onChange?.(d ? d.format('HH:mm') : '')}
      {...rest}
    />
  );
}
