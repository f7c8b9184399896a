import { describe, expect, it } from 'vitest';
import { ManualClock } from '../shared/clock.ts';
import { KeyCache } from './key-cache.ts';

describe('KeyCache', () => {
  it('evicts the least recently used entry beyond its bound', () => {
    const clock = new ManualClock();
    const cache = new KeyCache<number>(clock, { maxEntries: 2, ttlMs: 10_000 });
    cache.set('a', 1);
    cache.set('b', 2);
    clock.advance(1000); // recency is refreshed at most once a second per entry
    expect(cache.get('a')).toBe(1); // a is now the most recent
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.stats().evictions).toBe(1);
  });

  it('expires entries after their time to live', () => {
    const clock = new ManualClock();
    const cache = new KeyCache<string>(clock, { maxEntries: 10, ttlMs: 1000 });
    cache.set('k', 'v');
    clock.advance(999);
    expect(cache.get('k')).toBe('v');
    clock.advance(1);
    expect(cache.get('k')).toBeUndefined();
    expect(cache.stats().entries).toBe(0);
  });

  it('drops entries by prefix', () => {
    const cache = new KeyCache<number>(new ManualClock(), { maxEntries: 10, ttlMs: 1000 });
    cache.set('slot|t1|a', 1);
    cache.set('slot|t1|b', 2);
    cache.set('slot|t2|a', 3);
    cache.deletePrefix('slot|t1|');
    expect(cache.get('slot|t1|a')).toBeUndefined();
    expect(cache.get('slot|t2|a')).toBe(3);
    expect(cache.stats()).toMatchObject({ entries: 1, hits: 1, misses: 1 });
  });
});
