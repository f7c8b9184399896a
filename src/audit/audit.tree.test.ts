import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { createSqlNodeStore } from './audit.node-store.ts';
import { newTenant, recordEvents } from './audit.test-support.ts';
import {
  appendLeaves,
  computeRoot,
  consistencyProof,
  inclusionProof,
  MemoryNodeStore,
} from './merkle/index.ts';

describeEachDialect('audit tree', (get) => {
  async function leafHashes(tenantId: string): Promise<Buffer[]> {
    const rows = await get()
      .vigil.storage.db.selectFrom('audit_events')
      .select(['leaf_hash'])
      .where('tenant_id', '=', tenantId)
      .orderBy('seq')
      .execute();
    return rows.map((r) => Buffer.from(r.leaf_hash));
  }

  it('folds events in bounded batches into the RFC 9162 tree of their leaf hashes', async () => {
    const { vigil } = get();
    const tenantId = await newTenant(vigil, 'tree-fold');
    await recordEvents(vigil, tenantId, 37);
    const first = await vigil.audit.advanceTree(tenantId, { batchSize: 10, maxBatches: 2 });
    expect(first).toMatchObject({ treeSize: 20, folded: 20, batches: 2 });
    const rest = await vigil.audit.advanceTree(tenantId, { batchSize: 10 });
    expect(rest).toMatchObject({ treeSize: 37, folded: 17 });
    expect(rest.rootHash.equals(computeRoot(await leafHashes(tenantId)))).toBe(true);
    expect((await vigil.audit.advanceTree(tenantId)).folded).toBe(0);
  });

  it('serves the same proofs from SQL as the in-memory reference store', async () => {
    const { vigil } = get();
    const tenantId = await newTenant(vigil, 'tree-proofs');
    await recordEvents(vigil, tenantId, 21);
    await vigil.audit.advanceTree(tenantId, { batchSize: 4 });
    const memory = new MemoryNodeStore();
    memory.putNodesSync((await appendLeaves(memory, 0, await leafHashes(tenantId))).nodes);
    const sql = createSqlNodeStore(vigil.storage.db, tenantId);
    for (const [leaf, size] of [
      [0, 21],
      [20, 21],
      [7, 13],
      [12, 16],
    ] as const) {
      expect(await inclusionProof(sql, leaf, size)).toEqual(await inclusionProof(memory, leaf, size));
    }
    for (const [a, b] of [
      [1, 21],
      [8, 21],
      [5, 13],
      [16, 20],
    ] as const) {
      expect(await consistencyProof(sql, a, b)).toEqual(await consistencyProof(memory, a, b));
    }
  });

  it('refuses to fold a rewritten event instead of signing it into the tree', async () => {
    const { vigil } = get();
    const tenantId = await newTenant(vigil, 'tree-refuse');
    await recordEvents(vigil, tenantId, 5);
    await vigil.storage.db
      .updateTable('audit_events')
      .set({ reason: 'forged' })
      .where('tenant_id', '=', tenantId)
      .where('seq', '=', 3)
      .execute();
    await expect(vigil.audit.advanceTree(tenantId)).rejects.toThrow(/seq 3 .*fields do not hash/);
    const head = await vigil.storage.db
      .selectFrom('audit_tree_heads')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    expect(head).toBeUndefined();
  });

  it('keeps the tree unforkable: a duplicate node insert fails', async () => {
    const { vigil } = get();
    const tenantId = await newTenant(vigil, 'tree-fork');
    await recordEvents(vigil, tenantId, 2);
    await vigil.audit.advanceTree(tenantId);
    const store = createSqlNodeStore(vigil.storage.db, tenantId);
    await expect(store.putNodes([{ level: 0, index: 1, hash: Buffer.alloc(32, 7) }])).rejects.toThrow();
  });
});
