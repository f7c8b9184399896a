import type { AuditEventInput, AuditRecorder } from '../audit/index.ts';
import type { Logger } from '../logging/logger.ts';
import type { Clock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { Principal } from '../shared/principal.ts';
import type { Db } from '../storage/index.ts';
import type { TenancyService } from '../tenancy/index.ts';
import type { Mailer } from './mailer.ts';
import type { PasswordHasher } from './password.hasher.ts';

/** Where a request came from, for audit events and throttling. */
export interface RequestContext {
  ip?: string;
  userAgent?: string;
  requestId?: string;
}

/** The dependencies every identity service draws from; each service picks what it uses. */
export interface IdentityDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  audit: AuditRecorder;
  tenancy: Pick<TenancyService, 'getBySlug' | 'getById' | 'list'>;
  hasher: PasswordHasher;
  mailer: Mailer;
  /** Per-tenant 32-byte key (HKDF of the root key) for sealing identity secrets and CSRF tokens. */
  secretKey(tenantId: string): Buffer;
  /** External URL of the console: links in emails, WebAuthn origin and relying-party id. */
  publicUrl: string;
  /** Operator-supplied Have I Been Pwned SHA-1 file (sorted), if any. */
  pwnedPasswordsFile?: string;
  /** Roles that always need MFA whatever the tenant policy says (admins, anyone who can reveal data). */
  mandatoryMfaRoles: readonly string[];
  /** Whether a role name exists; the access layer supplies it. */
  isKnownRole(tenantId: string, role: string): boolean | Promise<boolean>;
}

export function auditActor(principal: Principal): AuditEventInput['actor'] {
  const type = principal.kind === 'user' ? 'user' : principal.kind === 'api_key' ? 'api_key' : 'system';
  return { type, id: principal.id, name: principal.displayName };
}

export function auditOrigin(
  context: RequestContext | undefined,
): Pick<AuditEventInput, 'origin' | 'requestId'> {
  if (!context) return {};
  return {
    origin: {
      ...(context.ip ? { ip: context.ip } : {}),
      ...(context.userAgent ? { userAgent: context.userAgent } : {}),
    },
    ...(context.requestId ? { requestId: context.requestId } : {}),
  };
}

/** 64-bit columns come back as strings from PostgreSQL: one conversion point. */
export function num(value: number | string | null | undefined): number | null {
  return value === null || value === undefined ? null : Number(value);
}
