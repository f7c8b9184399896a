import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { auditTreeLowLevelsMigration } from '../storage/migrations/0013-audit-tree-low-levels.ts';
import { createSqlNodeStore } from './audit.node-store.ts';
import { newTenant, recordEvents } from './audit.test-support.ts';
import { insertTreeNodes } from './audit.tree.queries.ts';
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
    // 37 leaves: nodes of levels 4 and 5 come from the node table, lower ones from the leaf hashes.
    await recordEvents(vigil, tenantId, 37);
    await vigil.audit.advanceTree(tenantId, { batchSize: 4 });
    const memory = new MemoryNodeStore();
    memory.putNodesSync((await appendLeaves(memory, 0, await leafHashes(tenantId))).nodes);
    const sql = createSqlNodeStore(vigil.storage.db, tenantId);
    for (const [leaf, size] of [
      [0, 37],
      [36, 37],
      [20, 37],
      [7, 13],
      [12, 16],
      [31, 32],
      [17, 33],
    ] as const) {
      expect(await inclusionProof(sql, leaf, size)).toEqual(await inclusionProof(memory, leaf, size));
    }
    for (const [a, b] of [
      [1, 37],
      [8, 37],
      [16, 32],
      [17, 35],
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

  it('stores nodes from level 4 up only; the lower ones are recomputed from the events', async () => {
    const { vigil } = get();
    const tenantId = await newTenant(vigil, 'tree-levels');
    await recordEvents(vigil, tenantId, 50);
    await vigil.audit.advanceTree(tenantId, { batchSize: 7 });
    const rows = await vigil.storage.db
      .selectFrom('audit_tree_nodes')
      .select(['level', 'idx'])
      .where('tenant_id', '=', tenantId)
      .orderBy('level')
      .orderBy('idx')
      .execute();
    expect(rows.map((r) => [r.level, Number(r.idx)])).toEqual([
      [4, 0],
      [4, 1],
      [4, 2],
      [5, 0],
    ]);
    const sql = createSqlNodeStore(vigil.storage.db, tenantId);
    const [leafHash] = await sql.getNodes([{ level: 0, index: 49 }]);
    expect(leafHash).toEqual((await leafHashes(tenantId))[49]);
    // A node over leaves that are not there is refused, not made up.
    await expect(sql.getNodes([{ level: 1, index: 25 }])).rejects.toThrow(/level 1, index 25/);
  });

  it('migration 0013 removes the low nodes an older version stored, and proofs stay the same', async () => {
    const { vigil } = get();
    const tenantId = await newTenant(vigil, 'tree-migrate');
    await recordEvents(vigil, tenantId, 40);
    await vigil.audit.advanceTree(tenantId);
    const memory = new MemoryNodeStore();
    const all = (await appendLeaves(memory, 0, await leafHashes(tenantId))).nodes;
    memory.putNodesSync(all);
    // What version 0012 left: every node, leaves included.
    await insertTreeNodes(
      vigil.storage.db,
      tenantId,
      all.filter((n) => n.level < 4),
    );
    const count = async () =>
      Number(
        (
          await vigil.storage.db
            .selectFrom('audit_tree_nodes')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('tenant_id', '=', tenantId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count()).toBe(all.length);
    await auditTreeLowLevelsMigration.up(vigil.storage.db, vigil.storage.dialect.types);
    expect(await count()).toBe(all.filter((n) => n.level >= 4).length);
    const sql = createSqlNodeStore(vigil.storage.db, tenantId);
    expect(await inclusionProof(sql, 33, 40)).toEqual(await inclusionProof(memory, 33, 40));
    expect(await consistencyProof(sql, 19, 40)).toEqual(await consistencyProof(memory, 19, 40));
  });

  it('keeps the tree unforkable: a duplicate node insert fails', async () => {
    const { vigil } = get();
    const tenantId = await newTenant(vigil, 'tree-fork');
    await recordEvents(vigil, tenantId, 16);
    await vigil.audit.advanceTree(tenantId);
    const store = createSqlNodeStore(vigil.storage.db, tenantId);
    await expect(store.putNodes([{ level: 4, index: 0, hash: Buffer.alloc(32, 7) }])).rejects.toThrow();
  });
});
