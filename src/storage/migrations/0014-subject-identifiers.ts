import { sql } from 'kysely';
import type { VigilMigration } from './migration.ts';

/**
 * A customer's identifiers are kept per customer instead of per interaction.
 *
 * Searching interactions by phone or email used two indexes on `interactions` (the blind index of
 * each interaction's phone and email). Their keys are random, so at a million rows each purged or
 * inserted interaction rewrote a page of each: on SQLite about two of the five pages a purged
 * interaction writes. A search now goes through the customer instead (`subjects` and, for the
 * identifiers a customer used besides the ones on their profile, `subject_identifiers`), and the
 * interactions of that customer are found through `interactions_subject`.
 *
 * `subject_identifiers` holds only those further identifiers (a second phone, a new email): the
 * profile keeps one of each, filled in on first sight. It is filled here from the interactions
 * already stored, so a search by an older phone still finds its customer.
 */
export const subjectIdentifiersMigration: VigilMigration = {
  name: '0014-subject-identifiers',
  async up(db, types) {
    let table = db.schema
      .createTable('subject_identifiers')
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('bidx', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id'))
      .addColumn('created_at', types.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('subject_identifiers_pk', ['tenant_id', 'kind', 'bidx', 'subject_id']);
    // ColumnTypes is the only dialect fact a migration receives: `blob` is SQLite, where the key
    // is the table (one b-tree per identifier instead of two).
    if (types.bytes === 'blob') table = table.modifyEnd(sql`without rowid`);
    await table.execute();
    await db.schema
      .createIndex('subject_identifiers_subject')
      .on('subject_identifiers')
      .columns(['tenant_id', 'subject_id'])
      .execute();
    for (const [kind, column, profileColumn] of [
      ['phone', 'customer_phone_bidx', 'phone_bidx'],
      ['email', 'customer_email_bidx', 'email_bidx'],
    ] as const) {
      // As ingest does from now on: only an identifier no customer's profile holds and that was
      // seen with one customer alone (a household's shared phone links nobody).
      await sql`insert into subject_identifiers (tenant_id, kind, bidx, subject_id, created_at)
        select i.tenant_id, ${sql.lit(kind)}, i.${sql.ref(column)}, min(i.subject_id), min(i.ingested_at)
        from interactions i join subjects s on s.id = i.subject_id and s.tenant_id = i.tenant_id
        where i.${sql.ref(column)} is not null and s.erased_at is null
          and not exists (select 1 from subjects o where o.tenant_id = i.tenant_id
            and o.${sql.ref(profileColumn)} = i.${sql.ref(column)})
        group by i.tenant_id, i.${sql.ref(column)}
        having count(distinct i.subject_id) = 1`.execute(db);
    }
    await db.schema.dropIndex('interactions_phone').ifExists().execute();
    await db.schema.dropIndex('interactions_email').ifExists().execute();
  },
};
