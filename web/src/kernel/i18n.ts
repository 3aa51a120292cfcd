/** i18next with the Chinese and English strings of the kernel and every module. The choice
 * is kept in localStorage; Chinese is the default. */
import i18n from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import * as kernel from './locale';
import * as overview from '../modules/overview/locale';
import * as elders from '../modules/elders/locale';
import * as regions from '../modules/regions/locale';
import * as users from '../modules/users/locale';
import * as audit from '../modules/audit/locale';
import * as assessments from '../modules/assessments/locale';
import * as indicators from '../modules/indicators/locale';
import * as family from '../modules/family/locale';
import * as benefits from '../modules/benefits/locale';

export type Lang = 'zh' | 'en';
const STORAGE_KEY = 'yl.lang';

function stored(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

function applyDocument(lang: Lang) {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
}

const lng = stored();
void i18n.use(initReactI18next).init({
  resources: {
    zh: {
      translation: {
        ...kernel.zh,
        overview: overview.zh,
        elders: elders.zh,
        regions: regions.zh,
        users: users.zh,
        audit: audit.zh,
        assessments: assessments.zh,
        indicators: indicators.zh,
        family: family.zh,
        benefits: benefits.zh,
      },
    },
    en: {
      translation: {
        ...kernel.en,
        overview: overview.en,
        elders: elders.en,
        regions: regions.en,
        users: users.en,
        audit: audit.en,
        assessments: assessments.en,
        indicators: indicators.en,
        family: family.en,
        benefits: benefits.en,
      },
    },
  },
  lng,
  fallbackLng: 'zh',
  supportedLngs: ['zh', 'en'],
  initAsync: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});
applyDocument(lng);

export function setLang(lang: Lang) {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
  applyDocument(lang);
  void i18n.changeLanguage(lang);
}

export function currentLang(): Lang {
  return i18n.language === 'en' ? 'en' : 'zh';
}

/** The UI language, re-rendering on change. */
export function useLang(): Lang {
  const { i18n: inst } = useTranslation();
  return inst.language === 'en' ? 'en' : 'zh';
}

/** Picks the zh or en text of a bilingual label. */
export function pick(label: { zh: string; en: string } | undefined | null, lang: Lang): string {
  if (!label) return '';
  return lang === 'en' ? label.en || label.zh : label.zh || label.en;
}

export default i18n;
