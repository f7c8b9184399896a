import type { VigilMigration } from './migration.ts';

export const interactionsMigration: VigilMigration = {
  name: '0008-interactions',
  async up(db, types) {
    await db.schema
      .createTable('redaction_policies')
      .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id'))
      .addColumn('policy', 'text', (c) => c.notNull())
      .addColumn('updated_at', types.bigint, (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('integration_secrets')
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('platform', 'text', (c) => c.notNull())
      .addColumn('secret', types.bytes, (c) => c.notNull())
      .addColumn('updated_at', types.bigint, (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('integration_secrets_pk', ['tenant_id', 'platform'])
      .execute();
    await db.schema
      .createTable('subjects')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('phone_bidx', 'text')
      .addColumn('email_bidx', 'text')
      .addColumn('customer_ref_bidx', 'text')
      .addColumn('region', 'text')
      .addColumn('created_at', types.bigint, (c) => c.notNull())
      .addColumn('last_seen_at', types.bigint, (c) => c.notNull())
      .addColumn('erased_at', types.bigint)
      .execute();
    for (const column of ['phone_bidx', 'email_bidx', 'customer_ref_bidx']) {
      await db.schema
        .createIndex(`subjects_${column}`)
        .on('subjects')
        .columns(['tenant_id', column])
        .execute();
    }
    await db.schema
      .createTable('interactions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('subject_id', 'text', (c) => c.references('subjects.id'))
      .addColumn('source_platform', 'text', (c) => c.notNull())
      .addColumn('source_id', 'text', (c) => c.notNull())
      .addColumn('source_revision', types.bigint, (c) => c.notNull())
      .addColumn('source_adapter', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('direction', 'text', (c) => c.notNull())
      .addColumn('started_at', types.bigint)
      .addColumn('ended_at', types.bigint)
      .addColumn('language', 'text')
      .addColumn('queue', 'text')
      .addColumn('agent_ref', 'text')
      .addColumn('customer_phone_bidx', 'text')
      .addColumn('customer_email_bidx', 'text')
      .addColumn('segment_count', 'integer', (c) => c.notNull())
      .addColumn('finding_count', 'integer', (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('sample_bucket', 'integer', (c) => c.notNull())
      .addColumn('body', types.bytes, (c) => c.notNull())
      .addColumn('originals', types.bytes)
      .addColumn('has_recording', 'integer', (c) => c.notNull())
      .addColumn('ingested_at', types.bigint, (c) => c.notNull())
      .addColumn('updated_at', types.bigint, (c) => c.notNull())
      .addColumn('anonymized_at', types.bigint)
      .execute();
    // Idempotent ingest: one row per source conversation, updated to its latest revision.
    await db.schema
      .createIndex('interactions_source')
      .unique()
      .on('interactions')
      .columns(['tenant_id', 'source_platform', 'source_id'])
      .execute();
    await db.schema
      .createIndex('interactions_tenant_id')
      .on('interactions')
      .columns(['tenant_id', 'id'])
      .execute();
    await db.schema
      .createIndex('interactions_started')
      .on('interactions')
      .columns(['tenant_id', 'started_at'])
      .execute();
    await db.schema
      .createIndex('interactions_ingested')
      .on('interactions')
      .columns(['tenant_id', 'category', 'ingested_at'])
      .execute();
    await db.schema
      .createIndex('interactions_subject')
      .on('interactions')
      .columns(['tenant_id', 'subject_id'])
      .execute();
    await db.schema
      .createIndex('interactions_phone')
      .on('interactions')
      .columns(['tenant_id', 'customer_phone_bidx'])
      .execute();
    await db.schema
      .createIndex('interactions_email')
      .on('interactions')
      .columns(['tenant_id', 'customer_email_bidx'])
      .execute();
    await db.schema
      .createIndex('interactions_agent')
      .on('interactions')
      .columns(['tenant_id', 'agent_ref'])
      .execute();
    await db.schema
      .createTable('interaction_findings')
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('interaction_id', 'text', (c) =>
        c.notNull().references('interactions.id').onDelete('cascade'),
      )
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('ingested_at', types.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('interaction_findings_pk', ['interaction_id', 'type'])
      .execute();
    await db.schema
      .createIndex('interaction_findings_type')
      .on('interaction_findings')
      .columns(['tenant_id', 'type', 'interaction_id'])
      .execute();
    await db.schema
      .createIndex('interaction_findings_time')
      .on('interaction_findings')
      .columns(['tenant_id', 'ingested_at'])
      .execute();
  },
};
