/** 能力评估: the elder's assessments, newest first, each with its printable report; “新增评估”
 * opens the assessment form. */
import { FilePdfOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Tag, Tooltip } from 'antd';
import { Table } from '../../kernel/table';
import { useTranslation } from 'react-i18next';
import { get } from '../../kernel/api';
import { useMe } from '../../kernel/auth';
import { formatDate } from '../../kernel/format';
import { pick, useLang } from '../../kernel/i18n';
import { LevelTag, standardShort, useLevelName, useStandards } from '../assessments/common';
import { reportUrl, type AssessmentView } from '../assessments/types';
import { ASSESSOR_ROLES, type ElderDetail } from './types';

export function useElderAssessments(elderId: string) {
  return useQuery({
    queryKey: ['elder-assessments', elderId],
    queryFn: () => get<{ elderId: string; items: AssessmentView[] }>(`/api/v1/elders/${elderId}/assessments`),
    gcTime: 0,
  });
}

export function AssessmentsTab({ elder, onAssess }: { elder: ElderDetail; onAssess: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const lang = useLang();
  const levelName = useLevelName();
  const standards = useStandards();
  const list = useElderAssessments(elder.id);
  const canAssess = ASSESSOR_ROLES.includes(me.role) && elder.status === 'active';
  const reason = (a: AssessmentView) => pick(standards.data?.find((s) => s.code === a.standard)?.reasons[a.reason], lang) || a.reason;

  return (
    <>
      {canAssess && (
        <Button type="primary" size="large" icon={<PlusOutlined />} onClick={onAssess} style={{ marginBottom: 12 }} data-testid="assessment-add">
          {t('elders.al.add')}
        </Button>
      )}
      <Table<AssessmentView>
        size="small"
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        scroll={{ x: 700 }}
        locale={{ emptyText: t('elders.al.empty') }}
        data-testid="assessment-table"
        columns={[
          {
            title: t('elders.abilityLevel'),
            key: 'level',
            render: (_: unknown, a) => (
              <span data-testid="assessment-level" data-level={a.finalLevel}>
                <LevelTag level={a.finalLevel} name={levelName(a.standard, a.finalLevel, a.levelName)} />
              </span>
            ),
          },
          {
            title: t('elders.standard'),
            dataIndex: 'standard',
            width: 120,
            render: (s: string, a) => (
              <Tooltip
                title={
                  <>
                    <div>{s}</div>
                    <div>{`${t('elders.al.reason')}${t('assessments.colon')}${reason(a)}`}</div>
                    {a.total != null && <div>{t('elders.al.total', { total: a.total })}</div>}
                    <div>{`${t('elders.al.assessors')}${t('assessments.colon')}${a.assessors.join('、')}`}</div>
                  </>
                }
              >
                {standardShort(s)}
              </Tooltip>
            ),
          },
          { title: t('elders.due.referenceDate'), dataIndex: 'referenceDate', width: 100, render: formatDate },
          { title: t('elders.due.validUntil'), dataIndex: 'validUntil', width: 100, render: (v: string | null) => formatDate(v) },
          {
            title: t('elders.status'),
            dataIndex: 'status',
            width: 80,
            render: (s: string, a) => (
              <Tooltip title={a.voidReason}>
                <Tag color={s === 'completed' ? 'green' : 'default'}>{t(`elders.al.statuses.${s}`, s)}</Tag>
              </Tooltip>
            ),
          },
          {
            title: t('common.actions'),
            key: 'print',
            width: 100,
            render: (_: unknown, a) => (
              <a href={reportUrl(a.id)} target="_blank" rel="noopener noreferrer" data-testid="assessment-print">
                <FilePdfOutlined /> {t('elders.al.print')}
              </a>
            ),
          },
        ]}
      />
    </>
  );
}
