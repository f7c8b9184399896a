import { sql } from 'kysely';
import type { VigilMigration } from './migration.ts';

/**
 * Finding rows (five or so per interaction) were a large part of a purge's per-row work: each one
 * was a row plus two index entries, removed through the foreign key's ON DELETE CASCADE, which both
 * databases run as a per-row trigger (on PostgreSQL an SPI query per deleted interaction). The
 * interactions module now deletes them itself, set-based, in the transaction that deletes their
 * interaction, so the foreign key goes.
 *
 * On SQLite the table is rebuilt WITHOUT ROWID on (tenant_id, interaction_id, type): the primary
 * key is the table, one b-tree fewer per finding than a rowid table with a separate key index,
 * and leading with tenant_id lets a tenant-scoped delete by interaction ids use it (the planner,
 * without statistics, would otherwise take the type index and scan the tenant's findings).
 * PostgreSQL has no such layout and plans with statistics: there the constraint goes, and the
 * interaction's encrypted body is kept in its row (below).
 */
export const findingsLayoutMigration: VigilMigration = {
  name: '0011-findings-layout',
  async up(db, types) {
    // ColumnTypes is the only dialect fact a migration receives: `blob` is SQLite.
    if (types.bytes === 'bytea') {
      await sql`alter table interaction_findings drop constraint if exists interaction_findings_interaction_id_fkey`.execute(
        db,
      );
      // An encrypted body (a few KB, incompressible) was moved out of line into TOAST chunks, so
      // deleting one interaction deleted three tuples (and inserting one wrote three). Kept in the
      // row up to a full page instead: one tuple per interaction; larger bodies still go out of
      // line. Rows already stored move only when rewritten.
      await sql`alter table interactions set (toast_tuple_target = 8160)`.execute(db);
      await sql`alter table interactions alter column body set storage main`.execute(db);
      await sql`alter table interactions alter column originals set storage main`.execute(db);
      return;
    }
    await db.schema
      .createTable('interaction_findings_next')
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('interaction_id', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('ingested_at', types.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('interaction_findings_pk', ['tenant_id', 'interaction_id', 'type'])
      .modifyEnd(sql`without rowid`)
      .execute();
    await sql`insert into interaction_findings_next (tenant_id, interaction_id, type, count, ingested_at)
      select tenant_id, interaction_id, type, count, ingested_at from interaction_findings`.execute(db);
    await db.schema.dropTable('interaction_findings').execute();
    await db.schema.alterTable('interaction_findings_next').renameTo('interaction_findings').execute();
    await db.schema
      .createIndex('interaction_findings_type')
      .on('interaction_findings')
      .columns(['tenant_id', 'type', 'interaction_id'])
      .execute();
  },
};
