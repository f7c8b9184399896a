import { afterAll, afterEach, beforeEach, describe, expect, vi } from 'vitest';
import type { Vigil } from '../main.ts';
import type { AuditEventInput } from './audit.types.ts';

/** A plausible event for tests; `i` varies the action and target. */
export function sampleEvent(
  tenantId: string,
  i: number,
  extra: Partial<AuditEventInput> = {},
): AuditEventInput {
  return {
    tenantId,
    actor: { type: 'user', id: `user-${i % 3}`, name: `User ${i % 3}` },
    action: i % 2 === 0 ? 'vault.detokenize' : 'auth.login',
    outcome: i % 5 === 4 ? 'failure' : 'success',
    target: { type: 'card_token', id: `tok-${i}` },
    reason: 'refund request',
    origin: { ip: '192.0.2.10', userAgent: 'test-agent' },
    requestId: `req-${i}`,
    details: { n: i },
    sensitive: { email: `caller${i}@example.com` },
    ...extra,
  };
}

/** Records `count` events for a tenant, one transaction each, starting at index `from`. */
export async function recordEvents(vigil: Vigil, tenantId: string, count: number, from = 0): Promise<void> {
  for (let i = from; i < from + count; i++)
    await vigil.audit.record(vigil.storage.db, sampleEvent(tenantId, i));
}

/** A new tenant with a unique slug. */
export async function newTenant(vigil: Vigil, label: string): Promise<string> {
  const slug = `${label}-${Math.random().toString(36).slice(2, 10)}`.slice(0, 40);
  return (await vigil.tenancy.create({ slug, name: label })).id;
}

/**
 * Makes verification hash every sealed page on the storage's digest thread (SQLite on a file),
 * from the first page on: verification otherwise reads on the main thread until the thread is
 * up, which a small test log never waits for. `digested()` counts the pages it hashed.
 */
export function useDigestThreadFromFirstPage(vigil: Vigil): { restore(): void; digested(): number } {
  const bulk = vigil.storage.dialect.bulk;
  const thread = bulk.rowDigester;
  if (!thread) throw new Error('this storage has no digest thread');
  let digested = 0;
  bulk.rowDigester = {
    ready: () => true,
    async digestRows(query, prefix) {
      await vi.waitUntil(() => thread.ready(), { timeout: 10_000, interval: 5 });
      const digests = await thread.digestRows(query, prefix);
      digested++;
      return digests;
    },
  };
  return {
    restore: () => {
      bulk.rowDigester = thread;
    },
    digested: () => digested,
  };
}

/**
 * Runs `tests` again with sealed pages read and hashed on SQLite's digest thread from the first
 * page, and fails if the thread hashed nothing (the second run would then repeat the first).
 */
export function describeOnDigestThread(getVigil: () => Vigil, tests: () => void): void {
  describe('on the digest thread', () => {
    let thread: ReturnType<typeof useDigestThreadFromFirstPage>;
    let digested = 0;
    beforeEach(() => {
      thread = useDigestThreadFromFirstPage(getVigil());
    });
    afterEach(() => {
      digested += thread.digested();
      thread.restore();
    });
    afterAll(() => {
      expect(digested).toBeGreaterThan(0);
    });
    tests();
  });
}
