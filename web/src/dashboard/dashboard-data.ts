import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client.ts';

export const DASHBOARD_DAYS = 14;
const DAY_MS = 86_400_000;
/** Pages fetched at most per series; past that the card says the figures are a sample. */
const MAX_PAGES = 10;

/** Local-midnight start of each of the last `days` days, oldest first. */
export function dayBuckets(days = DASHBOARD_DAYS, now = Date.now()): number[] {
  const today = new Date(now);
  today.setHours(0, 0, 0, 0);
  return Array.from({ length: days }, (_, i) => today.getTime() - (days - 1 - i) * DAY_MS);
}

export function dayKey(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function dayLabel(epochMs: number): string {
  return new Date(epochMs).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

function windowStart(): string {
  return new Date(dayBuckets()[0] ?? Date.now()).toISOString();
}

/** Interactions started in the dashboard window, newest first, paged through the real list API. */
export function useRecentInteractions() {
  return useQuery({
    queryKey: ['dashboard', 'interactions'],
    queryFn: async () => {
      const from = windowStart();
      const items = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const result = unwrap(
          await api.GET('/api/v1/interactions', {
            params: { query: { from, limit: 200, ...(cursor ? { cursor } : {}) } },
          }),
        );
        items.push(...result.items);
        cursor = result.nextCursor ?? undefined;
        if (!cursor) break;
      }
      return { items, truncated: cursor !== undefined };
    },
  });
}

/** Audit events of one action in the dashboard window (reveals, detokenizations, verifications). */
export function useAuditActivity(action: string) {
  return useQuery({
    queryKey: ['dashboard', 'audit', action],
    queryFn: async () => {
      const from = windowStart();
      const events = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const result = unwrap(
          await api.GET('/api/v1/audit/events', {
            params: { query: { action, from, limit: 500, ...(cursor ? { cursor } : {}) } },
          }),
        );
        events.push(...result.events);
        cursor = result.nextCursor ?? undefined;
        if (!cursor) break;
      }
      return { events, truncated: cursor !== undefined };
    },
  });
}

export function useLatestAudit(action: string) {
  return useQuery({
    queryKey: ['dashboard', 'latest', action],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/audit/events', { params: { query: { action, limit: 1 } } })).events[0] ??
      null,
  });
}

export function useLatestCheckpoint() {
  return useQuery({
    queryKey: ['dashboard', 'checkpoint'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/audit/checkpoints', { params: { query: { limit: 1 } } }))
        .checkpoints[0] ?? null,
  });
}

export function useUsers() {
  return useQuery({
    queryKey: ['dashboard', 'users'],
    queryFn: async () => unwrap(await api.GET('/api/v1/users', { params: { query: { limit: 500 } } })).users,
  });
}
