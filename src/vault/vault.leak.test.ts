import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDialect, TEST_DATABASE_URL, type TestVigil } from '../../test/harness/test-vigil.ts';
import { isAppError } from '../shared/errors.ts';
import { CARDS, ingestActor, paymentsSpecialist } from './vault.test-support.ts';

const PANS = [...Object.values(CARDS), '4000056655665556', '5200828282828210'];
const PEOPLE = [
  { name: 'Ada Lovelace', email: 'ada.lovelace@example.org', phone: '+44 20 7946 0958' },
  { name: 'Grace Brewster Hopper', email: 'grace.hopper@example.net', phone: '+1 415 555 0100' },
  { name: 'Katherine Johnson', email: 'kjohnson@example.com', phone: '+1 757 555 0199' },
];
// Stored in clear on purpose: proves the scanner finds what is there (a scan that finds nothing proves nothing).
const CANARY = 'canary-plaintext-7f3a9c';

/** A table of this test only: personal data as a feature would store it (encrypted, plus blind indexes). */
interface LeakProbeTable {
  tenant_id: string;
  id: string;
  name_enc: Buffer;
  email_enc: Buffer;
  email_index: string;
  phone_enc: Buffer;
  phone_index: string;
  note: string | null;
}

/** Everything an attacker who copies the database or its backup would hold. */
function storedBytes(t: TestVigil): Buffer[] {
  if (t.dialect === 'sqlite') {
    const file = path.join(t.dataDir, 'vigil.db');
    return [file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f));
  }
  const url = new URL(TEST_DATABASE_URL);
  const dump = spawnSync(
    'pg_dump',
    [
      '-h',
      url.hostname,
      '-p',
      url.port || '5432',
      '-U',
      url.username || 'postgres',
      '-d',
      url.pathname.slice(1),
      '-n',
      t.schema!,
    ],
    { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 },
  );
  if (dump.status !== 0) throw new Error(`pg_dump failed: ${dump.stderr.toString()}`);
  return [dump.stdout];
}

/** Where a plaintext shows up: raw UTF-8 (SQLite pages, logs, dump text) or hex (a bytea in a dump). */
function occurrences(haystacks: Buffer[], secret: string): number {
  const raw = Buffer.from(secret, 'utf8');
  const hex = Buffer.from(raw.toString('hex'), 'ascii');
  return haystacks.filter((h) => h.includes(raw) || h.includes(hex)).length;
}

describeEachDialect('no plaintext at rest or in logs', (get) => {
  it('keeps card numbers and personal data out of the database files, dumps and logs', async () => {
    const t = get();
    const { vigil, clock } = t;
    const tenant = await vigil.tenancy.create({ slug: 'leak-scan', name: 'Leak' });
    const db = vigil.storage.db as unknown as Kysely<{ leak_probe: LeakProbeTable }>;
    await db.schema
      .createTable('leak_probe')
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name_enc', vigil.storage.dialect.types.bytes)
      .addColumn('email_enc', vigil.storage.dialect.types.bytes)
      .addColumn('email_index', 'text')
      .addColumn('phone_enc', vigil.storage.dialect.types.bytes)
      .addColumn('phone_index', 'text')
      .addColumn('note', 'text')
      .execute();

    const tokens: string[] = [];
    for (const pan of PANS) {
      tokens.push(
        (
          await vigil.vault.tokenize(undefined, {
            tenantId: tenant.id,
            pan,
            expiry: '08/29',
            actor: ingestActor,
          })
        ).token,
      );
    }
    for (const [i, person] of PEOPLE.entries()) {
      const id = `person-${i}`;
      const enc = (column: string, plaintext: string) =>
        vigil.keys.encryptField(vigil.storage.db, {
          tenantId: tenant.id,
          subjectId: id,
          table: 'leak_probe',
          column,
          rowId: id,
          plaintext,
        });
      await db
        .insertInto('leak_probe')
        .values({
          tenant_id: tenant.id,
          id,
          name_enc: await enc('name', person.name),
          email_enc: await enc('email', person.email),
          email_index: await vigil.keys.blindIndex(vigil.storage.db, {
            tenantId: tenant.id,
            kind: 'email',
            value: person.email,
          }),
          phone_enc: await enc('phone', person.phone),
          phone_index: await vigil.keys.blindIndex(vigil.storage.db, {
            tenantId: tenant.id,
            kind: 'phone',
            value: person.phone,
          }),
          note: i === 0 ? CANARY : null,
        })
        .execute();
    }
    // Error paths and reads must not leak either: a rejected card, a detokenization.
    const rejected = await vigil.vault
      .tokenize(undefined, { tenantId: tenant.id, pan: '4242424242424241', actor: ingestActor })
      .catch((e: unknown) => e);
    expect(isAppError(rejected)).toBe(true);
    const pan = await vigil.vault.detokenize({
      tenantId: tenant.id,
      token: tokens[0]!,
      actor: paymentsSpecialist(tenant.id, clock),
      reason: 'chargeback investigation 77',
    });
    expect(pan.pan).toBe(PANS[0]);
    vigil.logger.info({ tenantId: tenant.id, tokens: tokens.length }, 'leak scan: data written');

    const haystacks = [...storedBytes(t), Buffer.from(t.logs.text(), 'utf8')];
    expect(occurrences(haystacks, CANARY)).toBeGreaterThan(0);
    const leaks = [
      ...PANS,
      '4242424242424241',
      ...PEOPLE.flatMap((p) => [p.name, p.email, p.phone, p.phone.replace(/\D/g, ''), p.email.toLowerCase()]),
    ].filter((secret) => occurrences(haystacks, secret) > 0);
    expect(leaks).toEqual([]);
    // The decrypted data is still all there for those allowed to read it.
    const row = await db
      .selectFrom('leak_probe')
      .selectAll()
      .where('tenant_id', '=', tenant.id)
      .where('id', '=', 'person-1')
      .executeTakeFirstOrThrow();
    const email = await vigil.keys.decryptField(vigil.storage.db, {
      tenantId: tenant.id,
      table: 'leak_probe',
      column: 'email',
      rowId: 'person-1',
      ciphertext: row.email_enc,
    });
    expect(email.toString()).toBe(PEOPLE[1]!.email);
  });
});
