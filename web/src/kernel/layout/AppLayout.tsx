/** The signed-in shell: side menu (a drawer on phones), header, page content. */
import { Drawer, Grid, Layout } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation } from 'react-router-dom';
import { pick, useLang } from '../i18n';
import { useMeta } from '../meta';
import { HeaderBar } from './HeaderBar';
import { Logo } from './Logo';
import { SideMenu } from './SideMenu';
import './layout.css';

const SIDER_WIDTH = 264;

function Brand({ collapsed }: { collapsed: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="yl-brand" data-testid="brand">
      <Logo size={32} />
      {!collapsed && (
        <div className="yl-brand-text">
          <div className="yl-brand-name">{t('app.name')}</div>
          <div className="yl-brand-sub">{t('app.fullName')}</div>
        </div>
      )}
    </div>
  );
}

export function AppLayout() {
  const { t } = useTranslation();
  const lang = useLang();
  const screens = Grid.useBreakpoint();
  const mobile = screens.md === false;
  const [collapsedByUser, setCollapsedByUser] = useState<boolean | null>(null);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const collapsed = collapsedByUser ?? screens.lg === false;
  const { pathname } = useLocation();
  const { data } = useMeta();
  const current = data?.modules.find((m) => pathname.startsWith(`/m/${m.key}`));
  const title = current ? pick(current, lang) : t('app.title');
  useEffect(() => {
    document.title = current ? `${title} - ${t('app.title')}` : t('app.title');
  }, [current, title, t]);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {!mobile && (
        <Layout.Sider width={SIDER_WIDTH} collapsedWidth={64} collapsed={collapsed} trigger={null} className="yl-sider">
          <Brand collapsed={collapsed} />
          <div className="yl-sider-menu">
            <SideMenu collapsed={collapsed} />
          </div>
        </Layout.Sider>
      )}
      {mobile && (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          width={Math.min(SIDER_WIDTH, 300)}
          closable={false}
          styles={{ body: { padding: 0, background: '#0f2a4a' } }}
          data-testid="menu-drawer"
        >
          <Brand collapsed={false} />
          <SideMenu collapsed={false} onNavigate={() => setDrawerOpen(false)} />
        </Drawer>
      )}
      <Layout>
        <Layout.Header className="yl-layout-header">
          <HeaderBar
            mobile={mobile}
            collapsed={mobile ? !drawerOpen : collapsed}
            onToggle={() => (mobile ? setDrawerOpen(true) : setCollapsedByUser(!collapsed))}
            title={title}
          />
        </Layout.Header>
        <Layout.Content className="yl-content">
          <Outlet />
        </Layout.Content>
        <Layout.Footer className="yl-footer">{t('app.footer')}</Layout.Footer>
      </Layout>
    </Layout>
  );
}
