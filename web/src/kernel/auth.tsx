/** Who is signed in. The session itself is an httpOnly cookie; the client keeps the user and
 * the CSRF token in memory, asks /auth/me on start, and drops to the login page on any 401. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError, post, setAuthHandlers, setCsrfToken } from './api';
import type { Me, Session } from './types';

export type AuthState = { status: 'loading' } | { status: 'anon' } | { status: 'error'; error: unknown } | { status: 'authed'; user: Me };

interface AuthApi {
  state: AuthState;
  login(username: string, password: string): Promise<Me>;
  logout(): Promise<void>;
  /** Reloads the user from /auth/me (after a password change, for instance). */
  refresh(): Promise<void>;
}

const AuthContext = createContext<AuthApi | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const [state, setState] = useState<AuthState>({ status: 'loading' });

  const signedOut = useCallback(() => {
    setCsrfToken(null);
    qc.clear();
    setState({ status: 'anon' });
  }, [qc]);

  const refresh = useCallback(async () => {
    try {
      const s = await api<Session>('/api/v1/auth/me', { noAuthRedirect: true });
      setCsrfToken(s.csrfToken);
      setState({ status: 'authed', user: s.user });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) signedOut();
      else setState({ status: 'error', error: e });
    }
  }, [signedOut]);

  useEffect(() => {
    setAuthHandlers({ unauthorized: signedOut, passwordChangeRequired: () => void refresh() });
    return () => setAuthHandlers(null);
  }, [signedOut, refresh]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const login = useCallback(
    async (username: string, password: string) => {
      const s = await api<Session>('/api/v1/auth/login', { method: 'POST', body: { username, password }, noAuthRedirect: true });
      setCsrfToken(s.csrfToken);
      qc.clear();
      setState({ status: 'authed', user: s.user });
      return s.user;
    },
    [qc],
  );

  const logout = useCallback(async () => {
    try {
      await post('/api/v1/auth/logout');
    } catch {
      /* the session may be gone already; signing out locally is what matters */
    }
    signedOut();
  }, [signedOut]);

  const value = useMemo(() => ({ state, login, logout, refresh }), [state, login, logout, refresh]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthApi {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

/** The signed-in user; only for pages behind the login. */
export function useMe(): Me {
  const { state } = useAuth();
  if (state.status !== 'authed') throw new Error('useMe without a signed-in user');
  return state.user;
}
