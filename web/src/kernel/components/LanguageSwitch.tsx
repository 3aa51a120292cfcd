import { Segmented } from 'antd';
import { setLang, useLang, type Lang } from '../i18n';

/** 中文 / EN switch; the choice is remembered in localStorage. */
export function LanguageSwitch({ size = 'middle' }: { size?: 'small' | 'middle' | 'large' }) {
  const lang = useLang();
  return (
    <Segmented<Lang>
      size={size}
      value={lang}
      onChange={(v) => setLang(v)}
      aria-label="Language / 语言"
      data-testid="lang-switch"
      options={[
        { value: 'zh', label: <span data-testid="lang-zh">中文</span> },
        { value: 'en', label: <span data-testid="lang-en">EN</span> },
      ]}
    />
  );
}
