/** 导入名册: template, file, mode; the upload starts a job whose progress is polled every 500 ms
 * until it is done or failed, then the per-row report is shown. */
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Modal, Progress, Radio, Space, Typography, Upload, type UploadFile } from 'antd';
import { Table } from '../../kernel/table';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, download, get } from '../../kernel/api';
import { useLang } from '../../kernel/i18n';
import { showError } from '../../kernel/notify';
import type { ImportJob } from './types';

type Mode = 'all-or-nothing' | 'valid-only';

export function ImportDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const qc = useQueryClient();
  const [file, setFile] = useState<UploadFile | null>(null);
  const [mode, setMode] = useState<Mode>('all-or-nothing');
  const [jobId, setJobId] = useState<string | null>(null);

  const start = useMutation({
    mutationFn: () => {
      const fd = new FormData();
      fd.append('file', file!.originFileObj as Blob, file!.name);
      // api() sends the x-csrf-token header with every write, multipart included.
      return api<{ jobId: string }>('/api/v1/elders/import', { method: 'POST', body: fd, query: { mode } });
    },
    onSuccess: (r) => setJobId(r.jobId),
  });

  const job = useQuery({
    queryKey: ['import-job', jobId],
    queryFn: () => get<ImportJob>(`/api/v1/import-jobs/${jobId}`),
    enabled: !!jobId,
    gcTime: 0,
    refetchInterval: (q) => (q.state.data && q.state.data.status !== 'running' ? false : 500),
  });
  const j = job.data;
  const finished = !!j && j.status !== 'running';
  const report = finished ? j.report : null;

  useEffect(() => {
    if (report?.committed) {
      void qc.invalidateQueries({ queryKey: ['elders'] });
      void qc.invalidateQueries({ queryKey: ['due'] });
    }
  }, [report, qc]);

  const busy = start.isPending || (!!jobId && !finished);
  const reset = () => {
    setJobId(null);
    start.reset();
  };

  return (
    <Modal
      open
      width={780}
      title={t('elders.imp.title')}
      onCancel={onClose}
      maskClosable={!busy}
      wrapProps={{ 'data-testid': 'elder-import-dialog' }}
      footer={
        <Space>
          <Button onClick={onClose}>{t('common.close')}</Button>
          <Button type="primary" disabled={!file || busy || finished} loading={busy} onClick={() => start.mutate()} data-testid="elder-import-start">
            {t('elders.imp.start')}
          </Button>
        </Space>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} size={16}>
        <div>
          <Typography.Text strong>1. </Typography.Text>
          {t('elders.imp.step1')}
          <div style={{ marginTop: 8 }}>
            <Button icon={<DownloadOutlined />} onClick={() => void download('/api/v1/elders/import/template', '老年人名册导入模板.xlsx').catch(showError)}>
              {t('elders.template')}
            </Button>
          </div>
        </div>
        <div>
          <Typography.Text strong>2. </Typography.Text>
          {t('elders.imp.step2')}
          <Upload.Dragger
            style={{ marginTop: 8 }}
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            maxCount={1}
            disabled={busy}
            fileList={file ? [file] : []}
            beforeUpload={() => false}
            onChange={({ fileList }) => {
              setFile(fileList.at(-1) ?? null);
              reset();
            }}
            onRemove={() => setFile(null)}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t('elders.imp.chooseFile')}</p>
          </Upload.Dragger>
        </div>
        <div>
          <Typography.Text strong>3. </Typography.Text>
          {t('elders.imp.step3')}
          <Radio.Group
            value={mode}
            disabled={busy}
            onChange={(e) => {
              setMode(e.target.value as Mode);
              reset();
            }}
            style={{ display: 'flex', flexDirection: 'column', gap: 4, marginTop: 8 }}
          >
            <Radio value="all-or-nothing">{t('elders.imp.modeAll')}</Radio>
            <Radio value="valid-only">{t('elders.imp.modeValid')}</Radio>
          </Radio.Group>
        </div>
        {jobId && (
          <div data-testid="elder-import-progress">
            <Typography.Text type="secondary">
              {finished ? '' : `${t('elders.imp.running')} `}
              {t('elders.imp.progress', { processed: j?.processed ?? 0, total: j?.total ?? 0 })}
            </Typography.Text>
            <Progress
              percent={j && j.total ? Math.floor((j.processed / j.total) * 100) : finished ? 100 : 0}
              status={j?.status === 'failed' ? 'exception' : finished ? 'success' : 'active'}
            />
          </div>
        )}
        {j?.status === 'failed' && (
          <Alert type="error" showIcon message={t('elders.imp.failed')} description={j.report?.error ? String(j.report.error) : undefined} />
        )}
        {report && j?.status === 'done' && (
          <div data-testid="elder-import-report">
            <Alert
              type={report.committed ? (report.errors.length ? 'warning' : 'success') : 'error'}
              showIcon
              message={report.committed ? t('elders.imp.committed') : t('elders.imp.notCommitted')}
              style={{ marginBottom: 12 }}
            />
            <Descriptions
              size="small"
              bordered
              column={{ xs: 1, sm: 3 }}
              items={[
                { key: 'total', label: t('elders.imp.total'), children: report.total },
                { key: 'imported', label: t('elders.imp.imported'), children: <span data-testid="elder-import-imported">{report.imported}</span> },
                { key: 'rejected', label: t('elders.imp.rejected'), children: report.rejected },
              ]}
            />
            {report.errors.length > 0 && (
              <Table
                style={{ marginTop: 12 }}
                size="small"
                rowKey={(r) => `${r.row}-${r.column}-${r.message}`}
                title={() => <strong>{t('elders.imp.errors')}</strong>}
                dataSource={report.errors}
                pagination={{ pageSize: 10, hideOnSinglePage: true }}
                data-testid="elder-import-errors"
                columns={[
                  { title: t('elders.imp.row'), dataIndex: 'row', width: 70 },
                  { title: t('elders.imp.column'), dataIndex: 'column', width: 150 },
                  { title: t('elders.imp.problem'), key: 'message', render: (_, r) => (lang === 'en' ? r.messageEn : r.message) },
                ]}
              />
            )}
          </div>
        )}
      </Space>
    </Modal>
  );
}
