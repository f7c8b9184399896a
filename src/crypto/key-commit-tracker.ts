import type { KeyObject } from 'node:crypto';
import type { Clock } from '../shared/clock.ts';
import type { Db } from '../storage/index.ts';
import type { KeyCache } from './key-cache.ts';

// Retries of the check that a key created inside a caller's transaction was committed.
const CONFIRM_DELAYS_MS = [0, 1_000, 5_000, 30_000, 120_000];
const UNCONFIRMED_MAX_AGE_MS = 10 * 60_000;

type Cached = KeyObject | { key: KeyObject };

/**
 * The caching rule for keys created lazily inside a caller's transaction: that transaction may
 * still roll back, and caching such a key would let later writes use a key that no longer exists
 * (their data unreadable once the cache expires). So a key this process inserted through a
 * transaction is visible only to that transaction (by the transaction object) until a read
 * outside any transaction confirms the row was committed; only then does it enter the shared
 * cache. On SQLite the confirming read waits for the transaction to end; on PostgreSQL it sees
 * the row once committed, and is retried a few times.
 */
export function createCommitTracker(clock: Clock) {
  const pending = new WeakMap<object, Map<string, Cached>>();
  const unconfirmed = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  function pendingFor(db: Db): Map<string, Cached> {
    let map = pending.get(db);
    if (!map) {
      map = new Map();
      pending.set(db, map);
    }
    return map;
  }

  function scheduleConfirm(identity: string, committed: () => Promise<boolean>, attempt = 0): void {
    const timer = setTimeout(async () => {
      timers.delete(timer);
      if (closed || !unconfirmed.has(identity)) return;
      try {
        if (await committed()) {
          unconfirmed.delete(identity);
          return;
        }
      } catch {
        // The database is closing or unreachable: the key stays unconfirmed (never cached).
      }
      if (attempt + 1 < CONFIRM_DELAYS_MS.length) scheduleConfirm(identity, committed, attempt + 1);
    }, CONFIRM_DELAYS_MS[attempt]);
    timer.unref();
    timers.add(timer);
  }

  return {
    /** A cached key: the transaction's own first, then the shared cache. */
    recall<T extends Cached>(db: Db, cache: KeyCache<T>, key: string): T | undefined {
      if (db.isTransaction) {
        const own = pending.get(db)?.get(key);
        if (own) return own as T;
      }
      return cache.get(key);
    },

    /** Caches a key read from the database under `identity` (its row's unique id). */
    remember<T extends Cached>(
      db: Db,
      cache: KeyCache<T>,
      cacheKeys: string[],
      identity: string,
      value: T,
    ): void {
      if (unconfirmed.has(identity)) {
        // Read through a transaction: possibly our own uncommitted row. Read outside one: committed.
        if (db.isTransaction) {
          for (const k of cacheKeys) pendingFor(db).set(k, value);
          return;
        }
        unconfirmed.delete(identity);
      }
      for (const k of cacheKeys) cache.set(k, value);
    },

    /** Registers a key this process just inserted through `db` (a transaction, or its own committed one). */
    adopt<T extends Cached>(
      db: Db,
      cache: KeyCache<T>,
      cacheKeys: string[],
      identity: string,
      value: T,
      committed: () => Promise<boolean>,
    ): void {
      if (!db.isTransaction) {
        for (const k of cacheKeys) cache.set(k, value);
        return;
      }
      const now = clock.now();
      for (const [id, at] of unconfirmed) if (at + UNCONFIRMED_MAX_AGE_MS < now) unconfirmed.delete(id);
      unconfirmed.set(identity, now);
      for (const k of cacheKeys) pendingFor(db).set(k, value);
      scheduleConfirm(identity, committed);
    },

    /**
     * adopt for keys inserted together in one transaction (a batch of new subject keys): they
     * commit or roll back together, so one confirmation (of any one of them) settles them all.
     */
    adoptMany<T extends Cached>(
      db: Db,
      cache: KeyCache<T>,
      entries: readonly { cacheKeys: string[]; identity: string; value: T }[],
      committed: () => Promise<boolean>,
    ): void {
      if (entries.length === 0) return;
      if (!db.isTransaction) {
        for (const e of entries) for (const k of e.cacheKeys) cache.set(k, e.value);
        return;
      }
      const now = clock.now();
      for (const [id, at] of unconfirmed) if (at + UNCONFIRMED_MAX_AGE_MS < now) unconfirmed.delete(id);
      const own = pendingFor(db);
      for (const e of entries) {
        unconfirmed.set(e.identity, now);
        for (const k of e.cacheKeys) own.set(k, e.value);
      }
      const identities = entries.map((e) => e.identity);
      const group = identities[0]!;
      scheduleConfirm(group, async () => {
        const done = await committed();
        // Settle the whole group at once; scheduleConfirm clears the group's own identity.
        if (done) for (const id of identities) unconfirmed.delete(id);
        return done;
      });
    },

    close(): void {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
