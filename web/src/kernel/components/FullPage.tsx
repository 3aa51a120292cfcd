import { Button, Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText } from '../notify';

export function FullPageSpin() {
  return (
    <div style={{ height: '100vh', display: 'grid', placeItems: 'center' }}>
      <Spin size="large" />
    </div>
  );
}

/** A page that could not load: the message and a retry button. */
export function LoadError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <Result
      status="error"
      title={t('errors.load')}
      subTitle={errorText(error)}
      extra={onRetry ? <Button onClick={onRetry}>{t('errors.retry')}</Button> : undefined}
    />
  );
}
