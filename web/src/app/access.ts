import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client.ts';

/** What the signed-in person may do right now (roles, elevations), from the access layer. */
export function useMyAccess() {
  return useQuery({
    queryKey: ['access', 'me'],
    queryFn: async () => unwrap(await api.GET('/api/v1/access/me')),
    staleTime: 30_000,
  });
}

/** The permission names the person holds, or null while unknown. */
export function usePermissions(): ReadonlySet<string> | null {
  const me = useMyAccess();
  return me.data ? new Set(me.data.permissions.map((p) => p.permission)) : null;
}

/** Whether to offer an action; the server decides again on every call. */
export function useCan(permission: string): boolean {
  return usePermissions()?.has(permission) ?? false;
}
