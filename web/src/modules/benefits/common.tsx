/** Pieces shared by the benefits tabs: conditions in words, server errors shown in place. */
import { Alert } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../kernel/api';
import { useLabels } from '../../kernel/meta';
import { errorText } from '../../kernel/notify';
import type { Condition } from './types';

/** A condition in words in the UI language (the server's describeCondition, bilingual). */
export function useDescribe() {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const en = i18n.language === 'en';
  return useCallback(
    (c: Condition | undefined, empty = t('benefits.policy.anyone')): string => {
      if (!c) return empty;
      const parts: string[] = [];
      if (c.minAge != null && c.maxAge != null) parts.push(t('benefits.cond.ageRange', { min: c.minAge, max: c.maxAge }));
      else if (c.minAge != null) parts.push(t('benefits.cond.ageMin', { min: c.minAge }));
      else if (c.maxAge != null) parts.push(t('benefits.cond.ageMax', { max: c.maxAge }));
      const or = t('benefits.cond.or');
      if (c.categoriesAny?.length) parts.push(c.categoriesAny.map(labels.category).join(or));
      if (c.categoriesNone?.length) parts.push(t('benefits.cond.not', { list: c.categoriesNone.map(labels.category).join(en ? ', ' : '、') }));
      if (c.ability?.length) parts.push(c.ability.map((b) => t('benefits.cond.band', { standard: b.standard, min: b.minLevel, max: b.maxLevel })).join(or));
      if (c.residence) parts.push(t(`benefits.cond.residences.${c.residence}`));
      if (c.inInstitution != null) parts.push(t(`benefits.cond.institution.${c.inInstitution ? 'yes' : 'no'}`));
      if (c.localHukou) parts.push(t('benefits.cond.localHukou'));
      return parts.join(en ? '; ' : '，') || empty;
    },
    [t, labels.category, en],
  );
}

/** A server error with its field problems, shown next to a form (not only as a toast). */
export function ErrorAlert({ error, title, pathLabel }: { error: unknown; title?: string; pathLabel?: (path: string) => string }) {
  const { i18n } = useTranslation();
  if (!error) return null;
  const en = i18n.language === 'en';
  const problems = error instanceof ApiError ? error.problems : [];
  // Row errors of an uploaded file (BAD_ROWS: { errors: [{ row, column, message, messageEn }] }).
  const rows =
    error instanceof ApiError && !problems.length ? ((error.details as { errors?: { message: string; messageEn: string }[] } | undefined)?.errors ?? []) : [];
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 12 }}
      data-testid="benefits-error"
      message={title ?? errorText(error)}
      description={
        problems.length ? (
          <ul style={{ margin: 0, paddingLeft: 18 }}>
            {problems.map((p, i) => (
              <li key={i}>
                {pathLabel ? pathLabel(p.path) : <code>{p.path}</code>}：{en ? p.messageEn : p.message}
              </li>
            ))}
          </ul>
        ) : rows.length ? (
          <ul style={{ margin: 0, paddingLeft: 18 }}>
            {rows.slice(0, 20).map((r, i) => (
              <li key={i}>{en ? r.messageEn : r.message}</li>
            ))}
          </ul>
        ) : title ? (
          errorText(error)
        ) : undefined
      }
    />
  );
}
