import type { VigilMigration } from './migration.ts';

export const auditMigration: VigilMigration = {
  name: '0002-audit',
  async up(db, types) {
    await db.schema
      .createTable('audit_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('seq', types.bigint, (c) => c.notNull())
      .addColumn('occurred_at', types.bigint, (c) => c.notNull())
      .addColumn('actor_type', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text', (c) => c.notNull())
      .addColumn('actor_name', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('target_type', 'text')
      .addColumn('target_id', 'text')
      .addColumn('reason', 'text')
      .addColumn('origin_ip', 'text')
      .addColumn('user_agent', 'text')
      .addColumn('request_id', 'text')
      .addColumn('details', 'text')
      .addColumn('sensitive', 'text')
      .addColumn('leaf_hash', types.bytes, (c) => c.notNull())
      .execute();
    // Unique (tenant, seq) makes a fork in the log impossible even if two writers raced.
    await db.schema
      .createIndex('audit_events_tenant_seq')
      .unique()
      .on('audit_events')
      .columns(['tenant_id', 'seq'])
      .execute();
    await db.schema
      .createIndex('audit_events_tenant_time')
      .on('audit_events')
      .columns(['tenant_id', 'occurred_at'])
      .execute();
    await db.schema
      .createIndex('audit_events_tenant_action')
      .on('audit_events')
      .columns(['tenant_id', 'action', 'seq'])
      .execute();
    await db.schema
      .createIndex('audit_events_tenant_actor')
      .on('audit_events')
      .columns(['tenant_id', 'actor_id', 'seq'])
      .execute();
    await db.schema
      .createIndex('audit_events_tenant_target')
      .on('audit_events')
      .columns(['tenant_id', 'target_id', 'seq'])
      .execute();
  },
};
