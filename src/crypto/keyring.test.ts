import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { isAppError } from '../shared/errors.ts';
import type { Db } from '../storage/index.ts';

const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return isAppError(error) ? error.code : `non-app: ${(error as Error).message}`;
  }
};

describeEachDialect('keyring fields', (get) => {
  const at = (tenantId: string, rowId: string, column = 'notes') => ({
    tenantId,
    table: 'people',
    column,
    rowId,
  });

  it('round-trips values under the general, a subject and the vault key', async () => {
    const { vigil } = get();
    const tenant = await vigil.tenancy.create({ slug: 'kr-roundtrip', name: 'Roundtrip' });
    const db = vigil.storage.db;
    const general = await vigil.keys.encryptField(db, { ...at(tenant.id, 'r1'), plaintext: 'hello world' });
    const subject = await vigil.keys.encryptField(db, {
      ...at(tenant.id, 'r2'),
      subjectId: 'cust-1',
      plaintext: Buffer.from([0, 1, 2, 255]),
    });
    const vault = await vigil.keys.encryptField(db, {
      ...at(tenant.id, 'r3'),
      domain: 'vault',
      plaintext: '',
    });
    expect(
      (await vigil.keys.decryptField(db, { ...at(tenant.id, 'r1'), ciphertext: general })).toString(),
    ).toBe('hello world');
    expect([...(await vigil.keys.decryptField(db, { ...at(tenant.id, 'r2'), ciphertext: subject }))]).toEqual(
      [0, 1, 2, 255],
    );
    expect((await vigil.keys.decryptField(db, { ...at(tenant.id, 'r3'), ciphertext: vault })).length).toBe(0);
    // Three different keys: the 16-byte key ids in the headers differ.
    const ids = new Set([general, subject, vault].map((c) => c.subarray(1, 17).toString('hex')));
    expect(ids.size).toBe(3);
  });

  it('encrypts the same value differently each time (random nonces)', async () => {
    const { vigil } = get();
    const tenant = await vigil.tenancy.create({ slug: 'kr-nonce', name: 'Nonce' });
    const a = await vigil.keys.encryptField(vigil.storage.db, { ...at(tenant.id, 'r'), plaintext: 'same' });
    const b = await vigil.keys.encryptField(vigil.storage.db, { ...at(tenant.id, 'r'), plaintext: 'same' });
    expect(a.equals(b)).toBe(false);
    expect(a.subarray(0, 21).equals(b.subarray(0, 21))).toBe(true);
  });

  it('refuses a ciphertext moved to another row, column or tenant', async () => {
    const { vigil } = get();
    const db = vigil.storage.db;
    const one = await vigil.tenancy.create({ slug: 'kr-move-a', name: 'A' });
    const two = await vigil.tenancy.create({ slug: 'kr-move-b', name: 'B' });
    const ciphertext = await vigil.keys.encryptField(db, { ...at(one.id, 'row-1'), plaintext: 'secret' });
    await vigil.keys.encryptField(db, { ...at(two.id, 'row-1'), plaintext: 'warm up B keys' });
    expect(await codeOf(vigil.keys.decryptField(db, { ...at(one.id, 'row-2'), ciphertext }))).toBe(
      'CIPHERTEXT_INVALID',
    );
    expect(await codeOf(vigil.keys.decryptField(db, { ...at(one.id, 'row-1', 'email'), ciphertext }))).toBe(
      'CIPHERTEXT_INVALID',
    );
    expect(await codeOf(vigil.keys.decryptField(db, { ...at(two.id, 'row-1'), ciphertext }))).toBe(
      'CIPHERTEXT_INVALID',
    );
  });

  it('never caches a key created in a transaction that rolled back', async () => {
    const { vigil, clock } = get();
    const db = vigil.storage.db;
    const tenant = await vigil.tenancy.create({ slug: 'kr-rollback', name: 'Rollback' });
    await expect(
      db.transaction().execute(async (trx) => {
        await vigil.keys.encryptField(trx as Db, {
          ...at(tenant.id, 'x'),
          subjectId: 's-1',
          plaintext: 'lost',
        });
        throw new Error('abort the write');
      }),
    ).rejects.toThrow('abort the write');
    // Later writes for the same subject must use a key that exists in the database.
    const kept = await vigil.keys.encryptField(db, {
      ...at(tenant.id, 'y'),
      subjectId: 's-1',
      plaintext: 'kept',
    });
    clock.advance(10 * 60_000); // past the cache TTL: the key must now come from the database
    expect((await vigil.keys.decryptField(db, { ...at(tenant.id, 'y'), ciphertext: kept })).toString()).toBe(
      'kept',
    );
  });

  it('keeps keys created in a committed transaction usable after the cache expires', async () => {
    const { vigil, clock } = get();
    const db = vigil.storage.db;
    const tenant = await vigil.tenancy.create({ slug: 'kr-commit', name: 'Commit' });
    const values = await db.transaction().execute(async (trx) => {
      const out: Buffer[] = [];
      for (let i = 0; i < 3; i++) {
        out.push(
          await vigil.keys.encryptField(trx as Db, {
            ...at(tenant.id, `r${i}`),
            subjectId: 's-2',
            plaintext: `v${i}`,
          }),
        );
      }
      return out;
    });
    // All three under one key: the transaction reused the key it created.
    expect(new Set(values.map((v) => v.subarray(1, 17).toString('hex'))).size).toBe(1);
    clock.advance(10 * 60_000);
    for (let i = 0; i < 3; i++) {
      const plain = await vigil.keys.decryptField(db, { ...at(tenant.id, `r${i}`), ciphertext: values[i]! });
      expect(plain.toString()).toBe(`v${i}`);
    }
  });

  it('gives two concurrent first writers of a subject the same key', async () => {
    const { vigil } = get();
    const db = vigil.storage.db;
    const tenant = await vigil.tenancy.create({ slug: 'kr-race', name: 'Race' });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        vigil.keys.encryptField(db, { ...at(tenant.id, `r${i}`), subjectId: 'racer', plaintext: `v${i}` }),
      ),
    );
    expect(new Set(results.map((v) => v.subarray(1, 17).toString('hex'))).size).toBe(1);
    const slots = await db
      .selectFrom('crypto_key_slots')
      .select('key_id')
      .where('tenant_id', '=', tenant.id)
      .where('name', '=', 'subject:racer')
      .execute();
    expect(slots).toHaveLength(1);
  });

  it('refuses malformed input without echoing it', async () => {
    const { vigil } = get();
    const db = vigil.storage.db;
    const tenant = await vigil.tenancy.create({ slug: 'kr-bad', name: 'Bad' });
    expect(await codeOf(vigil.keys.encryptField(db, { ...at(tenant.id, ''), plaintext: 'x' }))).toBe(
      'FIELD_CONTEXT_INVALID',
    );
    expect(
      await codeOf(
        vigil.keys.encryptField(db, { ...at(tenant.id, 'r'), subjectId: 'has space', plaintext: 'x' }),
      ),
    ).toBe('SUBJECT_ID_INVALID');
    expect(
      await codeOf(
        vigil.keys.decryptField(db, { ...at(tenant.id, 'r'), ciphertext: Buffer.from('not a ciphertext') }),
      ),
    ).toBe('CIPHERTEXT_INVALID');
  });
});
