/** Create or edit a user (county admins); reset a user's password. */
import { useMutation } from '@tanstack/react-query';
import { Alert, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { patch, post } from '../../kernel/api';
import { passwordRules } from '../../kernel/components/ChangePasswordForm';
import { RegionTreeSelect } from '../../kernel/components/RegionTreeSelect';
import { useMe } from '../../kernel/auth';
import { useLabels } from '../../kernel/meta';
import { showSuccess } from '../../kernel/notify';
import type { Role } from '../../kernel/types';
import { PROVIDER_ROLES, type UserView } from './types';

interface Values {
  username: string;
  displayName: string;
  role: Role;
  regionCode: string;
  providerId?: string;
  phone?: string;
  password: string;
}

/** Only the fields that changed: PATCH must not touch one's own role or region. */
function changes(before: UserView, v: Values) {
  const out: Record<string, unknown> = {};
  if (v.displayName.trim() !== before.displayName) out.displayName = v.displayName.trim();
  if (v.role !== before.role) out.role = v.role;
  if (v.regionCode !== before.regionCode) out.regionCode = v.regionCode;
  const provider = PROVIDER_ROLES.includes(v.role) ? v.providerId?.trim() || null : null;
  if (provider !== before.providerId) out.providerId = provider;
  if (v.phone?.trim()) out.phone = v.phone.trim();
  return out;
}

export function UserForm({ user, onClose, onSaved }: { user: UserView | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const me = useMe();
  // The server refuses changing one's own role or region.
  const self = user?.id === me.id;
  const [form] = Form.useForm<Values>();
  const role = Form.useWatch('role', form);
  const isProvider = !!role && PROVIDER_ROLES.includes(role);

  const save = useMutation({
    mutationFn: async (v: Values) => {
      if (!user)
        return post<UserView>('/api/v1/users', {
          username: v.username.trim(),
          displayName: v.displayName.trim(),
          role: v.role,
          regionCode: v.regionCode,
          providerId: isProvider ? v.providerId?.trim() || null : null,
          phone: v.phone?.trim() || null,
          password: v.password,
        });
      const body = changes(user, v);
      return Object.keys(body).length ? patch<UserView>(`/api/v1/users/${user.id}`, body) : user;
    },
    onSuccess: () => {
      showSuccess(user ? t('users.saved') : t('users.created'));
      onSaved();
    },
  });

  return (
    <Modal
      open
      title={user ? t('users.editTitle', { name: user.displayName }) : t('users.createTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
      wrapProps={{ 'data-testid': 'user-form' }}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(v) => save.mutate(v)}
        initialValues={
          user
            ? { username: user.username, displayName: user.displayName, role: user.role, regionCode: user.regionCode, providerId: user.providerId ?? undefined }
            : undefined
        }
      >
        <Form.Item
          name="username"
          label={t('users.username')}
          extra={user ? undefined : t('users.usernameRule')}
          rules={[
            { required: true, message: t('common.required') },
            { pattern: /^[a-zA-Z0-9_.-]{3,40}$/, message: t('users.usernameRule') },
          ]}
        >
          <Input disabled={!!user} autoComplete="off" data-testid="user-username" />
        </Form.Item>
        <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 60 }]}>
          <Input maxLength={60} data-testid="user-displayname" />
        </Form.Item>
        <Form.Item name="role" label={t('users.role')} rules={[{ required: true, message: t('common.required') }]}>
          <Select options={labels.roles.map((r) => ({ value: r.code, label: labels.role(r.code) }))} disabled={self} data-testid="user-role" />
        </Form.Item>
        <Form.Item name="regionCode" label={t('users.region')} rules={[{ required: true, message: t('common.required') }]}>
          <RegionTreeSelect allowClear={false} style={{ width: '100%' }} disabled={self} data-testid="user-region" />
        </Form.Item>
        {isProvider && (
          <Form.Item
            name="providerId"
            label={t('users.providerId')}
            extra={t('users.providerHelp')}
            rules={[{ required: true, whitespace: true, message: t('common.required') }]}
          >
            <Input style={{ fontFamily: 'monospace' }} />
          </Form.Item>
        )}
        <Form.Item name="phone" label={t('users.phone')} rules={[{ pattern: /^1\d{10}$/, message: t('users.phoneRule') }]}>
          <Input maxLength={11} placeholder={user?.phone ?? undefined} inputMode="numeric" />
        </Form.Item>
        {!user && (
          <Form.Item name="password" label={t('users.password')} extra={t('users.passwordHelp')} rules={passwordRules(t)}>
            <Input.Password autoComplete="new-password" data-testid="user-password" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

export function ResetPasswordModal({ user, onClose }: { user: UserView; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ password: string }>();
  const reset = useMutation({
    mutationFn: (password: string) => post(`/api/v1/users/${user.id}/reset-password`, { password }),
    onSuccess: () => {
      showSuccess(t('users.resetDone'));
      onClose();
    },
  });
  return (
    <Modal
      open
      title={t('users.resetTitle', { name: user.displayName })}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={reset.isPending}
      destroyOnHidden
      wrapProps={{ 'data-testid': 'reset-password-modal' }}
    >
      <Alert type="warning" showIcon message={t('users.resetHint')} style={{ marginBottom: 16 }} />
      <Form form={form} layout="vertical" onFinish={(v) => reset.mutate(v.password)}>
        <Form.Item name="password" label={t('users.newPassword')} extra={t('users.passwordHelp')} rules={passwordRules(t)}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
