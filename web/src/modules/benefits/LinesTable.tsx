/** The lines of a run (masked), filtered by township, benefit and kind, paged by the server. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Form, Select, Tag, Typography } from 'antd';
import { fmtCount } from '../../kernel/format';
import { Table } from '../../kernel/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../kernel/api';
import type { Page } from '../../kernel/types';
import { LineDrawer, PayStatus } from './LineDrawer';
import { usePolicies } from './PoliciesTab';
import { money, type Line, type Run, type TownshipReview } from './types';

export function LinesTable({ run, townships }: { run: Run; townships: TownshipReview[] }) {
  const { t } = useTranslation();
  const [township, setTownship] = useState<string | undefined>();
  const [benefit, setBenefit] = useState<string | undefined>();
  const [kind, setKind] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [open, setOpen] = useState<string | null>(null);
  const policies = usePolicies();
  const policy = policies.data?.items.find((p) => p.id === run.policyId);
  const q = useQuery({
    queryKey: ['benefits', 'lines', run.id, { township, benefit, kind, page, pageSize }],
    queryFn: () => get<Page<Line>>(`/api/v1/benefits/runs/${run.id}/lines`, { township, benefit, kind, page, pageSize }),
    placeholderData: keepPreviousData,
  });
  const reset = () => setPage(1);
  return (
    <>
      <Form layout="inline" className="yl-filters" style={{ marginBottom: 12, rowGap: 8 }}>
        {townships.length > 1 && (
          <Form.Item label={t('benefits.lines.township')}>
            <Select
              allowClear
              style={{ width: 160 }}
              value={township}
              onChange={(v) => (setTownship(v), reset())}
              options={townships.map((x) => ({ value: x.code, label: x.name }))}
              data-testid="lines-township"
            />
          </Form.Item>
        )}
        <Form.Item label={t('benefits.lines.benefit')}>
          <Select
            allowClear
            style={{ width: 220 }}
            value={benefit}
            onChange={(v) => (setBenefit(v), reset())}
            options={(policy?.rules.benefits ?? []).map((b) => ({ value: b.code, label: b.name }))}
            popupMatchSelectWidth={false}
          />
        </Form.Item>
        <Form.Item label={t('benefits.lines.kind')}>
          <Select
            allowClear
            style={{ width: 110 }}
            value={kind}
            onChange={(v) => (setKind(v), reset())}
            options={(['regular', 'backpay'] as const).map((k) => ({ value: k, label: t(`benefits.lines.kinds.${k}`) }))}
          />
        </Form.Item>
      </Form>
      <Table<Line>
        size="small"
        rowKey="id"
        loading={q.isFetching}
        dataSource={q.data?.items ?? []}
        scroll={{ x: 1000 }}
        data-testid="lines-table"
        pagination={{
          current: page,
          pageSize,
          total: q.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (n) => t('common.total', { total: fmtCount(n) }),
          onChange: (p, s) => {
            setPage(s !== pageSize ? 1 : p);
            setPageSize(s);
          },
        }}
        columns={[
          {
            title: t('benefits.lines.name'),
            dataIndex: 'elderName',
            width: 90,
            render: (v: string, r) => (
              <Typography.Link onClick={() => setOpen(r.id)} data-testid="line-open">
                {v}
              </Typography.Link>
            ),
          },
          { title: t('benefits.lines.idNumber'), dataIndex: 'idNumber', width: 170 },
          { title: t('benefits.lines.village'), dataIndex: 'regionName', width: 150, ellipsis: true },
          { title: t('benefits.lines.benefit'), dataIndex: 'benefit', width: 170, ellipsis: true },
          { title: t('benefits.lines.forMonth'), dataIndex: 'forMonth', width: 80, render: (m: string) => m.slice(0, 7) },
          {
            title: t('benefits.lines.tier'),
            dataIndex: 'tier',
            width: 130,
            render: (v: string, r) => (
              <>
                {v}
                {r.kind === 'backpay' && <Tag style={{ marginLeft: 4 }}>{t('benefits.lines.kinds.backpay')}</Tag>}
              </>
            ),
          },
          { title: t('benefits.lines.amount'), dataIndex: 'amountCents', width: 100, align: 'right', render: (c: number) => money(c) },
          {
            title: t('benefits.lines.payment'),
            dataIndex: 'paymentStatus',
            width: 90,
            render: (s: string | null, r) => <PayStatus status={s} payment={r.payment} />,
          },
          {
            title: t('benefits.lines.recovery'),
            dataIndex: 'recovery',
            width: 80,
            render: (s: string | null) => (s ? <Tag color="red">{t(`benefits.rec.statuses.${s}`, { defaultValue: s })}</Tag> : '—'),
          },
        ]}
      />
      <LineDrawer id={open} onClose={() => setOpen(null)} />
    </>
  );
}
