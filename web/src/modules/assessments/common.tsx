/** Shared by the assessment form and the elders pages: the standards catalogue and level tags. */
import { useQuery } from '@tanstack/react-query';
import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { get } from '../../kernel/api';
import { formatDate } from '../../kernel/format';
import { pick, useLang } from '../../kernel/i18n';
import { LEVEL_COLORS, type Standard } from './types';

export function useStandards() {
  return useQuery({
    queryKey: ['assessment-standards'],
    queryFn: async () => (await get<{ standards: Standard[] }>('/api/v1/assessments/standards')).standards,
    staleTime: Infinity,
  });
}

/** Short name of a standard for tags and tables. */
export const standardShort = (code: string | null | undefined) => (code ? code.replace(/-\d{4}$/, '') : '');

const STANDARD_NAMES: Record<string, { zh: string; en: string }> = {
  'GB/T 42195-2022': { zh: '《老年人能力评估规范》（GB/T 42195-2022）', en: 'Assessment of older adults’ ability (GB/T 42195-2022)' },
  'MZ/T 039-2013': { zh: '《老年人能力评估》（MZ/T 039-2013）', en: 'Ability assessment for older adults (MZ/T 039-2013)' },
};

/** A standard's title with its number, as officials cite it (the code alone as fallback). */
export const standardName = (code: string | null | undefined, lang: 'zh' | 'en') => (code ? pick(STANDARD_NAMES[code], lang) || code : '');

/** The name of a level in the UI language, from the standard's table (the server stores the Chinese one). */
export function useLevelName() {
  const { data } = useStandards();
  const lang = useLang();
  return (standard: string | null | undefined, level: number, fallback?: string | null) =>
    pick(data?.find((s) => s.code === standard)?.levels[String(level)], lang) || fallback || '';
}

/** A level as a coloured tag: “2级 · 中度失能”. */
export function LevelTag({ level, name, testId, large }: { level: number; name?: string | null; testId?: string; large?: boolean }) {
  const { t } = useTranslation();
  const label = name ? t('elders.levelValue', { level, name }) : t('elders.levelN', { level });
  const size = large ? { fontSize: 16, lineHeight: '28px', padding: '0 10px' } : {};
  return (
    <Tag color={LEVEL_COLORS[level] ?? 'default'} data-testid={testId} data-level={level} style={{ marginInlineEnd: 0, ...size }}>
      {label}
    </Tag>
  );
}

/** The current ability of a list item, or “无有效评估”. */
export function AbilityTag({ ability }: { ability: { standard: string; level: number; levelName: string; validUntil: string | null } | null }) {
  const { t } = useTranslation();
  const levelName = useLevelName();
  if (!ability)
    return (
      <span style={{ color: 'rgba(0,0,0,0.35)' }} data-testid="elder-ability" data-level="">
        {t('elders.noAbility')}
      </span>
    );
  return (
    <Tooltip title={t('elders.abilityTip', { standard: ability.standard, until: formatDate(ability.validUntil) })}>
      <span>
        <LevelTag level={ability.level} name={levelName(ability.standard, ability.level, ability.levelName)} testId="elder-ability" />
      </span>
    </Tooltip>
  );
}
