import type { FastifyRequest } from 'fastify';
import type { Principal } from '../shared/principal.ts';
import { type Caller, callerOf } from './retention.caller.ts';
import type { Hold, HoldQuery } from './retention.holds.ts';
import type { PurgeReport } from './retention.purge.types.ts';

/** The caller of a request: the authenticated principal, where it came from, the request id. */
export function requestCaller(request: FastifyRequest): Caller {
  const userAgent = request.headers['user-agent'];
  return callerOf(request.principal as Principal, {
    origin: { ip: request.ip, ...(typeof userAgent === 'string' ? { userAgent } : {}) },
    requestId: request.id,
  });
}

export const iso = (ms: number) => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));
export const msOf = (value: string | undefined) => (value === undefined ? undefined : Date.parse(value));

export function toHoldBody(h: Hold) {
  const query = h.query
    ? Object.fromEntries(Object.entries(h.query).map(([k, v]) => [k, typeof v === 'number' ? iso(v) : v]))
    : null;
  return {
    ...h,
    query,
    createdAt: iso(h.createdAt),
    expiresAt: isoOrNull(h.expiresAt),
    releasedAt: isoOrNull(h.releasedAt),
  };
}

export function holdQueryOf(q: Record<string, unknown>): HoldQuery {
  const out: HoldQuery = {};
  for (const [key, value] of Object.entries(q)) {
    if (value === undefined) continue;
    (out as Record<string, unknown>)[key] =
      key.endsWith('From') || key.endsWith('To') ? Date.parse(value as string) : value;
  }
  return out;
}

export function toReportBody(r: PurgeReport) {
  const { tenantId: _tenant, referenceAt, categories, ...rest } = r;
  return {
    ...rest,
    referenceAt: iso(referenceAt),
    categories: categories as Record<
      string,
      NonNullable<PurgeReport['categories'][keyof PurgeReport['categories']]>
    >,
  };
}
