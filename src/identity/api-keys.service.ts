import type { Principal } from '../shared/principal.ts';
import {
  findApiKeyById,
  findApiKeyBySecretHash,
  insertApiKey,
  listApiKeys,
  revokeApiKey,
  touchApiKey,
} from './api-keys.queries.ts';
import { auditActor, auditOrigin, type IdentityDeps, num, type RequestContext } from './identity.context.ts';
import { identityError } from './identity.errors.ts';
import type { ApiKeysTable } from './identity.tables.ts';
import { hashToken, newToken, parseToken } from './identity.tokens.ts';

/** Scopes an integration key may carry. `ingest`: push interactions from a contact-center platform. */
export const API_KEY_SCOPES = ['ingest', 'audit.read'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

const TOUCH_INTERVAL_MS = 60_000;

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdBy: string;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

function toApiKey(row: ApiKeysTable): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: JSON.parse(row.scopes) as string[],
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    expiresAt: num(row.expires_at),
    revokedAt: num(row.revoked_at),
    lastUsedAt: num(row.last_used_at),
  };
}

/**
 * Integration API keys: scoped, optionally expiring, shown once (`vgl_...`), stored as SHA-256
 * hashes, revocable, with last use tracked (written at most once a minute).
 */
export function createApiKeyService(deps: Pick<IdentityDeps, 'db' | 'clock' | 'ids' | 'audit'>) {
  const { db, clock } = deps;
  return {
    async create(
      actor: Principal,
      input: { name: string; scopes: ApiKeyScope[]; expiresAt?: number | null },
      context?: RequestContext,
    ): Promise<{ key: ApiKey; secret: string }> {
      const now = clock.now();
      if (input.expiresAt != null && input.expiresAt <= now) {
        throw identityError('API_KEY_INVALID', 'expiresAt must be in the future');
      }
      const secret = newToken('vgl', actor.tenantId);
      const row: ApiKeysTable = {
        tenant_id: actor.tenantId,
        id: deps.ids.newId(),
        name: input.name.trim(),
        // The start of a key is its tenant id (shared by all its keys): show the end instead.
        prefix: `vgl_…${secret.slice(-6)}`,
        secret_hash: hashToken(secret),
        scopes: JSON.stringify([...new Set(input.scopes)].sort()),
        created_by: actor.id,
        created_at: now,
        expires_at: input.expiresAt ?? null,
        revoked_at: null,
        last_used_at: null,
      };
      await db.transaction().execute(async (trx) => {
        await insertApiKey(trx, row);
        await deps.audit.record(trx, {
          tenantId: actor.tenantId,
          actor: auditActor(actor),
          action: 'api_keys.create',
          outcome: 'success',
          target: { type: 'api_key', id: row.id },
          details: { scopes: row.scopes, name: row.name },
          ...auditOrigin(context),
        });
      });
      return { key: toApiKey(row), secret };
    },

    async list(tenantId: string): Promise<ApiKey[]> {
      return (await listApiKeys(db, tenantId)).map(toApiKey);
    },

    async revoke(actor: Principal, id: string, context?: RequestContext): Promise<void> {
      const row = await findApiKeyById(db, actor.tenantId, id);
      if (!row) throw identityError('API_KEY_NOT_FOUND');
      await db.transaction().execute(async (trx) => {
        if (!(await revokeApiKey(trx, actor.tenantId, id, clock.now())))
          throw identityError('API_KEY_NOT_FOUND');
        await deps.audit.record(trx, {
          tenantId: actor.tenantId,
          actor: auditActor(actor),
          action: 'api_keys.revoke',
          outcome: 'success',
          target: { type: 'api_key', id },
          ...auditOrigin(context),
        });
      });
    },

    /** The principal of a presented key, or null when it is unknown, revoked or expired. */
    async authenticate(presented: string): Promise<Principal | null> {
      const parsed = parseToken('vgl', presented);
      if (!parsed) return null;
      const row = await findApiKeyBySecretHash(db, parsed.tenantId, hashToken(parsed.token));
      const now = clock.now();
      if (!row || row.revoked_at !== null || (row.expires_at !== null && Number(row.expires_at) <= now))
        return null;
      await touchApiKey(db, row.tenant_id, row.id, now, now - TOUCH_INTERVAL_MS);
      return {
        tenantId: row.tenant_id,
        kind: 'api_key',
        id: row.id,
        displayName: row.name,
        roles: [],
        scopes: JSON.parse(row.scopes) as string[],
      };
    },
  };
}

export type ApiKeyService = ReturnType<typeof createApiKeyService>;
