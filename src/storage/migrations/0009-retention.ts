import type { VigilMigration } from './migration.ts';

export const retentionMigration: VigilMigration = {
  name: '0009-retention',
  async up(db, types) {
    await db.schema
      .createTable('retention_assignments')
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('segment', 'text', (c) => c.notNull())
      .addColumn('regions', 'text', (c) => c.notNull())
      .addColumn('packs', 'text', (c) => c.notNull())
      .addColumn('updated_at', types.bigint, (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('retention_assignments_pk', ['tenant_id', 'segment'])
      .execute();
    await db.schema
      .createTable('retention_policies')
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('jurisdiction', 'text', (c) => c.notNull())
      .addColumn('max_age_days', 'integer', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('created_at', types.bigint, (c) => c.notNull())
      .addColumn('updated_at', types.bigint, (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('retention_policies_key')
      .unique()
      .on('retention_policies')
      .columns(['tenant_id', 'category', 'jurisdiction'])
      .execute();
    await db.schema
      .createTable('retention_holds')
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('query', 'text')
      .addColumn('created_at', types.bigint, (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('expires_at', types.bigint)
      .addColumn('released_at', types.bigint)
      .addColumn('released_by', 'text')
      .addColumn('release_reason', 'text')
      .execute();
    await db.schema
      .createIndex('retention_holds_tenant')
      .on('retention_holds')
      .columns(['tenant_id', 'released_at'])
      .execute();
    await db.schema
      .createTable('retention_hold_items')
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('hold_id', 'text', (c) => c.notNull().references('retention_holds.id'))
      .addColumn('ref_kind', 'text', (c) => c.notNull())
      .addColumn('ref', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('retention_hold_items_pk', ['hold_id', 'ref_kind', 'ref'])
      .execute();
    await db.schema
      .createIndex('retention_hold_items_ref')
      .on('retention_hold_items')
      .columns(['tenant_id', 'ref_kind', 'ref'])
      .execute();
    await db.schema
      .createTable('retention_runs')
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('trigger', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('started_at', types.bigint, (c) => c.notNull())
      .addColumn('reference_at', types.bigint, (c) => c.notNull())
      .addColumn('finished_at', types.bigint)
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('report', 'text')
      .addColumn('certificates', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('retention_runs_tenant')
      .on('retention_runs')
      .columns(['tenant_id', 'started_at'])
      .execute();
    await db.schema
      .createTable('retention_certificates')
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('origin_kind', 'text', (c) => c.notNull())
      .addColumn('origin_id', 'text', (c) => c.notNull())
      .addColumn('sequence', 'integer', (c) => c.notNull())
      .addColumn('issued_at', types.bigint, (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('signature', 'text', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('item_count', 'integer', (c) => c.notNull())
      .addColumn('audit_event_id', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('retention_certificates_origin')
      .on('retention_certificates')
      .columns(['tenant_id', 'origin_id', 'sequence'])
      .execute();
    await db.schema
      .createIndex('retention_certificates_issued')
      .on('retention_certificates')
      .columns(['tenant_id', 'issued_at'])
      .execute();
    await db.schema
      .createTable('retention_pending_files')
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('interaction_id', 'text', (c) => c.notNull())
      .addColumn('certificate_id', 'text', (c) => c.notNull())
      .addColumn('created_at', types.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('retention_pending_files_pk', ['tenant_id', 'interaction_id'])
      .execute();
    await db.schema
      .createTable('retention_subject_shreds')
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('origin_kind', 'text', (c) => c.notNull())
      .addColumn('origin_id', 'text', (c) => c.notNull())
      .addColumn('scheduled_at', types.bigint, (c) => c.notNull())
      .addColumn('destroy_after', types.bigint, (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('checked_at', types.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('retention_subject_shreds_pk', ['tenant_id', 'subject_id'])
      .execute();
    await db.schema
      .createIndex('retention_subject_shreds_status')
      .on('retention_subject_shreds')
      .columns(['tenant_id', 'status', 'destroy_after'])
      .execute();
    await db.schema
      .createTable('retention_checks')
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('performed_at', types.bigint, (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('signature', 'text', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('overdue', 'integer', (c) => c.notNull())
      .addColumn('audit_event_id', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('retention_checks_tenant')
      .on('retention_checks')
      .columns(['tenant_id', 'performed_at'])
      .execute();
    await db.schema
      .createTable('retention_journal_state')
      .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id'))
      .addColumn('applied_seq', 'integer', (c) => c.notNull())
      .addColumn('updated_at', types.bigint, (c) => c.notNull())
      .execute();
    await createDsarCases(db, types);
    // Customer-profile retention scans live customers by when they were last seen.
    await db.schema
      .createIndex('subjects_last_seen')
      .on('subjects')
      .columns(['tenant_id', 'last_seen_at'])
      .execute();
  },
};

async function createDsarCases(
  db: Parameters<VigilMigration['up']>[0],
  types: Parameters<VigilMigration['up']>[1],
) {
  await db.schema
    .createTable('dsar_cases')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('identified_by', 'text', (c) => c.notNull())
    .addColumn('subject_ids', 'text', (c) => c.notNull())
    .addColumn('region', 'text')
    .addColumn('packs', 'text', (c) => c.notNull())
    .addColumn('received_at', types.bigint, (c) => c.notNull())
    .addColumn('due_at', types.bigint)
    .addColumn('max_extended_due_at', types.bigint)
    .addColumn('extended_due_at', types.bigint)
    .addColumn('extension_reason', 'text')
    .addColumn('opened_at', types.bigint, (c) => c.notNull())
    .addColumn('opened_by', 'text', (c) => c.notNull())
    .addColumn('exported_at', types.bigint)
    .addColumn('closed_at', types.bigint)
    .addColumn('closed_by', 'text')
    .addColumn('outcome', 'text')
    .addColumn('note', 'text')
    .execute();
  await db.schema
    .createIndex('dsar_cases_status')
    .on('dsar_cases')
    .columns(['tenant_id', 'status', 'due_at'])
    .execute();
}
