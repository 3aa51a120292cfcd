/** 轮候公示 (the published lists, names masked — what the public API gives anyone) and 小区配建. */
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, Spin, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { get } from '../../kernel/api';
import { useMe } from '../../kernel/auth';
import { formatDate } from '../../kernel/format';
import type { WaitingList } from './types';

export function PublicTab() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const q = useQuery({
    queryKey: ['public-waiting-lists', me.countyCode],
    queryFn: () => get<{ asOf: string; homes: WaitingList[] }>('/api/v1/public/waiting-lists', { county: me.countyCode }),
  });
  if (!q.data) return <Spin />;
  return (
    <>
      <Alert type="info" showIcon message={t('facilities.pub.title')} description={t('facilities.pub.note')} style={{ marginBottom: 16 }} />
      {q.data.homes.map((h) => (
        <Card
          key={h.facilityId}
          title={h.facilityName}
          size="small"
          style={{ marginBottom: 12 }}
          extra={t('facilities.adm.rule', { version: h.rule.version, from: formatDate(h.rule.validFrom) })}
        >
          {h.entries.length ? (
            <Table
              rowKey="applicationId"
              size="small"
              pagination={false}
              dataSource={h.entries}
              columns={[
                { title: t('facilities.adm.rank'), dataIndex: 'rank', width: 70, render: (v: number | null) => v ?? '—' },
                { title: t('facilities.col.name'), dataIndex: 'name', width: 110 },
                { title: t('facilities.col.region'), dataIndex: 'regionName', width: 200 },
                {
                  title: t('facilities.adm.reason'),
                  render: (_, r) => (
                    <>
                      <Tag>{t(`facilities.adm.standing.${r.standing}`)}</Tag>
                      {i18n.language === 'en' ? r.reasonEn : r.reason}
                    </>
                  ),
                },
                { title: t('facilities.adm.appliedOn'), dataIndex: 'appliedOn', width: 120, render: (v: string) => formatDate(v) },
              ]}
            />
          ) : (
            <Empty description={t('facilities.pub.none')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
          )}
        </Card>
      ))}
    </>
  );
}

interface Compound {
  id: string;
  regionName: string | null;
  name: string;
  kind: string;
  households: number;
  facilityAreaM2: number;
  per100: number;
  required: number;
  compliant: boolean;
  assessedOn: string;
}

export function CompoundsTab() {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ['residential-compounds'], queryFn: () => get<{ items: Compound[] }>('/api/v1/residential-compounds') });
  return (
    <Card>
      <Table<Compound>
        rowKey="id"
        size="middle"
        loading={q.isLoading}
        dataSource={q.data?.items}
        columns={[
          { title: t('facilities.cmp.name'), dataIndex: 'name' },
          { title: t('facilities.col.region'), dataIndex: 'regionName' },
          { title: t('facilities.cmp.kind'), dataIndex: 'kind', render: (v: string) => t(`facilities.cmp.kinds.${v}`) },
          { title: t('facilities.cmp.households'), dataIndex: 'households', align: 'right' },
          { title: t('facilities.cmp.area'), dataIndex: 'facilityAreaM2', align: 'right' },
          { title: t('facilities.cmp.per100'), dataIndex: 'per100', align: 'right' },
          { title: t('facilities.cmp.required'), dataIndex: 'required', align: 'right' },
          {
            title: t('facilities.cmp.compliant'),
            dataIndex: 'compliant',
            render: (v: boolean) => <Tag color={v ? 'green' : 'red'}>{t(v ? 'facilities.cmp.yes' : 'facilities.cmp.no')}</Tag>,
          },
        ]}
      />
    </Card>
  );
}
