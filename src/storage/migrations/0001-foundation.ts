import type { VigilMigration } from './migration.ts';

export const foundationMigration: VigilMigration = {
  name: '0001-foundation',
  async up(db, types) {
    await db.schema
      .createTable('tenants')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('slug', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', types.bigint, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('job_runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('job', 'text', (c) => c.notNull())
      .addColumn('node', 'text', (c) => c.notNull())
      .addColumn('started_at', types.bigint, (c) => c.notNull())
      .addColumn('finished_at', types.bigint)
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('report', 'text')
      .execute();
    // Leases for single-run jobs where the database has no advisory locks (SQLite, several processes).
    await db.schema
      .createTable('job_locks')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('holder', 'text', (c) => c.notNull())
      .addColumn('expires_at', types.bigint, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('job_runs_job_started')
      .on('job_runs')
      .columns(['job', 'started_at'])
      .execute();
  },
};
