import type { Db } from '../storage/index.ts';
import { vaultError } from './vault.errors.ts';
import { normalizePan } from './vault.pan.ts';
import { findTokensByFingerprints, insertTokensIfAbsent } from './vault.queries.ts';
import { actorOf, newTokenRow } from './vault.support.ts';
import type { VaultTokensTable } from './vault.tables.ts';
import type { TokenizeManyInput, VaultDeps } from './vault.types.ts';

// Fingerprints per `in (...)` list and rows per multi-row insert: under both dialects' parameter limits.
const CHUNK = 400;

export interface TokenizedCard {
  token: string;
  /** True for the one input that created the card's token (later repeats and known cards: false). */
  created: boolean;
}

async function readTokens(trx: Db, tenantId: string, fingerprints: readonly string[]) {
  const rows = new Map<string, VaultTokensTable>();
  for (let i = 0; i < fingerprints.length; i += CHUNK) {
    for (const row of await findTokensByFingerprints(trx, tenantId, fingerprints.slice(i, i + CHUNK)))
      rows.set(row.fingerprint, row);
  }
  return rows;
}

/**
 * The batch form of tokenize (no expiry: ingest finds bare card numbers): keyed fingerprints of
 * every card, one read of the known ones, one multi-row insert of the new ones (encrypted under
 * the vault key), and one audit event per card number given, recorded with `recordMany`. A
 * concurrent writer that tokenized a card first wins: its token is the card's token.
 */
export async function tokenizeMany(
  deps: Pick<VaultDeps, 'keys' | 'audit' | 'clock'>,
  trx: Db,
  input: TokenizeManyInput,
): Promise<TokenizedCard[]> {
  const cards = input.pans.map((pan) => normalizePan(pan));
  const fingerprintOf = new Map<string, string>();
  for (const { digits } of cards) {
    if (fingerprintOf.has(digits)) continue;
    fingerprintOf.set(
      digits,
      await deps.keys.blindIndex(trx, { tenantId: input.tenantId, kind: 'card', value: digits }),
    );
  }
  const known = await readTokens(trx, input.tenantId, [...fingerprintOf.values()]);
  const now = deps.clock.now();
  const candidates = new Map<string, VaultTokensTable>();
  for (const { digits, brand } of cards) {
    const fingerprint = fingerprintOf.get(digits)!;
    if (known.has(fingerprint) || candidates.has(fingerprint)) continue;
    candidates.set(
      fingerprint,
      await newTokenRow(deps.keys, trx, {
        tenantId: input.tenantId,
        fingerprint,
        digits,
        brand,
        expiresAt: null,
        now,
      }),
    );
  }
  // Sorted by fingerprint: concurrent batches insert in one order into the unique index.
  const fresh = [...candidates.values()].sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : 1));
  for (let i = 0; i < fresh.length; i += CHUNK) await insertTokensIfAbsent(trx, fresh.slice(i, i + CHUNK));
  for (const [fingerprint, row] of await readTokens(trx, input.tenantId, [...candidates.keys()]))
    known.set(fingerprint, row);
  const reported = new Set<string>();
  const results = cards.map(({ digits }): TokenizedCard & { row: VaultTokensTable } => {
    const fingerprint = fingerprintOf.get(digits)!;
    const row = known.get(fingerprint);
    if (!row) throw vaultError('TOKEN_NOT_FOUND');
    const created = candidates.get(fingerprint)?.token === row.token && !reported.has(fingerprint);
    reported.add(fingerprint);
    return { token: row.token, created, row };
  });
  if (results.length > 0)
    await deps.audit.recordMany(
      trx,
      results.map(({ row, created }) => ({
        tenantId: input.tenantId,
        actor: actorOf(input.actor),
        action: 'vault.tokenize',
        outcome: 'success' as const,
        target: { type: 'card_token', id: row.token },
        ...(input.requestId ? { requestId: input.requestId } : {}),
        details: { brand: row.brand, last4: row.last4, created },
      })),
    );
  return results.map(({ token, created }) => ({ token, created }));
}
