import type { VigilMigration } from './migration.ts';

/**
 * Every index is maintained on each insert and, on SQLite, on each delete: a purge of a million
 * interactions deletes three million finding rows. `interaction_findings_time` (tenant, ingested
 * time) served no query (findings are read by interaction id or by type, and leave with their
 * interaction through the foreign key), so it only cost ingest and purge work.
 */
export const purgeIndexesMigration: VigilMigration = {
  name: '0010-purge-indexes',
  async up(db) {
    await db.schema.dropIndex('interaction_findings_time').ifExists().execute();
  },
};
