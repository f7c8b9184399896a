// Bulk seeding for the retention benchmark: copies of real, pipeline-made rows with new ids.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Vigil } from '../src/main.ts';
import { benchInteraction } from './ingest-support.ts';

const CHUNK = 500;
const bidx = () => randomBytes(32).toString('base64url');

async function insertChunks<T>(
  vigil: Vigil,
  rows: T[],
  insert: (trx: Vigil['storage']['db'], chunk: T[]) => Promise<unknown>,
) {
  for (let i = 0; i < rows.length; i += 20 * CHUNK) {
    await vigil.storage.db.transaction().execute(async (trx) => {
      for (let k = i; k < Math.min(rows.length, i + 20 * CHUNK); k += CHUNK)
        await insert(trx, rows.slice(k, k + CHUNK));
    });
  }
}

/**
 * Inserts `total` interactions of `total / perSubject` customers, each customer with a key slot
 * and wrapped data key, copied from a row the real ingest pipeline produced (same ciphertext
 * sizes, same finding rows). Every row is ingested at `ingestedAt`.
 */
export async function bulkInsert(
  vigil: Vigil,
  tenantId: string,
  f: { total: number; perSubject: number; ingestedAt: number },
) {
  const { interactions } = await vigil.interactions.parser.parse('generic', benchInteraction(1), {
    receivedAtMs: Date.now(),
  });
  const [made] = await vigil.interactions.ingest.ingest(
    { tenantId, actor: { type: 'system', id: 'bench-seed' } },
    interactions,
  );
  const db = vigil.storage.db;
  const sample = await db
    .selectFrom('interactions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', made!.id)
    .executeTakeFirstOrThrow();
  const findings = await db
    .selectFrom('interaction_findings')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('interaction_id', '=', sample.id)
    .execute();
  const subject = await db
    .selectFrom('subjects')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', sample.subject_id!)
    .executeTakeFirstOrThrow();
  const slot = await db
    .selectFrom('crypto_key_slots')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('name', '=', `subject:${subject.id}`)
    .executeTakeFirstOrThrow();
  const dataKey = await db
    .selectFrom('crypto_data_keys')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('key_id', '=', slot.key_id)
    .executeTakeFirstOrThrow();
  await db
    .transaction()
    .execute((trx) => vigil.interactions.lifecycle.deleteInteractions(trx, tenantId, [sample.id]));

  const subjects = Math.ceil(f.total / f.perSubject);
  const subjectRows = Array.from({ length: subjects }, () => ({
    ...subject,
    id: vigil.ids.newId(),
    phone_bidx: bidx(),
    email_bidx: bidx(),
    customer_ref_bidx: null,
  }));
  await insertChunks(vigil, subjectRows, (trx, chunk) => trx.insertInto('subjects').values(chunk).execute());
  const slots = subjectRows.map((s) => ({
    slot: { ...slot, key_id: vigil.ids.newId(), name: `subject:${s.id}` },
  }));
  await insertChunks(vigil, slots, async (trx, chunk) => {
    await trx
      .insertInto('crypto_key_slots')
      .values(chunk.map((c) => c.slot))
      .execute();
    await trx
      .insertInto('crypto_data_keys')
      .values(
        chunk.map((c) => ({
          ...dataKey,
          key_id: c.slot.key_id,
          wrapped_key: randomBytes(dataKey.wrapped_key.length),
        })),
      )
      .execute();
  });
  // Interleaved customers, so a customer is left with nothing only late in the purge, as in life.
  const rows = Array.from({ length: f.total }, (_, i) => {
    const owner = subjectRows[i % subjects]!;
    return {
      ...sample,
      id: vigil.ids.newId(),
      subject_id: owner.id,
      source_id: `bulk-${i}`,
      customer_phone_bidx: owner.phone_bidx,
      customer_email_bidx: owner.email_bidx,
      ingested_at: f.ingestedAt + i,
      updated_at: f.ingestedAt + i,
    };
  });
  await insertChunks(vigil, rows, async (trx, chunk) => {
    await trx.insertInto('interactions').values(chunk).execute();
    await trx
      .insertInto('interaction_findings')
      .values(
        chunk.flatMap((r) =>
          findings.map((x) => ({ ...x, interaction_id: r.id, ingested_at: r.ingested_at })),
        ),
      )
      .execute();
  });
  // A bulk load leaves PostgreSQL without statistics until autovacuum gets to it; a production
  // table that grew over months has them, so the benchmark gathers them as autovacuum would.
  // (SQLite is left as production leaves it: Vigil does not run ANALYZE there.)
  if (vigil.storage.dialect.name === 'postgres') await sql`analyze`.execute(db);
  return { subjects, bodyBytes: sample.body.length };
}
