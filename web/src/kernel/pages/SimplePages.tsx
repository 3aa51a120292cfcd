/** Small pages of the shell: forced password change, under construction, not found, welcome. */
import { SmileOutlined, ToolOutlined } from '@ant-design/icons';
import { Button, Card, Result, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useAuth, useMe } from '../auth';
import { ChangePasswordForm } from '../components/ChangePasswordForm';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { Logo } from '../layout/Logo';
import { useLabels, useMeta } from '../meta';
import type { ModuleInfo } from '../types';

export function ForcedPasswordPage() {
  const { t } = useTranslation();
  const { logout } = useAuth();
  const me = useMe();
  return (
    <div style={{ minHeight: '100vh', background: '#eef3f9', display: 'grid', placeItems: 'center', padding: 16 }}>
      <div style={{ position: 'absolute', top: 16, right: 20 }}>
        <LanguageSwitch />
      </div>
      <Card style={{ width: '100%', maxWidth: 440 }} data-testid="forced-password">
        <div style={{ display: 'flex', alignItems: 'center', gap: 10, marginBottom: 12 }}>
          <Logo size={32} />
          <Typography.Text strong>{t('app.title')}</Typography.Text>
        </div>
        <Typography.Title level={4}>{t('password.forcedTitle')}</Typography.Title>
        <Typography.Paragraph type="secondary">
          {me.displayName}（{me.username}）— {t('password.forcedDesc')}
        </Typography.Paragraph>
        <ChangePasswordForm />
        <Button type="link" block style={{ marginTop: 8 }} onClick={() => void logout()}>
          {t('password.backToLogin')}
        </Button>
      </Card>
    </div>
  );
}

/** A module that is in the navigation but not built yet: name it and say what it will do. */
export function UnderConstruction({ module }: { module: ModuleInfo }) {
  const { t, i18n } = useTranslation();
  const { module: label } = useLabels();
  const navigate = useNavigate();
  const key = `modules.${module.key}`;
  const desc = i18n.exists(key) ? t(key) : t('construction.generic');
  const hasOverview = useMeta().data?.modules.some((m) => m.key === 'overview' && m.status === 'ready');
  return (
    <Card data-testid="under-construction" data-module={module.key}>
      <Result
        icon={<ToolOutlined style={{ color: '#1560bd' }} />}
        title={<span data-testid="under-construction-title">{t('construction.title', { name: label(module) })}</span>}
        subTitle={
          <div style={{ maxWidth: 560, margin: '0 auto' }}>
            <Tag color="orange" style={{ marginBottom: 12 }}>
              {t('construction.tag')}
            </Tag>
            <div>{t('construction.subtitle')}</div>
            <Typography.Paragraph style={{ marginTop: 8, fontSize: 15 }}>{desc}</Typography.Paragraph>
          </div>
        }
        extra={
          hasOverview ? (
            <Button type="primary" onClick={() => navigate('/m/overview')}>
              {t('construction.back')}
            </Button>
          ) : undefined
        }
      />
    </Card>
  );
}

export function NotFound() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title={t('notFound.title')}
      subTitle={t('notFound.subtitle')}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {t('notFound.back')}
        </Button>
      }
      data-testid="not-found"
    />
  );
}

export function Welcome() {
  const { t } = useTranslation();
  const me = useMe();
  return (
    <Result
      icon={<SmileOutlined style={{ color: '#1560bd' }} />}
      title={t('welcome.title', { name: me.displayName })}
      subTitle={t('welcome.noModules')}
      data-testid="welcome"
    />
  );
}
