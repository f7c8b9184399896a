import { insertTreeNodes, selectLeafHashes, selectTreeNodes } from './audit.tree.queries.ts';
import type { DbOrTransaction } from './audit.types.ts';
import {
  hashChildren,
  MerkleError,
  type MerkleNode,
  type MerkleNodeStore,
  type NodeKey,
} from './merkle/index.ts';

/**
 * The lowest tree level kept in `audit_tree_nodes`. Below it a node covers fewer than 16 leaves and
 * is recomputed, when a proof or a frontier needs it, from the events' `leaf_hash` column (which
 * holds level 0 already): a few dozen leaf hashes read in one indexed query and as many hashes
 * per proof, against writing, storing and verifying 15 of every 16 nodes (a tree of n leaves has
 * about 2n nodes, of which n/8 are at level 4 or above). The same trade as the
 * tiles of C2SP tlog-tiles, which store leaf hashes and recompute the nodes inside a tile.
 */
export const LOWEST_STORED_LEVEL = 4;

/** Whether node (level, index) is kept in the node table of a tree of `treeSize` leaves. */
export function isStoredNode(level: number, index: number, treeSize: number): boolean {
  return level >= LOWEST_STORED_LEVEL && (index + 1) * 2 ** level <= treeSize;
}

const keyOf = (level: number, index: number) => `${level}:${index}`;

/**
 * The Merkle node store of one tenant's tree in SQL. Every read is at most two indexed queries (the
 * stored nodes, and the leaf hashes of the low nodes) for the O(log n) keys a proof or frontier
 * needs, so proof latency does not grow with the log beyond the B-tree depth. Pass a transaction
 * to read and write inside it.
 */
export function createSqlNodeStore(db: DbOrTransaction, tenantId: string): MerkleNodeStore {
  async function readStored(keys: readonly NodeKey[], into: Map<string, Buffer>): Promise<void> {
    const rows = await selectTreeNodes(db, tenantId, keys);
    for (const row of rows) into.set(keyOf(row.level, Number(row.idx)), Buffer.from(row.hash));
  }

  async function computeLow(keys: readonly NodeKey[], into: Map<string, Buffer>): Promise<void> {
    const seqs = new Set<number>();
    for (const { level, index } of keys) {
      for (let seq = index * 2 ** level; seq < (index + 1) * 2 ** level; seq++) seqs.add(seq);
    }
    const rows = await selectLeafHashes(db, tenantId, [...seqs]);
    const leaves = new Map(rows.map((r) => [Number(r.seq), Buffer.from(r.leaf_hash)]));
    const subtree = (level: number, index: number): Buffer | undefined => {
      if (level === 0) return leaves.get(index);
      const left = subtree(level - 1, 2 * index);
      const right = left && subtree(level - 1, 2 * index + 1);
      return right && hashChildren(left!, right);
    };
    for (const { level, index } of keys) {
      const hash = subtree(level, index);
      if (hash) into.set(keyOf(level, index), hash);
    }
  }

  return {
    async getNodes(keys: readonly NodeKey[]): Promise<Buffer[]> {
      const found = new Map<string, Buffer>();
      const stored = keys.filter((k) => k.level >= LOWEST_STORED_LEVEL);
      const low = keys.filter((k) => k.level < LOWEST_STORED_LEVEL);
      await Promise.all([
        stored.length > 0 ? readStored(stored, found) : undefined,
        low.length > 0 ? computeLow(low, found) : undefined,
      ]);
      return keys.map((k) => {
        const hash = found.get(keyOf(k.level, k.index));
        if (!hash)
          throw new MerkleError('node_missing', `node (level ${k.level}, index ${k.index}) is not stored`);
        return hash;
      });
    },
    async putNodes(nodes: readonly MerkleNode[]): Promise<void> {
      const kept = nodes.filter((n) => n.level >= LOWEST_STORED_LEVEL);
      await insertTreeNodes(
        db,
        tenantId,
        kept.map((n) => ({ level: n.level, index: n.index, hash: n.hash })),
      );
    },
  };
}
