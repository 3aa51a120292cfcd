/** 老年人名册: filters, the server-paged and sorted table, registration, Excel template, import and export. */
import { DownloadOutlined, ExportOutlined, ImportOutlined, PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Form, Input, Select, Space, Tag, type TableProps } from 'antd';
import { Table } from '../../kernel/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { download, get, withQuery } from '../../kernel/api';
import { useMe } from '../../kernel/auth';
import { RegionTreeSelect } from '../../kernel/components/RegionTreeSelect';
import { formatNumber } from '../../kernel/format';
import { useLabels } from '../../kernel/meta';
import { showError } from '../../kernel/notify';
import type { Page } from '../../kernel/types';
import { AbilityTag } from '../assessments/common';
import { ImportDialog } from './ImportDialog';
import { RegisterDrawer } from './RegisterDrawer';
import { ABILITY_LEVELS, AGE_BANDS, STANDARD_CODES, STATUS_COLORS, STATUSES, WRITER_ROLES, type ElderListItem } from './types';

interface Filters {
  regionCode?: string;
  ageBand?: string;
  category?: string;
  status?: string;
  abilityLevel?: number;
  standard?: string;
  q?: string;
}

type Sort = { sort: 'name' | 'age' | 'region'; order: 'asc' | 'desc' };
const EMPTY: Filters = { regionCode: undefined, ageBand: undefined, category: undefined, abilityLevel: undefined, standard: undefined, q: undefined };

export function RosterTab({ onOpen }: { onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const labels = useLabels();
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({ status: 'active' });
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [sort, setSort] = useState<Sort>({ sort: 'region', order: 'asc' });
  const [dialog, setDialog] = useState<'register' | 'import' | null>(null);
  const [exporting, setExporting] = useState(false);
  const writer = WRITER_ROLES.includes(me.role);

  const criteria = { ...filters, q: filters.q?.trim() || undefined, ...sort };
  const query = { ...criteria, ...paging };
  const list = useQuery({
    queryKey: ['elders', query],
    queryFn: () => get<Page<ElderListItem>>('/api/v1/elders', query),
    placeholderData: keepPreviousData,
  });

  // Lists count up to 10,000; the exact figure is a separate count, asked for by a click.
  const criteriaKey = JSON.stringify(criteria);
  const [exactFor, setExactFor] = useState<string | null>(null);
  const exact = useQuery({
    queryKey: ['elders-exact', criteria],
    queryFn: () => get<Page<ElderListItem>>('/api/v1/elders', { ...criteria, page: 1, pageSize: 1, exact: 1 }),
    enabled: exactFor === criteriaKey,
  });
  const exactTotal = exactFor === criteriaKey ? exact.data?.total : undefined;

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

  const exportList = async () => {
    setExporting(true);
    try {
      await download(withQuery('/api/v1/elders/export', criteria), '老年人名单.xlsx');
    } catch (e) {
      showError(e);
    } finally {
      setExporting(false);
    }
  };

  const sortOrder = (k: Sort['sort']) => (sort.sort === k ? (sort.order === 'desc' ? 'descend' : 'ascend') : null);

  return (
    <>
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
          <Form.Item name="abilityLevel" label={t('elders.abilityLevel')}>
            <Select
              allowClear
              style={{ width: 150 }}
              placeholder={t('common.all')}
              popupMatchSelectWidth={false}
              data-testid="filter-ability"
              options={ABILITY_LEVELS.map((l) => ({ value: l, label: `${t('elders.levelN', { level: l })} ${t(`elders.levelNames.${l}`)}` }))}
            />
          </Form.Item>
          <Form.Item name="standard" label={t('elders.standard')}>
            <Select allowClear style={{ width: 170 }} placeholder={t('common.all')} options={STANDARD_CODES.map((s) => ({ value: s, label: s }))} />
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
                  form.setFieldsValue({ ...EMPTY, status: 'active' });
                  apply({ status: 'active' });
                }}
              >
                {t('common.reset')}
              </Button>
            </Space>
          </Form.Item>
        </Form>
      </Card>
      <Card
        size="small"
        title={
          <Space wrap style={{ padding: '8px 0' }}>
            {writer && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog('register')} data-testid="register-open">
                {t('elders.register')}
              </Button>
            )}
            {writer && (
              <Button icon={<DownloadOutlined />} onClick={() => void download('/api/v1/elders/import/template', '老年人名册导入模板.xlsx').catch(showError)}>
                {t('elders.template')}
              </Button>
            )}
            {writer && (
              <Button icon={<ImportOutlined />} onClick={() => setDialog('import')} data-testid="import-open">
                {t('elders.import')}
              </Button>
            )}
            <Button icon={<ExportOutlined />} loading={exporting} onClick={() => void exportList()} data-testid="elders-export">
              {t('elders.export')}
            </Button>
          </Space>
        }
      >
        <Table<ElderListItem>
          rowKey="id"
          size="middle"
          loading={list.isFetching}
          dataSource={list.data?.items}
          onChange={onTable}
          scroll={{ x: 1320 }}
          data-testid="elders-table"
          onRow={(r) => ({ onDoubleClick: () => onOpen(r.id) })}
          pagination={{
            current: paging.page,
            pageSize: paging.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100],
            showTotal: (total) =>
              list.data?.totalCapped && exactTotal === undefined ? (
                <span data-testid="elders-total">
                  {t('elders.total', { total: `${formatNumber(total)}+` })}
                  <Button type="link" size="small" loading={exact.isFetching} onClick={() => setExactFor(criteriaKey)} data-testid="elders-exact-count">
                    {t('elders.exactCount')}
                  </Button>
                </span>
              ) : (
                <span data-testid="elders-total">{t('elders.total', { total: formatNumber(list.data?.totalCapped ? exactTotal : total) })}</span>
              ),
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
                <a onClick={() => onOpen(r.id)} data-testid="elder-name">
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
            { title: t('elders.ability'), dataIndex: 'ability', width: 160, render: (_: unknown, r) => <AbilityTag ability={r.ability} /> },
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
                <a onClick={() => onOpen(r.id)} data-testid="elder-detail">
                  {t('common.detail')}
                </a>
              ),
            },
          ]}
        />
      </Card>
      {dialog === 'register' && <RegisterDrawer onClose={() => setDialog(null)} onCreated={(id) => onOpen(id)} />}
      {dialog === 'import' && <ImportDialog onClose={() => setDialog(null)} />}
    </>
  );
}
