import { createHmac, createSecretKey, hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { isAppError } from '../shared/errors.ts';
import type { Db } from '../storage/index.ts';
import { normalizeForIndex } from './blind-index.ts';
import { dataKeyAad, kekAad, unwrapKey } from './key-wrap.ts';

describe('blind index normalization', () => {
  it('makes the ways people write the same value meet', () => {
    expect(normalizeForIndex('phone', '+44 20 7946 0958')).toBe(
      normalizeForIndex('phone', '0044-20-7946-0958'),
    );
    expect(normalizeForIndex('phone', '(415) 555-0100')).toBe('4155550100');
    expect(normalizeForIndex('email', '  Ada@Example.COM ')).toBe('ada@example.com');
    expect(normalizeForIndex('card', '4242 4242-4242 4242')).toBe('4242424242424242');
    expect(normalizeForIndex('name', '  Ada \t  LOVELACE ')).toBe('ada lovelace');
    // NFKC: full-width digits and compatibility characters fold to their plain forms.
    expect(normalizeForIndex('phone', '４１５５５５０１００')).toBe('4155550100');
  });

  it('refuses values that normalize to nothing', () => {
    for (const [kind, value] of [
      ['phone', '+ ( ) -'],
      ['email', '   '],
      ['card', 'abcd'],
    ] as const) {
      expect(() => normalizeForIndex(kind, value)).toThrow(
        expect.objectContaining({ code: 'BLIND_INDEX_VALUE_EMPTY' }),
      );
    }
  });
});

describeEachDialect('blind indexes', (get) => {
  it('is a keyed HMAC-SHA-256 of the normalized value, per tenant and per kind', async () => {
    const { vigil } = get();
    const db = vigil.storage.db;
    const a = await vigil.tenancy.create({ slug: 'bidx-a', name: 'A' });
    const b = await vigil.tenancy.create({ slug: 'bidx-b', name: 'B' });
    const email = await vigil.keys.blindIndex(db, {
      tenantId: a.id,
      kind: 'email',
      value: 'Ada@Example.com',
    });
    expect(email).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(
      await vigil.keys.blindIndex(db, { tenantId: a.id, kind: 'email', value: ' ada@example.COM' }),
    ).toBe(email);
    expect(
      await vigil.keys.blindIndex(db, { tenantId: b.id, kind: 'email', value: 'ada@example.com' }),
    ).not.toBe(email);
    const asName = await vigil.keys.blindIndex(db, {
      tenantId: a.id,
      kind: 'name',
      value: 'ada@example.com',
    });
    expect(asName).not.toBe(email);

    // Known answer, computed independently from the stored index key: HKDF per kind, then HMAC.
    const slot = await db
      .selectFrom('crypto_key_slots as s')
      .innerJoin('crypto_data_keys as k', (j) =>
        j.onRef('k.tenant_id', '=', 's.tenant_id').onRef('k.key_id', '=', 's.key_id'),
      )
      .select(['k.key_id', 'k.version', 'k.kek_version', 'k.wrapped_key'])
      .where('s.tenant_id', '=', a.id)
      .where('s.name', '=', 'index')
      .executeTakeFirstOrThrow();
    const kekRow = await db
      .selectFrom('crypto_keks')
      .select(['wrapped_key'])
      .where('tenant_id', '=', a.id)
      .where('domain', '=', 'data')
      .where('version', '=', slot.kek_version)
      .executeTakeFirstOrThrow();
    const kek = await vigil.keys.provider.unwrap(
      Buffer.from(kekRow.wrapped_key!),
      kekAad(a.id, 'data', slot.kek_version),
    );
    const indexKey = unwrapKey(
      createSecretKey(kek),
      Buffer.from(slot.wrapped_key),
      dataKeyAad(a.id, slot.key_id, slot.version, 'data'),
    );
    const kindKey = Buffer.from(hkdfSync('sha256', indexKey, a.id, 'vigil/blind-index/v1/email', 32));
    expect(createHmac('sha256', kindKey).update('ada@example.com').digest('base64url')).toBe(email);
  });

  it('keys card fingerprints under the vault hierarchy, apart from other indexes', async () => {
    const { vigil } = get();
    const db: Db = vigil.storage.db;
    const t = await vigil.tenancy.create({ slug: 'bidx-card', name: 'Card' });
    const card = await vigil.keys.blindIndex(db, {
      tenantId: t.id,
      kind: 'card',
      value: '4242 4242 4242 4242',
    });
    expect(await vigil.keys.blindIndex(db, { tenantId: t.id, kind: 'card', value: '4242424242424242' })).toBe(
      card,
    );
    const slots = await db
      .selectFrom('crypto_key_slots')
      .select(['name', 'domain'])
      .where('tenant_id', '=', t.id)
      .execute();
    expect(slots).toEqual([{ name: 'vault-index', domain: 'vault' }]);
    const bad = await vigil.keys
      .blindIndex(db, { tenantId: t.id, kind: 'shoe-size' as never, value: '42' })
      .catch((e: unknown) => e);
    expect(isAppError(bad) && bad.code).toBe('BLIND_INDEX_KIND_INVALID');
  });
});
