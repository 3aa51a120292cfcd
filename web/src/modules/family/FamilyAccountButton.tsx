/** Staff open a family account from an elder's contact (POST …/contacts/:id/account). */
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Modal, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../kernel/api';
import { showError, showSuccess } from '../../kernel/notify';

export function FamilyAccountButton({
  elderId,
  contact,
  hasAccount,
  onDone,
}: {
  elderId: string;
  contact: { id: string; name: string };
  hasAccount: boolean;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ username: string; password: string }>();
  const m = useMutation({
    mutationFn: (v: { username: string; password: string }) =>
      post<{ userId: string; username: string }>(`/api/v1/elders/${elderId}/contacts/${contact.id}/account`, v),
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
      <Button size="small" onClick={() => setOpen(true)} data-testid={`family-open-${contact.id}`}>
        {t('family.open')}
      </Button>
      <Modal
        open={open}
        title={t('family.openTitle', { name: contact.name })}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        confirmLoading={m.isPending}
        destroyOnHidden
      >
        <Alert type="info" showIcon message={t('family.openHint')} style={{ marginBottom: 16 }} />
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
