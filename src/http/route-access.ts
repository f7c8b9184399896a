import type { FastifyRequest } from 'fastify';
import type { Principal } from '../shared/principal.ts';

/**
 * Every route declares who may call it (invariant 5: deny by default). A route registered
 * without `config.access` makes the server refuse to start.
 */
export type RouteAccess =
  | { kind: 'public' }
  | { kind: 'authenticated' }
  | { kind: 'permission'; permission: string }
  /** Integration API keys and platform webhooks, by scope. */
  | { kind: 'integration'; scope: string };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/**
 * Filled by the identity and access layers: who is calling, and whether they may. Both throw an
 * AppError (unauthenticated / forbidden) rather than returning a status.
 */
export interface RequestSecurity {
  authenticate(request: FastifyRequest, access: RouteAccess): Promise<Principal | null>;
  authorize(request: FastifyRequest, principal: Principal, access: RouteAccess): Promise<void>;
}
