/** 待评估: elders due for an ability assessment, one list per kind, with a region filter and an
 * “评估” action that opens the assessment form. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Form, Segmented, Space, Tag, Typography } from 'antd';
import { Table } from '../../kernel/table';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { get } from '../../kernel/api';
import { useMe } from '../../kernel/auth';
import { RegionTreeSelect } from '../../kernel/components/RegionTreeSelect';
import { formatDate, fmtCount } from '../../kernel/format';
import type { Page } from '../../kernel/types';
import { LevelTag, standardShort, useLevelName } from '../assessments/common';
import { ASSESSOR_ROLES, DUE_COLORS, DUE_KINDS, type DueItem } from './types';

type Kind = (typeof DUE_KINDS)[number] | 'all';

export function DueTab({ onOpen, onAssess }: { onOpen: (id: string) => void; onAssess: (elderId: string, immediate: boolean) => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const levelName = useLevelName();
  // ?kind= (the 工作台 links here filtered).
  const [params] = useSearchParams();
  const [kind, setKind] = useState<Kind>(() => DUE_KINDS.find((k) => k === params.get('kind')) ?? 'all');
  const [regionCode, setRegionCode] = useState<string | undefined>();
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const canAssess = ASSESSOR_ROLES.includes(me.role);

  const query = { kind: kind === 'all' ? undefined : kind, regionCode, ...paging };
  const list = useQuery({
    queryKey: ['due', query],
    queryFn: () => get<Page<DueItem>>('/api/v1/assessments/due', query),
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form layout="inline" className="yl-filters">
          <Form.Item label={t('elders.due.kind')}>
            <Segmented<Kind>
              value={kind}
              onChange={(k) => {
                setKind(k);
                setPaging((p) => ({ ...p, page: 1 }));
              }}
              data-testid="due-kinds"
              style={{ flexWrap: 'wrap' }}
              options={[
                { value: 'all', label: <span data-testid="due-kind-all">{t('elders.due.all')}</span> },
                ...DUE_KINDS.map((k) => ({ value: k, label: <span data-testid={`due-kind-${k}`}>{t(`elders.due.kinds.${k}`)}</span> })),
              ]}
            />
          </Form.Item>
          {(me.regionPath.at(-1)?.level ?? 5) < 5 && (
            <Form.Item label={t('elders.region')}>
              <RegionTreeSelect
                value={regionCode}
                onChange={(v) => {
                  setRegionCode(v);
                  setPaging((p) => ({ ...p, page: 1 }));
                }}
                style={{ width: 220 }}
                data-testid="due-region"
              />
            </Form.Item>
          )}
        </Form>
        <Typography.Text type="secondary">{t('elders.due.hint')}</Typography.Text>
      </Card>
      <Card size="small">
        <Table<DueItem>
          rowKey="elderId"
          size="middle"
          loading={list.isFetching}
          dataSource={list.data?.items}
          scroll={{ x: 1180 }}
          data-testid="due-table"
          onChange={(pg) => setPaging({ page: pg.current ?? 1, pageSize: pg.pageSize ?? 20 })}
          pagination={{
            current: paging.page,
            pageSize: paging.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100, 200],
            showTotal: (total) => <span data-testid="due-total">{t('elders.due.total', { total: fmtCount(total) })}</span>,
          }}
          columns={[
            {
              title: t('elders.name'),
              dataIndex: 'name',
              fixed: 'left',
              width: 100,
              render: (v: string, r) => (
                <a onClick={() => onOpen(r.elderId)} data-testid="due-name">
                  {v}
                </a>
              ),
            },
            { title: t('elders.sex'), dataIndex: 'sex', width: 76, render: (v: string) => t(`elders.sexes.${v}`, v) },
            { title: t('elders.age'), dataIndex: 'age', width: 76, render: (v: number) => t('elders.ageValue', { age: v }) },
            { title: t('elders.township'), dataIndex: 'townshipName', width: 116, render: (v: string | null) => v ?? '—' },
            { title: t('elders.village'), dataIndex: 'regionName', width: 160, ellipsis: true },
            {
              title: t('elders.due.dueStatus'),
              dataIndex: 'dueStatus',
              width: 110,
              render: (s: string) => (
                <Tag color={DUE_COLORS[s]} data-testid="due-status">
                  {t(`elders.due.statuses.${s}`, s)}
                </Tag>
              ),
            },
            {
              title: t('elders.due.lastLevel'),
              key: 'level',
              width: 200,
              render: (_: unknown, r) =>
                r.finalLevel == null ? (
                  '—'
                ) : (
                  <Space size={4}>
                    <LevelTag level={r.finalLevel} name={levelName(r.standard, r.finalLevel)} />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {standardShort(r.standard)}
                    </Typography.Text>
                  </Space>
                ),
            },
            { title: t('elders.due.referenceDate'), dataIndex: 'referenceDate', width: 110, render: (v: string | null) => formatDate(v) },
            { title: t('elders.due.validUntil'), dataIndex: 'validUntil', width: 110, render: (v: string | null) => formatDate(v) },
            { title: t('elders.due.requested'), dataIndex: 'reassessRequestedAt', width: 120, render: (v: string | null) => formatDate(v) },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 90,
              fixed: 'right',
              render: (_: unknown, r) =>
                canAssess ? (
                  <Button type="primary" size="small" onClick={() => onAssess(r.elderId, r.dueStatus === 'immediate')} data-testid="due-assess">
                    {t('elders.due.assess')}
                  </Button>
                ) : (
                  <a onClick={() => onOpen(r.elderId)}>{t('common.detail')}</a>
                ),
            },
          ]}
        />
      </Card>
    </>
  );
}
