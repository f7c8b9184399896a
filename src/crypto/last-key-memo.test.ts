import { createSecretKey, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../shared/clock.ts';
import { fieldKeyRef, sealField } from './field-format.ts';
import { KeyCache } from './key-cache.ts';
import { LastKeyMemo } from './last-key-memo.ts';

const place = { tenantId: 't1', table: 'interactions', column: 'body', rowId: 'r1' };

function keyAndCiphertext(version = 1) {
  const key = { keyIdBytes: randomBytes(16), version, key: createSecretKey(randomBytes(32)) };
  const ciphertext = sealField(key.key, key.keyIdBytes, version, place, Buffer.from('x'));
  return { key, ciphertext, ref: fieldKeyRef(ciphertext) };
}

function setup(ttlMs = 10_000, maxEntries = 10) {
  const clock = new ManualClock();
  const cache = new KeyCache<ReturnType<typeof keyAndCiphertext>['key']>(clock, { maxEntries, ttlMs });
  return { clock, cache, memo: new LastKeyMemo(cache, clock) };
}

function remembered(s: ReturnType<typeof setup>) {
  const a = keyAndCiphertext();
  s.cache.set(a.ref, a.key);
  s.memo.remember(a.key, s.cache.expiresAt(a.ref)!);
  return a;
}

describe('LastKeyMemo', () => {
  it('recognises the ciphertexts of the remembered key, and only those', () => {
    const s = setup();
    const a = remembered(s);
    expect(s.memo.recall(a.ciphertext)).toBe(a.key);
    expect(s.memo.recall(keyAndCiphertext().ciphertext)).toBeUndefined();
    // Same key id, another version: not the same key.
    const other = Buffer.from(a.ciphertext);
    other.writeUInt32BE(2, 17);
    expect(s.memo.recall(other)).toBeUndefined();
    expect(s.cache.stats().hits).toBe(1);
  });

  it('forgets the key when its cache entry expires', () => {
    const s = setup(1000);
    const a = remembered(s);
    s.clock.advance(999);
    expect(s.memo.recall(a.ciphertext)).toBe(a.key);
    s.clock.advance(1);
    expect(s.memo.recall(a.ciphertext)).toBeUndefined();
  });

  it('forgets the key once anything leaves the cache early: delete, prefix delete, eviction, clear', () => {
    const leave: ((s: ReturnType<typeof setup>, ref: string) => void)[] = [
      (s, ref) => s.cache.delete(ref),
      (s, ref) => s.cache.deletePrefix(ref.slice(0, 4)),
      (s) => {
        for (let i = 0; i < 10; i++) s.cache.set(`filler-${i}`, keyAndCiphertext().key);
      },
      (s) => s.cache.clear(),
      // Replacing the value under the same reference counts as a change too.
      (s, ref) => s.cache.set(ref, keyAndCiphertext().key),
    ];
    for (const step of leave) {
      const s = setup();
      const a = remembered(s);
      step(s, a.ref);
      expect(s.memo.recall(a.ciphertext)).toBeUndefined();
    }
  });

  it('is unaffected by adding other entries while the cache has room', () => {
    const s = setup();
    const a = remembered(s);
    s.cache.set('another', keyAndCiphertext().key);
    expect(s.cache.get('missing')).toBeUndefined();
    expect(s.memo.recall(a.ciphertext)).toBe(a.key);
  });
});
