import type { VigilMigration } from './migration.ts';

/** Merkle tree nodes, tree heads, signed checkpoints, the signing key, retention and SIEM sinks. */
export const auditTreeMigration: VigilMigration = {
  name: '0006-audit-tree',
  async up(db, types) {
    await db.schema.alterTable('audit_events').addColumn('mac', types.bytes).execute();
    await db.schema
      .createTable('audit_tree_nodes')
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('level', 'integer', (c) => c.notNull())
      .addColumn('idx', types.bigint, (c) => c.notNull())
      .addColumn('hash', types.bytes, (c) => c.notNull())
      .addPrimaryKeyConstraint('audit_tree_nodes_pk', ['tenant_id', 'level', 'idx'])
      .execute();
    await db.schema
      .createTable('audit_tree_heads')
      .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id'))
      .addColumn('tree_size', types.bigint, (c) => c.notNull())
      .addColumn('root_hash', types.bytes, (c) => c.notNull())
      .addColumn('updated_at', types.bigint, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('audit_checkpoints')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('tree_size', types.bigint, (c) => c.notNull())
      .addColumn('root_hash', types.bytes, (c) => c.notNull())
      .addColumn('origin', 'text', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('created_at', types.bigint, (c) => c.notNull())
      .addColumn('trigger', 'text', (c) => c.notNull())
      .execute();
    // One checkpoint per tree size: two nodes checkpointing the same head cannot both insert.
    await db.schema
      .createIndex('audit_checkpoints_tenant_size')
      .unique()
      .on('audit_checkpoints')
      .columns(['tenant_id', 'tree_size'])
      .execute();
    await db.schema
      .createTable('audit_signing_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('verifier_key', 'text', (c) => c.notNull().unique())
      .addColumn('wrapped_private_key', types.bytes, (c) => c.notNull())
      .addColumn('created_at', types.bigint, (c) => c.notNull())
      .addColumn('retired_at', types.bigint)
      .execute();
    await db.schema
      .createTable('audit_retention')
      .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id'))
      .addColumn('retention_days', 'integer', (c) => c.notNull())
      .addColumn('minimum_days', 'integer', (c) => c.notNull())
      .addColumn('updated_at', types.bigint, (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('audit_sinks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('stream', 'text', (c) => c.notNull())
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('wrapped_secret', types.bytes)
      .addColumn('cursor', types.bigint, (c) => c.notNull())
      .addColumn('enabled', types.boolean, (c) => c.notNull())
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', types.bigint, (c) => c.notNull())
      .addColumn('last_error', 'text')
      .addColumn('last_delivered_at', types.bigint)
      .addColumn('created_at', types.bigint, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('audit_sinks_tenant_name')
      .unique()
      .on('audit_sinks')
      .columns(['tenant_id', 'name'])
      .execute();
  },
};
