/** 从模板新建规划: the five sample counties' indicator tables; choosing one creates the plan. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, List, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../kernel/api';
import { showError, showSuccess } from '../../kernel/notify';
import type { PlanTemplate, PlanView } from './types';

export function CreatePlanDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (id: string) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const templates = useQuery({
    queryKey: ['plan-templates'],
    queryFn: () => get<{ items: PlanTemplate[] }>('/api/v1/plan-templates'),
    enabled: open,
    staleTime: Infinity,
  });
  const create = useMutation({
    mutationFn: (template: string) => post<PlanView>('/api/v1/plans', { template }),
    onSuccess: async (plan) => {
      showSuccess(t('indicators.created'));
      await qc.invalidateQueries({ queryKey: ['plans'] });
      onCreated(plan.id);
      onClose();
    },
    onError: showError,
  });

  return (
    <Modal open={open} title={t('indicators.createTitle')} onCancel={onClose} footer={null} width={720} destroyOnHidden>
      <div data-testid="create-plan-dialog">
        <Alert type="info" showIcon message={t('indicators.createHint')} style={{ marginBottom: 12 }} />
        {templates.isError && <Alert type="error" showIcon message={t('errors.load')} style={{ marginBottom: 12 }} />}
        <List<PlanTemplate>
          loading={templates.isPending}
          dataSource={templates.data?.items ?? []}
          rowKey="key"
          renderItem={(tpl) => (
            <List.Item
              actions={[
                <Button
                  key="use"
                  type="primary"
                  size="small"
                  loading={create.isPending && create.variables === tpl.key}
                  disabled={create.isPending && create.variables !== tpl.key}
                  onClick={() => create.mutate(tpl.key)}
                  data-testid={`template-${tpl.key}`}
                >
                  {t('indicators.use')}
                </Button>,
              ]}
            >
              <List.Item.Meta
                title={
                  <span>
                    <Typography.Text strong>{tpl.region}</Typography.Text> {tpl.title}
                  </span>
                }
                description={`${t('indicators.period', { start: tpl.period[0], end: tpl.period[1] })} · ${t('indicators.indicatorCount', { count: tpl.indicators.length })}`}
              />
            </List.Item>
          )}
        />
      </div>
    </Modal>
  );
}
