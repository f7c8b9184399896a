import * as oidc from 'openid-client';
import { MINUTE_MS } from '../shared/clock.ts';
import type { Principal } from '../shared/principal.ts';
import { auditActor, auditOrigin, type IdentityDeps, type RequestContext } from './identity.context.ts';
import { identityError } from './identity.errors.ts';
import type { OidcProvidersTable } from './identity.tables.ts';
import { openSecret, sealSecret } from './identity.tokens.ts';
import {
  deleteOidcProvider,
  findOidcProviderById,
  findOidcProviderBySlug,
  insertOidcProvider,
  listOidcProviders,
  updateOidcProvider,
} from './settings.queries.ts';

export interface OidcProviderInput {
  slug: string;
  displayName: string;
  issuer: string;
  clientId: string;
  /** Omit to keep the stored secret; null for a public client (PKCE only). */
  clientSecret?: string | null;
  scopes?: string[];
  groupsClaim?: string;
  /** IdP group name -> Vigil roles. */
  groupRoles: Record<string, string[]>;
  jitProvisioning: boolean;
  enabled: boolean;
}

export interface OidcProvider {
  id: string;
  slug: string;
  displayName: string;
  issuer: string;
  clientId: string;
  hasClientSecret: boolean;
  scopes: string[];
  groupsClaim: string;
  groupRoles: Record<string, string[]>;
  jitProvisioning: boolean;
  enabled: boolean;
}

const DISCOVERY_TTL_MS = 10 * MINUTE_MS;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const secretContext = (tenantId: string, id: string) => `oidc-client:${tenantId}:${id}`;

export function toOidcProvider(row: OidcProvidersTable): OidcProvider {
  return {
    id: row.id,
    slug: row.slug,
    displayName: row.display_name,
    issuer: row.issuer,
    clientId: row.client_id,
    hasClientSecret: row.client_secret_enc !== null,
    scopes: row.scopes.split(' '),
    groupsClaim: row.groups_claim,
    groupRoles: JSON.parse(row.group_roles) as Record<string, string[]>,
    jitProvisioning: Number(row.jit_provisioning) === 1,
    enabled: Number(row.enabled) === 1,
  };
}

/** Plain http is refused for an issuer, except on loopback (a local IdP in development and tests). */
function checkIssuer(issuer: string): URL {
  const url = new URL(issuer);
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname))) return url;
  throw identityError('SSO_ISSUER_INSECURE');
}

/** Per-tenant OpenID Connect providers and their discovered client configurations. */
export function createOidcProviderRegistry(
  deps: Pick<IdentityDeps, 'db' | 'clock' | 'ids' | 'audit' | 'secretKey'>,
) {
  const { db, clock } = deps;
  const discovered = new Map<string, { config: oidc.Configuration; at: number; updatedAt: number }>();

  async function auditChange(actor: Principal, action: string, id: string, context?: RequestContext) {
    await deps.audit.record(db, {
      tenantId: actor.tenantId,
      actor: auditActor(actor),
      action,
      outcome: 'success',
      target: { type: 'oidc_provider', id },
      ...auditOrigin(context),
    });
  }

  return {
    /** Creates or updates (by slug) a provider. */
    async save(actor: Principal, input: OidcProviderInput, context?: RequestContext): Promise<OidcProvider> {
      checkIssuer(input.issuer);
      const now = clock.now();
      const existing = await findOidcProviderBySlug(db, actor.tenantId, input.slug);
      const id = existing?.id ?? deps.ids.newId();
      const sealed =
        input.clientSecret === undefined
          ? (existing?.client_secret_enc ?? null)
          : input.clientSecret === null
            ? null
            : sealSecret(
                deps.secretKey(actor.tenantId),
                input.clientSecret,
                secretContext(actor.tenantId, id),
              );
      const row: OidcProvidersTable = {
        tenant_id: actor.tenantId,
        id,
        slug: input.slug,
        display_name: input.displayName,
        issuer: input.issuer,
        client_id: input.clientId,
        client_secret_enc: sealed,
        scopes: (input.scopes ?? ['openid', 'email', 'profile', 'offline_access']).join(' '),
        groups_claim: input.groupsClaim ?? 'groups',
        group_roles: JSON.stringify(input.groupRoles),
        jit_provisioning: input.jitProvisioning ? 1 : 0,
        enabled: input.enabled ? 1 : 0,
        created_at: existing ? Number(existing.created_at) : now,
        updated_at: now,
      };
      if (existing) {
        const { tenant_id: _t, id: _i, created_at: _c, ...changes } = row;
        await updateOidcProvider(db, actor.tenantId, id, changes);
      } else {
        await insertOidcProvider(db, row);
      }
      discovered.delete(id);
      await auditChange(actor, existing ? 'sso.provider.update' : 'sso.provider.create', id, context);
      return toOidcProvider(row);
    },

    async list(tenantId: string): Promise<OidcProvider[]> {
      return (await listOidcProviders(db, tenantId)).map(toOidcProvider);
    },

    async remove(actor: Principal, id: string, context?: RequestContext): Promise<void> {
      if ((await deleteOidcProvider(db, actor.tenantId, id)) === 0)
        throw identityError('SSO_PROVIDER_NOT_FOUND');
      discovered.delete(id);
      await auditChange(actor, 'sso.provider.delete', id, context);
    },

    async findBySlug(tenantId: string, slug: string) {
      const row = await findOidcProviderBySlug(db, tenantId, slug);
      if (!row || Number(row.enabled) !== 1) throw identityError('SSO_PROVIDER_NOT_FOUND');
      return row;
    },

    async findById(tenantId: string, id: string) {
      const row = await findOidcProviderById(db, tenantId, id);
      if (!row) throw identityError('SSO_PROVIDER_NOT_FOUND');
      return row;
    },

    /** The discovered openid-client configuration of a provider (cached 10 minutes). */
    async configuration(row: OidcProvidersTable): Promise<oidc.Configuration> {
      const cached = discovered.get(row.id);
      const now = clock.now();
      if (cached && cached.updatedAt === Number(row.updated_at) && now - cached.at < DISCOVERY_TTL_MS)
        return cached.config;
      const issuer = checkIssuer(row.issuer);
      const secret = row.client_secret_enc
        ? openSecret(
            deps.secretKey(row.tenant_id),
            row.client_secret_enc,
            secretContext(row.tenant_id, row.id),
          )
        : undefined;
      const config = await oidc.discovery(
        issuer,
        row.client_id,
        secret,
        secret ? oidc.ClientSecretBasic(secret) : oidc.None(),
        { timeout: 10, ...(issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {}) },
      );
      discovered.set(row.id, { config, at: now, updatedAt: Number(row.updated_at) });
      return config;
    },
  };
}

export type OidcProviderRegistry = ReturnType<typeof createOidcProviderRegistry>;
