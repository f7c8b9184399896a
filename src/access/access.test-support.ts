import { hkdfSync, randomBytes } from 'node:crypto';
import type { TestVigil } from '../../test/harness/test-vigil.ts';
import { createIdentityModule, type IdentityModule } from '../identity/identity.module.ts';
import type { Principal } from '../shared/principal.ts';
import { directoryFromIdentity } from './access.directory.ts';
import { type AccessModule, createAccessModule } from './access.module.ts';

/**
 * The identity and access modules of a test Vigil (as main.ts composes them), or of a second
 * node over the same database for cache-invalidation tests.
 */
export interface AccessStack {
  identity: IdentityModule;
  access: AccessModule;
  tenantId: string;
  /** A system principal of the tenant, as the CLI acts. */
  operator: Principal;
}

export async function buildAccessStack(
  t: TestVigil,
  options: { revalidateMs?: number; defaultTenant?: boolean; separateNode?: boolean } = {},
): Promise<AccessStack> {
  const { vigil } = t;
  // A fresh tenant gives each test its own users and grants while sharing the file's database.
  const tenantId = options.defaultTenant
    ? (await vigil.tenancy.getBySlug('default')).id
    : (await vigil.tenancy.create({ slug: `t-${randomBytes(6).toString('hex')}`, name: 'Test tenant' })).id;
  const operator: Principal = {
    tenantId,
    kind: 'system',
    id: 'test-operator',
    displayName: 'test operator',
    roles: ['system'],
  };
  if (!options.separateNode) return { identity: vigil.identity, access: vigil.access, tenantId, operator };
  // Another "node": its own caches over the same database, composed as main.ts composes them.
  const rootKey = randomBytes(32);
  let access: AccessModule | undefined;
  const identity = createIdentityModule({
    config: vigil.config,
    db: vigil.storage.db,
    clock: vigil.clock,
    ids: vigil.ids,
    logger: vigil.logger,
    audit: vigil.audit,
    tenancy: vigil.tenancy,
    secretKey: (tenant) => Buffer.from(hkdfSync('sha256', rootKey, tenant, 'vigil/identity/v1', 32)),
    isKnownRole: (tenant, role) => access!.isKnownRole(tenant, role),
  });
  access = createAccessModule({
    db: vigil.storage.db,
    dialect: vigil.storage.dialect,
    clock: vigil.clock,
    ids: vigil.ids,
    audit: vigil.audit,
    logger: vigil.logger,
    tenancy: vigil.tenancy,
    directory: directoryFromIdentity(identity.users),
    rootKey,
    ...(options.revalidateMs !== undefined ? { revalidateMs: options.revalidateMs } : {}),
  });
  return { identity, access, tenantId, operator };
}

export interface TestUser {
  id: string;
  principal: Principal;
}

/** An active user holding the roles, created through identity's invitation flow. */
export async function createActiveUser(
  stack: AccessStack,
  input: { name: string; roles: string[]; email?: string; tenantId?: string },
): Promise<TestUser> {
  const tenantId = input.tenantId ?? stack.tenantId;
  const operator = { ...stack.operator, tenantId };
  // Letters for the email, digits for the password: the password policy refuses one inside the other.
  const suffix = [...randomBytes(6)].map((b) => 'ghjkmnpqrstvwxyz'[b % 16]).join('');
  const email =
    input.email ?? `${input.name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}.${suffix}@example.test`;
  const password = `${[...randomBytes(20)].map((b) => b % 10).join('')}#!`;
  const { user, link } = await stack.identity.users.invite(operator, {
    email,
    displayName: input.name,
    roles: input.roles,
  });
  const token = new URL(link).hash.replace(/^#token=/, '');
  await stack.identity.enrollment.acceptInvite({ token, password });
  return {
    id: user.id,
    principal: { tenantId, kind: 'user', id: user.id, displayName: input.name, roles: input.roles },
  };
}

export interface TestSession {
  sessionId: string;
  /** Cookie (and, for writes, the CSRF token) as the console sends them. */
  headers(write?: boolean): Record<string, string>;
}

/** A signed-in session for the user, issued by identity, optionally with a fresh MFA verification. */
export async function signIn(
  t: TestVigil,
  stack: AccessStack,
  user: TestUser,
  options: { mfa?: boolean } = {},
): Promise<TestSession> {
  const issued = await stack.identity.sessions.issue(t.vigil.storage.db, {
    tenantId: user.principal.tenantId,
    userId: user.id,
    stage: 'full',
    authMethod: 'password',
    mfaVerifiedAt: options.mfa ? t.vigil.clock.now() : null,
  });
  return {
    sessionId: issued.sessionId,
    headers: (write = false) => ({
      cookie: `vigil_session=${issued.token}`,
      ...(write ? { 'x-csrf-token': issued.csrfToken } : {}),
    }),
  };
}
