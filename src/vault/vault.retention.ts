import type { Db } from '../storage/index.ts';
import { deleteTokens, findTokensUpdatedBefore } from './vault.queries.ts';

/** A stored card token as retention sees it: no card number, not even encrypted. */
export interface AgedToken {
  token: string;
  last4: string;
  brand: string;
  createdAt: number;
  /** Creation or the last reissue (new expiry): the token's age counts from here. */
  updatedAt: number;
}

/**
 * Card tokens by age, for the retention engine (PCI DSS 3.2.1: account data is kept only as long
 * as the retention period says). Deleting a token deletes the only copy of its card number.
 */
export function createVaultRetention() {
  return {
    /** Oldest first, after a keyset position; bounded by `limit`. */
    async findTokensOlderThan(
      db: Db,
      tenantId: string,
      f: { before: number; after?: { updatedAt: number; token: string }; limit: number },
    ): Promise<AgedToken[]> {
      const rows = await findTokensUpdatedBefore(db, tenantId, f);
      return rows.map((r) => ({
        token: r.token,
        last4: r.last4,
        brand: r.brand,
        createdAt: Number(r.created_at),
        updatedAt: Number(r.updated_at),
      }));
    },
    /** Deletes tokens in the caller's transaction; returns how many existed. */
    deleteTokens: (trx: Db, tenantId: string, tokens: readonly string[]) =>
      deleteTokens(trx, tenantId, tokens),
  };
}

export type VaultRetention = ReturnType<typeof createVaultRetention>;
