import type { Clock } from '../shared/clock.ts';

const TOUCH_INTERVAL_MS = 1000;

export interface KeyCacheOptions {
  maxEntries: number;
  ttlMs: number;
}

export interface KeyCacheStats {
  entries: number;
  hits: number;
  misses: number;
  evictions: number;
}

/**
 * A bounded LRU map with a time-to-live, for unwrapped keys. The bound caps how much key material
 * sits in memory; the TTL is how long a node may keep using a key another node has rotated or
 * destroyed (keys are not invalidated across nodes, so the TTL is that window).
 */
export class KeyCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number; touchedAt: number }>();
  private hits = 0;
  private misses = 0;
  private evictions = 0;
  /**
   * Bumped whenever an entry leaves before its time (delete, eviction, clear): a caller that
   * remembers a value it got from here (the key store's last-key memo) checks it is unchanged.
   */
  generation = 0;

  constructor(
    private readonly clock: Clock,
    private readonly options: KeyCacheOptions,
  ) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) {
      this.misses++;
      return undefined;
    }
    const now = this.clock.now();
    if (entry.expiresAt <= now) {
      this.remove(key);
      this.misses++;
      return undefined;
    }
    // Map keeps insertion order: re-inserting marks the entry most recently used. Done at most
    // once a second per entry, so a hot key costs one lookup (an approximate LRU is enough here).
    if (now - entry.touchedAt >= TOUCH_INTERVAL_MS) {
      entry.touchedAt = now;
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    this.hits++;
    return entry.value;
  }

  /** When a present entry expires (no hit counted, no LRU touch). */
  expiresAt(key: string): number | undefined {
    return this.entries.get(key)?.expiresAt;
  }

  /** Counts a hit served from a caller's memo of a value it got from here. */
  countHit(): void {
    this.hits++;
  }

  set(key: string, value: V): void {
    this.remove(key);
    const now = this.clock.now();
    this.entries.set(key, { value, expiresAt: now + this.options.ttlMs, touchedAt: now });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.remove(oldest);
      this.evictions++;
    }
  }

  delete(key: string): void {
    this.remove(key);
  }

  /** Drops every entry whose key starts with prefix (a tenant's keys after a rotation or destruction). */
  deletePrefix(prefix: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.remove(key);
  }

  clear(): void {
    this.entries.clear();
    this.generation++;
  }

  private remove(key: string): void {
    if (this.entries.delete(key)) this.generation++;
  }

  stats(): KeyCacheStats {
    return { entries: this.entries.size, hits: this.hits, misses: this.misses, evictions: this.evictions };
  }
}
