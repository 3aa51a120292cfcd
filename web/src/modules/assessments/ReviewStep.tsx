/** The last step (结果): what is still missing, or the full result to check before submitting;
 * and, once saved, the final level with the printable report. */
import { FilePdfOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Result, Space, Spin, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../kernel/auth';
import { formatDate } from '../../kernel/format';
import { useLang } from '../../kernel/i18n';
import { errorText } from '../../kernel/notify';
import { LevelTag, standardName, useLevelName } from './common';
import { ResultSummary, type useScore } from './ScorePanel';
import { reportUrl, type AssessmentView, type Item } from './types';

interface Props {
  missing: Item[];
  score: ReturnType<typeof useScore>;
  onJump: (item: Item) => void;
}

export function ReviewStep({ missing, score, onJump }: Props) {
  const { t } = useTranslation();
  const lang = useLang();
  const me = useMe();
  return (
    <div data-testid="review-step">
      {missing.length > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="review-missing"
          message={t('assessments.review.missing', { list: '' })}
          description={
            <Space wrap>
              {missing.map((i) => (
                <Button key={i.code} size="small" onClick={() => onJump(i)}>
                  {i.code} {lang === 'en' ? i.en : i.zh}
                </Button>
              ))}
            </Space>
          }
        />
      )}
      {missing.length === 0 && (
        <Card size="small">
          {score.error ? (
            <Alert type="error" showIcon message={t('assessments.panel.error')} description={errorText(score.error)} />
          ) : score.result ? (
            <>
              <Alert type="info" showIcon message={t('assessments.review.ready')} style={{ marginBottom: 12 }} />
              <ResultSummary result={score.result} />
              {/* The scoring rules' version is for administrators, in a tooltip; officials see the standard's title. */}
              <Tooltip title={me.role === 'county_admin' ? t('assessments.review.rulesTip', { id: score.result.rulesId }) : undefined}>
                <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 12 }} data-testid="review-basis">
                  {t('assessments.review.basis', { name: standardName(score.result.standard, lang) })}
                </Typography.Paragraph>
              </Tooltip>
            </>
          ) : (
            <Spin />
          )}
        </Card>
      )}
    </div>
  );
}

export function DoneView({ saved, onClose }: { saved: AssessmentView; onClose: () => void }) {
  const { t } = useTranslation();
  const levelName = useLevelName();
  return (
    <Result
      status="success"
      data-testid="assess-done"
      title={
        <span data-testid="assess-final-level" data-level={saved.finalLevel}>
          {t('assessments.review.resultTitle', { level: saved.finalLevel, name: levelName(saved.standard, saved.finalLevel, saved.levelName) })}
        </span>
      }
      subTitle={
        <>
          <LevelTag level={saved.finalLevel} name={levelName(saved.standard, saved.finalLevel, saved.levelName)} large /> {saved.standard}
          {saved.total != null && ` · ${saved.total}`}
          <div>{t('assessments.review.resultSub', { date: formatDate(saved.referenceDate), until: formatDate(saved.validUntil) })}</div>
        </>
      }
      extra={[
        <Button
          key="print"
          type="primary"
          size="large"
          icon={<FilePdfOutlined />}
          href={reportUrl(saved.id)}
          target="_blank"
          rel="noopener noreferrer"
          data-testid="assess-print"
        >
          {t('assessments.review.print')}
        </Button>,
        <Button key="close" size="large" onClick={onClose} data-testid="assess-close">
          {t('assessments.review.another')}
        </Button>,
      ]}
    />
  );
}
