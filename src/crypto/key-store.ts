import { createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import type { Clock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { Db } from '../storage/index.ts';
import { cryptoError } from './crypto.errors.ts';
import { findCurrentKek, findKek, insertKekIfAbsent, kekExists } from './crypto.queries.ts';
import type { CryptoKeksTable, KeyDomain, SlotPurpose } from './crypto.tables.ts';
import {
  findDataKey,
  findSlotByKeyId,
  findSlotsWithCurrentKey,
  findSlotWithCurrentKey,
  insertDataKey,
  insertDataKeys,
  insertSlotIfAbsent,
  insertSlotsIfAbsent,
  slotExists,
} from './data-keys.queries.ts';
import { fieldKeyRef, keyIdFromBytes, keyIdToBytes } from './field-format.ts';
import { KeyCache, type KeyCacheOptions, type KeyCacheStats } from './key-cache.ts';
import { createCommitTracker } from './key-commit-tracker.ts';
import { dataKeyAad, kekAad, unwrapKey, wrapKey } from './key-wrap.ts';
import { LastKeyMemo } from './last-key-memo.ts';
import type { RootKeyProvider } from './root-key-provider.ts';

export const KEY_BYTES = 32;

/** Which key of a tenant a value is encrypted under. */
export interface SlotSpec {
  name: string;
  purpose: SlotPurpose;
  domain: KeyDomain;
}

/** An unwrapped data key, held as a KeyObject so the material stays out of the JS heap. */
export interface DataKey {
  /** Checked on every cache hit: a key id found under another tenant is never used. */
  tenantId: string;
  keyId: string;
  keyIdBytes: Buffer;
  version: number;
  key: KeyObject;
}

export interface KeyStoreDeps {
  /** The base database (not a transaction): own transactions and commit confirmations use it. */
  db: Db;
  provider: RootKeyProvider;
  clock: Clock;
  ids: IdGenerator;
  cache?: Partial<KeyCacheOptions>;
}

// Rows per multi-row statement: far under SQLite's and PostgreSQL's bound-parameter limits.
const SLOT_CHUNK = 400;

export const DEFAULT_KEY_CACHE: KeyCacheOptions = { maxEntries: 10_000, ttlMs: 60_000 };

function toDataKey(tenantId: string, keyId: string, version: number, material: Buffer): DataKey {
  const key = createSecretKey(material);
  material.fill(0);
  return { tenantId, keyId, keyIdBytes: keyIdToBytes(keyId), version, key };
}

/**
 * How a ciphertext names its key: the 20 header bytes after the format byte (key id, key
 * version) as a latin1 string, cheap to cut from a ciphertext on the decrypt hot path.
 */
export function keyRef(keyIdBytes: Buffer, version: number): string {
  const ref = Buffer.allocUnsafe(20);
  keyIdBytes.copy(ref, 0, 0, 16);
  ref.writeUInt32BE(version, 16);
  return ref.toString('latin1');
}

// Data keys are cached under their 20-byte reference alone (no string building on the decrypt
// path); key ids are random UUIDs, and the entry's tenant is compared on every hit.
const dekCacheKey = (ref: string) => ref;
const slotCacheKey = (tenantId: string, name: string) => `slot|${tenantId}|${name}`;

/**
 * Loads, creates and caches the key hierarchy: root key -> KEK (tenant, domain, version) -> data
 * key (tenant, key id, version). Keys are created lazily, possibly inside a caller's transaction.
 *
 * Every cache access goes through the commit tracker, which keeps keys created inside a
 * caller's transaction out of the shared cache until their commit is confirmed.
 */
export function createKeyStore(deps: KeyStoreDeps) {
  const { clock, ids, provider } = deps;
  const options = { ...DEFAULT_KEY_CACHE, ...deps.cache };
  const keks = new KeyCache<KeyObject>(clock, options);
  const dataKeys = new KeyCache<DataKey>(clock, options);
  const { recall, remember, adopt, adoptMany, close: closeTracker } = createCommitTracker(clock);

  const inTransaction = <T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> =>
    db.isTransaction ? fn(db) : db.transaction().execute(fn);

  async function openKek(row: Pick<CryptoKeksTable, 'tenant_id' | 'domain' | 'version' | 'wrapped_key'>) {
    if (!row.wrapped_key) throw cryptoError('KEK_MISSING', undefined, { details: { version: row.version } });
    return provider.unwrap(Buffer.from(row.wrapped_key), kekAad(row.tenant_id, row.domain, row.version));
  }

  /** Wraps KEK material under the current root key. */
  function sealKek(tenantId: string, domain: KeyDomain, version: number, material: Buffer) {
    return provider.wrap(material, kekAad(tenantId, domain, version));
  }

  async function kek(db: Db, tenantId: string, domain: KeyDomain, version: number): Promise<KeyObject> {
    const cacheKey = `${tenantId}|${domain}|${version}`;
    const hit = recall(db, keks, cacheKey);
    if (hit) return hit;
    const row = await findKek(db, tenantId, domain, version);
    if (!row) throw cryptoError('KEK_MISSING', undefined, { details: { domain, version } });
    const material = await openKek(row);
    const key = createSecretKey(material);
    material.fill(0);
    remember(db, keks, [cacheKey], `kek:${row.id}`, key);
    return key;
  }

  /** Inserts a new KEK version (false when another writer created that version first). */
  async function insertKek(trx: Db, tenantId: string, domain: KeyDomain, version: number) {
    const material = randomBytes(KEY_BYTES);
    const id = ids.newId();
    const sealed = await sealKek(tenantId, domain, version, material);
    const inserted = await insertKekIfAbsent(trx, {
      tenant_id: tenantId,
      id,
      domain,
      version,
      wrapped_key: sealed.wrapped,
      root_key_id: sealed.keyId,
      created_at: clock.now(),
      retired_at: null,
    });
    const key = createSecretKey(material);
    material.fill(0);
    return { inserted, id, key };
  }

  /** The newest KEK of a domain, read from the database (never a cached "current"), created if none. */
  async function currentKek(db: Db, tenantId: string, domain: KeyDomain) {
    const row = await findCurrentKek(db, tenantId, domain);
    if (row) return { version: row.version, key: await kek(db, tenantId, domain, row.version) };
    const made = await inTransaction(db, (trx) => insertKek(trx, tenantId, domain, 1));
    if (!made.inserted) return currentKek(db, tenantId, domain);
    adopt(db, keks, [`${tenantId}|${domain}|1`], `kek:${made.id}`, made.key, () =>
      kekExists(deps.db, tenantId, made.id),
    );
    return { version: 1, key: made.key };
  }

  async function unwrapDataKey(
    db: Db,
    tenantId: string,
    row: { key_id: string; version: number; domain: KeyDomain; kek_version: number; wrapped_key: Buffer },
  ): Promise<DataKey> {
    const kekKey = await kek(db, tenantId, row.domain, row.kek_version);
    const aad = dataKeyAad(tenantId, row.key_id, row.version, row.domain);
    return toDataKey(tenantId, row.key_id, row.version, unwrapKey(kekKey, Buffer.from(row.wrapped_key), aad));
  }

  /** Wraps data key material under a KEK, bound to its tenant, key id, version and domain. */
  function sealDataKey(
    kekKey: KeyObject,
    tenantId: string,
    key: { keyId: string; version: number; domain: KeyDomain },
    material: Buffer,
  ) {
    return wrapKey(kekKey, material, dataKeyAad(tenantId, key.keyId, key.version, key.domain));
  }

  async function createSlot(db: Db, tenantId: string, slot: SlotSpec): Promise<DataKey> {
    const made = await inTransaction(db, async (trx) => {
      const current = await currentKek(trx, tenantId, slot.domain);
      const keyId = ids.newId();
      const now = clock.now();
      const inserted = await insertSlotIfAbsent(trx, {
        tenant_id: tenantId,
        key_id: keyId,
        name: slot.name,
        purpose: slot.purpose,
        domain: slot.domain,
        current_version: 1,
        status: 'active',
        destroy_after: null,
        created_at: now,
        updated_at: now,
      });
      if (!inserted) return null;
      const material = randomBytes(KEY_BYTES);
      await insertDataKey(trx, {
        tenant_id: tenantId,
        key_id: keyId,
        version: 1,
        domain: slot.domain,
        kek_version: current.version,
        wrapped_key: sealDataKey(current.key, tenantId, { keyId, version: 1, domain: slot.domain }, material),
        created_at: now,
      });
      return toDataKey(tenantId, keyId, 1, material);
    });
    // Lost a race with another writer creating the same slot: use its key.
    if (!made) return loadSlot(db, tenantId, slot, false);
    const cacheKeys = [slotCacheKey(tenantId, slot.name), dekCacheKey(keyRef(made.keyIdBytes, 1))];
    adopt(db, dataKeys, cacheKeys, `dek:${made.keyId}:1`, made, () =>
      slotExists(deps.db, tenantId, made.keyId),
    );
    return made;
  }

  async function loadSlot(db: Db, tenantId: string, slot: SlotSpec, create: boolean): Promise<DataKey> {
    const row = await findSlotWithCurrentKey(db, tenantId, slot.name);
    if (!row) {
      if (create) return createSlot(db, tenantId, slot);
      throw cryptoError('KEK_MISSING');
    }
    if (!row.wrapped_key || row.kek_version === null) throw cryptoError('KEK_MISSING');
    const key = await unwrapDataKey(db, tenantId, {
      key_id: row.key_id,
      version: row.current_version,
      domain: row.domain,
      kek_version: row.kek_version,
      wrapped_key: row.wrapped_key,
    });
    const cacheKeys = [slotCacheKey(tenantId, slot.name), dekCacheKey(keyRef(key.keyIdBytes, key.version))];
    remember(db, dataKeys, cacheKeys, `dek:${row.key_id}:${row.current_version}`, key);
    return key;
  }

  /**
   * createSlot for many slots of one domain in one go (the new subjects of an ingest batch): one
   * KEK read, multi-row inserts, one commit confirmation. Names another writer created first are
   * loaded instead.
   */
  async function createSlots(db: Db, tenantId: string, domain: KeyDomain, slots: readonly SlotSpec[]) {
    const made = await inTransaction(db, async (trx) => {
      const current = await currentKek(trx, tenantId, domain);
      const now = clock.now();
      // Sorted by name: concurrent batches insert into the unique index in one order (no deadlock).
      const candidates = [...slots]
        .sort((a, b) => (a.name < b.name ? -1 : 1))
        .map((slot) => ({ slot, keyId: ids.newId() }));
      for (let i = 0; i < candidates.length; i += SLOT_CHUNK) {
        await insertSlotsIfAbsent(
          trx,
          candidates.slice(i, i + SLOT_CHUNK).map(({ slot, keyId }) => ({
            tenant_id: tenantId,
            key_id: keyId,
            name: slot.name,
            purpose: slot.purpose,
            domain,
            current_version: 1,
            status: 'active' as const,
            destroy_after: null,
            created_at: now,
            updated_at: now,
          })),
        );
      }
      const winners = new Map<string, string>();
      for (let i = 0; i < candidates.length; i += SLOT_CHUNK) {
        const names = candidates.slice(i, i + SLOT_CHUNK).map((c) => c.slot.name);
        for (const row of await findSlotsWithCurrentKey(trx, tenantId, names))
          winners.set(row.name, row.key_id);
      }
      const ours = candidates.filter((c) => winners.get(c.slot.name) === c.keyId);
      const keys = ours.map(({ slot, keyId }) => {
        const material = randomBytes(KEY_BYTES);
        const wrapped = sealDataKey(current.key, tenantId, { keyId, version: 1, domain }, material);
        return { slot, wrapped, key: toDataKey(tenantId, keyId, 1, material) };
      });
      for (let i = 0; i < keys.length; i += SLOT_CHUNK) {
        await insertDataKeys(
          trx,
          keys.slice(i, i + SLOT_CHUNK).map(({ key, wrapped }) => ({
            tenant_id: tenantId,
            key_id: key.keyId,
            version: 1,
            domain,
            kek_version: current.version,
            wrapped_key: wrapped,
            created_at: now,
          })),
        );
      }
      const lost = candidates.filter((c) => winners.get(c.slot.name) !== c.keyId).map((c) => c.slot);
      return { keys, lost };
    });
    const first = made.keys[0];
    adoptMany(
      db,
      dataKeys,
      made.keys.map(({ slot, key }) => ({
        cacheKeys: [slotCacheKey(tenantId, slot.name), dekCacheKey(keyRef(key.keyIdBytes, 1))],
        identity: `dek:${key.keyId}:1`,
        value: key,
      })),
      () => (first ? slotExists(deps.db, tenantId, first.key.keyId) : Promise.resolve(true)),
    );
    const out = new Map<string, DataKey>(made.keys.map(({ slot, key }) => [slot.name, key]));
    for (const slot of made.lost) out.set(slot.name, await loadSlot(db, tenantId, slot, false));
    return out;
  }

  /** The current keys of many slots (cached, else read in one query per chunk, else created). */
  async function currentDataKeys(db: Db, tenantId: string, slots: readonly SlotSpec[]) {
    const out = new Map<string, DataKey>();
    const missing = new Map<string, SlotSpec>();
    for (const slot of slots) {
      const hit = recall(db, dataKeys, slotCacheKey(tenantId, slot.name));
      if (hit) out.set(slot.name, hit);
      else missing.set(slot.name, slot);
    }
    const names = [...missing.keys()];
    for (let i = 0; i < names.length; i += SLOT_CHUNK) {
      for (const row of await findSlotsWithCurrentKey(db, tenantId, names.slice(i, i + SLOT_CHUNK))) {
        if (!row.wrapped_key || row.kek_version === null) throw cryptoError('KEK_MISSING');
        const key = await unwrapDataKey(db, tenantId, {
          key_id: row.key_id,
          version: row.current_version,
          domain: row.domain,
          kek_version: row.kek_version,
          wrapped_key: row.wrapped_key,
        });
        const cacheKeys = [
          slotCacheKey(tenantId, row.name),
          dekCacheKey(keyRef(key.keyIdBytes, key.version)),
        ];
        remember(db, dataKeys, cacheKeys, `dek:${row.key_id}:${row.current_version}`, key);
        out.set(row.name, key);
        missing.delete(row.name);
      }
    }
    const byDomain = new Map<KeyDomain, SlotSpec[]>();
    for (const slot of missing.values())
      byDomain.set(slot.domain, [...(byDomain.get(slot.domain) ?? []), slot]);
    for (const [domain, absent] of byDomain)
      for (const [name, key] of await createSlots(db, tenantId, domain, absent)) out.set(name, key);
    return out;
  }

  // Consecutive decryptions mostly name the same key (a page of one tenant's rows): the last one
  // found is recognised by its header bytes, without building and hashing the cache's string key.
  const lastKey = new LastKeyMemo(dataKeys, clock);

  function recallAndMemo(db: Db, ciphertext: Buffer): DataKey | undefined {
    const ref = dekCacheKey(fieldKeyRef(ciphertext));
    const hit = recall(db, dataKeys, ref);
    // Only a shared-cache entry is memoised: a transaction's own uncommitted keys stay its own.
    const expiresAt = hit === undefined ? undefined : dataKeys.expiresAt(ref);
    if (hit !== undefined && expiresAt !== undefined) lastKey.remember(hit, expiresAt);
    return hit;
  }

  return {
    /** The cached key new values of a slot are encrypted under: the hot path, synchronous, no query. */
    cachedCurrentKey(db: Db, tenantId: string, slot: SlotSpec): DataKey | undefined {
      return recall(db, dataKeys, slotCacheKey(tenantId, slot.name));
    },

    /** The key new values of a slot are encrypted under, loaded or created on a cache miss. */
    currentDataKey(db: Db, tenantId: string, slot: SlotSpec): Promise<DataKey> {
      const hit = recall(db, dataKeys, slotCacheKey(tenantId, slot.name));
      return hit ? Promise.resolve(hit) : loadSlot(db, tenantId, slot, true);
    },

    currentDataKeys,

    /** The cached key a field ciphertext's header names: the decrypt hot path, synchronous, no query. */
    cachedDataKey(db: Db, tenantId: string, ciphertext: Buffer): DataKey | undefined {
      const hit = lastKey.recall(ciphertext) ?? recallAndMemo(db, ciphertext);
      return hit !== undefined && hit.tenantId === tenantId ? hit : undefined;
    },

    /** The key a ciphertext header names; SUBJECT_KEY_DESTROYED if shredded, CIPHERTEXT_INVALID if unknown. */
    async dataKey(db: Db, tenantId: string, keyIdBytes: Buffer, version: number): Promise<DataKey> {
      const cacheKey = dekCacheKey(keyRef(keyIdBytes, version));
      const hit = recall(db, dataKeys, cacheKey);
      if (hit !== undefined && hit.tenantId === tenantId) return hit;
      const keyId = keyIdFromBytes(keyIdBytes);
      const row = await findDataKey(db, tenantId, keyId, version);
      if (!row) {
        const slot = await findSlotByKeyId(db, tenantId, keyId);
        if (slot?.status === 'destroyed') throw cryptoError('SUBJECT_KEY_DESTROYED');
        throw cryptoError('CIPHERTEXT_INVALID');
      }
      const key = await unwrapDataKey(db, tenantId, row);
      remember(db, dataKeys, [cacheKey], `dek:${keyId}:${version}`, key);
      return key;
    },

    kek,
    currentKek,
    insertKek,
    openKek,
    sealKek,
    sealDataKey,

    /** Opens a data key's material with its KEK (for re-wrapping); the caller zeroes it. */
    async openDataKey(
      db: Db,
      tenantId: string,
      row: { key_id: string; version: number; domain: KeyDomain; kek_version: number; wrapped_key: Buffer },
    ): Promise<Buffer> {
      const kekKey = await kek(db, tenantId, row.domain, row.kek_version);
      return unwrapKey(
        kekKey,
        Buffer.from(row.wrapped_key),
        dataKeyAad(tenantId, row.key_id, row.version, row.domain),
      );
    },

    /** Forgets a tenant's current-key choices (after a rotation: new writes pick up the new version). */
    forgetCurrentKeys(tenantId: string): void {
      dataKeys.deletePrefix(`slot|${tenantId}|`);
    },

    /** Forgets a destroyed key on this node at once (other nodes within the cache TTL). */
    forgetDataKey(tenantId: string, keyId: string, slotName: string): void {
      dataKeys.deletePrefix(keyIdToBytes(keyId).toString('latin1'));
      dataKeys.delete(slotCacheKey(tenantId, slotName));
    },

    /** Forgets retired KEK versions. */
    forgetKeks(tenantId: string, domain: KeyDomain): void {
      keks.deletePrefix(`${tenantId}|${domain}|`);
    },

    stats(): { kekCache: KeyCacheStats; dataKeyCache: KeyCacheStats; ttlMs: number } {
      return { kekCache: keks.stats(), dataKeyCache: dataKeys.stats(), ttlMs: options.ttlMs };
    },

    close(): void {
      closeTracker();
      keks.clear();
      dataKeys.clear();
    },
  };
}

export type KeyStore = ReturnType<typeof createKeyStore>;
