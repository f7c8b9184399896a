import type { VigilConfig } from '../config/index.ts';
import { MASTER_KEY_BYTES, readMasterKeyFile } from './master-key-file.ts';

/** Loads the 32-byte root key from the configured provider (file or environment). */
export function loadRootKey(config: Pick<VigilConfig, 'keys'>): Buffer {
  if (config.keys.provider === 'env') {
    const key = Buffer.from(config.keys.masterKey ?? '', 'base64');
    if (key.length !== MASTER_KEY_BYTES)
      throw new Error('VIGIL_MASTER_KEY must be base64 of exactly 32 bytes');
    return key;
  }
  return readMasterKeyFile(config.keys.masterKeyFile!);
}
