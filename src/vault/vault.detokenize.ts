import type { AuditEventInput } from '../audit/index.ts';
import type { Db } from '../storage/index.ts';
import { vaultError } from './vault.errors.ts';
import type { CardBrand } from './vault.pan.ts';
import {
  countRecentDetokenizations,
  findToken,
  insertDetokenization,
  pruneDetokenizations,
} from './vault.queries.ts';
import { actorOf, formatExpiry, principalActor } from './vault.support.ts';
import { type DetokenizeInput, type DetokenizeResult, TOKEN_PATTERN, type VaultDeps } from './vault.types.ts';

type Attempt =
  | { kind: 'ok'; result: DetokenizeResult }
  | { kind: 'rate_limited'; retryAfterMs: number }
  | { kind: 'not_found' }
  | { kind: 'expired' };

/**
 * Returns the card number behind a token to a permitted principal, with a reason: the permission
 * check, the per-actor sliding window, the decryption and the audit event commit together.
 */
export async function detokenize(
  deps: VaultDeps,
  limit: { max: number; windowMs: number },
  input: DetokenizeInput,
): Promise<DetokenizeResult> {
  const { tenantId, actor } = input;
  // Another tenant's token is simply not found (the principal's tenant is the only one it sees).
  if (actor.tenantId !== tenantId) throw vaultError('TOKEN_NOT_FOUND');
  const base = {
    tenantId,
    actor: actorOf(principalActor(actor)),
    action: 'vault.detokenize',
    target: { type: 'card_token', id: input.token.slice(0, 64) },
    ...(input.origin ? { origin: input.origin } : {}),
    ...(input.requestId ? { requestId: input.requestId } : {}),
  };
  const context = {
    ...(input.origin?.ip ? { ip: input.origin.ip } : {}),
    ...(input.origin?.userAgent ? { userAgent: input.origin.userAgent } : {}),
    ...(input.requestId ? { requestId: input.requestId } : {}),
  };
  if (!(await deps.authorize(actor, 'vault.detokenize', context))) {
    await deps.audit.record(deps.db, { ...base, outcome: 'denied', details: { condition: 'permission' } });
    throw vaultError('DETOKENIZE_FORBIDDEN');
  }
  const reason = input.reason.trim();
  if (reason.length < 10 || reason.length > 500) throw vaultError('REASON_REQUIRED');
  const attempt = await deps.db
    .transaction()
    .execute((trx) => attemptDetokenize(deps, limit, trx, input, reason, base));
  switch (attempt.kind) {
    case 'ok':
      return attempt.result;
    case 'not_found':
      throw vaultError('TOKEN_NOT_FOUND');
    case 'expired':
      throw vaultError('TOKEN_EXPIRED');
    case 'rate_limited':
      await deps.audit.record(deps.db, {
        ...base,
        outcome: 'denied',
        reason,
        details: { condition: 'rate_limit' },
      });
      throw vaultError('DETOKENIZE_RATE_LIMITED', undefined, {
        details: { retryAfterSeconds: Math.max(1, Math.ceil(attempt.retryAfterMs / 1000)) },
      });
  }
}

/** One detokenization under the actor's lock: window check, attempt logged, audit, all in one commit. */
async function attemptDetokenize(
  deps: VaultDeps,
  limit: { max: number; windowMs: number },
  trx: Db,
  input: DetokenizeInput,
  reason: string,
  base: Omit<AuditEventInput, 'outcome'>,
): Promise<Attempt> {
  const { tenantId } = input;
  const actorId = `${input.actor.kind}:${input.actor.id}`;
  // Serialises one actor's attempts across nodes, so two concurrent requests cannot both take the last slot.
  await deps.dialect.lockInTransaction(trx as never, `vault:detokenize:${tenantId}:${actorId}`);
  const now = deps.clock.now();
  const since = now - limit.windowMs;
  const recent = await countRecentDetokenizations(trx, tenantId, actorId, since);
  if (recent.count >= limit.max)
    return { kind: 'rate_limited', retryAfterMs: (recent.oldest ?? now) + limit.windowMs - now };
  await pruneDetokenizations(trx, tenantId, actorId, since);
  await insertDetokenization(trx, {
    tenant_id: tenantId,
    id: deps.ids.newId(),
    actor_id: actorId,
    attempted_at: now,
  });
  const row = TOKEN_PATTERN.test(input.token) ? await findToken(trx, tenantId, input.token) : undefined;
  if (!row) {
    await deps.audit.record(trx, {
      ...base,
      outcome: 'failure',
      reason,
      details: { condition: 'not_found' },
    });
    return { kind: 'not_found' };
  }
  if (row.expires_at !== null && Number(row.expires_at) <= now) {
    await deps.audit.record(trx, { ...base, outcome: 'failure', reason, details: { condition: 'expired' } });
    return { kind: 'expired' };
  }
  const pan = await deps.keys.decryptField(trx, {
    tenantId,
    table: 'vault_tokens',
    column: 'pan',
    rowId: row.token,
    ciphertext: row.pan_ciphertext,
  });
  await deps.audit.record(trx, {
    ...base,
    outcome: 'success',
    reason,
    details: { brand: row.brand, last4: row.last4 },
  });
  const expiresAt = row.expires_at === null ? null : Number(row.expires_at);
  return {
    kind: 'ok',
    result: {
      pan: pan.toString('utf8'),
      brand: row.brand as CardBrand,
      last4: row.last4,
      expiry: formatExpiry(expiresAt),
    },
  };
}
