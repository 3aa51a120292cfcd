/** 老年人能力评估 as a full-screen, tablet-friendly step form: 基本信息, one step per dimension,
 * Annex A, 结果. A sticky panel scores the answers live; submitting records the assessment for
 * the elder and offers the printable report. */
import { ArrowLeftOutlined, ArrowRightOutlined, CheckOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Drawer, Grid, Skeleton, Space, Steps, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../kernel/api';
import { useMe } from '../../kernel/auth';
import { LoadError } from '../../kernel/components/FullPage';
import { pick, useLang } from '../../kernel/i18n';
import { showSuccess } from '../../kernel/notify';
import type { ElderDetail } from '../elders/types';
import { AnnexStep } from './AnnexStep';
import { BasicStep } from './BasicStep';
import { useStandards } from './common';
import { ItemsStep } from './ItemsStep';
import { DoneView, ReviewStep } from './ReviewStep';
import { ScorePanel, useScore } from './ScorePanel';
import { buildInput, dimensionProgress, initialState, missingItems, type FormState, type ReasonKind } from './state';
import { GB, type AssessmentView, type Item, type Standard, type StandardCode } from './types';
import './assess.css';

/** `immediate`: opened for a requested 即时评估 (the due list says so). */
export default function AssessmentForm({ elderId, immediate, onClose }: { elderId: string; immediate?: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const standards = useStandards();
  const elder = useQuery({ queryKey: ['elder', elderId], queryFn: () => get<ElderDetail>(`/api/v1/elders/${elderId}`), gcTime: 0 });
  const past = useQuery({
    queryKey: ['elder-assessments', elderId],
    queryFn: () => get<{ items: AssessmentView[] }>(`/api/v1/elders/${elderId}/assessments`),
    gcTime: 0,
  });
  const ready = standards.data && elder.data && past.data;
  const error = standards.error ?? elder.error ?? past.error;
  const kind: ReasonKind = immediate ? 'immediate' : past.data?.items.some((a) => a.status === 'completed') ? 'routine' : 'first';
  return (
    <Drawer
      open
      width="100%"
      placement="right"
      onClose={onClose}
      destroyOnHidden
      title={elder.data ? t('assessments.titleFor', { name: elder.data.name }) : t('assessments.title')}
      styles={{ body: { padding: screens.md ? 16 : 8, background: '#f5f7fa' } }}
      data-testid="assess-form"
    >
      {error && <LoadError error={error} onRetry={() => void Promise.all([standards.refetch(), elder.refetch(), past.refetch()])} />}
      {!error && !ready && <Skeleton active />}
      {ready && <Wizard standards={standards.data} elder={elder.data} kind={kind} onClose={onClose} />}
    </Drawer>
  );
}

function Wizard({ standards, elder, kind, onClose }: { standards: Standard[]; elder: ElderDetail; kind: ReasonKind; onClose: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const me = useMe();
  const qc = useQueryClient();
  const { modal } = App.useApp();
  const [state, setState] = useState<FormState>(() => initialState(standards.find((s) => s.code === GB) ?? standards[0], [me.displayName], kind));
  const [step, setStep] = useState(0);
  const [showErrors, setShowErrors] = useState(false);
  const [saved, setSaved] = useState<AssessmentView | null>(null);
  const top = useRef<HTMLDivElement>(null);
  const standard = standards.find((s) => s.code === state.standard)!;
  const score = useScore(standard, state);
  const missing = missingItems(standard, state.answers);
  const last = standard.dimensions.length + 2;

  useEffect(() => {
    top.current?.scrollIntoView({ block: 'start' });
  }, [step]);

  const change = (patch: Partial<FormState>) => setState((s) => ({ ...s, ...patch }));
  const answer = (item: string, option: string) => setState((s) => ({ ...s, answers: { ...s.answers, [item]: option } }));
  const switchStandard = (code: StandardCode) => {
    const next = standards.find((s) => s.code === code)!;
    const go = () => setState((s) => ({ ...initialState(next, s.assessors, kind), referenceDate: s.referenceDate }));
    if (Object.keys(state.answers).length) modal.confirm({ title: t('common.confirmTitle'), content: t('assessments.standardChange'), onOk: go });
    else go();
  };
  const jump = (item: Item) => setStep(1 + standard.dimensions.findIndex((d) => d.code === item.dimension));

  const submit = useMutation({
    mutationFn: () =>
      post<AssessmentView>(`/api/v1/elders/${elder.id}/assessments`, {
        input: buildInput(standard, state),
        referenceDate: state.referenceDate,
        assessors: state.assessors,
      }),
    onSuccess: (a) => {
      showSuccess(t('assessments.review.submitted'));
      setSaved(a);
      for (const key of [['elders'], ['due'], ['elder', elder.id], ['elder-assessments', elder.id], ['elder-history', elder.id]])
        void qc.invalidateQueries({ queryKey: key });
    },
  });

  const basicOk = state.assessors.length > 0 && !!state.referenceDate;
  const canSubmit = basicOk && missing.length === 0 && !!score.result && !score.pending;
  const trySubmit = () => {
    if (!basicOk) {
      setShowErrors(true);
      return setStep(0);
    }
    if (canSubmit) submit.mutate();
  };

  const stepItems = useMemo(
    () => [
      { title: t('assessments.steps.basic'), status: showErrors && !basicOk ? ('error' as const) : undefined },
      ...standard.dimensions.map((d) => {
        const p = dimensionProgress(standard, state.answers, d.code);
        return {
          title: <span data-testid={`step-${d.code}`}>{pick(d, lang)}</span>,
          description: `${d.code} · ${t('assessments.answered', { n: p.answered, total: p.total })}`,
          status: p.complete ? ('finish' as const) : undefined,
        };
      }),
      { title: t('assessments.steps.annex') },
      { title: t('assessments.steps.result') },
    ],
    [standard, state.answers, lang, t, showErrors, basicOk],
  );

  if (saved) return <DoneView saved={saved} onClose={onClose} />;

  const content =
    step === 0 ? (
      <BasicStep
        standards={standards}
        standard={standard}
        state={state}
        birthDate={elder.birthDate}
        showErrors={showErrors}
        onChange={change}
        onStandard={switchStandard}
      />
    ) : step <= standard.dimensions.length ? (
      <ItemsStep standard={standard} dimension={standard.dimensions[step - 1]} answers={state.answers} onAnswer={answer} />
    ) : step === last - 1 ? (
      <AnnexStep standard={standard} state={state} onChange={change} />
    ) : (
      <ReviewStep missing={missing} score={score} onJump={jump} />
    );

  return (
    <div ref={top}>
      <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 8 }} data-testid="assess-elder">
        {t('assessments.elder')}
        {t('assessments.colon')}
        {elder.name} · {t(`elders.sexes.${elder.sex}`)} · {t('elders.ageValue', { age: elder.age })} ·{' '}
        {[elder.townshipName, elder.regionName].filter(Boolean).join(' / ')}
      </Typography.Text>
      <Steps
        current={step}
        onChange={setStep}
        size="small"
        labelPlacement="vertical"
        items={stepItems}
        className="yl-assess-steps"
        data-testid="assess-steps"
      />
      <div className={step === last ? 'yl-assess-grid yl-assess-review' : 'yl-assess-grid'}>
        <main className="yl-assess-main">
          {content}
          <Space className="yl-assess-nav" size={12}>
            <Button size="large" icon={<ArrowLeftOutlined />} disabled={step === 0} onClick={() => setStep(step - 1)} data-testid="assess-prev">
              {t('assessments.prev')}
            </Button>
            {step < last ? (
              <Button size="large" type="primary" onClick={() => setStep(step + 1)} data-testid="assess-next">
                {step === last - 1 ? t('assessments.toResult') : t('assessments.next')} <ArrowRightOutlined />
              </Button>
            ) : (
              <Button
                size="large"
                type="primary"
                icon={<CheckOutlined />}
                disabled={!canSubmit}
                loading={submit.isPending}
                onClick={trySubmit}
                data-testid="assess-submit"
              >
                {t('assessments.review.submit')}
              </Button>
            )}
          </Space>
        </main>
        {step !== last && (
          <aside className="yl-assess-panel">
            <ScorePanel standard={standard} state={state} />
          </aside>
        )}
      </div>
    </div>
  );
}
