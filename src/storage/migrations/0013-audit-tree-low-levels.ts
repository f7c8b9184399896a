import { sql } from 'kysely';
import type { VigilMigration } from './migration.ts';

/**
 * The node table keeps levels 4 and above only (LOWEST_STORED_LEVEL in audit.node-store.ts): a
 * node below covers at most 8 leaves and is recomputed from the events' leaf_hash column when a
 * proof needs it. Level 0 was a copy of that column; levels 1-3 another 7/8 of a leaf per leaf.
 * Dropping them removes 15 of every 16 node rows: what folding writes, what verification compares.
 */
export const auditTreeLowLevelsMigration: VigilMigration = {
  name: '0013-audit-tree-low-levels',
  async up(db) {
    await sql`delete from audit_tree_nodes where level < 4`.execute(db);
  },
};
