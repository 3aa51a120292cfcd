/** 补贴政策: every policy set and version; read by all, edited by the county admin (drafts),
 * published, made active; a side-by-side comparison of two policies on this county's data. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Drawer, Form, Grid, Input, Modal, Select, Space, Tag, Typography } from 'antd';
import { Table } from '../../kernel/table';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../kernel/api';
import { useMe } from '../../kernel/auth';
import { LoadError } from '../../kernel/components/FullPage';
import { formatDateTime } from '../../kernel/format';
import { showSuccess } from '../../kernel/notify';
import { CompareView } from './CompareView';
import { PolicyEditor } from './PolicyEditor';
import { RulesView } from './RulesView';
import { POLICY_COLORS, STAFF, type Policy } from './types';

export function usePolicies() {
  return useQuery({ queryKey: ['benefits', 'policies'], queryFn: () => get<{ items: Policy[] }>('/api/v1/benefits/policies') });
}

export function PoliciesTab() {
  const { t } = useTranslation();
  const me = useMe();
  const admin = me.role === 'county_admin';
  const { modal } = App.useApp();
  const qc = useQueryClient();
  const screens = Grid.useBreakpoint();
  const [viewing, setViewing] = useState<Policy | null>(null);
  const [editing, setEditing] = useState<Policy | null>(null);
  const list = usePolicies();
  const items = list.data?.items ?? [];
  const refresh = () => void qc.invalidateQueries({ queryKey: ['benefits'] });

  const saveAs = useMutation({
    mutationFn: async (p: Policy) => {
      const { id } = await post<{ id: string }>('/api/v1/benefits/policies', {
        policyKey: p.policyKey,
        name: p.name,
        // A new version normally takes effect from a coming month; the editor changes it.
        effectiveFrom: [p.effectiveFrom, dayjs().add(1, 'month').startOf('month').format('YYYY-MM-DD')].sort().at(-1),
        sourceNote: p.sourceNote,
        rules: p.rules,
      });
      return get<Policy>(`/api/v1/benefits/policies/${id}`);
    },
    onSuccess: (p) => {
      showSuccess(t('benefits.policy.savedAs'));
      refresh();
      setEditing(p);
    },
  });
  // A new policy set (a new key), starting from a copy of an existing set's rules.
  const [creating, setCreating] = useState(false);
  const [newForm] = Form.useForm<{ policyKey: string; name: string; from: string }>();
  const create = useMutation({
    mutationFn: async (v: { policyKey: string; name: string; from: string }) => {
      const base = items.find((p) => p.id === v.from)!;
      const { id } = await post<{ id: string }>('/api/v1/benefits/policies', {
        policyKey: v.policyKey,
        name: v.name,
        effectiveFrom: dayjs().add(1, 'month').startOf('month').format('YYYY-MM-DD'),
        sourceNote: null,
        rules: base.rules,
      });
      return get<Policy>(`/api/v1/benefits/policies/${id}`);
    },
    onSuccess: (p) => {
      showSuccess(t('benefits.policy.created'));
      setCreating(false);
      newForm.resetFields();
      refresh();
      setEditing(p);
    },
  });
  const act = useMutation({
    mutationFn: ({ p, verb }: { p: Policy; verb: 'publish' | 'activate' }) => post(`/api/v1/benefits/policies/${p.id}/${verb}`),
    onSuccess: (_, { verb }) => {
      showSuccess(t(verb === 'publish' ? 'benefits.policy.published' : 'benefits.policy.activated'));
      refresh();
    },
  });

  if (list.isError) return <LoadError error={list.error} onRetry={() => void list.refetch()} />;

  return (
    <>
      <Card
        size="small"
        title={t('benefits.policy.list')}
        style={{ marginBottom: 16 }}
        extra={
          admin && items.length > 0 ? (
            <Button icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="policy-new-set">
              {t('benefits.policy.newSet')}
            </Button>
          ) : null
        }
      >
        <Modal
          open={creating}
          title={t('benefits.policy.newSet')}
          onCancel={() => setCreating(false)}
          onOk={() => newForm.submit()}
          confirmLoading={create.isPending}
          destroyOnHidden
        >
          <Form form={newForm} layout="vertical" initialValues={{ from: (items.find((p) => p.active) ?? items[0])?.id }} onFinish={(v) => create.mutate(v)}>
            <Form.Item
              name="policyKey"
              label={t('benefits.policy.key')}
              extra={t('benefits.policy.keyHint')}
              rules={[
                { required: true, message: t('common.required') },
                { pattern: /^[a-z0-9_-]{1,40}$/, message: t('benefits.policy.keyHint') },
                { validator: (_, v) => (items.some((p) => p.policyKey === v) ? Promise.reject(new Error(t('benefits.policy.keyTaken'))) : Promise.resolve()) },
              ]}
            >
              <Input maxLength={40} data-testid="policy-new-key" />
            </Form.Item>
            <Form.Item name="name" label={t('benefits.policy.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
              <Input maxLength={200} data-testid="policy-new-name" />
            </Form.Item>
            <Form.Item name="from" label={t('benefits.policy.copyFrom')} rules={[{ required: true, message: t('common.required') }]}>
              <Select options={items.map((p) => ({ value: p.id, label: `${p.name} · ${t('benefits.policy.versionN', { version: p.version })}` }))} />
            </Form.Item>
          </Form>
        </Modal>
        <Table<Policy>
          size="middle"
          rowKey="id"
          loading={list.isPending}
          dataSource={items}
          pagination={false}
          scroll={{ x: 900 }}
          data-testid="policies-table"
          onRow={(r) => ({ 'data-testid': `policy-row-${r.policyKey}-${r.version}` }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            // The policy's key is an identifier administrators type when they start a policy; others see names only.
            ...(admin
              ? [{ title: t('benefits.policy.key'), dataIndex: 'policyKey', width: 110, render: (v: string) => <Typography.Text code>{v}</Typography.Text> }]
              : []),
            { title: t('benefits.policy.name'), dataIndex: 'name' },
            { title: t('benefits.policy.version'), dataIndex: 'version', width: 80, render: (v: number) => t('benefits.policy.versionN', { version: v }) },
            {
              title: t('benefits.policy.status'),
              key: 'status',
              width: 150,
              render: (_, p) => (
                <Space size={4}>
                  <Tag color={POLICY_COLORS[p.status]}>{t(`benefits.policy.statuses.${p.status}`)}</Tag>
                  {p.active && p.status === 'published' && <Tag color="green">{t('benefits.policy.active')}</Tag>}
                </Space>
              ),
            },
            { title: t('benefits.policy.effectiveFrom'), dataIndex: 'effectiveFrom', width: 100, render: (v: string) => v.slice(0, 7) },
            { title: t('benefits.policy.publishedAt'), dataIndex: 'publishedAt', width: 170, render: formatDateTime },
            {
              title: t('common.actions'),
              key: 'actions',
              width: admin ? 300 : 70,
              render: (_, p) => (
                <Space size="small" wrap>
                  <Typography.Link onClick={() => setViewing(p)} data-testid="policy-view">
                    {t('benefits.policy.view')}
                  </Typography.Link>
                  {admin && p.status === 'draft' && (
                    <Typography.Link onClick={() => setEditing(p)} data-testid="policy-edit">
                      {t('benefits.policy.edit')}
                    </Typography.Link>
                  )}
                  {admin && (
                    <Typography.Link onClick={() => saveAs.mutate(p)} disabled={saveAs.isPending} data-testid="policy-save-as">
                      {t('benefits.policy.saveAs')}
                    </Typography.Link>
                  )}
                  {admin && p.status === 'draft' && (
                    <Typography.Link
                      data-testid="policy-publish"
                      onClick={() =>
                        modal.confirm({
                          title: t('common.confirmTitle'),
                          content: t('benefits.policy.publishConfirm'),
                          onOk: () => act.mutateAsync({ p, verb: 'publish' }),
                        })
                      }
                    >
                      {t('benefits.policy.publish')}
                    </Typography.Link>
                  )}
                  {admin && p.status === 'published' && !p.active && (
                    <Typography.Link
                      data-testid="policy-activate"
                      onClick={() =>
                        modal.confirm({
                          title: t('common.confirmTitle'),
                          content: t('benefits.policy.activateConfirm', { name: p.name }),
                          onOk: () => act.mutateAsync({ p, verb: 'activate' }),
                        })
                      }
                    >
                      {t('benefits.policy.activate')}
                    </Typography.Link>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {STAFF.includes(me.role) && items.some((p) => p.status === 'published') && <CompareView policies={items} />}
      <Drawer
        open={!!viewing}
        onClose={() => setViewing(null)}
        width={screens.lg ? 900 : '100%'}
        title={viewing ? `${viewing.name} · ${t('benefits.policy.versionN', { version: viewing.version })}` : ''}
        data-testid="policy-drawer"
      >
        {viewing && <RulesView policy={viewing} />}
      </Drawer>
      {admin && <PolicyEditor policy={editing} onClose={() => setEditing(null)} />}
    </>
  );
}
