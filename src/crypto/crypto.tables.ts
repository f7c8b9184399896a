/** The two key hierarchies of a tenant: customer data, and the PCI card vault (kept apart). */
export type KeyDomain = 'data' | 'vault';

/** What a key slot protects: shared tenant data, the vault, blind indexes, or one data subject. */
export type SlotPurpose = 'general' | 'vault' | 'index' | 'vault_index' | 'subject';

export type SlotStatus = 'active' | 'destruction_scheduled' | 'destroyed';

/** Key-encryption keys: per tenant and domain, versioned, wrapped by the root key. */
export interface CryptoKeksTable {
  tenant_id: string;
  /** Random id of this KEK row, so a creation that rolled back is never taken for a later one. */
  id: string;
  domain: KeyDomain;
  version: number;
  /** Root-key-wrapped KEK; null once the version is retired (below the minimum decryption version). */
  wrapped_key: Buffer | null;
  /** Non-secret id of the root key that wrapped it; differs from the provider's current one during a root rotation. */
  root_key_id: string | null;
  created_at: number;
  retired_at: number | null;
}

/**
 * A named key of a tenant (its general data key, its vault key, a data subject's key). The key id
 * goes into every ciphertext header; versions of the key live in crypto_data_keys.
 */
export interface CryptoKeySlotsTable {
  tenant_id: string;
  key_id: string;
  /** `general`, `vault`, `index`, `vault-index` or `subject:<id>`; `destroyed:<key id>` once shredded. */
  name: string;
  purpose: SlotPurpose;
  domain: KeyDomain;
  current_version: number;
  status: SlotStatus;
  destroy_after: number | null;
  created_at: number;
  updated_at: number;
}

/** Data keys, each wrapped by one KEK version of its domain. Deleting the rows shreds the data. */
export interface CryptoDataKeysTable {
  tenant_id: string;
  key_id: string;
  version: number;
  domain: KeyDomain;
  kek_version: number;
  wrapped_key: Buffer;
  created_at: number;
}

/**
 * Installation-wide secrets wrapped by the root key (global: not per tenant). The installation
 * secret feeds every HKDF derivation that used to take the root key itself, so those derived keys
 * survive a root key rotation (only the wrapping changes).
 */
export interface CryptoRootSecretsTable {
  id: string;
  wrapped_key: Buffer;
  root_key_id: string;
  created_at: number;
}

export interface CryptoTables {
  crypto_root_secrets: CryptoRootSecretsTable;
  crypto_keks: CryptoKeksTable;
  crypto_key_slots: CryptoKeySlotsTable;
  crypto_data_keys: CryptoDataKeysTable;
}
