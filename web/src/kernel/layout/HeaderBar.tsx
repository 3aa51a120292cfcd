/** Top bar: menu toggle, where you are, and who you are (name, role, region), language,
 * change password and sign out. */
import {
  DownOutlined,
  EnvironmentOutlined,
  KeyOutlined,
  LogoutOutlined,
  MenuFoldOutlined,
  MenuOutlined,
  MenuUnfoldOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Avatar, Button, Dropdown, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useAuth, useMe } from '../auth';
import { ChangePasswordModal } from '../components/ChangePasswordForm';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { pick, useLang } from '../i18n';
import { showSuccess } from '../notify';

interface Props {
  mobile: boolean;
  collapsed: boolean;
  onToggle: () => void;
  title: string;
}

export function HeaderBar({ mobile, collapsed, onToggle, title }: Props) {
  const { t } = useTranslation();
  const lang = useLang();
  const me = useMe();
  const { logout } = useAuth();
  const navigate = useNavigate();
  const [pwOpen, setPwOpen] = useState(false);
  const role = pick(me.roleLabel, lang);

  const onMenu = async ({ key }: { key: string }) => {
    if (key === 'password') setPwOpen(true);
    if (key === 'logout') {
      await logout();
      showSuccess(t('header.loggedOut'));
      navigate('/login', { replace: true });
    }
  };

  return (
    <div className="yl-header">
      <Button
        type="text"
        aria-label={collapsed ? t('nav.expand') : t('nav.collapse')}
        icon={mobile ? <MenuOutlined /> : collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
        onClick={onToggle}
        data-testid="menu-toggle"
      />
      <Typography.Text strong className="yl-header-title" ellipsis>
        {title}
      </Typography.Text>
      <div className="yl-header-right">
        {!mobile && (
          <span className="yl-header-region" title={t('header.region')}>
            <EnvironmentOutlined /> <span data-testid="header-region">{me.regionName}</span>
          </span>
        )}
        <LanguageSwitch size="small" />
        <Dropdown
          trigger={['click']}
          menu={{
            onClick: (e) => void onMenu(e),
            items: [
              {
                key: 'who',
                disabled: true,
                label: (
                  <div style={{ lineHeight: 1.6, color: 'rgba(0,0,0,0.65)' }}>
                    <div>
                      {t('header.account')}：{me.username}
                    </div>
                    <div>
                      {t('header.role')}：{role}
                    </div>
                    <div>
                      {t('header.region')}：{me.regionPath.map((r) => r.name).join(' / ')}
                    </div>
                  </div>
                ),
              },
              { type: 'divider' },
              { key: 'password', icon: <KeyOutlined />, label: <span data-testid="menu-change-password">{t('header.changePassword')}</span> },
              { key: 'logout', icon: <LogoutOutlined />, label: <span data-testid="menu-logout">{t('header.logout')}</span>, danger: true },
            ],
          }}
        >
          <Button type="text" className="yl-header-user" data-testid="user-menu">
            <Space size={8}>
              <Avatar size="small" style={{ background: '#1560bd' }} icon={<UserOutlined />} />
              {!mobile && (
                <>
                  <span data-testid="header-user-name">{me.displayName}</span>
                  <Tag color="blue" style={{ marginInlineEnd: 0 }} data-testid="header-user-role">
                    {role}
                  </Tag>
                </>
              )}
              <DownOutlined style={{ fontSize: 10 }} />
            </Space>
          </Button>
        </Dropdown>
      </div>
      <ChangePasswordModal open={pwOpen} onClose={() => setPwOpen(false)} />
    </div>
  );
}
