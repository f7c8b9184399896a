/** The identity feature's public surface: other features import only from here. */

export { IDENTITY_PERMISSIONS } from './admin.routes.ts';
export { API_KEY_SCOPES, type ApiKey, type ApiKeyScope } from './api-keys.service.ts';
export { BOOTSTRAP_ROLE } from './enrollment.service.ts';
export type { RequestContext } from './identity.context.ts';
export {
  disableDormantUsers,
  identityJobs,
  purgeExpiredActionTokens,
  recheckSsoSessions,
} from './identity.jobs.ts';
export {
  type CreateIdentityModuleDeps,
  composeSecurity,
  createIdentityModule,
  type IdentityModule,
  publicUrlOf,
} from './identity.module.ts';
export { DEFAULT_POLICY, type IdentityPolicy } from './identity.policy.ts';
export {
  CSRF_COOKIE,
  CSRF_HEADER,
  createIdentitySecurity,
  interimAuthorize,
  SESSION_COOKIE,
} from './identity.security.ts';
export type { SessionStage, UserStatus } from './identity.tables.ts';
export { createMailer, type LinkEmail, type Mailer } from './mailer.ts';
export type { MfaProof } from './mfa.service.ts';
export { createPasswordHasher, OWASP_ARGON2, type PasswordHasher } from './password.hasher.ts';
export type { User } from './users.service.ts';

import type { Principal } from '../shared/principal.ts';
import type { RequestContext } from './identity.context.ts';
import type { IdentityModule } from './identity.module.ts';

/** The roles a user holds. */
export function listUserRoles(identity: IdentityModule, tenantId: string, userId: string): Promise<string[]> {
  return identity.users.listUserRoles(tenantId, userId);
}

/** Grants a role (audited); false when already held. */
export function grantRole(
  identity: IdentityModule,
  actor: Principal,
  userId: string,
  role: string,
  context?: RequestContext,
): Promise<boolean> {
  return identity.users.grantRole(actor, userId, role, context);
}

/** Revokes a role (audited); false when not held. */
export function revokeRole(
  identity: IdentityModule,
  actor: Principal,
  userId: string,
  role: string,
  context?: RequestContext,
): Promise<boolean> {
  return identity.users.revokeRole(actor, userId, role, context);
}
