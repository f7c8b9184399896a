import type { VigilConfig } from '../config/index.ts';
import { cryptoError } from './crypto.errors.ts';
import {
  MASTER_KEY_BYTES,
  masterKeyFilesFingerprint,
  readMasterKeyFile,
  readMasterKeyFiles,
} from './master-key-file.ts';
import { createLocalRootKeyProvider, type RootKeyProvider } from './root-key-provider.ts';

/** The settings that say where the root key is. */
export interface RootKeyConfig {
  keys: Pick<VigilConfig['keys'], 'provider' | 'masterKeyFile' | 'masterKey'>;
}

/** Loads the 32-byte root key from the configured provider (file or environment). */
export function loadRootKey(config: RootKeyConfig): Buffer {
  if (config.keys.provider === 'env') return parseRootKey(config.keys.masterKey ?? '');
  return readMasterKeyFile(config.keys.masterKeyFile!);
}

/** Decodes a base64 root key; the error never echoes what was given. */
export function parseRootKey(base64: string): Buffer {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== MASTER_KEY_BYTES) throw cryptoError('ROOT_KEY_INVALID');
  return key;
}

export interface RootKeyProviderOptions {
  /**
   * For the env provider during a root rotation: the new key becomes current and the configured
   * one is kept for unwrapping until every KEK is re-wrapped.
   */
  rotateTo?: Buffer;
}

/** The root key provider the configuration names: `file` (key file, plus `.previous` mid-rotation) or `env`. */
export function loadRootKeyProvider(
  config: RootKeyConfig,
  options: RootKeyProviderOptions = {},
): RootKeyProvider {
  if (config.keys.provider === 'env') {
    const configured = parseRootKey(config.keys.masterKey ?? '');
    const keys = options.rotateTo
      ? { current: options.rotateTo, previous: [configured] }
      : { current: configured, previous: [] };
    return createLocalRootKeyProvider({ name: 'env', read: () => keys });
  }
  const file = config.keys.masterKeyFile!;
  return createLocalRootKeyProvider({
    name: 'file',
    read: () => readMasterKeyFiles(file),
    fingerprint: () => masterKeyFilesFingerprint(file),
  });
}
