/** Sign-in page: brand panel, username/password, language switch. */
import { LockOutlined, SafetyCertificateOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api';
import { useAuth } from '../auth';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { errorText } from '../notify';
import { Logo } from '../layout/Logo';
import './login.css';

interface Values {
  username: string;
  password: string;
}

export function LoginPage() {
  const { t } = useTranslation();
  const { login } = useAuth();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; code: string } | null>(null);
  useEffect(() => {
    document.title = t('app.title');
  }, [t]);

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      // Signed in: the router leaves /login for the page the user came from.
      await login(v.username.trim(), v.password);
    } catch (e) {
      setError({ text: errorText(e), code: e instanceof ApiError ? e.code : 'ERROR' });
      setBusy(false);
    }
  };

  return (
    <div className="yl-login">
      <div className="yl-login-lang">
        <LanguageSwitch />
      </div>
      <div className="yl-login-brand">
        <Logo size={56} />
        <h1>{t('app.name')}</h1>
        <h2>{t('app.fullName')}</h2>
        <p>{t('app.slogan')}</p>
      </div>
      <div className="yl-login-panel">
        <Card className="yl-login-card" variant="borderless">
          <div className="yl-login-card-head">
            <div className="yl-login-mobile-brand">
              <Logo size={36} />
              <span>{t('app.title')}</span>
            </div>
            <Typography.Title level={3} style={{ margin: 0 }} data-testid="login-title">
              {t('login.title')}
            </Typography.Title>
          </div>
          {error && (
            <Alert
              type={error.code === 'SIGN_IN_DELAYED' ? 'warning' : 'error'}
              showIcon
              message={error.text}
              style={{ marginBottom: 16 }}
              data-testid="login-error"
              data-code={error.code}
            />
          )}
          <Form<Values> layout="vertical" size="large" onFinish={submit} requiredMark={false} data-testid="login-form">
            <Form.Item name="username" label={t('login.username')} rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}>
              <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" />
            </Form.Item>
            <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
              {t('login.submit')}
            </Button>
          </Form>
          <div className="yl-login-notice">
            <SafetyCertificateOutlined /> {t('login.notice')}
          </div>
        </Card>
        <div className="yl-login-footer">{t('app.footer')}</div>
      </div>
    </div>
  );
}
