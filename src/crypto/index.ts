export { BLIND_INDEX_KINDS, type BlindIndexKind, normalizeForIndex } from './blind-index.ts';
export { cryptoError } from './crypto.errors.ts';
export type { CryptoTables, KeyDomain, SlotPurpose, SlotStatus } from './crypto.tables.ts';
export type { KeyActor, KeyAudit, KeyAuditEvent, KeyJobContext } from './crypto.types.ts';
export { FIELD_OVERHEAD_BYTES } from './field-format.ts';
export { loadInstallationSecret } from './installation-secret.ts';
export type { KeyCacheOptions } from './key-cache.ts';
export type { RewrapOptions, RewrapReport, RotatedKek } from './key-rotation.ts';
export {
  type BlindIndexInput,
  createKeyring,
  type DecryptFieldInput,
  type EncryptFieldInput,
  type Keyring,
  type KeyringDeps,
} from './keyring.ts';
export type { DomainStatus, KekVersionStatus, KeysStatus, TenantKeysStatus } from './keys-status.ts';
export {
  beginMasterKeyFileRotation,
  checkMasterKeyFile,
  createMasterKeyFile,
  describeMasterKeyProblem,
  finishMasterKeyFileRotation,
  masterKeyRotationPending,
} from './master-key-file.ts';
export { loadRootKey, loadRootKeyProvider, parseRootKey, type RootKeyProviderOptions } from './root-key.ts';
export {
  createLocalRootKeyProvider,
  type LocalRootKeySource,
  type RootKeyProvider,
  rootKeyId,
} from './root-key-provider.ts';
export { DEFAULT_DESTRUCTION_WINDOW_MS, type DestroyReport, type SubjectKeyState } from './subject-keys.ts';
