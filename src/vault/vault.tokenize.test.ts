import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { isAppError } from '../shared/errors.ts';
import type { Db } from '../storage/index.ts';
import { TOKEN_PATTERN } from './index.ts';
import { CARDS, ingestActor } from './vault.test-support.ts';

async function errorOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describeEachDialect('vault tokenize', (get) => {
  it('returns a random token showing the last four, and the same token for the same card', async () => {
    const { vigil } = get();
    const tenant = await vigil.tenancy.create({ slug: 'vt-same', name: 'Same' });
    const first = await vigil.vault.tokenize(undefined, {
      tenantId: tenant.id,
      pan: CARDS.visa,
      actor: ingestActor,
    });
    expect(first).toMatchObject({
      brand: 'visa',
      last4: '4242',
      maskedPan: '••••••••••••4242',
      created: true,
      expiry: null,
    });
    expect(first.token).toMatch(TOKEN_PATTERN);
    expect(first.token.startsWith('tok_4242_')).toBe(true);
    const again = await vigil.vault.tokenize(undefined, {
      tenantId: tenant.id,
      pan: '4242 4242-4242 4242',
      actor: ingestActor,
    });
    expect(again).toMatchObject({ token: first.token, created: false });
    const other = await vigil.vault.tokenize(undefined, {
      tenantId: tenant.id,
      pan: CARDS.mastercard,
      actor: ingestActor,
    });
    expect(other.token).not.toBe(first.token);
    expect(other.brand).toBe('mastercard');
  });

  it('is not derivable from the card: the same card gets unrelated tokens and fingerprints in two tenants', async () => {
    const { vigil } = get();
    const a = await vigil.tenancy.create({ slug: 'vt-a', name: 'A' });
    const b = await vigil.tenancy.create({ slug: 'vt-b', name: 'B' });
    const ta = await vigil.vault.tokenize(undefined, { tenantId: a.id, pan: CARDS.amex, actor: ingestActor });
    const tb = await vigil.vault.tokenize(undefined, { tenantId: b.id, pan: CARDS.amex, actor: ingestActor });
    expect(ta.token).not.toBe(tb.token);
    const rows = await Promise.all(
      [a.id, b.id].map((tenantId) =>
        vigil.storage.db
          .selectFrom('vault_tokens')
          .select(['fingerprint', 'pan_ciphertext', 'last4'])
          .where('tenant_id', '=', tenantId)
          .executeTakeFirstOrThrow(),
      ),
    );
    expect(rows[0]!.fingerprint).not.toBe(rows[1]!.fingerprint);
    for (const row of rows) {
      expect(Buffer.from(row.pan_ciphertext).includes(Buffer.from(CARDS.amex))).toBe(false);
      expect(row.last4).toBe('0005');
    }
  });

  it('refuses invalid card numbers whole, naming the failed check and never the number', async () => {
    const { vigil } = get();
    const tenant = await vigil.tenancy.create({ slug: 'vt-bad', name: 'Bad' });
    for (const pan of ['4242424242424241', '1234', '9999999999999995', '4242-4242-4242-424X']) {
      const error = await errorOf(
        vigil.vault.tokenize(undefined, { tenantId: tenant.id, pan, actor: ingestActor }),
      );
      expect(isAppError(error) && error.code).toBe('PAN_INVALID');
      expect((error as Error).message).not.toContain(pan.slice(0, 10));
    }
    const count = await vigil.storage.db
      .selectFrom('vault_tokens')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('tenant_id', '=', tenant.id)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('keeps an expiry per token and takes a reissued card’s new expiry', async () => {
    const { vigil } = get();
    const tenant = await vigil.tenancy.create({ slug: 'vt-exp', name: 'Exp' });
    const first = await vigil.vault.tokenize(undefined, {
      tenantId: tenant.id,
      pan: CARDS.discover,
      expiry: '09/27',
      actor: ingestActor,
    });
    expect(first.expiry).toBe('09/27');
    const reissued = await vigil.vault.tokenize(undefined, {
      tenantId: tenant.id,
      pan: CARDS.discover,
      expiry: '2030-01',
      actor: ingestActor,
    });
    expect(reissued).toMatchObject({ token: first.token, expiry: '01/30', created: false });
    const error = await errorOf(
      vigil.vault.tokenize(undefined, {
        tenantId: tenant.id,
        pan: CARDS.jcb,
        expiry: '13/27',
        actor: ingestActor,
      }),
    );
    expect(isAppError(error) && error.code).toBe('EXPIRY_INVALID');
  });

  it("joins the caller's transaction: rolled back, neither the token nor its audit event remains", async () => {
    const { vigil } = get();
    const tenant = await vigil.tenancy.create({ slug: 'vt-trx', name: 'Trx' });
    await expect(
      vigil.storage.db.transaction().execute(async (trx) => {
        await vigil.vault.tokenize(trx as Db, { tenantId: tenant.id, pan: CARDS.visa, actor: ingestActor });
        throw new Error('ingest failed');
      }),
    ).rejects.toThrow('ingest failed');
    const tokens = await vigil.storage.db
      .selectFrom('vault_tokens')
      .select('token')
      .where('tenant_id', '=', tenant.id)
      .execute();
    const events = await vigil.storage.db
      .selectFrom('audit_events')
      .select('action')
      .where('tenant_id', '=', tenant.id)
      .execute();
    expect(tokens).toHaveLength(0);
    expect(events).toHaveLength(0);
    const later = await vigil.vault.tokenize(undefined, {
      tenantId: tenant.id,
      pan: CARDS.visa,
      actor: ingestActor,
    });
    expect(later.created).toBe(true);
  });

  it('gives concurrent tokenizations of one card one token, and audits each', async () => {
    const { vigil } = get();
    const tenant = await vigil.tenancy.create({ slug: 'vt-race', name: 'Race' });
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        vigil.vault.tokenize(undefined, { tenantId: tenant.id, pan: CARDS.mastercard, actor: ingestActor }),
      ),
    );
    expect(new Set(results.map((r) => r.token)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const events = await vigil.storage.db
      .selectFrom('audit_events')
      .select(['action', 'actor_type', 'actor_id', 'details'])
      .where('tenant_id', '=', tenant.id)
      .execute();
    expect(events).toHaveLength(5);
    expect(events[0]).toMatchObject({
      action: 'vault.tokenize',
      actor_type: 'api_key',
      actor_id: 'key-ingest',
    });
    expect(events.some((e) => (e.details ?? '').includes(CARDS.mastercard))).toBe(false);
  });
});
