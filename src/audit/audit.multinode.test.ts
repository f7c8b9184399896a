import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { openVigil, type Vigil } from '../main.ts';
import { newTenant, sampleEvent } from './audit.test-support.ts';

// Several Vigil processes on one database (PostgreSQL: one schema; SQLite: one file) append,
// fold and checkpoint the same tenant's log at once. The log must come out dense, in one order,
// with every checkpoint consistent with the next and nothing lost.
describeEachDialect('audit log with concurrent nodes', (get) => {
  // SQLite is the single-node store (dialect.multiNode is false): there the three writers share one
  // process, which is how SQLite is deployed.
  async function openNodes(count: number): Promise<Vigil[]> {
    const { config, schema, clock, vigil } = get();
    const nodes: Vigil[] = [vigil];
    for (let i = 1; i < count; i++) {
      if (!vigil.storage.dialect.multiNode) {
        nodes.push(vigil);
        continue;
      }
      nodes.push(
        await openVigil(config, {
          clock,
          logger: vigil.logger,
          storage: schema ? { postgresSchema: schema } : {},
        }),
      );
    }
    return nodes;
  }

  it('no fork, no lost event, one defined order', async () => {
    const nodes = await openNodes(3);
    try {
      const tenantId = await newTenant(nodes[0]!, 'multi');
      const recorded = await Promise.all(
        nodes.map(async (node, n) => {
          const ids: string[] = [];
          for (let i = 0; i < 25; i++) {
            const result = await node.audit.record(node.storage.db, sampleEvent(tenantId, n * 100 + i));
            ids.push(result.id);
            if (i % 8 === 7) await node.audit.checkpoints.create(tenantId, 'schedule');
          }
          return ids;
        }),
      );
      await Promise.all(nodes.map((node) => node.audit.checkpoints.create(tenantId, 'demand')));
      const rows = await nodes[0]!.storage.db
        .selectFrom('audit_events')
        .select(['id', 'seq'])
        .where('tenant_id', '=', tenantId)
        .orderBy('seq')
        .execute();
      expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 75 }, (_, i) => i));
      expect(new Set(rows.map((r) => r.id))).toEqual(new Set(recorded.flat()));
      const checkpoints = await nodes[0]!.audit.checkpoints.list(tenantId, { limit: 100 });
      expect(checkpoints[0]!.treeSize).toBe(75);
      expect(new Set(checkpoints.map((c) => c.treeSize)).size).toBe(checkpoints.length);
      for (const node of nodes) {
        const report = await node.audit.verify(tenantId);
        expect(report.problems).toEqual([]);
        expect(report).toMatchObject({ ok: true, logSize: 75, treeHeadSize: 75 });
      }
      const keys = await nodes[0]!.storage.db.selectFrom('audit_signing_keys').select('id').execute();
      expect(keys).toHaveLength(1);
    } finally {
      await Promise.all(
        [...new Set(nodes.slice(1))].filter((n) => n !== get().vigil).map((node) => node.close()),
      );
    }
  });
});
