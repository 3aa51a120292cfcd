/** A policy version's rules in words: each benefit with eligibility, tiers and start/stop rules. */
import { InfoCircleOutlined } from '@ant-design/icons';
import { Card, Descriptions, Space, Tag, Tooltip, Typography } from 'antd';
import { Table } from '../../kernel/table';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../kernel/auth';
import { officialText } from '../../kernel/format';
import { useDescribe } from './common';
import { money, type Policy, type Tier } from './types';

export function RulesView({ policy }: { policy: Policy }) {
  const { t } = useTranslation();
  const describe = useDescribe();
  const admin = useMe().role === 'county_admin';
  const r = policy.rules;
  const nameOf = (code: string) => r.benefits.find((b) => b.code === code)?.name ?? code;
  return (
    <div data-testid="rules-view">
      {/* Where the amounts come from is for administrators, behind an icon; officials read the rules. */}
      {policy.sourceNote && admin && (
        <Tooltip title={officialText(policy.sourceNote)}>
          <Typography.Text type="secondary" data-testid="rules-source">
            <InfoCircleOutlined /> {t('benefits.policy.sourceTip')}
          </Typography.Text>
        </Tooltip>
      )}
      {r.benefits.map((b, i) => (
        <Card
          key={b.code}
          size="small"
          style={{ marginBottom: 12 }}
          title={
            <Space wrap>
              <Tooltip title={admin ? b.code : undefined}>
                <span>
                  {i + 1}. {b.name}
                </span>
              </Tooltip>
              <Tag color={b.payment === 'cash' ? 'gold' : 'cyan'}>{t(`benefits.policy.payments.${b.payment}`)}</Tag>
              <Tag color={b.needsApplication ? 'purple' : 'default'}>
                {b.needsApplication ? t('benefits.policy.needsApplication') : t('benefits.policy.needsApplicationNo')}
              </Tag>
            </Space>
          }
        >
          <Descriptions size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label={t('benefits.policy.eligibility')} span={2}>
              {describe(b.eligibility)}
            </Descriptions.Item>
            <Descriptions.Item label={t('benefits.policy.startsFrom')}>{t(`benefits.policy.starts.${b.startsFrom ?? 'same_month'}`)}</Descriptions.Item>
            <Descriptions.Item label={t('benefits.policy.stopsFrom')}>{t(`benefits.policy.stops.${b.stopsFrom ?? 'next_month'}`)}</Descriptions.Item>
            {b.content && (
              <Descriptions.Item label={t('benefits.list.what')} span={2}>
                {officialText(b.content)}
              </Descriptions.Item>
            )}
          </Descriptions>
          <Table<Tier>
            size="small"
            rowKey="label"
            pagination={false}
            dataSource={b.tiers}
            columns={[
              { title: t('benefits.policy.tier'), dataIndex: 'label', width: 200 },
              { title: t('benefits.policy.tierWhen'), key: 'when', render: (_, tr) => describe(tr.when, t('benefits.policy.otherwise')) },
              { title: t('benefits.policy.amount'), dataIndex: 'amountCents', width: 140, align: 'right', render: (c: number) => money(c) },
            ]}
          />
        </Card>
      ))}
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('benefits.policy.exclusions')}>
          {r.exclusions?.length
            ? r.exclusions.map((x, i) => (
                <div key={i}>
                  {x.benefits.map(nameOf).join(' / ')}：{t(`benefits.policy.keep.${x.keep ?? 'highest'}`)}
                  {x.note ? `（${officialText(x.note)}）` : ''}
                </div>
              ))
            : t('benefits.policy.noExclusions')}
        </Descriptions.Item>
        <Descriptions.Item label={t('benefits.policy.backpayMonths')}>{r.backpayMonths}</Descriptions.Item>
      </Descriptions>
    </div>
  );
}
