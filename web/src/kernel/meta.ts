/** The navigation catalogue and dictionaries from /meta/modules, with label helpers. */
import { useCallback } from 'react';
import { useQuery } from '@tanstack/react-query';
import { get } from './api';
import { pick, useLang } from './i18n';
import type { Meta, ModuleInfo } from './types';

export function useMeta() {
  return useQuery({ queryKey: ['meta'], queryFn: () => get<Meta>('/api/v1/meta/modules'), staleTime: Infinity });
}

export function useModule(key: string | undefined): ModuleInfo | undefined {
  const { data } = useMeta();
  return data?.modules.find((m) => m.key === key);
}

/** Bilingual labels of roles and categories in the UI language (codes as fallback). */
export function useLabels() {
  const { data } = useMeta();
  const lang = useLang();
  const role = useCallback(
    (code: string | null | undefined) => {
      if (!code) return '';
      return (
        pick(
          data?.roles.find((r) => r.code === code),
          lang,
        ) || code
      );
    },
    [data, lang],
  );
  const category = useCallback(
    (code: string) =>
      pick(
        data?.categories.find((c) => c.code === code),
        lang,
      ) || code,
    [data, lang],
  );
  const module = useCallback((m: ModuleInfo | undefined) => (m ? pick(m, lang) : ''), [lang]);
  return { role, category, module, roles: data?.roles ?? [], categories: data?.categories ?? [], lang };
}
