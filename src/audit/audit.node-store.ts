import { insertTreeNodes, selectTreeNodes } from './audit.tree.queries.ts';
import type { DbOrTransaction } from './audit.types.ts';
import { MerkleError, type MerkleNode, type MerkleNodeStore, type NodeKey } from './merkle/index.ts';

/**
 * The Merkle node store of one tenant's tree in SQL. Every read is one indexed query for the
 * O(log n) keys a proof or frontier needs, so proof latency does not grow with the log beyond the
 * B-tree depth. Pass a transaction to read and write inside it.
 */
export function createSqlNodeStore(db: DbOrTransaction, tenantId: string): MerkleNodeStore {
  return {
    async getNodes(keys: readonly NodeKey[]): Promise<Buffer[]> {
      const rows = await selectTreeNodes(db, tenantId, keys);
      const byKey = new Map(rows.map((r) => [`${r.level}:${Number(r.idx)}`, Buffer.from(r.hash)]));
      return keys.map((k) => {
        const hash = byKey.get(`${k.level}:${k.index}`);
        if (!hash)
          throw new MerkleError('node_missing', `node (level ${k.level}, index ${k.index}) is not stored`);
        return hash;
      });
    },
    async putNodes(nodes: readonly MerkleNode[]): Promise<void> {
      await insertTreeNodes(
        db,
        tenantId,
        nodes.map((n) => ({ level: n.level, index: n.index, hash: n.hash })),
      );
    },
  };
}
