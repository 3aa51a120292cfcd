/** 入住轮候公示: each public home's waiting list, names masked, for anyone (no sign-in). */
import { Layout, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import i18n from 'i18next';
import { PublicLists } from './OtherTabs';
import * as locale from './locale';

i18n.addResourceBundle('zh', 'translation', { facilities: locale.zh }, true, true);
i18n.addResourceBundle('en', 'translation', { facilities: locale.en }, true, true);

export default function PublicWaitingPage() {
  const { county = '' } = useParams();
  const { t } = useTranslation();
  return (
    <Layout style={{ minHeight: '100vh', background: '#fff' }} data-testid="public-waiting-page">
      <Layout.Content style={{ maxWidth: 960, margin: '0 auto', padding: 24, width: '100%' }}>
        <Typography.Title level={3}>{t('facilities.pub.title')}</Typography.Title>
        <PublicLists county={county} />
      </Layout.Content>
    </Layout>
  );
}
