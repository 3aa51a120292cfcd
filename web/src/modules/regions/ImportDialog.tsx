/** Excel import of regions: template, file, mode, and the per-row error report. */
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Modal, Radio, Space, Typography, Upload, type UploadFile } from 'antd';
import { Table } from '../../kernel/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, download } from '../../kernel/api';
import { useLang } from '../../kernel/i18n';
import { showError } from '../../kernel/notify';

type Mode = 'all-or-nothing' | 'valid-only';

interface ImportReport {
  mode: string;
  total: number;
  inserted: number;
  updated: number;
  rejected: number;
  committed: boolean;
  errors: { row: number; column: string; message: string; messageEn: string }[];
}

export function ImportDialog({ onClose, onImported }: { onClose: () => void; onImported: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const [file, setFile] = useState<UploadFile | null>(null);
  const [mode, setMode] = useState<Mode>('all-or-nothing');
  const [report, setReport] = useState<ImportReport | null>(null);

  const run = useMutation({
    mutationFn: () => {
      const fd = new FormData();
      fd.append('file', file!.originFileObj as Blob, file!.name);
      return api<ImportReport>('/api/v1/regions/import', { method: 'POST', body: fd, query: { mode } });
    },
    onSuccess: (r) => {
      setReport(r);
      if (r.committed) onImported();
    },
  });

  const template = () => download('/api/v1/regions/import/template', '区划导入模板.xlsx').catch(showError);

  return (
    <Modal
      open
      width={760}
      title={t('regions.importTitle')}
      onCancel={onClose}
      wrapProps={{ 'data-testid': 'import-dialog' }}
      footer={
        <Space>
          <Button onClick={onClose}>{t('common.close')}</Button>
          <Button type="primary" disabled={!file} loading={run.isPending} onClick={() => run.mutate()} data-testid="import-start">
            {t('regions.start')}
          </Button>
        </Space>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} size={16}>
        <div>
          <Typography.Text strong>1. </Typography.Text>
          {t('regions.step1')}
          <div style={{ marginTop: 8 }}>
            <Button icon={<DownloadOutlined />} onClick={() => void template()} data-testid="import-template">
              {t('regions.downloadTemplate')}
            </Button>
          </div>
        </div>
        <div>
          <Typography.Text strong>2. </Typography.Text>
          {t('regions.step2')}
          <Upload.Dragger
            style={{ marginTop: 8 }}
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            maxCount={1}
            fileList={file ? [file] : []}
            beforeUpload={() => false}
            onChange={({ fileList }) => {
              setFile(fileList.at(-1) ?? null);
              setReport(null);
            }}
            onRemove={() => setFile(null)}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t('regions.chooseFile')}</p>
          </Upload.Dragger>
        </div>
        <div>
          <Typography.Text strong>3. </Typography.Text>
          {t('regions.step3')}
          <Radio.Group
            value={mode}
            onChange={(e) => setMode(e.target.value as Mode)}
            style={{ display: 'flex', flexDirection: 'column', gap: 4, marginTop: 8 }}
          >
            <Radio value="all-or-nothing">{t('regions.modeAll')}</Radio>
            <Radio value="valid-only">{t('regions.modeValid')}</Radio>
          </Radio.Group>
        </div>
        {report && (
          <div data-testid="import-report">
            <Alert
              type={report.committed ? (report.errors.length ? 'warning' : 'success') : 'error'}
              showIcon
              message={report.committed ? t('regions.resultCommitted') : t('regions.resultNotCommitted')}
              style={{ marginBottom: 12 }}
            />
            <Descriptions
              size="small"
              bordered
              column={{ xs: 2, sm: 4 }}
              items={[
                { key: 'total', label: t('regions.total'), children: report.total },
                { key: 'inserted', label: t('regions.inserted'), children: report.inserted },
                { key: 'updated', label: t('regions.updated'), children: report.updated },
                { key: 'rejected', label: t('regions.rejected'), children: report.rejected },
              ]}
            />
            {report.errors.length > 0 && (
              <Table
                style={{ marginTop: 12 }}
                size="small"
                rowKey={(r) => `${r.row}-${r.column}-${r.message}`}
                title={() => <strong>{t('regions.errors')}</strong>}
                dataSource={report.errors}
                pagination={{ pageSize: 10, hideOnSinglePage: true }}
                data-testid="import-errors"
                columns={[
                  { title: t('regions.row'), dataIndex: 'row', width: 70 },
                  { title: t('regions.column'), dataIndex: 'column', width: 140 },
                  { title: t('regions.problem'), key: 'message', render: (_, r) => (lang === 'en' ? r.messageEn : r.message) },
                ]}
              />
            )}
          </div>
        )}
      </Space>
    </Modal>
  );
}
