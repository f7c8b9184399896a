import type { AuditRecorder } from '../audit/index.ts';
import type { VigilConfig } from '../config/index.ts';
import type { HttpModule } from '../http/build-app.ts';
import type { RequestSecurity } from '../http/route-access.ts';
import type { Logger } from '../logging/logger.ts';
import type { Clock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { Db } from '../storage/index.ts';
import type { TenancyService } from '../tenancy/index.ts';
import { createApiKeyService } from './api-keys.service.ts';
import { createEnrollmentService } from './enrollment.service.ts';
import type { IdentityDeps } from './identity.context.ts';
import { identityJobs } from './identity.jobs.ts';
import { createIdentityRoutes } from './identity.routes.ts';
import { createIdentitySecurity } from './identity.security.ts';
import { createLockout } from './lockout.ts';
import { createLoginService } from './login.service.ts';
import { createMailer, type Mailer } from './mailer.ts';
import { createMfaService } from './mfa.service.ts';
import { createPasskeyService } from './passkeys.service.ts';
import { createPasswordHasher, type PasswordHasher } from './password.hasher.ts';
import { createPasswordService } from './passwords.service.ts';
import { createPolicyService } from './policy.service.ts';
import { createSessionService } from './sessions.service.ts';
import { createOidcProviderRegistry } from './sso.providers.ts';
import { createSsoService } from './sso.service.ts';
import { createThrottle, type ThrottleOptions } from './throttle.ts';
import { createUserService } from './users.service.ts';

export interface CreateIdentityModuleDeps {
  config: Pick<VigilConfig, 'server' | 'mail' | 'identity'>;
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  audit: AuditRecorder;
  tenancy: Pick<TenancyService, 'getBySlug' | 'getById' | 'list'>;
  /** Per-tenant key for identity secrets (HKDF of the root key, purpose `vigil/identity/v1`). */
  secretKey(tenantId: string): Buffer;
  /** Overrides for tests and benchmarks; production uses the defaults. */
  hasher?: PasswordHasher;
  mailer?: Mailer;
  throttle?: ThrottleOptions;
  mandatoryMfaRoles?: readonly string[];
  isKnownRole?: IdentityDeps['isKnownRole'];
}

/** The console's external URL (VIGIL_PUBLIC_URL, else the listening address). */
export function publicUrlOf(server: VigilConfig['server']): string {
  if (server.publicUrl) return server.publicUrl.replace(/\/+$/, '');
  const scheme = server.tlsCertFile ? 'https' : 'http';
  const host = server.host.includes(':') ? `[${server.host}]` : server.host;
  return `${scheme}://${host}:${server.port}`;
}

const ROLE_SHAPE = /^[a-z][a-z0-9_.-]{0,63}$/;

/** Builds every identity service; main.ts composes it into Vigil. */
export function createIdentityModule(input: CreateIdentityModuleDeps) {
  const publicUrl = publicUrlOf(input.config.server);
  const deps: IdentityDeps = {
    db: input.db,
    clock: input.clock,
    ids: input.ids,
    logger: input.logger,
    audit: input.audit,
    tenancy: input.tenancy,
    secretKey: input.secretKey,
    hasher: input.hasher ?? createPasswordHasher(),
    mailer: input.mailer ?? createMailer({ ...input.config.mail, logger: input.logger }),
    publicUrl,
    ...(input.config.identity.pwnedPasswordsFile
      ? { pwnedPasswordsFile: input.config.identity.pwnedPasswordsFile }
      : {}),
    mandatoryMfaRoles: input.mandatoryMfaRoles ?? ['security_admin'],
    isKnownRole: input.isKnownRole ?? ((_tenantId, role) => ROLE_SHAPE.test(role)),
  };
  const policies = createPolicyService(deps);
  const sessions = createSessionService(deps, policies);
  const passwords = createPasswordService(deps, policies);
  const lockout = createLockout(deps, policies, sessions);
  const throttle = createThrottle(deps, input.throttle);
  const passkeys = createPasskeyService(deps);
  const mfa = createMfaService(deps, { policies, sessions, passkeys, lockout });
  const login = createLoginService(deps, { policies, sessions, passwords, lockout, throttle, mfa, passkeys });
  const enrollment = createEnrollmentService(deps, { policies, sessions, passwords, lockout });
  const users = createUserService(deps, sessions);
  const apiKeys = createApiKeyService(deps);
  const ssoProviders = createOidcProviderRegistry(deps);
  const sso = createSsoService(deps, { registry: ssoProviders, sessions, policies });
  const security = createIdentitySecurity({ sessions, apiKeys, allowedOrigins: [new URL(publicUrl).origin] });
  const services = {
    policies,
    sessions,
    passwords,
    mfa,
    passkeys,
    login,
    enrollment,
    users,
    apiKeys,
    sso,
    ssoProviders,
  };
  const jobDeps = { db: deps.db, audit: deps.audit, tenancy: deps.tenancy, policies, sessions, sso };
  return {
    ...services,
    publicUrl,
    mailer: deps.mailer,
    /** Argon2id hashing, shared by every password path (exposed so tests can count verifications). */
    hasher: deps.hasher,
    /** The `authenticate` half of RequestSecurity. */
    authenticate: security.authenticate,
    /** Role storage for the access layer. */
    listUserRoles: users.listUserRoles,
    grantRole: users.grantRole,
    revokeRole: users.revokeRole,
    /** Scheduled jobs (dormant accounts, SSO re-check, token purge). */
    jobs: () => identityJobs(jobDeps),
    httpModule: (): HttpModule => ({
      name: 'identity',
      register: (app) =>
        createIdentityRoutes(app, {
          ...services,
          allowedOrigins: [new URL(publicUrl).origin],
          publicUrl,
          now: () => input.clock.now(),
        }),
    }),
  };
}

export type IdentityModule = ReturnType<typeof createIdentityModule>;

/** A RequestSecurity from identity's authenticate and any authorize (the access layer's, or the interim one). */
export function composeSecurity(
  identity: Pick<IdentityModule, 'authenticate'>,
  authorize: RequestSecurity['authorize'],
): RequestSecurity {
  return { authenticate: identity.authenticate, authorize };
}
