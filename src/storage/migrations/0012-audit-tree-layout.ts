import { sql } from 'kysely';
import type { VigilMigration } from './migration.ts';

/**
 * Verification compares every stored tree node with the recomputed one (about two per event), a
 * range of a level at a time. On SQLite the node table was a rowid table with its primary key in
 * a separate index, so each node cost an index lookup and then a table lookup for its hash. It is
 * rebuilt WITHOUT ROWID on the same key (tenant_id, level, idx): the key is the table and holds
 * the hash, one lookup per node (about half the comparison's time) and one b-tree fewer to write.
 * PostgreSQL has no such layout; there nothing changes.
 */
export const auditTreeLayoutMigration: VigilMigration = {
  name: '0012-audit-tree-layout',
  async up(db, types) {
    // ColumnTypes is the only dialect fact a migration receives: `blob` is SQLite.
    if (types.bytes !== 'blob') return;
    await db.schema
      .createTable('audit_tree_nodes_next')
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('level', 'integer', (c) => c.notNull())
      .addColumn('idx', types.bigint, (c) => c.notNull())
      .addColumn('hash', types.bytes, (c) => c.notNull())
      .addPrimaryKeyConstraint('audit_tree_nodes_pk', ['tenant_id', 'level', 'idx'])
      .modifyEnd(sql`without rowid`)
      .execute();
    await sql`insert into audit_tree_nodes_next (tenant_id, level, idx, hash)
      select tenant_id, level, idx, hash from audit_tree_nodes`.execute(db);
    await db.schema.dropTable('audit_tree_nodes').execute();
    await db.schema.alterTable('audit_tree_nodes_next').renameTo('audit_tree_nodes').execute();
  },
};
