/** 老年人档案: filters, a server-paged and sorted table, and the detail drawer. */
import { SearchOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Select, Space, Table, Tag, type TableProps } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../kernel/api';
import { useMe } from '../../kernel/auth';
import { PageHeader } from '../../kernel/components/PageHeader';
import { RegionTreeSelect } from '../../kernel/components/RegionTreeSelect';
import { useLabels, useModule } from '../../kernel/meta';
import type { Page } from '../../kernel/types';
import { ElderDrawer } from './ElderDrawer';
import { AGE_BANDS, STATUS_COLORS, STATUSES, type ElderListItem } from './types';

interface Filters {
  regionCode?: string;
  ageBand?: string;
  category?: string;
  status?: string;
  q?: string;
}

type Sort = { sort: 'name' | 'age' | 'region'; order: 'asc' | 'desc' };

export default function EldersPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const labels = useLabels();
  const mod = useModule('elders');
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({ status: 'active' });
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [sort, setSort] = useState<Sort>({ sort: 'region', order: 'asc' });
  const [openId, setOpenId] = useState<string | null>(null);

  const query = { ...filters, q: filters.q?.trim() || undefined, ...paging, ...sort };
  const list = useQuery({
    queryKey: ['elders', query],
    queryFn: () => get<Page<ElderListItem>>('/api/v1/elders', query),
    placeholderData: keepPreviousData,
  });

  const apply = (v: Filters) => {
    setFilters(v);
    setPaging((p) => ({ ...p, page: 1 }));
  };

  const onTable: TableProps<ElderListItem>['onChange'] = (pg, _f, sorter) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    const field = s?.order ? (s.columnKey as Sort['sort']) : 'region';
    const order = s?.order === 'descend' ? 'desc' : 'asc';
    if (field !== sort.sort || order !== sort.order) {
      setSort({ sort: field, order });
      setPaging({ page: 1, pageSize: pg.pageSize ?? 20 });
    } else setPaging({ page: pg.current ?? 1, pageSize: pg.pageSize ?? 20 });
  };

  const sortOrder = (k: Sort['sort']) => (sort.sort === k ? (sort.order === 'desc' ? 'descend' : 'ascend') : null);
  const note = i18n.language === 'en' ? null : mod?.note;

  return (
    <div data-testid="elders-page">
      <PageHeader title={t('elders.title')} sub={t('elders.sub', { region: me.regionName })} />
      {note && <Alert type="info" showIcon message={note} style={{ marginBottom: 16 }} closable />}
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form<Filters> form={form} layout="inline" className="yl-filters" initialValues={filters} onFinish={apply} data-testid="elders-filters">
          {(me.regionPath.at(-1)?.level ?? 5) < 5 && (
            <Form.Item name="regionCode" label={t('elders.region')}>
              <RegionTreeSelect style={{ width: 220 }} data-testid="filter-region" />
            </Form.Item>
          )}
          <Form.Item name="ageBand" label={t('elders.ageBand')}>
            <Select
              allowClear
              style={{ width: 140 }}
              placeholder={t('common.all')}
              options={AGE_BANDS.map((b) => ({ value: b, label: t(`elders.bands.${b}`) }))}
            />
          </Form.Item>
          <Form.Item name="category" label={t('elders.category')}>
            <Select
              allowClear
              style={{ width: 200 }}
              placeholder={t('common.all')}
              popupMatchSelectWidth={false}
              options={labels.categories.map((c) => ({ value: c.code, label: labels.category(c.code) }))}
            />
          </Form.Item>
          <Form.Item name="status" label={t('elders.status')}>
            <Select
              allowClear
              style={{ width: 120 }}
              placeholder={t('common.all')}
              options={STATUSES.map((s) => ({ value: s, label: t(`elders.statuses.${s}`) }))}
            />
          </Form.Item>
          <Form.Item name="q" label={t('elders.q')}>
            <Input allowClear placeholder={t('elders.qPlaceholder')} style={{ width: 180 }} maxLength={40} data-testid="filter-q" />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="elders-search">
                {t('common.search')}
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  form.setFieldsValue({ regionCode: undefined, ageBand: undefined, category: undefined, q: undefined, status: 'active' });
                  apply({ status: 'active' });
                }}
              >
                {t('common.reset')}
              </Button>
            </Space>
          </Form.Item>
        </Form>
      </Card>
      <Card size="small">
        <Table<ElderListItem>
          rowKey="id"
          size="middle"
          loading={list.isFetching}
          dataSource={list.data?.items}
          onChange={onTable}
          scroll={{ x: 1160 }}
          data-testid="elders-table"
          onRow={(r) => ({ onDoubleClick: () => setOpenId(r.id) })}
          pagination={{
            current: paging.page,
            pageSize: paging.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100],
            showTotal: (total) => <span data-testid="elders-total">{t('elders.total', { total })}</span>,
          }}
          columns={[
            {
              title: t('elders.name'),
              key: 'name',
              dataIndex: 'name',
              sorter: true,
              sortOrder: sortOrder('name'),
              fixed: 'left',
              width: 100,
              render: (v: string, r) => (
                <a onClick={() => setOpenId(r.id)} data-testid="elder-name">
                  {v}
                </a>
              ),
            },
            { title: t('elders.sex'), dataIndex: 'sex', width: 60, render: (v: string) => t(`elders.sexes.${v}`) },
            {
              title: t('elders.age'),
              key: 'age',
              dataIndex: 'age',
              sorter: true,
              sortOrder: sortOrder('age'),
              width: 76,
              render: (v: number) => t('elders.ageValue', { age: v }),
            },
            {
              title: t('elders.idNumber'),
              dataIndex: 'idNumber',
              width: 170,
              render: (v: string | null) => <span style={{ fontFamily: 'monospace' }}>{v ?? '—'}</span>,
            },
            {
              title: t('elders.phone'),
              dataIndex: 'phone',
              width: 120,
              render: (v: string | null) => <span style={{ fontFamily: 'monospace' }}>{v ?? '—'}</span>,
            },
            {
              title: t('elders.township'),
              key: 'region',
              dataIndex: 'townshipName',
              sorter: true,
              sortOrder: sortOrder('region'),
              width: 116,
              render: (v: string | null) => <span data-testid="elder-township">{v ?? '—'}</span>,
            },
            { title: t('elders.village'), dataIndex: 'regionName', width: 160, ellipsis: true },
            {
              title: t('elders.categories'),
              dataIndex: 'categories',
              width: 220,
              render: (cs: string[]) => (cs.length ? cs.map((c) => <Tag key={c}>{labels.category(c)}</Tag>) : '—'),
            },
            {
              title: t('elders.status'),
              dataIndex: 'status',
              width: 80,
              render: (s: string) => <Tag color={STATUS_COLORS[s]}>{t(`elders.statuses.${s}`, s)}</Tag>,
            },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 70,
              fixed: 'right',
              render: (_: unknown, r) => (
                <a onClick={() => setOpenId(r.id)} data-testid="elder-detail">
                  {t('common.detail')}
                </a>
              ),
            },
          ]}
        />
      </Card>
      <ElderDrawer id={openId} onClose={() => setOpenId(null)} />
    </div>
  );
}
