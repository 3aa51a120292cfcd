/** Entry: providers (react-query, antd theme and locale, i18n, router, auth) around the routes. */
import { QueryCache, QueryClient, QueryClientProvider, MutationCache } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, theme } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { ApiError } from './kernel/api';
import { AuthProvider } from './kernel/auth';
import { useLang } from './kernel/i18n';
import { NotifyBridge, showError } from './kernel/notify';
import { AppRoutes } from './kernel/router';
import './kernel/styles.css';

const queryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (err, query) => {
      if (!query.meta?.silent) showError(err);
    },
  }),
  mutationCache: new MutationCache({
    onError: (err, _v, _c, mutation) => {
      if (!mutation.meta?.silent) showError(err);
    },
  }),
  defaultOptions: {
    queries: {
      refetchOnWindowFocus: false,
      staleTime: 30_000,
      // Answers the user caused (4xx) do not get better by asking again.
      retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 2,
    },
  },
});

const FONT =
  "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'WenQuanYi Micro Hei', 'Helvetica Neue', Arial, sans-serif";

function Root() {
  const lang = useLang();
  return (
    <ConfigProvider
      locale={lang === 'en' ? enUS : zhCN}
      theme={{
        algorithm: theme.defaultAlgorithm,
        token: { colorPrimary: '#1560bd', borderRadius: 4, fontFamily: FONT, colorBgLayout: '#f0f2f5' },
        components: {
          Layout: { siderBg: '#0f2a4a', headerBg: '#ffffff', headerHeight: 56, headerPadding: '0 12px' },
          Menu: {
            darkItemBg: '#0f2a4a',
            darkSubMenuItemBg: '#0c2240',
            darkItemSelectedBg: '#1560bd',
            darkGroupTitleColor: 'rgba(255,255,255,0.45)',
            darkPopupBg: '#0f2a4a',
          },
        },
      }}
    >
      <AntApp>
        <NotifyBridge />
        <BrowserRouter>
          <AuthProvider>
            <AppRoutes />
          </AuthProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <Root />
    </QueryClientProvider>
  </StrictMode>,
);
