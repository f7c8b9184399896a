import { type QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ApiError, api, SESSION_EXPIRED_EVENT, setCsrfToken, unwrap } from '../api/client.ts';
import { probeSessionStage } from './session-stage.ts';

async function fetchSession() {
  try {
    const session = unwrap(await api.GET('/api/v1/auth/session'));
    setCsrfToken(session.csrfToken);
    return { ...session, stage: await probeSessionStage() };
  } catch (error) {
    // 401: nobody is signed in (or the session ended); the sign-in page takes over.
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export type CurrentSession = NonNullable<Awaited<ReturnType<typeof fetchSession>>>;

interface SessionState {
  session: CurrentSession | null;
  /** Why the person is looking at the sign-in page, when it is not their own doing. */
  endedReason: 'expired' | null;
  refresh(): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

/**
 * Forgets every cached response (customer data must not outlive the session on screen) and sets
 * the session entry in place, so the provider's live observer sees the change at once.
 */
function dropEverythingBut(client: QueryClient, session: CurrentSession | null): void {
  client.removeQueries({ predicate: (query) => query.queryKey[0] !== 'session' });
  client.setQueryData(['session'], session);
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}

/**
 * Holds who is signed in. When any call is refused for want of a session (idle timeout,
 * revocation elsewhere), every cached response is dropped, so no customer data outlives the
 * session on screen, and the sign-in page says why.
 */
export function SessionProvider({ children, fallback }: { children: ReactNode; fallback: ReactNode }) {
  const client = useQueryClient();
  const [endedReason, setEndedReason] = useState<'expired' | null>(null);
  const query = useQuery({ queryKey: ['session'], queryFn: fetchSession, staleTime: 60_000, retry: false });

  useEffect(() => {
    const onExpired = () => {
      setCsrfToken(null);
      dropEverythingBut(client, null);
      setEndedReason('expired');
    };
    window.addEventListener(SESSION_EXPIRED_EVENT, onExpired);
    return () => window.removeEventListener(SESSION_EXPIRED_EVENT, onExpired);
  }, [client]);

  const refresh = useCallback(async () => {
    setEndedReason(null);
    client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
    await client.invalidateQueries({ queryKey: ['session'] });
    await client.refetchQueries({ queryKey: ['session'] });
  }, [client]);

  const signOut = useCallback(async () => {
    try {
      await api.POST('/api/v1/auth/logout');
    } finally {
      setCsrfToken(null);
      dropEverythingBut(client, null);
    }
  }, [client]);

  const value = useMemo<SessionState>(
    () => ({ session: query.data ?? null, endedReason, refresh, signOut }),
    [query.data, endedReason, refresh, signOut],
  );
  if (query.isPending) return <>{fallback}</>;
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
