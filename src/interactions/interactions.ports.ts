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
}

export interface CardTokenizer {
  tokenize(
    trx: DbOrTransaction,
    input: { tenantId: string; pan: string; actor: { type: string; id: string } },
  ): Promise<{ token: string }>;
}
