/** 评估报告: annual (a year), mid-term or final evaluation of the plan, as PDF, Word (edited before it is sent) or Excel. */
import { FileExcelOutlined, FilePdfOutlined, FileWordOutlined } from '@ant-design/icons';
import { Button, Form, Modal, Radio, Select, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { download, withQuery } from '../../kernel/api';
import { showError } from '../../kernel/notify';

type Kind = 'annual' | 'midterm' | 'final';

export function ReportDialog(p: { open: boolean; onClose: () => void; planId: string; regionCode: string; periodStart: number; periodEnd: number }) {
  const { t } = useTranslation();
  const thisYear = dayjs().year();
  const years: number[] = [];
  for (let y = p.periodStart; y <= Math.min(p.periodEnd, thisYear); y++) years.push(y);
  const [kind, setKind] = useState<Kind>('annual');
  const [year, setYear] = useState<number | undefined>();
  const [busy, setBusy] = useState<string | null>(null);
  const y = year ?? years.at(-1);
  const get = async (format: 'pdf' | 'docx' | 'xlsx') => {
    setBusy(format);
    try {
      await download(
        withQuery(`/api/v1/plans/${p.planId}/report.${format}`, { kind, year: kind === 'annual' ? y : undefined, regionCode: p.regionCode }),
        `${t(`indicators.report.kinds.${kind}`)}.${format}`,
      );
    } catch (e) {
      showError(e);
    } finally {
      setBusy(null);
    }
  };
  return (
    <Modal open={p.open} onCancel={p.onClose} title={t('indicators.report.title')} footer={null} destroyOnHidden>
      <div data-testid="report-dialog">
        <Typography.Paragraph type="secondary">{t('indicators.report.hint')}</Typography.Paragraph>
        <Form layout="vertical">
          <Form.Item label={t('indicators.report.kind')}>
            <Radio.Group value={kind} onChange={(e) => setKind(e.target.value as Kind)} data-testid="report-kind">
              {(['annual', 'midterm', 'final'] as const).map((k) => (
                <Radio.Button key={k} value={k}>
                  <span data-testid={`report-kind-${k}`}>{t(`indicators.report.kinds.${k}`)}</span>
                </Radio.Button>
              ))}
            </Radio.Group>
          </Form.Item>
          {kind === 'annual' && years.length > 0 && (
            <Form.Item label={t('indicators.report.year')}>
              <Select
                style={{ width: 160 }}
                value={y}
                onChange={setYear}
                data-testid="report-year"
                options={years.map((v) => ({ value: v, label: `${v}年` }))}
              />
            </Form.Item>
          )}
          <Space>
            <Button type="primary" icon={<FilePdfOutlined />} loading={busy === 'pdf'} onClick={() => void get('pdf')} data-testid="report-pdf">
              {t('indicators.report.pdf')}
            </Button>
            <Button icon={<FileWordOutlined />} loading={busy === 'docx'} onClick={() => void get('docx')} data-testid="report-docx">
              {t('indicators.report.docx')}
            </Button>
            <Button icon={<FileExcelOutlined />} loading={busy === 'xlsx'} onClick={() => void get('xlsx')} data-testid="report-xlsx">
              {t('indicators.report.xlsx')}
            </Button>
          </Space>
        </Form>
      </div>
    </Modal>
  );
}
