/** What a month would pay: totals, by township, by benefit, and the changes against last month. */
import { Card, Col, Row, Space, Statistic, Tag, Typography } from 'antd';
import { Table } from '../../kernel/table';
import { useTranslation } from 'react-i18next';
import { CHANGE_COLORS, money, monthLabel, type ChangeKind, type Preview, type Sum } from './types';

/** The server's masking (kernel/mask.ts) for names the preview returns whole. */
const maskName = (v: string) => (v.length <= 2 ? v[0] + '*' : v[0] + '*'.repeat(v.length - 2) + v.at(-1));

function SumTable({ rows, title, testId }: { rows: Sum[]; title: string; testId: string }) {
  const { t } = useTranslation();
  return (
    <Table<Sum>
      size="small"
      rowKey="code"
      pagination={false}
      dataSource={rows}
      data-testid={testId}
      columns={[
        { title, dataIndex: 'name' },
        { title: t('benefits.run.lines'), dataIndex: 'lines', align: 'right', width: 110, render: (n: number) => n.toLocaleString() },
        { title: t('benefits.run.total'), dataIndex: 'totalCents', align: 'right', width: 150, render: (c: number) => money(c) },
      ]}
      summary={(data) => (
        <Table.Summary.Row>
          <Table.Summary.Cell index={0}>{t('benefits.compareView.total')}</Table.Summary.Cell>
          <Table.Summary.Cell index={1} align="right">
            {data.reduce((a, r) => a + r.lines, 0).toLocaleString()}
          </Table.Summary.Cell>
          <Table.Summary.Cell index={2} align="right">
            {money(data.reduce((a, r) => a + r.totalCents, 0))}
          </Table.Summary.Cell>
        </Table.Summary.Row>
      )}
    />
  );
}

type Item = Preview['changes']['items'][number];

export function PreviewPanel({ preview: p }: { preview: Preview }) {
  const { t, i18n } = useTranslation();
  const c = p.changes;
  return (
    <div data-testid="run-preview">
      <Typography.Paragraph type="secondary">
        {t('benefits.run.policy')}：{p.policy.name} {t('benefits.policy.versionN', { version: p.policy.version })}
      </Typography.Paragraph>
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={12} md={5}>
          <Statistic title={t('benefits.run.elders')} value={p.totals.elders} />
        </Col>
        <Col xs={12} md={5}>
          <Statistic title={t('benefits.run.lines')} value={p.totals.lines} />
        </Col>
        <Col xs={24} md={6}>
          <Statistic title={t('benefits.run.total')} value={money(p.totals.totalCents)} valueStyle={{ color: '#1560bd' }} />
        </Col>
        <Col xs={12} md={4}>
          <Statistic title={t('benefits.run.cash')} value={money(p.totals.cashCents)} valueStyle={{ fontSize: 18 }} />
        </Col>
        <Col xs={12} md={4}>
          <Statistic title={t('benefits.run.service')} value={money(p.totals.serviceCents)} valueStyle={{ fontSize: 18 }} />
        </Col>
      </Row>
      <Row gutter={16}>
        <Col xs={24} lg={12} style={{ marginBottom: 16 }}>
          <SumTable rows={p.byTownship} title={t('benefits.run.byTownship')} testId="preview-townships" />
        </Col>
        <Col xs={24} lg={12} style={{ marginBottom: 16 }}>
          <SumTable rows={p.byBenefit} title={t('benefits.run.byBenefit')} testId="preview-benefits" />
        </Col>
      </Row>
      <Card
        size="small"
        title={
          <Space wrap>
            {t('benefits.run.changes')}
            {(['added', 'stopped', 'changed'] as ChangeKind[]).map((k) => (
              <Tag key={k} color={CHANGE_COLORS[k]} data-testid={`change-count-${k}`}>
                {t(`benefits.run.changeKinds.${k}`)} {c.counts[k].toLocaleString()}
              </Tag>
            ))}
          </Space>
        }
      >
        {c.previousSource === 'none' && (
          <Typography.Paragraph type="secondary">{t('benefits.run.changesNone', { month: monthLabel(c.previousMonth, i18n.language) })}</Typography.Paragraph>
        )}
        <Table<Item>
          size="small"
          rowKey={(r) => `${r.kind}-${r.elderId}-${r.benefit}`}
          dataSource={c.items}
          pagination={{ pageSize: 10, showSizeChanger: false }}
          scroll={{ x: 760 }}
          data-testid="preview-changes"
          columns={[
            {
              title: t('benefits.run.status'),
              dataIndex: 'kind',
              width: 80,
              render: (k: ChangeKind) => <Tag color={CHANGE_COLORS[k]}>{t(`benefits.run.changeKinds.${k}`)}</Tag>,
            },
            { title: t('benefits.lines.name'), dataIndex: 'elderName', width: 90, render: maskName },
            { title: t('benefits.lines.benefit'), dataIndex: 'benefit', width: 160 },
            { title: t('benefits.run.before'), dataIndex: 'before', width: 100, align: 'right', render: (v: number | null) => money(v) },
            { title: t('benefits.run.after'), dataIndex: 'after', width: 100, align: 'right', render: (v: number | null) => money(v) },
            { title: t('benefits.run.reason'), dataIndex: 'reason' },
          ]}
        />
      </Card>
    </div>
  );
}
