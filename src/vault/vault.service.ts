import { randomBytes } from 'node:crypto';
import type { AuditEventInput, AuditRecorder } from '../audit/index.ts';
import type { Keyring } from '../crypto/index.ts';
import { type Clock, HOUR_MS } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { Principal } from '../shared/principal.ts';
import type { Db, StorageDialect } from '../storage/index.ts';
import { vaultError } from './vault.errors.ts';
import { type CardBrand, normalizePan } from './vault.pan.ts';
import {
  countRecentDetokenizations,
  findToken,
  findTokenByFingerprint,
  insertDetokenization,
  insertTokenIfAbsent,
  pruneDetokenizations,
  updateTokenExpiry,
} from './vault.queries.ts';
import type { VaultTokensTable } from './vault.tables.ts';

/** Where a request came from: access conditions (network zones, devices) are judged on it. */
export interface VaultRequestContext {
  ip?: string;
  userAgent?: string;
  requestId?: string;
}

/** Decides whether a principal holds a permission now; the access-control layer supplies the policy. */
export type VaultAuthorizer = (
  principal: Principal,
  permission: 'vault.detokenize',
  context: VaultRequestContext,
) => Promise<boolean> | boolean;

export interface VaultDeps {
  db: Db;
  dialect: Pick<StorageDialect, 'lockInTransaction'>;
  clock: Clock;
  ids: IdGenerator;
  keys: Pick<Keyring, 'encryptField' | 'decryptField' | 'blindIndex'>;
  audit: Pick<AuditRecorder, 'record'>;
  authorize: VaultAuthorizer;
  /** Detokenizations allowed per actor in a sliding window (default 60 per hour). */
  detokenizeLimit?: { max: number; windowMs: number };
}

/** An actor as the audit log records it (the ingest pipeline passes its integration or job). */
export interface VaultActor {
  type: string;
  id: string;
  name?: string;
}

export interface TokenizeInput {
  tenantId: string;
  /** The card number. There is deliberately no field for a security code or PIN (PCI DSS 3.3.1). */
  pan: string;
  /** Card expiry (`MM/YY`, `MM/YYYY` or `YYYY-MM`): the token stops detokenizing after that month. */
  expiry?: string;
  actor: VaultActor;
  requestId?: string;
}

export interface TokenizeResult {
  token: string;
  brand: CardBrand;
  last4: string;
  maskedPan: string;
  /** `MM/YY`, or null. */
  expiry: string | null;
  /** False when the card already had a token (the same token is returned). */
  created: boolean;
}

export interface DetokenizeInput {
  tenantId: string;
  token: string;
  actor: Principal;
  reason: string;
  origin?: { ip?: string; userAgent?: string };
  requestId?: string;
}

export interface DetokenizeResult {
  pan: string;
  brand: CardBrand;
  last4: string;
  expiry: string | null;
}

export const DEFAULT_DETOKENIZE_LIMIT = { max: 60, windowMs: HOUR_MS };
export const TOKEN_PATTERN = /^tok_\d{4}_[A-Za-z0-9_-]{24}$/;
const EXPIRY_FORMATS = [
  /^(?<m>\d{1,2})\/(?<y>\d{2})$/,
  /^(?<m>\d{1,2})\/(?<y>\d{4})$/,
  /^(?<y>\d{4})-(?<m>\d{2})$/,
];

/** The first instant after the card's expiry month (cards are valid through their last day). */
export function parseExpiry(expiry: string): number {
  for (const format of EXPIRY_FORMATS) {
    const match = format.exec(expiry.trim());
    if (!match?.groups) continue;
    const month = Number(match.groups['m']);
    const year =
      match.groups['y']!.length === 2 ? 2000 + Number(match.groups['y']) : Number(match.groups['y']);
    if (month >= 1 && month <= 12 && year >= 2000 && year <= 2099) return Date.UTC(year, month, 1);
  }
  throw vaultError('EXPIRY_INVALID');
}

function formatExpiry(expiresAt: number | null): string | null {
  if (expiresAt === null) return null;
  const last = new Date(expiresAt - 1);
  return `${String(last.getUTCMonth() + 1).padStart(2, '0')}/${String(last.getUTCFullYear() % 100).padStart(2, '0')}`;
}

