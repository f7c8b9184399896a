import type { DbOrTransaction } from '../audit/index.ts';

/**
 * What the interactions feature needs from the crypto layer and the vault, named by role so the
 * composition root wires the real modules and this feature never imports their internals.
 */
export interface FieldCipher {
  encrypt(
    trx: DbOrTransaction,
    input: {
      tenantId: string;
      subjectId?: string | undefined;
      table: string;
      column: string;
      rowId: string;
      plaintext: Buffer;
    },
  ): Promise<Buffer>;
  decrypt(
    db: DbOrTransaction,
    input: {
      tenantId: string;
      subjectId?: string | undefined;
      table: string;
      column: string;
      rowId: string;
      ciphertext: Buffer;
    },
  ): Promise<Buffer>;
  /** Loads (or creates) the keys of a batch's data subjects at once, so their encryptions need no query. */
  loadSubjectKeys(trx: DbOrTransaction, tenantId: string, subjectIds: readonly string[]): Promise<void>;
}

/** Encrypts a JSON column of one interaction row, under its customer's key and bound to the row. */
export function interactionSealer(
  cipher: FieldCipher,
  trx: DbOrTransaction,
  place: { tenantId: string; subjectId: string | undefined; rowId: string },
): (column: string, json: string) => Promise<Buffer> {
  return (column, json) =>
    cipher.encrypt(trx, {
      tenantId: place.tenantId,
      subjectId: place.subjectId,
      table: 'interactions',
      column,
      rowId: place.rowId,
      plaintext: Buffer.from(json),
    });
}

export interface CardTokenizer {
  tokenize(
    trx: DbOrTransaction,
    input: { tenantId: string; pan: string; actor: { type: string; id: string } },
  ): Promise<{ token: string }>;
  /** Tokens of every card number of a batch, in order, in the caller's transaction (audited per card). */
  tokenizeMany(
    trx: DbOrTransaction,
    input: {
      tenantId: string;
      pans: readonly string[];
      actor: { type: string; id: string };
      requestId?: string;
    },
  ): Promise<{ token: string }[]>;
}
