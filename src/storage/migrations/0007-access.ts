import type { ColumnTypes } from '../dialects/dialect.ts';
import type { VigilMigration } from './migration.ts';

/** The schema-building handle migrations receive. */
type SchemaDb = Parameters<VigilMigration['up']>[0];

async function createPolicyTables(db: SchemaDb, types: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('access_generations')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id'))
    .addColumn('generation', 'text', (c) => c.notNull())
    .addColumn('updated_at', types.bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('access_policies')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id'))
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('updated_at', types.bigint, (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('access_roles')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('grants', 'text', (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('created_at', types.bigint, (c) => c.notNull())
    .addColumn('updated_at', types.bigint, (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('access_roles_pk', ['tenant_id', 'name'])
    .execute();
  await db.schema
    .createTable('access_teams')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('queues', 'text', (c) => c.notNull())
    .addColumn('created_at', types.bigint, (c) => c.notNull())
    .addUniqueConstraint('access_teams_tenant_name', ['tenant_id', 'name'])
    .execute();
  await db.schema
    .createTable('access_team_members')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('team_id', 'text', (c) => c.notNull().references('access_teams.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('is_lead', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('access_team_members_pk', ['tenant_id', 'team_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('access_team_members_user')
    .on('access_team_members')
    .columns(['tenant_id', 'user_id'])
    .execute();
}

async function createElevationTables(db: SchemaDb, types: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('access_elevations')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('grant_kind', 'text', (c) => c.notNull())
    .addColumn('grant_name', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('minutes', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('break_glass', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('requested_at', types.bigint, (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', types.bigint)
    .addColumn('decision_note', 'text')
    .addColumn('starts_at', types.bigint)
    .addColumn('expires_at', types.bigint)
    .addColumn('ended_at', types.bigint)
    .execute();
  await db.schema
    .createIndex('access_elevations_status')
    .on('access_elevations')
    .columns(['tenant_id', 'status', 'expires_at'])
    .execute();
  await db.schema
    .createIndex('access_elevations_user')
    .on('access_elevations')
    .columns(['tenant_id', 'user_id', 'requested_at'])
    .execute();
  await db.schema
    .createTable('access_usage')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('last_used_at', types.bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('access_usage_pk', ['tenant_id', 'user_id', 'role'])
    .execute();
  await db.schema
    .createTable('access_signals')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('signal', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('observed_at', types.bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('access_signals_pk', ['tenant_id', 'user_id', 'signal'])
    .execute();
}

async function createReviewTables(db: SchemaDb, types: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('access_review_campaigns')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('undecided_rule', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', types.bigint, (c) => c.notNull())
    .addColumn('due_at', types.bigint, (c) => c.notNull())
    .addColumn('closed_at', types.bigint)
    .addColumn('item_count', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('access_review_campaigns_due')
    .on('access_review_campaigns')
    .columns(['tenant_id', 'status', 'due_at'])
    .execute();
  await db.schema
    .createTable('access_review_items')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('access_review_campaigns.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('user_status', 'text', (c) => c.notNull())
    .addColumn('grant_kind', 'text', (c) => c.notNull())
    .addColumn('grant_name', 'text', (c) => c.notNull())
    .addColumn('elevation_id', 'text')
    .addColumn('reviewer_id', 'text', (c) => c.notNull())
    .addColumn('flags', 'text', (c) => c.notNull())
    .addColumn('last_used_at', types.bigint)
    .addColumn('decision', 'text')
    .addColumn('change_to', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', types.bigint)
    .addColumn('note', 'text')
    .addColumn('outcome', 'text')
    .execute();
  await db.schema
    .createIndex('access_review_items_campaign')
    .on('access_review_items')
    .columns(['tenant_id', 'campaign_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('access_review_items_reviewer')
    .on('access_review_items')
    .columns(['tenant_id', 'reviewer_id', 'campaign_id'])
    .execute();
}

export const accessMigration: VigilMigration = {
  name: '0007-access',
  async up(db, types) {
    await createPolicyTables(db, types);
    await createElevationTables(db, types);
    await createReviewTables(db, types);
  },
};
