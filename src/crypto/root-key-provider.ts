import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { cryptoError } from './crypto.errors.ts';

/**
 * Where the root key lives. Only this interface touches it: the keyring hands it a KEK and gets
 * back an opaque wrapped blob. A cloud KMS or an HSM implements the same members (wrap and
 * unwrap become Encrypt/Decrypt calls with the AAD as encryption context), so callers never change.
 */
export interface RootKeyProvider {
  /** Short provider name for status output: `file`, `env`, `kms`. */
  readonly name: string;
  /** Non-secret id of the root key new wraps use; stored next to each wrapped KEK. */
  currentKeyId(): string;
  /** Every root key id this provider can unwrap with (the current one first). */
  knownKeyIds(): readonly string[];
  /** Wraps a key under the current root key; `keyId` names the root key actually used. */
  wrap(plaintextKey: Buffer, aad: Buffer): Promise<{ keyId: string; wrapped: Buffer }>;
  /** Unwraps with whichever root key the blob names; the same AAD must be given. */
  unwrap(wrapped: Buffer, aad: Buffer): Promise<Buffer>;
}

/** The raw root keys a local provider holds: the current one, and the previous one during a rotation. */
export interface LocalRootKeys {
  current: Buffer;
  previous: Buffer[];
}

export interface LocalRootKeySource {
  name: string;
  read(): LocalRootKeys;
  /** Changes when the keys behind `read` change (the key files were rotated); reloads then. */
  fingerprint?(): string;
}

const WRAP_FORMAT = 0x01;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** The public id of a root key: an HMAC under the key itself, so it names the key without revealing it. */
export function rootKeyId(key: Buffer): string {
  return `local:${createHmac('sha256', key).update('vigil/root-key-id/v1').digest('hex').slice(0, 16)}`;
}

// The root key itself never encrypts: a dedicated wrapping key is derived from it, so the same
// root key can also feed other HKDF purposes (the audit HMAC keys) without key reuse.
function wrappingKey(root: Buffer): KeyObject {
  return createSecretKey(Buffer.from(hkdfSync('sha256', root, Buffer.alloc(0), 'vigil/root-wrap/v1', 32)));
}

function loadKeys(source: LocalRootKeySource): { current: string; keys: Map<string, KeyObject> } {
  const { current, previous } = source.read();
  const keys = new Map<string, KeyObject>();
  for (const key of [current, ...previous]) keys.set(rootKeyId(key), wrappingKey(key));
  return { current: rootKeyId(current), keys };
}

function header(keyId: string): Buffer {
  const id = Buffer.from(keyId, 'ascii');
  return Buffer.concat([Buffer.from([WRAP_FORMAT, id.length]), id]);
}

function parseWrapped(wrapped: Buffer): { keyId: string; headerBytes: number } | null {
  if (wrapped.length < 2 || wrapped[0] !== WRAP_FORMAT) return null;
  const headerBytes = 2 + wrapped[1]!;
  if (wrapped.length < headerBytes + NONCE_BYTES + TAG_BYTES) return null;
  return { keyId: wrapped.toString('ascii', 2, headerBytes), headerBytes };
}

/**
 * Root key provider over keys held in this process (the `file` and `env` providers): AES-256-GCM
 * wrapping with a random nonce, the key id in a header, and the caller's AAD plus that header
 * authenticated, so a wrapped KEK cannot be moved to another tenant, domain or version.
 */
export function createLocalRootKeyProvider(source: LocalRootKeySource): RootKeyProvider {
  let loaded = loadKeys(source);
  let fingerprint = source.fingerprint?.();
  // A root rotation run from the CLI replaces the key files under a running server: pick them up.
  const refresh = () => {
    const now = source.fingerprint?.();
    if (now === fingerprint) return false;
    loaded = loadKeys(source);
    fingerprint = now;
    return true;
  };
  return {
    name: source.name,
    currentKeyId: () => {
      refresh();
      return loaded.current;
    },
    knownKeyIds: () => [...loaded.keys.keys()],
    async wrap(plaintextKey, aad) {
      refresh();
      const head = header(loaded.current);
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', loaded.keys.get(loaded.current)!, nonce);
      cipher.setAAD(Buffer.concat([head, aad]));
      const body = Buffer.concat([cipher.update(plaintextKey), cipher.final()]);
      return { keyId: loaded.current, wrapped: Buffer.concat([head, nonce, body, cipher.getAuthTag()]) };
    },
    async unwrap(wrapped, aad) {
      const parsed = parseWrapped(wrapped);
      if (!parsed) throw cryptoError('KEY_UNWRAP_FAILED');
      let key = loaded.keys.get(parsed.keyId);
      if (!key && refresh()) key = loaded.keys.get(parsed.keyId);
      if (!key)
        throw cryptoError('ROOT_KEY_UNAVAILABLE', undefined, { details: { rootKeyId: parsed.keyId } });
      const nonceEnd = parsed.headerBytes + NONCE_BYTES;
      const decipher = createDecipheriv('aes-256-gcm', key, wrapped.subarray(parsed.headerBytes, nonceEnd));
      decipher.setAAD(Buffer.concat([wrapped.subarray(0, parsed.headerBytes), aad]));
      decipher.setAuthTag(wrapped.subarray(wrapped.length - TAG_BYTES));
      try {
        return Buffer.concat([
          decipher.update(wrapped.subarray(nonceEnd, wrapped.length - TAG_BYTES)),
          decipher.final(),
        ]);
      } catch {
        throw cryptoError('KEY_UNWRAP_FAILED');
      }
    },
  };
}
