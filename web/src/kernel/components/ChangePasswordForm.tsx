/** Change one's own password: used by the header's modal and the forced first-login page. */
import { Alert, Button, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, post } from '../api';
import { useAuth } from '../auth';
import { errorText, showSuccess } from '../notify';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export function passwordRules(t: (k: string) => string) {
  return [
    { required: true, message: t('password.required') },
    {
      validator: (_: unknown, v: string) =>
        !v || (v.length >= 8 && v.length <= 128 && /[A-Za-z]/.test(v) && /\d/.test(v)) ? Promise.resolve() : Promise.reject(new Error(t('password.ruleShort'))),
    },
  ];
}

export function ChangePasswordForm({ onDone, onCancel, submitText }: { onDone?: () => void; onCancel?: () => void; submitText?: string }) {
  const { t } = useTranslation();
  const { refresh } = useAuth();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      await post('/api/v1/auth/password', { currentPassword: v.currentPassword, newPassword: v.newPassword });
      showSuccess(t('password.success'));
      form.resetFields();
      await refresh();
      onDone?.();
    } catch (e) {
      // A refused new password says why beside the field (e.g. 与常用密码相似).
      if (e instanceof ApiError && e.code === 'WEAK_PASSWORD') form.setFields([{ name: 'newPassword', errors: [errorText(e)] }]);
      else setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} data-testid="change-password-form">
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="change-password-error" />}
      <Form.Item name="currentPassword" label={t('password.current')} rules={[{ required: true, message: t('password.required') }]}>
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label={t('password.new')}
        extra={t('password.rule')}
        dependencies={['currentPassword']}
        rules={[
          ...passwordRules(t),
          ({ getFieldValue }) => ({
            validator: (_, v: string) =>
              !v || v !== getFieldValue('currentPassword') ? Promise.resolve() : Promise.reject(new Error(t('password.sameAsOld'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('password.confirm')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('password.required') },
          ({ getFieldValue }) => ({
            validator: (_, v: string) => (!v || v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('password.mismatch')))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end' }}>
        {onCancel && <Button onClick={onCancel}>{t('common.cancel')}</Button>}
        <Button type="primary" htmlType="submit" loading={busy} block={!onCancel}>
          {submitText ?? t('password.submit')}
        </Button>
      </div>
    </Form>
  );
}

export function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal open={open} title={t('password.title')} onCancel={onClose} footer={null} destroyOnHidden width={440}>
      <ChangePasswordForm onDone={onClose} onCancel={onClose} />
    </Modal>
  );
}
