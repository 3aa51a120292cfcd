/** The side menu built from /meta/modules: work modules, then administration. Planned modules
 * stay in the menu (marked 建设中) and open the under-construction page. */
import { Menu, type MenuProps } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import { moduleIcon } from '../../modules';
import { pick, useLang } from '../i18n';
import { useMeta } from '../meta';
import type { ModuleInfo } from '../types';

type Item = Required<MenuProps>['items'][number];

export function SideMenu({ collapsed, onNavigate }: { collapsed: boolean; onNavigate?: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const { data } = useMeta();
  const navigate = useNavigate();
  const { pathname } = useLocation();

  const items = useMemo<Item[]>(() => {
    const mods = data?.modules ?? [];
    const entry = (m: ModuleInfo): Item => {
      const name = pick(m, lang);
      const planned = m.status !== 'ready';
      return {
        key: `/m/${m.key}`,
        icon: moduleIcon(m.key),
        title: planned ? `${name}（${t('nav.planned')}）` : name,
        label: (
          <span className={planned ? 'yl-menu-label yl-menu-planned' : 'yl-menu-label'} data-testid={`menu-${m.key}`} data-status={m.status}>
            <span className="yl-menu-text">{name}</span>
            {planned && <span className="yl-menu-tag">{t('nav.planned')}</span>}
          </span>
        ),
      };
    };
    const groups: { key: string; label: string; list: ModuleInfo[] }[] = [
      { key: 'work', label: t('nav.work'), list: mods.filter((m) => m.group !== 'admin') },
      { key: 'admin', label: t('nav.admin'), list: mods.filter((m) => m.group === 'admin') },
    ].filter((g) => g.list.length > 0);
    const out: Item[] = [];
    groups.forEach((g, i) => {
      if (collapsed) {
        if (i > 0) out.push({ type: 'divider', key: `d-${g.key}` });
        out.push(...g.list.map(entry));
      } else out.push({ type: 'group', key: `g-${g.key}`, label: g.label, children: g.list.map(entry) });
    });
    return out;
  }, [data, lang, t, collapsed]);

  const selected = pathname.startsWith('/m/') ? [`/m/${pathname.split('/')[2]}`] : [];
  return (
    <Menu
      theme="dark"
      mode="inline"
      items={items}
      selectedKeys={selected}
      inlineCollapsed={collapsed}
      onClick={({ key }) => {
        navigate(key);
        onNavigate?.();
      }}
      data-testid="side-menu"
      style={{ borderInlineEnd: 0 }}
    />
  );
}
