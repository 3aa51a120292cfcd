/** Two policies side by side on this county's elders for one month (e.g. Shicheng's amounts
 * against Beijing's): the preview of each, by benefit, with totals and the difference. */
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, DatePicker, Form, Row, Select, Statistic, Typography } from 'antd';
import { Table } from '../../kernel/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../kernel/api';
import { ErrorAlert } from './common';
import { money, type Policy, type Preview } from './types';

interface Row {
  key: string;
  name: string;
  a: { lines: number; totalCents: number } | null;
  b: { lines: number; totalCents: number } | null;
}

export function CompareView({ policies }: { policies: Policy[] }) {
  const { t } = useTranslation();
  const published = policies.filter((p) => p.status === 'published');
  const keys = [...new Set(published.map((p) => p.policyKey))];
  const latest = (k: string | undefined) => published.find((p) => p.policyKey === k);
  const [a, setA] = useState<string | undefined>(() => latest(keys[0])?.id);
  const [b, setB] = useState<string | undefined>(() => latest(keys[1] ?? keys[0])?.id);
  const [month, setMonth] = useState<Dayjs>(() => dayjs());
  const [asked, setAsked] = useState<{ a: string; b: string; month: string } | null>(null);
  const fetchOne = (id: string, m: string) => get<Preview>('/api/v1/benefits/preview', { month: m, policyId: id });
  const q = useQuery({
    queryKey: ['benefits', 'compare', asked],
    queryFn: async () => Promise.all([fetchOne(asked!.a, asked!.month), fetchOne(asked!.b, asked!.month)]),
    enabled: !!asked,
    meta: { silent: true },
  });
  const [pa, pb] = q.data ?? [];
  const rows: Row[] = [];
  if (pa && pb) {
    for (const x of pa.byBenefit) rows.push({ key: `a-${x.code}`, name: x.name, a: x, b: pb.byBenefit.find((y) => y.code === x.code) ?? null });
    for (const y of pb.byBenefit) if (!pa.byBenefit.some((x) => x.code === y.code)) rows.push({ key: `b-${y.code}`, name: y.name, a: null, b: y });
  }
  const options = policies.map((p) => ({
    value: p.id,
    label: `${p.name}（${t('benefits.policy.versionN', { version: p.version })}，${t(`benefits.policy.statuses.${p.status}`)}）`,
  }));
  const label = (p: Preview | undefined) => (p ? `${p.policy.name} ${t('benefits.policy.versionN', { version: p.policy.version })}` : '');
  return (
    <Card size="small" title={t('benefits.compareView.title')} data-testid="policy-compare">
      <Typography.Paragraph type="secondary">{t('benefits.compareView.hint')}</Typography.Paragraph>
      <Form layout="inline" className="yl-filters" style={{ marginBottom: 12, rowGap: 8 }}>
        <Form.Item label={t('benefits.compareView.left')}>
          <Select style={{ width: 320 }} value={a} onChange={setA} options={options} popupMatchSelectWidth={false} data-testid="compare-a" />
        </Form.Item>
        <Form.Item label={t('benefits.compareView.right')}>
          <Select style={{ width: 320 }} value={b} onChange={setB} options={options} popupMatchSelectWidth={false} data-testid="compare-b" />
        </Form.Item>
        <Form.Item label={t('benefits.compareView.month')}>
          <DatePicker picker="month" value={month} onChange={(d) => d && setMonth(d)} allowClear={false} />
        </Form.Item>
        <Button
          type="primary"
          disabled={!a || !b}
          loading={q.isFetching}
          onClick={() => setAsked({ a: a!, b: b!, month: month.format('YYYY-MM') })}
          data-testid="compare-run"
        >
          {t('benefits.compareView.run')}
        </Button>
      </Form>
      <ErrorAlert error={q.error} />
      {pa && pb && (
        <>
          <Row gutter={16} style={{ marginBottom: 12 }}>
            {[pa, pb].map((p, i) => (
              <Col key={i} xs={24} md={8}>
                <Card size="small">
                  <Statistic title={label(p)} value={money(p.totals.totalCents)} />
                  <Typography.Text type="secondary">
                    {t('benefits.compareView.elders')} {p.totals.elders.toLocaleString()} · {t('benefits.compareView.lines')} {p.totals.lines.toLocaleString()}
                  </Typography.Text>
                </Card>
              </Col>
            ))}
            <Col xs={24} md={8}>
              <Card size="small">
                <Statistic
                  title={t('benefits.compareView.diff')}
                  value={`${pb.totals.totalCents >= pa.totals.totalCents ? '+' : '−'}${money(Math.abs(pb.totals.totalCents - pa.totals.totalCents))}`}
                />
              </Card>
            </Col>
          </Row>
          <Table<Row>
            size="small"
            pagination={false}
            dataSource={rows}
            data-testid="compare-table"
            scroll={{ x: 700 }}
            columns={[
              { title: t('benefits.policy.benefit'), dataIndex: 'name' },
              {
                title: label(pa),
                children: [
                  { title: t('benefits.compareView.lines'), key: 'al', align: 'right', render: (_, r) => r.a?.lines.toLocaleString() ?? '—' },
                  { title: t('benefits.run.total'), key: 'at', align: 'right', render: (_, r) => money(r.a?.totalCents) },
                ],
              },
              {
                title: label(pb),
                children: [
                  { title: t('benefits.compareView.lines'), key: 'bl', align: 'right', render: (_, r) => r.b?.lines.toLocaleString() ?? '—' },
                  { title: t('benefits.run.total'), key: 'bt', align: 'right', render: (_, r) => money(r.b?.totalCents) },
                ],
              },
            ]}
            summary={() => (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0}>{t('benefits.compareView.total')}</Table.Summary.Cell>
                <Table.Summary.Cell index={1} align="right">
                  {pa.totals.lines.toLocaleString()}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={2} align="right">
                  {money(pa.totals.totalCents)}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={3} align="right">
                  {pb.totals.lines.toLocaleString()}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={4} align="right">
                  {money(pb.totals.totalCents)}
                </Table.Summary.Cell>
              </Table.Summary.Row>
            )}
          />
        </>
      )}
    </Card>
  );
}
