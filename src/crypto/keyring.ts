import { createHmac, createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import type { Clock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { Db, StorageDialect } from '../storage/index.ts';
import { type BlindIndexKind, isBlindIndexKind, normalizeForIndex } from './blind-index.ts';
import { cryptoError } from './crypto.errors.ts';
import type { KeyDomain } from './crypto.tables.ts';
import type { KeyActor, KeyAudit, KeyJobContext } from './crypto.types.ts';
import { type FieldPlace, isFieldCiphertext, openField, sealField } from './field-format.ts';
import type { KeyCacheOptions } from './key-cache.ts';
import {
  type RewrapOptions,
  type RotationDeps,
  retireKekVersions,
  rewrapKeys,
  rotateTenantKek,
} from './key-rotation.ts';
import { createKeyStore, type DataKey, type SlotSpec } from './key-store.ts';
import { keysStatus } from './keys-status.ts';
import type { RootKeyProvider } from './root-key-provider.ts';
import {
  type ScheduleManyInput,
  scheduleSubjectKeysDestruction,
  subjectKeyStates,
} from './subject-keys.batch.ts';
import {
  cancelSubjectKeyDestruction,
  DEFAULT_DESTRUCTION_WINDOW_MS,
  destroyDueSubjectKeys,
  type SubjectKeyDeps,
  scheduleSubjectKeyDestruction,
  subjectKeyState,
  subjectSlot,
} from './subject-keys.ts';

export interface KeyringDeps {
  db: Db;
  dialect: Pick<StorageDialect, 'withTransactionLock'>;
  clock: Clock;
  ids: IdGenerator;
  provider: RootKeyProvider;
  audit: KeyAudit;
  cache?: Partial<KeyCacheOptions>;
  /** Default window between scheduling a subject key's destruction and the destruction (7 days). */
  subjectDestructionWindowMs?: number;
}

export interface EncryptFieldInput {
  tenantId: string;
  /** Encrypt under this data subject's key (crypto-shredding); else the tenant's general key. */
  subjectId?: string | undefined;
  /** `vault` selects the tenant's card vault key, kept under its own KEK; for the vault only. */
  domain?: KeyDomain;
  table: string;
  column: string;
  rowId: string;
  plaintext: Buffer | string;
}

export interface DecryptFieldInput {
  tenantId: string;
  table: string;
  column: string;
  rowId: string;
  ciphertext: Buffer | Uint8Array;
}

export interface BlindIndexInput {
  tenantId: string;
  kind: BlindIndexKind;
  value: string;
}

const GENERAL: SlotSpec = { name: 'general', purpose: 'general', domain: 'data' };
const VAULT: SlotSpec = { name: 'vault', purpose: 'vault', domain: 'vault' };
const INDEX: SlotSpec = { name: 'index', purpose: 'index', domain: 'data' };
// Card fingerprints are keyed under the vault hierarchy, apart from the other blind indexes.
const VAULT_INDEX: SlotSpec = { name: 'vault-index', purpose: 'vault_index', domain: 'vault' };

function slotFor(input: EncryptFieldInput): SlotSpec {
  if (input.domain === 'vault') return VAULT;
  return input.subjectId === undefined ? GENERAL : subjectSlot(input.subjectId);
}

const asBuffer = (bytes: Buffer | Uint8Array) =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * The keyring: envelope encryption of fields, blind indexes, rotation, crypto-shredding and
 * status. Encryption and decryption hit the in-memory key cache on the hot path (no query).
 */
export function createKeyring(deps: KeyringDeps) {
  const store = createKeyStore({
    db: deps.db,
    provider: deps.provider,
    clock: deps.clock,
    ids: deps.ids,
    ...(deps.cache ? { cache: deps.cache } : {}),
  });
  const rotation: RotationDeps = { ...deps, store };
  const subjects: SubjectKeyDeps = {
    db: deps.db,
    store,
    audit: deps.audit,
    clock: deps.clock,
    destructionWindowMs: deps.subjectDestructionWindowMs ?? DEFAULT_DESTRUCTION_WINDOW_MS,
  };
  // One derived key per index kind, tied to the data key object it came from (and its lifetime).
  const indexKeys = new WeakMap<DataKey, Map<string, KeyObject>>();

  function indexKey(key: DataKey, tenantId: string, kind: BlindIndexKind): KeyObject {
    let byKind = indexKeys.get(key);
    if (!byKind) {
      byKind = new Map();
      indexKeys.set(key, byKind);
    }
    let derived = byKind.get(kind);
    if (!derived) {
      const bytes = hkdfSync('sha256', key.key, tenantId, `vigil/blind-index/v1/${kind}`, 32);
      derived = createSecretKey(Buffer.from(bytes));
      byKind.set(kind, derived);
    }
    return derived;
  }

  async function encryptAfterLoad(
    db: Db,
    tenantId: string,
    slot: SlotSpec,
    place: FieldPlace,
    plaintext: Buffer,
  ) {
    const key = await store.currentDataKey(db, tenantId, slot);
    return sealField(key.key, key.keyIdBytes, key.version, place, plaintext);
  }

  async function decryptAfterLoad(db: Db, ciphertext: Buffer, place: FieldPlace) {
    const key = await store.dataKey(
      db,
      place.tenantId,
      ciphertext.subarray(1, 17),
      ciphertext.readUInt32BE(17),
    );
    return openField(key.key, ciphertext, place);
  }

  return {
    /**
     * Encrypts one field value; the result is self-describing and bound to tenant, table, column
     * and row. No async frame and no closure on the hot path: with the key cached (the normal
     * case) it is one synchronous seal and an already-resolved promise.
     */
    encryptField(db: Db, input: EncryptFieldInput): Promise<Buffer> {
      try {
        const plaintext =
          typeof input.plaintext === 'string' ? Buffer.from(input.plaintext, 'utf8') : input.plaintext;
        const slot = slotFor(input);
        const key = store.cachedCurrentKey(db, input.tenantId, slot);
        // The input is the field's place (tenant, table, column, row): bound into the tag.
        if (key) return Promise.resolve(sealField(key.key, key.keyIdBytes, key.version, input, plaintext));
        return encryptAfterLoad(db, input.tenantId, slot, input, plaintext);
      } catch (error) {
        return Promise.reject(error);
      }
    },

    /** Decrypts a field; SUBJECT_KEY_DESTROYED when shredded, CIPHERTEXT_INVALID when corrupted or moved. */
    decryptField(db: Db, input: DecryptFieldInput): Promise<Buffer> {
      try {
        const ciphertext = asBuffer(input.ciphertext);
        if (!isFieldCiphertext(ciphertext)) throw cryptoError('CIPHERTEXT_INVALID');
        const key = store.cachedDataKey(db, input.tenantId, ciphertext);
        if (key) return Promise.resolve(openField(key.key, ciphertext, input));
        return decryptAfterLoad(db, ciphertext, input);
      } catch (error) {
        return Promise.reject(error);
      }
    },

    /** HMAC-SHA-256 of the normalized value under the tenant's index key for that kind (base64url). */
    async blindIndex(db: Db, input: BlindIndexInput): Promise<string> {
      if (!isBlindIndexKind(input.kind)) throw cryptoError('BLIND_INDEX_KIND_INVALID');
      const normalized = normalizeForIndex(input.kind, input.value);
      const key = await store.currentDataKey(db, input.tenantId, input.kind === 'card' ? VAULT_INDEX : INDEX);
      return createHmac('sha256', indexKey(key, input.tenantId, input.kind))
        .update(normalized, 'utf8')
        .digest('base64url');
    },

    /**
     * Loads, or creates, the keys of many data subjects at once (an ingest batch's customers), so
     * the encryptField calls that follow in the same transaction find them cached: one read and
     * multi-row inserts per batch instead of a few queries per new subject.
     */
    async loadSubjectKeys(db: Db, tenantId: string, subjectIds: readonly string[]): Promise<void> {
      const slots = [...new Set(subjectIds)].map(subjectSlot);
      if (slots.length > 0) await store.currentDataKeys(db, tenantId, slots);
    },

    scheduleSubjectKeyDestruction: (
      db: Db,
      input: { tenantId: string; subjectId: string; actor: KeyActor; reason?: string; windowMs?: number },
    ) => scheduleSubjectKeyDestruction(subjects, db, input),
    cancelSubjectKeyDestruction: (
      db: Db,
      input: { tenantId: string; subjectId: string; actor: KeyActor; reason?: string },
    ) => cancelSubjectKeyDestruction(subjects, db, input),
    subjectKeyState: (db: Db, input: { tenantId: string; subjectId: string }) => subjectKeyState(db, input),
    /** Many subjects' destructions in one transaction and one audit append (a purge's erased customers). */
    scheduleSubjectKeysDestruction: (db: Db, input: ScheduleManyInput) =>
      scheduleSubjectKeysDestruction(subjects, db, input),
    /** The key state of many subjects; those that never had a key are absent. */
    subjectKeyStates: (db: Db, input: { tenantId: string; subjectIds: readonly string[] }) =>
      subjectKeyStates(db, input),
    /** Job: destroys subject keys whose window has passed. */
    destroyDueSubjectKeys: (context: KeyJobContext, options?: { batchSize?: number }) =>
      destroyDueSubjectKeys(subjects, context, options),

    rotateTenantKek: (input: {
      tenantId: string;
      domains?: readonly KeyDomain[];
      actor: KeyActor;
      reason?: string;
    }) => rotateTenantKek(rotation, input),
    retireKekVersions: (input: {
      tenantId: string;
      domain: KeyDomain;
      belowVersion: number;
      actor: KeyActor;
      reason?: string;
    }) => retireKekVersions(rotation, input),
    /** Job: re-wraps KEKs onto the current root key and data keys onto the newest KEK versions. */
    rewrapKeys: (context: KeyJobContext, options?: RewrapOptions) => rewrapKeys(rotation, context, options),

    keysStatus: (input: { tenantId?: string } = {}) =>
      keysStatus({ db: deps.db, provider: deps.provider, store, clock: deps.clock }, input),

    /** The keyring's scheduled jobs, each exclusive across nodes. */
    jobs(intervals: { rewrapMs?: number; destroyMs?: number } = {}) {
      return [
        {
          name: 'keys.rewrap',
          intervalMs: intervals.rewrapMs ?? 15 * 60_000,
          run: (context: KeyJobContext) => rewrapKeys(rotation, context),
        },
        {
          name: 'keys.destroy-subject-keys',
          intervalMs: intervals.destroyMs ?? 60 * 60_000,
          run: (context: KeyJobContext) => destroyDueSubjectKeys(subjects, context),
        },
      ];
    },

    provider: deps.provider,
    close: () => store.close(),
  };
}

export type Keyring = ReturnType<typeof createKeyring>;
