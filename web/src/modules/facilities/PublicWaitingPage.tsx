/** 入住轮候公示: each public home's waiting list, names masked, for anyone (no sign-in); reads on a phone. */
import { Layout } from 'antd';
import { useParams } from 'react-router-dom';
import i18n from 'i18next';
import { PublicLists } from './PublicLists';
import * as locale from './locale';

i18n.addResourceBundle('zh', 'translation', { facilities: locale.zh }, true, true);
i18n.addResourceBundle('en', 'translation', { facilities: locale.en }, true, true);

export default function PublicWaitingPage() {
  const { county = '' } = useParams();
  return (
    <Layout style={{ minHeight: '100vh', background: '#fff' }} data-testid="public-waiting-page">
      <Layout.Content style={{ maxWidth: 960, margin: '0 auto', padding: 'clamp(12px, 4vw, 24px)', width: '100%' }}>
        <PublicLists county={county} showTitle />
      </Layout.Content>
    </Layout>
  );
}
