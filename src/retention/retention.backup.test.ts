import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { expect, it } from 'vitest';
import { describeEachDialect, TEST_DATABASE_URL, type TestVigil } from '../../test/harness/test-vigil.ts';
import { createLogger } from '../logging/logger.ts';
import { openVigil, type Vigil } from '../main.ts';
import { DAY_MS } from '../shared/clock.ts';
import { ingestCall, newTenant, operator, phoneOf, subjectOf } from './retention.test-support.ts';

async function adminQuery(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A backup of the live database as an operator takes one: SQLite VACUUM INTO, or pg_dump of the schema. */
async function backup(t: TestVigil): Promise<{ open(): Promise<Vigil>; drop(): Promise<void> }> {
  const options = { clock: t.clock, logger: createLogger({ level: 'silent' }) };
  if (t.dialect === 'sqlite') {
    const file = path.join(t.dataDir, `backup-${randomBytes(4).toString('hex')}.db`);
    await sql`vacuum into ${sql.lit(file)}`.execute(t.vigil.storage.db);
    return {
      open: () => openVigil(t.config, { ...options, storage: { sqliteFile: file } }),
      drop: async () => undefined,
    };
  }
  const restored = `vigil_r_${randomBytes(6).toString('hex')}`;
  const dump = execFileSync(
    'pg_dump',
    ['--no-owner', '--no-privileges', '-n', t.schema!, TEST_DATABASE_URL],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  const file = path.join(t.dataDir, 'backup.sql');
  writeFileSync(file, dump.replaceAll(t.schema!, restored));
  execFileSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', '-f', file, TEST_DATABASE_URL], { stdio: 'pipe' });
  return {
    open: () => openVigil(t.config, { ...options, storage: { postgresSchema: restored } }),
    drop: () => adminQuery(`drop schema ${restored} cascade`),
  };
}

const bodyOf = async (vigil: Vigil, tenantId: string, id: string) =>
  Buffer.from(
    (
      await vigil.storage.db
        .selectFrom('interactions')
        .select('body')
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).body,
  );

const decrypt = (vigil: Vigil, tenantId: string, id: string, ciphertext: Buffer) =>
  vigil.keys.decryptField(vigil.storage.db, {
    tenantId,
    table: 'interactions',
    column: 'body',
    rowId: id,
    ciphertext,
  });

const destroyDueKeys = (vigil: Vigil) =>
  vigil.keys.destroyDueSubjectKeys({ now: vigil.clock.now(), signal: new AbortController().signal });

describeEachDialect('crypto-shredding and database backups', (get) => {
  it('a backup from before the shred still decrypts with the root key; restored through Vigil, the erasure is re-applied', async () => {
    const t = get();
    const { vigil, clock } = t;
    const tenantId = await newTenant(vigil);
    const erasedCall = await ingestCall(vigil, tenantId, 'b-1', { customer: 51 });
    const survivor = await ingestCall(vigil, tenantId, 'b-2', { customer: 52 });
    const subjectId = await subjectOf(vigil, tenantId, erasedCall);
    const snapshot = await backup(t);

    const request = await vigil.retention.dsar.open(operator(tenantId), {
      kind: 'erasure',
      identifier: { phone: phoneOf(51) },
    });
    expect((await vigil.retention.dsar.erase(operator(tenantId), request.id)).status).toBe('completed');
    clock.advance(8 * DAY_MS);
    expect((await destroyDueKeys(vigil)).destroyed).toBe(1);

    const restored = await snapshot.open();
    try {
      const ciphertext = await bodyOf(restored, tenantId, erasedCall);
      // The live database can no longer decrypt the ciphertext the backup kept: the key is gone.
      await expect(decrypt(vigil, tenantId, erasedCall, ciphertext)).rejects.toMatchObject({
        code: 'SUBJECT_KEY_DESTROYED',
      });
      // Said plainly: the backup holds the subject key wrapped by a KEK that the same root key
      // unwraps, so anyone holding the backup AND the root key can still read it.
      expect((await decrypt(restored, tenantId, erasedCall, ciphertext)).toString()).toContain(
        '"channel":"voice"',
      );

      // Restored through Vigil, the erasure journal (outside the database) re-applies the erasure
      // before the data can be served, then the key is destroyed in the restored database too.
      await restored.retention.run(operator(tenantId));
      const rows = await restored.storage.db
        .selectFrom('interactions')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .execute();
      expect(rows.map((r) => r.id)).toEqual([survivor]);
      expect(
        (await restored.subjects.get(restored.storage.db, tenantId, subjectId))?.erasedAt,
      ).not.toBeNull();
      const replayed = await restored.audit.findEvents(tenantId, {
        action: 'retention.journal.replayed',
        limit: 1,
      });
      expect(replayed.events[0]?.details).toMatchObject({ reErased: 1 });
      clock.advance(8 * DAY_MS);
      expect((await destroyDueKeys(restored)).destroyed).toBe(1);
      await expect(decrypt(restored, tenantId, erasedCall, ciphertext)).rejects.toMatchObject({
        code: 'SUBJECT_KEY_DESTROYED',
      });
      // The other customer is untouched in both databases.
      expect(
        (await decrypt(restored, tenantId, survivor, await bodyOf(restored, tenantId, survivor))).length,
      ).toBeGreaterThan(0);
    } finally {
      await restored.close();
      await snapshot.drop();
    }
  }, 60_000);

  it('refuses a journal someone edited instead of erasing whoever it names, and raises the alarm', async () => {
    const { vigil, clock, dataDir } = get();
    const tenantId = await newTenant(vigil);
    await ingestCall(vigil, tenantId, 'j-1', { customer: 53 });
    const request = await vigil.retention.dsar.open(operator(tenantId), {
      kind: 'erasure',
      identifier: { phone: phoneOf(53) },
    });
    await vigil.retention.dsar.erase(operator(tenantId), request.id);
    const file = path.join(dataDir, 'erasure-journal', `${tenantId}.jsonl`);
    const line = JSON.parse(readFileSync(file, 'utf8').trim());
    expect(Object.keys(line).sort()).toEqual(['at', 'caseId', 'mac', 'seq', 'subjectId', 'tenantId']);
    writeFileSync(
      file,
      `${JSON.stringify({ ...line, subjectId: '019a0000-0000-7000-8000-000000000000' })}\n`,
    );
    clock.advance(DAY_MS);
    const report = await vigil.retention.run(operator(tenantId));
    expect(report.journal).toEqual({ replayed: 0, reErased: 0, tampered: true });
    const alarm = (await vigil.audit.findEvents(tenantId, { action: 'retention.journal.replayed', limit: 1 }))
      .events[0];
    expect(alarm).toMatchObject({ outcome: 'failure', details: { problem: 'integrity check failed' } });
    expect(get().logs.text()).toContain('the erasure journal failed its integrity check');
  });
});
