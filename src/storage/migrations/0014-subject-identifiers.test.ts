import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { genericVoiceCall, ingestGeneric } from '../../../test/factories/interactions.ts';
import { describeEachDialect } from '../../../test/harness/test-vigil.ts';
import type { Vigil } from '../../main.ts';
import { subjectIdentifiersMigration } from './0014-subject-identifiers.ts';

async function indexNames(vigil: Vigil): Promise<string[]> {
  const db = vigil.storage.db;
  const rows =
    vigil.storage.dialect.name === 'sqlite'
      ? await sql<{
          name: string;
        }>`select name from sqlite_master where type = 'index' and tbl_name = 'interactions'`.execute(db)
      : await sql<{
          name: string;
        }>`select indexname as name from pg_indexes where schemaname = current_schema() and tablename = 'interactions'`.execute(
          db,
        );
  return rows.rows.map((r) => r.name);
}

describeEachDialect('migration 0014-subject-identifiers', (get) => {
  it("moves the phone and email indexes from interactions to customers, keeping each customer's further identifiers", async () => {
    const { vigil, clock } = get();
    const db = vigil.storage.db;
    const tenant = await vigil.tenancy.create({ slug: 'mig-identifiers', name: 'Identifiers' });
    const call = (source: string, phone: string, email: string) =>
      ingestGeneric(vigil, tenant.id, genericVoiceCall(source, { phone: `+1 416 555 ${phone}`, email }));
    const [first] = await call('m-1', '0401', 'kept@example.com');
    await call('m-2', '0402', 'kept@example.com'); // the same customer, a second phone
    await call('m-3', '0402', 'new@example.com'); // and a new email
    // A household: customer B, then the younger customer A; then B calls from A's phone. That
    // interaction carries A's phone, which must not be linked to B.
    await call('h-1', '0409', 'b@example.com');
    clock.advance(1000);
    await call('h-2', '0408', 'a@example.com');
    await call('h-3', '0408', 'b@example.com');
    // What version 0013 left: the interactions indexed by phone and email, no identifier table.
    await db.schema.dropTable('subject_identifiers').execute();
    for (const [name, column] of [
      ['interactions_phone', 'customer_phone_bidx'],
      ['interactions_email', 'customer_email_bidx'],
    ] as const)
      await db.schema.createIndex(name).on('interactions').columns(['tenant_id', column]).execute();
    expect(await indexNames(vigil)).toEqual(
      expect.arrayContaining(['interactions_phone', 'interactions_email']),
    );

    await subjectIdentifiersMigration.up(db, vigil.storage.dialect.types);

    expect(await indexNames(vigil)).not.toEqual(expect.arrayContaining(['interactions_phone']));
    expect(await indexNames(vigil)).not.toEqual(expect.arrayContaining(['interactions_email']));
    const subject = (
      await db
        .selectFrom('interactions')
        .select('subject_id')
        .where('tenant_id', '=', tenant.id)
        .where('id', '=', first!.id)
        .executeTakeFirstOrThrow()
    ).subject_id;
    const identifiers = await db
      .selectFrom('subject_identifiers')
      .select(['kind', 'subject_id'])
      .where('tenant_id', '=', tenant.id)
      .orderBy('kind')
      .execute();
    // The profile holds the first phone and email; the second phone and the new email are kept.
    expect(identifiers).toEqual([
      { kind: 'email', subject_id: subject },
      { kind: 'phone', subject_id: subject },
    ]);
    const found = await vigil.interactions.read.list(
      {
        tenantId: tenant.id,
        actor: { type: 'user', id: 'reader' },
        scope: { all: true },
        fields: {},
      },
      { customerPhone: '14165550402', limit: 10 },
    );
    expect(found.items).toHaveLength(3);
  });
});
