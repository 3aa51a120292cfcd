/** Routes: /login, the forced password change, and the signed-in shell with /m/<module>. */
import { Button, Result } from 'antd';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation, useParams } from 'react-router-dom';
import { PAGES } from '../modules';
import { useAuth } from './auth';
import { FullPageSpin, LoadError } from './components/FullPage';
import { AppLayout } from './layout/AppLayout';
import { useMeta } from './meta';
import { errorText } from './notify';
import { LoginPage } from './pages/LoginPage';
import { ForcedPasswordPage, NotFound, UnderConstruction, Welcome } from './pages/SimplePages';

/** Pages anyone may open without signing in (published lists). */
const PublicWaitingPage = lazy(() => import('../modules/facilities/PublicWaitingPage'));
const publicRoute = (
  <Route
    path="/public/waiting-lists/:county"
    element={
      <Suspense fallback={<FullPageSpin />}>
        <PublicWaitingPage />
      </Suspense>
    }
  />
);

function ModuleRoute() {
  const { key } = useParams();
  const meta = useMeta();
  if (meta.isPending) return <FullPageSpin />;
  if (meta.isError) return <LoadError error={meta.error} onRetry={() => void meta.refetch()} />;
  const mod = meta.data.modules.find((m) => m.key === key);
  if (!mod) return <NotFound />;
  const Page = mod.status === 'ready' ? PAGES[mod.key] : undefined;
  if (!Page) return <UnderConstruction module={mod} />;
  return (
    <Suspense fallback={<FullPageSpin />}>
      <Page key={mod.key} />
    </Suspense>
  );
}

/** "/" opens the first module of the menu (工作台 for staff). */
function Home() {
  const meta = useMeta();
  if (meta.isPending) return <FullPageSpin />;
  if (meta.isError) return <LoadError error={meta.error} onRetry={() => void meta.refetch()} />;
  const first = meta.data.modules.find((m) => m.status === 'ready') ?? meta.data.modules[0];
  return first ? <Navigate to={`/m/${first.key}`} replace /> : <Welcome />;
}

/** Where to go after signing in: the page that sent the user to /login, else home. */
function fromOf(state: unknown): string {
  const from = (state as { from?: string } | null)?.from;
  return from && from.startsWith('/') && !from.startsWith('/login') ? from : '/';
}

export function AppRoutes() {
  const { state, refresh } = useAuth();
  const location = useLocation();
  const { t } = useTranslation();

  if (state.status === 'loading') return <FullPageSpin />;
  if (state.status === 'error')
    return (
      <Result
        status="error"
        title={t('errors.load')}
        subTitle={errorText(state.error)}
        extra={<Button onClick={() => void refresh()}>{t('errors.retry')}</Button>}
      />
    );
  if (state.status === 'anon')
    return (
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        {publicRoute}
        <Route path="*" element={<Navigate to="/login" replace state={{ from: location.pathname + location.search }} />} />
      </Routes>
    );
  if (state.user.mustChangePassword) return <ForcedPasswordPage />;
  return (
    <Routes>
      <Route path="/login" element={<Navigate to={fromOf(location.state)} replace />} />
      {publicRoute}
      <Route element={<AppLayout />}>
        <Route index element={<Home />} />
        <Route path="m/:key" element={<ModuleRoute />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
