/** One dimension (一级指标) of the form: every item with its definition and its options as large
 * radio cards (option text and score), for tablets. */
import { CheckCircleFilled } from '@ant-design/icons';
import { Alert, Card, Tag, Typography } from 'antd';
import type { KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { pick, useLang } from '../../kernel/i18n';
import { omittable } from './state';
import type { Dimension, Item, Standard } from './types';
import { MZ, MZ_COMA_ITEM, MZ_COMA_OPTION } from './types';

interface Props {
  standard: Standard;
  dimension: Dimension;
  answers: Record<string, string>;
  onAnswer: (item: string, option: string) => void;
}

export function ItemsStep({ standard, dimension, answers, onAnswer }: Props) {
  const { t } = useTranslation();
  const lang = useLang();
  const skip = omittable(standard, answers);
  const items = standard.items.filter((i) => i.dimension === dimension.code);
  return (
    <div data-testid={`dimension-${dimension.code}`}>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {dimension.code} {pick(dimension, lang)}
      </Typography.Title>
      {items.map((item) => (
        <ItemCard key={item.code} item={item} value={answers[item.code]} skippable={skip.has(item.code)} onAnswer={onAnswer} />
      ))}
      {standard.code === MZ && answers[MZ_COMA_ITEM] === MZ_COMA_OPTION && dimension.code === 'B.3' && (
        <Alert type="info" showIcon message={t('assessments.comaSkip')} />
      )}
    </div>
  );
}

function ItemCard({ item, value, skippable, onAnswer }: { item: Item; value?: string; skippable: boolean; onAnswer: Props['onAnswer'] }) {
  const { t } = useTranslation();
  const lang = useLang();
  const key = (e: KeyboardEvent, code: string) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onAnswer(item.code, code);
    }
  };
  return (
    <Card
      size="small"
      className="yl-item"
      data-testid={`item-${item.code}`}
      data-answered={value !== undefined}
      style={{ marginBottom: 16, opacity: skippable && value === undefined ? 0.6 : 1 }}
      title={
        <span className="yl-item-title">
          {value !== undefined ? <CheckCircleFilled style={{ color: '#52c41a' }} /> : <Tag>{t('assessments.unanswered')}</Tag>} {item.code}{' '}
          {lang === 'en' ? `${item.zh} (${item.en})` : item.zh}
        </span>
      }
    >
      {item.definition && (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
          {t('assessments.definition')}
          {t('assessments.colon')}
          {item.definition}
        </Typography.Paragraph>
      )}
      <div className="yl-opts" role="radiogroup" aria-label={item.zh}>
        {item.options.map((o) => {
          const on = value === o.code;
          return (
            <div
              key={o.code}
              role="radio"
              aria-checked={on}
              tabIndex={0}
              className={on ? 'yl-opt yl-opt-on' : 'yl-opt'}
              onClick={() => onAnswer(item.code, o.code)}
              onKeyDown={(e) => key(e, o.code)}
              data-testid={`opt-${item.code}-${o.code}`}
            >
              <span className="yl-opt-text">{o.zh}</span>
              <span className="yl-opt-score">{t('assessments.score', { score: o.score })}</span>
            </div>
          );
        })}
      </div>
    </Card>
  );
}
