/** Staff open a family account from an elder's contact (POST …/contacts/:id/account), or the
 * elder's own account (`self`: POST /elders/:id/account, a contact 本人 is added for it). */
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Modal, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../kernel/api';
import { showError, showSuccess } from '../../kernel/notify';

export function FamilyAccountButton({
  elderId,
  contact,
  self,
  hasAccount,
  onDone,
}: {
  elderId: string;
  contact?: { id: string; name: string };
  /** The elder's own account: the elder's name. */
  self?: string;
  hasAccount: boolean;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ username: string; password: string }>();
  const m = useMutation({
    mutationFn: (v: { username: string; password: string }) =>
      post<{ userId: string; username: string }>(contact ? `/api/v1/elders/${elderId}/contacts/${contact.id}/account` : `/api/v1/elders/${elderId}/account`, v),
    onSuccess: (r) => {
      showSuccess(t('family.opened', { username: r.username }));
      setOpen(false);
      onDone();
    },
    onError: showError,
  });
  if (hasAccount) return <Tag color="green">{t('family.hasAccount')}</Tag>;
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} data-testid={contact ? `family-open-${contact.id}` : 'elder-account-open'}>
        {contact ? t('family.open') : t('family.openSelf')}
      </Button>
      <Modal
        open={open}
        title={contact ? t('family.openTitle', { name: contact.name }) : t('family.openSelfTitle', { name: self ?? '' })}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        confirmLoading={m.isPending}
        destroyOnHidden
      >
        <Alert type="info" showIcon message={contact ? t('family.openHint') : t('family.openSelfHint')} style={{ marginBottom: 16 }} />
        <Form form={form} layout="vertical" onFinish={(v) => m.mutate(v)}>
          <Form.Item name="username" label={t('family.username')} rules={[{ required: true, pattern: /^[a-zA-Z0-9_.-]{3,40}$/ }]}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="password" label={t('family.password')} rules={[{ required: true, min: 8 }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