const actorOf = (actor: VaultActor): AuditEventInput['actor'] => ({
  type:
    actor.type === 'user' || actor.type === 'api_key' || actor.type === 'anonymous' ? actor.type : 'system',
  id: actor.id,
  ...(actor.name ? { name: actor.name } : {}),
});

const principalActor = (p: Principal): VaultActor => ({ type: p.kind, id: p.id, name: p.displayName });

// The token shows the last four digits (allowed by PCI DSS) and 144 random bits: never derived from the PAN.
const newToken = (last4: string) => `tok_${last4}_${randomBytes(18).toString('base64url')}`;

const inTransaction = <T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> =>
  db.isTransaction ? fn(db) : db.transaction().execute(fn);

/**
 * The PCI card vault: card numbers leave scope the moment they arrive. tokenize stores the PAN
 * encrypted under the tenant's vault key (its own KEK hierarchy) with a keyed fingerprint;
 * detokenize returns it only to a permitted principal, with a reason, audited and rate-limited.
 */
export function createVaultService(deps: VaultDeps) {
  const limit = deps.detokenizeLimit ?? DEFAULT_DETOKENIZE_LIMIT;

  const toResult = (row: VaultTokensTable, created: boolean): TokenizeResult => ({
    token: row.token,
    brand: row.brand as CardBrand,
    last4: row.last4,
    maskedPan: `${'•'.repeat(12)}${row.last4}`,
    expiry: formatExpiry(row.expires_at === null ? null : Number(row.expires_at)),
    created,
  });

  async function tokenizeIn(trx: Db, input: TokenizeInput): Promise<TokenizeResult> {
    const { digits, brand } = normalizePan(input.pan);
    const expiresAt = input.expiry === undefined ? null : parseExpiry(input.expiry);
    const fingerprint = await deps.keys.blindIndex(trx, {
      tenantId: input.tenantId,
      kind: 'card',
      value: digits,
    });
    let row = await findTokenByFingerprint(trx, input.tenantId, fingerprint);
    let created = false;
    const now = deps.clock.now();
    if (!row) {
      const token = newToken(digits.slice(-4));
      const candidate: VaultTokensTable = {
        tenant_id: input.tenantId,
        token,
        fingerprint,
        pan_ciphertext: await deps.keys.encryptField(trx, {
          tenantId: input.tenantId,
          domain: 'vault',
          table: 'vault_tokens',
          column: 'pan',
          rowId: token,
          plaintext: digits,
        }),
        brand,
        last4: digits.slice(-4),
        expires_at: expiresAt,
        created_at: now,
        updated_at: now,
      };
      created = await insertTokenIfAbsent(trx, candidate);
      // A concurrent tokenization of the same card won the race: its token is the card's token.
      row = created ? candidate : await findTokenByFingerprint(trx, input.tenantId, fingerprint);
      if (!row) throw vaultError('TOKEN_NOT_FOUND');
    } else if (expiresAt !== null && Number(row.expires_at) !== expiresAt) {
      // A reissued card keeps its number and gets a new expiry.
      await updateTokenExpiry(trx, input.tenantId, row.token, expiresAt, now);
      row = { ...row, expires_at: expiresAt };
    }
    await deps.audit.record(trx, {
      tenantId: input.tenantId,
      actor: actorOf(input.actor),
      action: 'vault.tokenize',
      outcome: 'success',
      target: { type: 'card_token', id: row.token },
      ...(input.requestId ? { requestId: input.requestId } : {}),
      details: { brand: row.brand, last4: row.last4, created },
    });
    return toResult(row, created);
  }

  return {
    /**
     * Tokenizes a card number inside the caller's transaction (or, given none, its own); the same
     * card always gets the same token.
     */
    tokenize(trx: Db | undefined, input: TokenizeInput): Promise<TokenizeResult> {
      return inTransaction(trx ?? deps.db, (t) => tokenizeIn(t, input));
    },

    /** Returns the card number behind a token to a permitted principal; audited with the reason. */
    detokenize: (input: DetokenizeInput) => detokenize(deps, limit, input),
  };
}

export type VaultService = ReturnType<typeof createVaultService>;

type Attempt =
  | { kind: 'ok'; result: DetokenizeResult }
  | { kind: 'rate_limited'; retryAfterMs: number }
  | { kind: 'not_found' }
  | { kind: 'expired' };

async function detokenize(
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
