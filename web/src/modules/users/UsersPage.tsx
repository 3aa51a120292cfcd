/** 用户与权限: accounts of the admin's area, with create/edit, password reset, unlock, enable/disable. */
import { PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Select, Space, Tag } from 'antd';
import { Table } from '../../kernel/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post, patch } from '../../kernel/api';
import { useMe } from '../../kernel/auth';
import { PageHeader } from '../../kernel/components/PageHeader';
import { RegionTreeSelect } from '../../kernel/components/RegionTreeSelect';
import { formatDateTime, fmtCount } from '../../kernel/format';
import { useLabels } from '../../kernel/meta';
import { showSuccess } from '../../kernel/notify';
import type { Page, Role } from '../../kernel/types';
import type { UserView } from './types';
import { ResetPasswordModal, UserForm } from './UserForm';

interface Filters {
  q?: string;
  role?: Role;
  regionCode?: string;
}

export default function UsersPage() {
  const { t } = useTranslation();
  const me = useMe();
  const labels = useLabels();
  const qc = useQueryClient();
  const { modal } = App.useApp();
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [editing, setEditing] = useState<UserView | 'new' | null>(null);
  const [resetting, setResetting] = useState<UserView | null>(null);

  const query = { ...filters, q: filters.q?.trim() || undefined, ...paging };
  const list = useQuery({
    queryKey: ['users', query],
    queryFn: () => get<Page<UserView>>('/api/v1/users', query),
    placeholderData: keepPreviousData,
  });
  const reload = () => qc.invalidateQueries({ queryKey: ['users'] });

  const unlock = useMutation({
    mutationFn: (u: UserView) => post(`/api/v1/users/${u.id}/unlock`),
    onSuccess: () => {
      showSuccess(t('users.unlocked'));
      void reload();
    },
  });
  const setStatus = useMutation({
    mutationFn: ({ u, status }: { u: UserView; status: 'active' | 'disabled' }) => patch(`/api/v1/users/${u.id}`, { status }),
    onSuccess: (_d, v) => {
      showSuccess(v.status === 'disabled' ? t('users.disabledDone') : t('users.enabledDone'));
      void reload();
    },
  });

  const toggle = (u: UserView) => {
    const status = u.status === 'active' ? 'disabled' : 'active';
    modal.confirm({
      title: t('common.confirmTitle'),
      content: status === 'disabled' ? t('users.disableConfirm', { name: u.displayName }) : t('users.enableConfirm', { name: u.displayName }),
      okButtonProps: { danger: status === 'disabled' },
      onOk: () => setStatus.mutateAsync({ u, status }),
    });
  };

  return (
    <div data-testid="users-page">
      <PageHeader
        title={t('users.title')}
        sub={t('users.sub')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="user-create">
            {t('users.create')}
          </Button>
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form<Filters>
          form={form}
          layout="inline"
          className="yl-filters"
          onFinish={(v) => {
            setFilters(v);
            setPaging((p) => ({ ...p, page: 1 }));
          }}
        >
          <Form.Item name="q" label={t('users.q')}>
            <Input allowClear style={{ width: 180 }} maxLength={40} />
          </Form.Item>
          <Form.Item name="role" label={t('users.role')}>
            <Select
              allowClear
              placeholder={t('common.all')}
              style={{ width: 200 }}
              options={labels.roles.map((r) => ({ value: r.code, label: labels.role(r.code) }))}
            />
          </Form.Item>
          <Form.Item name="regionCode" label={t('users.region')}>
            <RegionTreeSelect style={{ width: 220 }} />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                {t('common.search')}
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  setFilters({});
                  setPaging((p) => ({ ...p, page: 1 }));
                }}
              >
                {t('common.reset')}
              </Button>
            </Space>
          </Form.Item>
        </Form>
      </Card>
      <Card size="small">
        <Table<UserView>
          rowKey="id"
          size="middle"
          loading={list.isFetching}
          dataSource={list.data?.items}
          scroll={{ x: 1100 }}
          data-testid="users-table"
          pagination={{
            current: paging.page,
            pageSize: paging.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t('common.total', { total: fmtCount(total) }),
            onChange: (page, pageSize) => setPaging({ page, pageSize }),
          }}
          columns={[
            {
              title: t('users.username'),
              dataIndex: 'username',
              width: 130,
              fixed: 'left',
              render: (v: string) => <span data-testid="user-row-username">{v}</span>,
            },
            { title: t('users.displayName'), dataIndex: 'displayName', width: 200, render: (v: string, u) => (u.id === me.id ? `${v}${t('users.self')}` : v) },
            {
              title: t('users.role'),
              dataIndex: 'role',
              width: 170,
              render: (r: Role) => <Tag color={r === 'county_admin' ? 'geekblue' : 'blue'}>{labels.role(r)}</Tag>,
            },
            { title: t('users.region'), dataIndex: 'regionName', width: 170, render: (v: string | null, u) => v ?? u.regionCode },
            { title: t('users.phone'), dataIndex: 'phone', width: 130, render: (v: string | null) => v ?? '—' },
            {
              title: t('users.status'),
              key: 'status',
              width: 140,
              render: (_, u) => (
                <Space size={4} wrap>
                  {u.status === 'active' ? <Tag color="green">{t('users.active')}</Tag> : <Tag color="default">{t('users.disabled')}</Tag>}
                  {u.locked && <Tag color="red">{t('users.locked')}</Tag>}
                </Space>
              ),
            },
            { title: t('users.lastLogin'), dataIndex: 'lastLoginAt', width: 170, render: formatDateTime },
            {
              title: t('common.actions'),
              key: 'actions',
              fixed: 'right',
              width: 250,
              render: (_, u) => (
                <Space size={0} wrap>
                  <Button type="link" size="small" onClick={() => setEditing(u)}>
                    {t('common.edit')}
                  </Button>
                  <Button type="link" size="small" onClick={() => setResetting(u)}>
                    {t('users.reset')}
                  </Button>
                  {u.locked && (
                    <Button type="link" size="small" onClick={() => unlock.mutate(u)}>
                      {t('users.unlock')}
                    </Button>
                  )}
                  {u.id !== me.id && (
                    <Button type="link" size="small" danger={u.status === 'active'} onClick={() => toggle(u)}>
                      {u.status === 'active' ? t('users.disable') : t('users.enable')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {editing && (
        <UserForm
          user={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void reload();
          }}
        />
      )}
      {resetting && <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />}
    </div>
  );
}
