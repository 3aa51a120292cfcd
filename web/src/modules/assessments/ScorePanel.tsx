/** The live score: once every item is answered, the answers go to POST /assessments/score (300 ms
 * after the last change) and the panel shows dimension scores, total, preliminary level, the
 * change rules that fired and the final level; until then, how many items each dimension has. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Card, Divider, Progress, Space, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../kernel/api';
import { useMe } from '../../kernel/auth';
import { pick, useLang } from '../../kernel/i18n';
import { errorText } from '../../kernel/notify';
import { LevelTag } from './common';
import { buildInput, dimensionProgress, type FormState } from './state';
import type { ScoreResult, Standard } from './types';

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

/** Scores the current answers; `result` is undefined while incomplete. */
export function useScore(standard: Standard, state: FormState) {
  const me = useMe();
  const input = buildInput(standard, state);
  const body = useDebounced(input ? JSON.stringify(input) : null, 300);
  const q = useQuery({
    queryKey: ['assessment-score', me.countyCode, body],
    queryFn: () => post<ScoreResult>('/api/v1/assessments/score', JSON.parse(body!), { county: me.countyCode }),
    enabled: !!body,
    retry: false,
    staleTime: Infinity,
    meta: { silent: true },
    placeholderData: keepPreviousData,
  });
  const current = !!input && body === JSON.stringify(input);
  return {
    complete: !!input,
    result: input && q.data?.standard === standard.code ? q.data : undefined,
    pending: !!input && (!current || q.isFetching),
    error: input ? q.error : null,
  };
}

export function ScorePanel({ standard, state }: { standard: Standard; state: FormState }) {
  const { t } = useTranslation();
  const score = useScore(standard, state);
  return (
    <Card size="small" title={t('assessments.panel.title')} extra={score.pending && <Spin size="small" />} data-testid="score-panel">
      {!score.complete && <Progressive standard={standard} state={state} />}
      {score.complete && score.error && <Alert type="error" showIcon message={t('assessments.panel.error')} description={errorText(score.error)} />}
      {score.complete && !score.error && !score.result && <Typography.Text type="secondary">{t('assessments.panel.scoring')}</Typography.Text>}
      {score.complete && !score.error && score.result && <ResultSummary result={score.result} compact />}
    </Card>
  );
}

function Progressive({ standard, state }: { standard: Standard; state: FormState }) {
  const { t } = useTranslation();
  const lang = useLang();
  return (
    <>
      <Typography.Paragraph type="secondary">{t('assessments.panel.incomplete')}</Typography.Paragraph>
      {standard.dimensions.map((d) => {
        const p = dimensionProgress(standard, state.answers, d.code);
        return (
          <div key={d.code} data-testid={`progress-${d.code}`}>
            <div style={{ display: 'flex', justifyContent: 'space-between' }}>
              <span>
                {d.code} {pick(d, lang)}
              </span>
              <span>{t('assessments.answered', { n: p.answered, total: p.total })}</span>
            </div>
            <Progress percent={Math.round((p.answered / p.total) * 100)} showInfo={false} size="small" status={p.complete ? 'success' : 'normal'} />
          </div>
        );
      })}
    </>
  );
}

/** Dimension scores, total, preliminary level, applied rules and final level. */
export function ResultSummary({ result: r, compact }: { result: ScoreResult; compact?: boolean }) {
  const { t } = useTranslation();
  const lang = useLang();
  return (
    <div data-testid="score-result" data-final-level={r.finalLevel}>
      {r.dimensions.map((d) => (
        <div key={d.code} style={{ display: 'flex', justifyContent: 'space-between', gap: 8, padding: '2px 0' }}>
          <span>
            {d.code} {pick(d, lang)}
          </span>
          <span style={{ whiteSpace: 'nowrap' }}>
            {d.score ?? '—'}
            {d.max != null && ` / ${d.max}`}
            {d.grade != null && ` · ${t('assessments.panel.grade', { grade: d.grade })}`}
          </span>
        </div>
      ))}
      {r.total != null && (
        <div style={{ display: 'flex', justifyContent: 'space-between', fontWeight: 600, marginTop: 4 }} data-testid="score-total">
          <span>{t('assessments.panel.total')}</span>
          <span>
            {r.total} / {r.maxTotal}
          </span>
        </div>
      )}
      <Divider style={{ margin: '8px 0' }} />
      <Space direction="vertical" size={4} style={{ width: '100%' }}>
        <div>
          {t('assessments.panel.preliminary')}
          {t('assessments.colon')}
          <LevelTag level={r.preliminaryLevel} name={pick(r.preliminaryLevelName, lang)} />
        </div>
        <div>
          <div>
            {t('assessments.panel.rules')}
            {t('assessments.colon')}
          </div>
          {r.appliedRules.length ? (
            <ul style={{ margin: 0, paddingLeft: 18 }} data-testid="score-rules">
              {r.appliedRules.map((a, i) => (
                <li key={i}>
                  <strong>{a.code}</strong> {pick(a, lang)}（{a.levelBefore} → {a.levelAfter}）
                </li>
              ))}
            </ul>
          ) : (
            <Typography.Text type="secondary">{t('assessments.panel.noRules')}</Typography.Text>
          )}
        </div>
        <div style={{ fontSize: compact ? 16 : 20, marginTop: 4 }} data-testid="score-final" data-level={r.finalLevel}>
          {t('assessments.panel.final')}
          {t('assessments.colon')}
          <LevelTag level={r.finalLevel} name={pick(r.levelName, lang)} large />
        </div>
      </Space>
    </div>
  );
}
