import type { Clock } from '../shared/clock.ts';
import { KEY_ID_BYTES } from './field-format.ts';
import type { KeyCache } from './key-cache.ts';

interface MemoKey {
  keyIdBytes: Buffer;
  version: number;
}

/**
 * The last data key the decrypt path found in the key cache, recognised by a ciphertext's header
 * (key id and version bytes compared in place). It never outlives the cache entry it mirrors:
 * a hit needs the cache's generation unchanged (nothing deleted, evicted or cleared since) and
 * the entry's expiry not reached, so rotation, destruction and the TTL apply as they do to the
 * cache itself.
 */
export class LastKeyMemo<K extends MemoKey> {
  private key: K | undefined;
  private generation = -1;
  private expiresAt = 0;

  constructor(
    private readonly cache: KeyCache<K>,
    private readonly clock: Clock,
  ) {}

  /** The memoised key if `ciphertext` (a format-1 field ciphertext) names it and it is still valid. */
  recall(ciphertext: Buffer): K | undefined {
    const key = this.key;
    if (key === undefined || this.generation !== this.cache.generation) return undefined;
    if (!namesKey(ciphertext, key) || this.clock.now() >= this.expiresAt) return undefined;
    this.cache.countHit();
    return key;
  }

  remember(key: K, expiresAt: number): void {
    this.key = key;
    this.generation = this.cache.generation;
    this.expiresAt = expiresAt;
  }
}

// Header bytes 1..16 are the key id, 17..20 the version (big-endian); see field-format.ts.
function namesKey(ciphertext: Buffer, key: MemoKey): boolean {
  const id = key.keyIdBytes;
  for (let i = 0; i < KEY_ID_BYTES; i++) if (ciphertext[1 + i] !== id[i]) return false;
  return ciphertext.readUInt32BE(1 + KEY_ID_BYTES) === key.version;
}
