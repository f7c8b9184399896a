import type { Db } from '../storage/index.ts';
import { detokenize } from './vault.detokenize.ts';
import { vaultError } from './vault.errors.ts';
import { type CardBrand, normalizePan } from './vault.pan.ts';
import { findTokenByFingerprint, insertTokenIfAbsent, updateTokenExpiry } from './vault.queries.ts';
import { actorOf, formatExpiry, inTransaction, newTokenRow, parseExpiry } from './vault.support.ts';
import type { VaultTokensTable } from './vault.tables.ts';
import { tokenizeMany } from './vault.tokenize-many.ts';
import {
  DEFAULT_DETOKENIZE_LIMIT,
  type DetokenizeInput,
  type TokenizeInput,
  type TokenizeManyInput,
  type TokenizeResult,
  type VaultDeps,
} from './vault.types.ts';

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
      const candidate = await newTokenRow(deps.keys, trx, {
        tenantId: input.tenantId,
        fingerprint,
        digits,
        brand,
        expiresAt,
        now,
      });
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

    /**
     * tokenize for every card number of an ingest batch, in the caller's transaction (or its own): a few
     * statements for the whole batch, one audit event per card number given. Same tokens as
     * tokenizing them one by one.
     */
    tokenizeMany: (trx: Db | undefined, input: TokenizeManyInput) =>
      inTransaction(trx ?? deps.db, (t) => tokenizeMany(deps, t, input)),

    /** Returns the card number behind a token to a permitted principal; audited with the reason. */
    detokenize: (input: DetokenizeInput) => detokenize(deps, limit, input),
  };
}

export type VaultService = ReturnType<typeof createVaultService>;
