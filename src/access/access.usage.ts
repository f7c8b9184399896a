import { HOUR_MS, MINUTE_MS } from '../shared/clock.ts';
import type { Db } from '../storage/index.ts';
import { recordSignal, touchUsage } from './access.queries.ts';
import { normalizeAddress } from './access.zones.ts';

// Usage feeds access reviews ("never used this role"), which look back months: hour precision is
// plenty, and it keeps writes to one per user and role per hour per node instead of one per request.
const USAGE_PRECISION_MS = HOUR_MS;
const CONCURRENT_WINDOW_MS = 10 * MINUTE_MS;
const MAX_TRACKED = 50_000;

interface SessionSighting {
  sessionId: string;
  network: string;
  lastSeen: number;
}

/** The /24 (IPv4) or /48 (IPv6) a client is in: a person moving between desks stays in one. */
export function networkOf(ip: string): string {
  const normalized = normalizeAddress(ip);
  if (!normalized) return ip;
  if (normalized.family === 'ipv4') return normalized.address.split('.').slice(0, 3).join('.');
  return normalized.address.toLowerCase().split(':').slice(0, 3).join(':');
}

/**
 * Tracks, on this node, when users use their roles and whether one account has live sessions
 * on two networks at once (a shared account, which PCI DSS 8.2.2 forbids). Both feed the
 * access-review flags; neither ever blocks a request.
 */
export function createUsageTracker(deps: { db: Db }) {
  const written = new Map<string, number>();
  const sightings = new Map<string, SessionSighting[]>();

  function bounded<K, V>(map: Map<K, V>): Map<K, V> {
    if (map.size >= MAX_TRACKED) map.clear();
    return map;
  }

  async function noteSession(tenantId: string, userId: string, sessionId: string, ip: string, now: number) {
    const key = `${tenantId}\n${userId}`;
    const network = networkOf(ip);
    const live = (sightings.get(key) ?? []).filter(
      (s) => now - s.lastSeen < CONCURRENT_WINDOW_MS && s.sessionId !== sessionId,
    );
    live.push({ sessionId, network, lastSeen: now });
    bounded(sightings).set(key, live.slice(-8));
    const networks = new Set(live.map((s) => s.network));
    if (networks.size < 2) return;
    const signalKey = `${key}\n#concurrent`;
    if (now - (written.get(signalKey) ?? 0) < USAGE_PRECISION_MS) return;
    bounded(written).set(signalKey, now);
    const sessions = new Set(live.map((s) => s.sessionId)).size;
    await recordSignal(deps.db, {
      tenant_id: tenantId,
      user_id: userId,
      signal: 'concurrent_sessions',
      detail: `${sessions} sessions from ${networks.size} networks within ${CONCURRENT_WINDOW_MS / MINUTE_MS} minutes`,
      observed_at: now,
    });
  }

  return {
    /** Notes that a user's request was allowed through `grant` (a role name or `elevation:<id>`). */
    async record(input: {
      tenantId: string;
      userId: string;
      grant: string;
      sessionId?: string;
      ip?: string;
      now: number;
    }) {
      const key = `${input.tenantId}\n${input.userId}\n${input.grant}`;
      if (input.now - (written.get(key) ?? 0) >= USAGE_PRECISION_MS) {
        bounded(written).set(key, input.now);
        await touchUsage(deps.db, input.tenantId, input.userId, input.grant, input.now);
      }
      if (input.sessionId && input.ip)
        await noteSession(input.tenantId, input.userId, input.sessionId, input.ip, input.now);
    },
  };
}

export type UsageTracker = ReturnType<typeof createUsageTracker>;
