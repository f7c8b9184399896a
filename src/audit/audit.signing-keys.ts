import type { Clock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { Db, StorageDialect } from '../storage/index.ts';
import { insertSigningKey, selectSigningKeys } from './audit.checkpoint.queries.ts';
import { unwrapSecret, wrapSecret } from './audit.key-wrap.ts';
import type { AuditSigningKeysTable } from './audit.tables.ts';
import {
  generateNoteKeyPair,
  type NoteSigner,
  type NoteVerifier,
  parseSignerKey,
  parseVerifierKey,
} from './checkpoint/index.ts';

export interface AuditSigningKeysDeps {
  db: Db;
  dialect: Pick<StorageDialect, 'withTransactionLock'>;
  clock: Clock;
  ids: IdGenerator;
  /** AES-256 key wrapping the private keys, derived from the root key. */
  wrapKey: Buffer;
  /** Signed-note key name for a new key (the log family's name, e.g. `vigil.example.com/audit`). */
  keyName: string;
}

/** A stored key whose wrapped private key does not open under this root key, or does not match. */
export interface ForgedKeyProblem {
  keyId: string;
  verifierKey: string;
  reason: string;
}

const LOCK_KEY = 'audit-signing-key';
// The associated data ties the wrapped private key to its row and its public half: a row whose
// verifier key was swapped, or a key inserted by someone without the root key, fails to open.
const associatedData = (row: Pick<AuditSigningKeysTable, 'id' | 'verifier_key'>) =>
  `vigil-audit-signing-key|${row.id}|${row.verifier_key}`;

function openKey(wrapKey: Buffer, row: AuditSigningKeysTable): NoteSigner {
  const signerKey = unwrapSecret(wrapKey, row.wrapped_private_key, associatedData(row)).toString('utf8');
  const signer = parseSignerKey(signerKey);
  if (parseVerifierKey(row.verifier_key).keyId !== signer.keyId) throw new Error('key pair mismatch');
  return signer;
}

/**
 * The installation's checkpoint signing key: generated on first use (once, across nodes), stored
 * only wrapped, unwrapped into memory when a checkpoint is signed.
 */
export function createAuditSigningKeys(deps: AuditSigningKeysDeps) {
  let cached: { signer: NoteSigner; verifierKey: string } | undefined;

  async function ensureKey(): Promise<AuditSigningKeysTable> {
    return deps.dialect.withTransactionLock(deps.db, LOCK_KEY, async (trx) => {
      const active = (await selectSigningKeys(trx as Db)).filter((k) => k.retired_at === null);
      const newest = active[active.length - 1];
      if (newest) return newest;
      const pair = generateNoteKeyPair(deps.keyName);
      const id = deps.ids.newId();
      const verifier = parseVerifierKey(pair.verifierKey);
      const row: AuditSigningKeysTable = {
        id,
        name: deps.keyName,
        key_id: verifier.keyId.toString(16).padStart(8, '0'),
        verifier_key: pair.verifierKey,
        wrapped_private_key: Buffer.alloc(0),
        created_at: deps.clock.now(),
        retired_at: null,
      };
      row.wrapped_private_key = wrapSecret(
        deps.wrapKey,
        Buffer.from(pair.signerKey, 'utf8'),
        associatedData(row),
      );
      await insertSigningKey(trx as Db, row);
      return row;
    });
  }

  return {
    /** The active signer, creating the key on first use. */
    async signer(): Promise<{ signer: NoteSigner; verifierKey: string }> {
      if (cached) return cached;
      const row = await ensureKey();
      cached = { signer: openKey(deps.wrapKey, row), verifierKey: row.verifier_key };
      return cached;
    },
    /** Public verifier keys of every stored key, for publication (no check). */
    async verifierKeys(): Promise<string[]> {
      return (await selectSigningKeys(deps.db)).map((k) => k.verifier_key);
    },
    /**
     * Verifiers of the keys that prove themselves genuine (their private key opens under this
     * root key and matches), and the keys that do not: verification trusts only the former.
     */
    async trustedVerifiers(): Promise<{ verifiers: NoteVerifier[]; forged: ForgedKeyProblem[] }> {
      const verifiers: NoteVerifier[] = [];
      const forged: ForgedKeyProblem[] = [];
      for (const row of await selectSigningKeys(deps.db)) {
        try {
          openKey(deps.wrapKey, row);
          verifiers.push(parseVerifierKey(row.verifier_key));
        } catch {
          forged.push({
            keyId: row.key_id,
            verifierKey: row.verifier_key,
            reason: 'its wrapped private key does not open under this root key or does not match it',
          });
        }
      }
      return { verifiers, forged };
    },
  };
}

export type AuditSigningKeys = ReturnType<typeof createAuditSigningKeys>;
