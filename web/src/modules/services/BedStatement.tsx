/** A family care bed's month statement: adherence, the month's orders with government part and
 * co-pay, anomalies held back, the operating subsidy, the check against the provider's
 * settlement lines; export to Excel. */
import { useQuery } from '@tanstack/react-query';
import { Button, Descriptions, Drawer, Progress, Space, Tag } from 'antd';
import { Table } from '../../kernel/table';
import { useTranslation } from 'react-i18next';
import { download, get } from '../../kernel/api';
import { useLang } from '../../kernel/i18n';
import './locale';
import { StatusTag } from './shared';
import { yuan } from './types';

export interface BedPlanLine {
  itemId: string;
  itemName: string;
  timesPerMonth: number;
  planned: number;
  generated: number;
  done: number;
}

interface Statement {
  bed: {
    id: string;
    elderName: string;
    providerName: string | null;
    abilityLevel: number;
    abilityStandard: string;
    enrolledOn: string;
    month: string;
    planned: number;
    generated: number;
    done: number;
    adherence: number | null;
    plan: BedPlanLine[];
  };
  subsidy: { monthlyCents: number; activeDays: number; daysInMonth: number; cents: number };
  orders: {
    id: string;
    no: string;
    date: string;
    time: string;
    itemName: string;
    status: string;
    fromPlan: boolean;
    caregiverName: string | null;
    govCents: number;
    copayCents: number;
    held: boolean;
    holdReasons: { code: string; label: string; labelEn: string }[];
    settlement: { month: string; status: string; held: boolean } | null;
  }[];
  totals: {
    payable: number;
    payableGovCents: number;
    payableCopayCents: number;
    held: number;
    heldGovCents: number;
    open: number;
    cancelled: number;
    subsidyCents: number;
    governmentCents: number;
  };
  reconciliation: { ok: boolean; settledOrders: number; differing: string[] };
}

export function BedStatement({ bedId, month, onClose }: { bedId: string | null; month: string; onClose: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const q = useQuery({
    queryKey: ['services-bed-statement', bedId, month],
    queryFn: () => get<Statement>(`/api/v1/services/family-beds/${bedId}/statement`, { month }),
    enabled: !!bedId,
  });
  const s = q.data;
  return (
    <Drawer
      open={!!bedId}
      onClose={onClose}
      width={960}
      destroyOnHidden
      title={s ? t('services.bedStatementTitle', { name: s.bed.elderName, month: s.bed.month }) : t('services.bedStatement')}
    >
      {s && (
        <div data-testid="bed-statement">
          <Space wrap style={{ marginBottom: 12 }}>
            <Tag color={s.reconciliation.ok ? 'green' : 'red'} data-testid="bed-statement-reconciled">
              {s.reconciliation.ok ? t('services.reconciled') : `${t('services.notReconciled')}：${s.reconciliation.differing.join('、')}`}
            </Tag>
            <Button
              onClick={() => void download(`/api/v1/services/family-beds/${s.bed.id}/statement/export?month=${s.bed.month}`, `${s.bed.month}.xlsx`)}
              data-testid="bed-statement-export"
            >
              {t('services.export')}
            </Button>
          </Space>
          <Descriptions size="small" bordered column={2} style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t('services.bedProvider')}>{s.bed.providerName}</Descriptions.Item>
            <Descriptions.Item label={t('services.bedLevel')}>{`${s.bed.abilityLevel}（${s.bed.abilityStandard}）`}</Descriptions.Item>
            <Descriptions.Item label={t('services.bedAdherence')}>
              <Space>
                <span data-testid="bed-statement-adherence">
                  {s.bed.done}/{s.bed.planned}
                </span>
                {s.bed.adherence != null && <Progress percent={s.bed.adherence} size="small" style={{ width: 140 }} />}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('services.bedSince')}>{s.bed.enrolledOn}</Descriptions.Item>
            <Descriptions.Item label={t('services.orderCount')}>
              {s.totals.payable} · {t('services.gov')} <b data-testid="bed-statement-gov">{yuan(s.totals.payableGovCents)}</b> · {t('services.copay')}{' '}
              {yuan(s.totals.payableCopayCents)}
            </Descriptions.Item>
            <Descriptions.Item label={t('services.heldCount')}>
              {s.totals.held} · {t('services.heldGov')} {yuan(s.totals.heldGovCents)}
            </Descriptions.Item>
            <Descriptions.Item label={t('services.bedSubsidy')}>
              {yuan(s.subsidy.cents)}{' '}
              <span style={{ color: '#888' }}>
                （{yuan(s.subsidy.monthlyCents)}/月，{t('services.bedSubsidyNote', { days: s.subsidy.activeDays, total: s.subsidy.daysInMonth })}）
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('services.bedGovTotal')}>
              <b data-testid="bed-statement-total">{yuan(s.totals.governmentCents)}</b>
            </Descriptions.Item>
            <Descriptions.Item label={t('services.bedOpenOrders')}>{s.totals.open}</Descriptions.Item>
            <Descriptions.Item label={t('services.bedCancelledOrders')}>{s.totals.cancelled}</Descriptions.Item>
          </Descriptions>
          <Table
            size="small"
            rowKey="itemId"
            pagination={false}
            style={{ marginBottom: 12 }}
            dataSource={s.bed.plan}
            columns={[
              { title: t('services.bedPlan'), dataIndex: 'itemName' },
              { title: t('services.bedTimes'), dataIndex: 'timesPerMonth' },
              { title: t('services.bedPlanned'), dataIndex: 'planned' },
              { title: t('services.bedGeneratedCol'), dataIndex: 'generated' },
              { title: t('services.bedDone'), dataIndex: 'done' },
            ]}
          />
          <Table
            size="small"
            rowKey="id"
            data-testid="bed-statement-orders"
            dataSource={s.orders}
            pagination={{ pageSize: 50 }}
            columns={[
              { title: t('services.no'), dataIndex: 'no' },
              { title: t('services.serviceTime'), render: (_, o) => `${o.date} ${o.time}` },
              { title: t('services.item'), dataIndex: 'itemName' },
              {
                title: t('services.bedSource'),
                render: (_, o) => <Tag color={o.fromPlan ? 'blue' : 'default'}>{o.fromPlan ? t('services.bedFromPlan') : t('services.bedOnce')}</Tag>,
              },
              { title: t('services.filterStatus'), render: (_, o) => <StatusTag o={{ status: o.status, overdue: null, escalation: null }} /> },
              { title: t('services.caregiver'), dataIndex: 'caregiverName', responsive: ['lg'] },
              { title: t('services.gov'), align: 'right', render: (_, o) => yuan(o.govCents) },
              { title: t('services.copay'), align: 'right', render: (_, o) => yuan(o.copayCents) },
              {
                title: t('services.bedSettlement'),
                render: (_, o) =>
                  o.status !== 'completed' ? (
                    '—'
                  ) : o.held ? (
                    o.holdReasons.map((r) => (
                      <Tag color="red" key={r.code}>
                        {lang === 'en' ? r.labelEn : r.label}
                      </Tag>
                    ))
                  ) : (
                    <Tag color="green">{o.settlement ? t('services.bedSettledIn', { month: o.settlement.month }) : t('services.bedUnsettled')}</Tag>
                  ),
              },
            ]}
          />
        </div>
      )}
    </Drawer>
  );
}
