import type { FastifyInstance } from 'fastify';
import { type AdminRouteDeps, registerAdminRoutes } from './admin.routes.ts';
import { type AuthRouteDeps, registerAuthRoutes } from './auth.routes.ts';
import { registerMfaRoutes } from './mfa.routes.ts';
import { registerSsoRoutes, type SsoRouteDeps } from './sso.routes.ts';

export type IdentityRouteDeps = AuthRouteDeps & AdminRouteDeps & SsoRouteDeps;

/** Every identity route; each declares its access (public, authenticated or a permission). */
export function createIdentityRoutes(app: FastifyInstance, deps: IdentityRouteDeps): void {
  registerAuthRoutes(app, deps);
  registerMfaRoutes(app, deps);
  registerAdminRoutes(app, deps);
  registerSsoRoutes(app, deps);
}
