import type { FastifyRequest } from 'fastify';
import type { Principal } from '../shared/principal.ts';
import type { Elevation } from './access.elevation.service.ts';
import { requestContext } from './access.gate.ts';
import type { ReviewCampaign, ReviewItem } from './access.review.types.ts';

export const ACCESS_PREFIX = '/api/v1/access';

/** The authenticated caller and where the request came from (the security hook set the principal). */
export function caller(request: FastifyRequest) {
  return { principal: request.principal as Principal, context: requestContext(request) };
}

export const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

export function toElevationBody(e: Elevation) {
  return {
    ...e,
    requestedAt: iso(e.requestedAt),
    decidedAt: isoOrNull(e.decidedAt),
    startsAt: isoOrNull(e.startsAt),
    expiresAt: isoOrNull(e.expiresAt),
    endedAt: isoOrNull(e.endedAt),
  };
}

export function toCampaignBody(c: ReviewCampaign) {
  return { ...c, createdAt: iso(c.createdAt), dueAt: iso(c.dueAt), closedAt: isoOrNull(c.closedAt) };
}

export function toItemBody(i: ReviewItem) {
  return { ...i, lastUsedAt: isoOrNull(i.lastUsedAt), decidedAt: isoOrNull(i.decidedAt) };
}
