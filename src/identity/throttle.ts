import { MINUTE_MS } from '../shared/clock.ts';
import type { IdentityDeps } from './identity.context.ts';
import { identityError } from './identity.errors.ts';
import { findThrottle, recordThrottleFailure } from './tokens.queries.ts';

/**
 * Per-address throttling against credential stuffing, which spreads guesses over many accounts
 * and so never trips a per-account lockout. Counted in the database so every node sees the same
 * numbers; only failures count, so a busy office behind one NAT address is not throttled for
 * signing in successfully.
 */
export interface ThrottleOptions {
  maxFailures: number;
  windowMs: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = { maxFailures: 50, windowMs: 15 * MINUTE_MS };

export function createThrottle(
  deps: Pick<IdentityDeps, 'db' | 'clock'>,
  options: ThrottleOptions = DEFAULT_THROTTLE,
) {
  const bucketFor = (ip: string | undefined) => `ip:${ip ?? 'unknown'}`.slice(0, 80);
  return {
    /** Throws RATE_LIMITED when this address failed too often in the current window. */
    async check(tenantId: string, ip: string | undefined): Promise<void> {
      const row = await findThrottle(deps.db, tenantId, bucketFor(ip));
      if (!row) return;
      const inWindow = deps.clock.now() - Number(row.window_start) < options.windowMs;
      if (inWindow && Number(row.failures) >= options.maxFailures) throw identityError('RATE_LIMITED');
    },
    async recordFailure(tenantId: string, ip: string | undefined): Promise<void> {
      await recordThrottleFailure(deps.db, tenantId, bucketFor(ip), deps.clock.now(), options.windowMs);
    },
  };
}

export type Throttle = ReturnType<typeof createThrottle>;
