import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { TOKEN_PATTERN } from './index.ts';
import { CARDS, ingestActor } from './vault.test-support.ts';

describeEachDialect('vault tokenizeMany', (get) => {
  it('gives the tokens tokenize would, one per card, and audits every card number given', async () => {
    const { vigil } = get();
    const tenant = await vigil.tenancy.create({ slug: 'vtm-same', name: 'Same' });
    const known = await vigil.vault.tokenize(undefined, {
      tenantId: tenant.id,
      pan: CARDS.amex,
      actor: ingestActor,
    });
    const pans = [CARDS.visa, CARDS.mastercard, '4242 4242-4242 4242', CARDS.amex];
    const results = await vigil.storage.db
      .transaction()
      .execute((trx) => vigil.vault.tokenizeMany(trx, { tenantId: tenant.id, pans, actor: ingestActor }));
    expect(results.map((r) => r.created)).toEqual([true, true, false, false]);
    expect(results[0]!.token).toMatch(TOKEN_PATTERN);
    expect(results[2]!.token).toBe(results[0]!.token);
    expect(results[3]!.token).toBe(known.token);
    const later = await vigil.vault.tokenize(undefined, {
      tenantId: tenant.id,
      pan: CARDS.mastercard,
      actor: ingestActor,
    });
    expect(later).toMatchObject({ token: results[1]!.token, created: false });
    const rows = await vigil.storage.db
      .selectFrom('vault_tokens')
      .selectAll()
      .where('tenant_id', '=', tenant.id)
      .execute();
    expect(rows).toHaveLength(3);
    const atRest = rows
      .map((r) => JSON.stringify(r) + Buffer.from(r.pan_ciphertext).toString('latin1'))
      .join();
    for (const pan of Object.values(CARDS)) expect(atRest).not.toContain(pan);
    const events = await vigil.storage.db
      .selectFrom('audit_events')
      .select(['action', 'target_id', 'details'])
      .where('tenant_id', '=', tenant.id)
      .orderBy('seq')
      .execute();
    // One for the earlier tokenize, one per card number of the batch, one for the later tokenize.
    expect(events.map((e) => e.action)).toEqual(Array(6).fill('vault.tokenize'));
    expect(events.slice(1, 5).map((e) => e.target_id)).toEqual(results.map((r) => r.token));
    expect(events.some((e) => (e.details ?? '').includes(CARDS.visa))).toBe(false);
  });

  it('writes nothing when the caller’s transaction rolls back', async () => {
    const { vigil } = get();
    const tenant = await vigil.tenancy.create({ slug: 'vtm-rollback', name: 'Rollback' });
    await expect(
      vigil.storage.db.transaction().execute(async (trx) => {
        await vigil.vault.tokenizeMany(trx, { tenantId: tenant.id, pans: [CARDS.jcb], actor: ingestActor });
        throw new Error('batch failed');
      }),
    ).rejects.toThrow('batch failed');
    const count = async (table: 'vault_tokens' | 'audit_events') =>
      (
        await vigil.storage.db
          .selectFrom(table)
          .select('tenant_id')
          .where('tenant_id', '=', tenant.id)
          .execute()
      ).length;
    expect(await count('vault_tokens')).toBe(0);
    expect(await count('audit_events')).toBe(0);
    const [again] = await vigil.storage.db
      .transaction()
      .execute((trx) =>
        vigil.vault.tokenizeMany(trx, { tenantId: tenant.id, pans: [CARDS.jcb], actor: ingestActor }),
      );
    expect(again!.created).toBe(true);
  });

  it('refuses an invalid card number whole, naming no digits', async () => {
    const { vigil } = get();
    const tenant = await vigil.tenancy.create({ slug: 'vtm-invalid', name: 'Invalid' });
    const failure = await vigil.storage.db
      .transaction()
      .execute((trx) =>
        vigil.vault.tokenizeMany(trx, {
          tenantId: tenant.id,
          pans: [CARDS.visa, '4242424242424241'],
          actor: ingestActor,
        }),
      )
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    expect(String((failure as Error).message)).not.toContain('424242');
    const rows = await vigil.storage.db
      .selectFrom('vault_tokens')
      .select('token')
      .where('tenant_id', '=', tenant.id)
      .execute();
    expect(rows).toHaveLength(0);
  });
});
