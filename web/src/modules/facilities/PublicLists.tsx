/**
 * 轮候名单公示: what the public API gives anyone — issuing authority, 公示期, 监督电话, the
 * published priority classes, and per home the rank, masked name, township, neutral class and
 * application date (no age, village or category). Also the public page
 * /public/waiting-lists/<county> (no sign-in); on a phone each home is a compact list.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Descriptions, Empty, Grid, List, Space, Spin, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { get } from '../../kernel/api';
import { formatDate, formatNumber } from '../../kernel/format';

export interface PublicEntry {
  rank: number | null;
  name: string;
  township: string | null;
  priorityClass: string;
  priorityClassEn: string;
  appliedOn: string;
}
export interface PublicHome {
  facilityId: string;
  facilityName: string;
  asOf: string;
  rule: { version: number; validFrom: string; classes: { label: string; labelEn: string; text: string; textEn: string }[] };
  beds: number;
  freeBeds: number;
  entries: PublicEntry[];
}
export interface PublicWaitingLists {
  asOf: string;
  county: { code: string; name: string };
  authority: string;
  period: { from: string; to: string };
  supervisionPhone: string;
  homes: PublicHome[];
}

const cn = (d: string) => `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;

export function PublicLists({ county, showTitle = false }: { county: string; showTitle?: boolean }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const q = useQuery({
    queryKey: ['public-waiting-lists', county],
    queryFn: () => get<PublicWaitingLists>('/api/v1/public/waiting-lists', { county }),
  });
  if (q.isError) return <Alert type="error" showIcon message={String((q.error as Error).message)} />;
  if (!q.data) return <Spin />;
  const d = q.data;
  const date = (v: string) => (en ? formatDate(v) : cn(v));
  // Every home of a county follows the county's rule in force: the classes are published once.
  const rule = d.homes[0]?.rule;
  return (
    <div data-testid="public-lists">
      {showTitle && (
        <Typography.Title level={phone ? 4 : 3} style={{ textAlign: 'center', marginBottom: 4 }} data-testid="pub-title">
          {t('facilities.pub.heading', { county: d.county.name })}
        </Typography.Title>
      )}
      <Descriptions
        size="small"
        column={phone ? 1 : 2}
        bordered
        style={{ margin: '12px 0' }}
        data-testid="pub-meta"
        items={[
          { key: 'authority', label: t('facilities.pub.authority'), children: d.authority },
          { key: 'period', label: t('facilities.pub.period'), children: t('facilities.pub.periodValue', { from: date(d.period.from), to: date(d.period.to) }) },
          {
            key: 'phone',
            label: t('facilities.pub.phone'),
            children: (
              <a href={`tel:${d.supervisionPhone.replace(/[^\d+]/g, '')}`} data-testid="pub-phone">
                {d.supervisionPhone}
              </a>
            ),
          },
          { key: 'asOf', label: t('facilities.pub.asOf'), children: date(d.asOf) },
        ]}
      />
      {rule && (
        <Card
          size="small"
          title={rule.version > 0 ? t('facilities.pub.classes', { version: rule.version, from: date(rule.validFrom) }) : t('facilities.pub.classesDefault')}
          style={{ marginBottom: 12 }}
        >
          <Space direction="vertical" size={4} data-testid="pub-classes">
            {rule.classes.map((k) => (
              <div key={k.label}>
                <Tag color="blue">{en ? k.labelEn : k.label}</Tag>
                {en ? k.textEn : k.text}
              </div>
            ))}
          </Space>
        </Card>
      )}
      {d.homes.map((h) => (
        <Card
          key={h.facilityId}
          title={<span style={{ whiteSpace: 'normal' }}>{h.facilityName}</span>}
          size="small"
          style={{ marginBottom: 12 }}
          extra={t('facilities.pub.beds', { beds: formatNumber(h.beds), free: formatNumber(h.freeBeds), waiting: formatNumber(h.entries.length) })}
          data-testid="pub-home"
        >
          {!h.entries.length ? (
            <Empty description={t('facilities.pub.none')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
          ) : phone ? (
            <List
              size="small"
              dataSource={h.entries}
              renderItem={(r) => (
                <List.Item style={{ padding: '8px 0' }}>
                  <div style={{ display: 'flex', width: '100%', gap: 12, alignItems: 'baseline' }}>
                    <b style={{ minWidth: 28, fontSize: 18 }}>{r.rank ?? '—'}</b>
                    <div style={{ flex: 1 }}>
                      <div style={{ fontSize: 16 }}>
                        {r.name}
                        <Tag style={{ marginLeft: 8 }}>{en ? r.priorityClassEn : r.priorityClass}</Tag>
                      </div>
                      <Typography.Text type="secondary">
                        {r.township ?? ''} · {t('facilities.pub.appliedOn')} {formatDate(r.appliedOn)}
                      </Typography.Text>
                    </div>
                  </div>
                </List.Item>
              )}
            />
          ) : (
            <Table<PublicEntry>
              rowKey={(r) => `${r.rank}-${r.name}-${r.appliedOn}`}
              size="small"
              pagination={false}
              dataSource={h.entries}
              columns={[
                { title: t('facilities.adm.rank'), dataIndex: 'rank', width: 70, render: (v: number | null) => v ?? '—' },
                { title: t('facilities.pub.name'), dataIndex: 'name', width: 120 },
                { title: t('facilities.pub.township'), dataIndex: 'township', ellipsis: true },
                { title: t('facilities.pub.class'), width: 120, render: (_, r) => <Tag>{en ? r.priorityClassEn : r.priorityClass}</Tag> },
                { title: t('facilities.pub.appliedOn'), dataIndex: 'appliedOn', width: 130, render: (v: string) => formatDate(v) },
              ]}
            />
          )}
        </Card>
      ))}
      <Typography.Paragraph type="secondary" style={{ marginTop: 16 }} data-testid="pub-note">
        {t('facilities.pub.note', { phone: d.supervisionPhone })}
      </Typography.Paragraph>
      <div style={{ textAlign: 'right', marginTop: 8 }}>
        <div>{d.authority}</div>
        <div>{date(d.period.from)}</div>
      </div>
    </div>
  );
}
