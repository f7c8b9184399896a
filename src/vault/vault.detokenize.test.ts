import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import type { Vigil } from '../main.ts';
import { MINUTE_MS } from '../shared/clock.ts';
import { isAppError } from '../shared/errors.ts';
import { createVaultService } from './index.ts';
import { agent, CARDS, ingestActor, paymentsSpecialist } from './vault.test-support.ts';

const REASON = 'refund for order 1042 requested by the customer';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return isAppError(error) ? error.code : (error as Error).message;
  }
}

async function detokenizeEvents(vigil: Vigil, tenantId: string) {
  return vigil.storage.db
    .selectFrom('audit_events')
    .select(['outcome', 'reason', 'actor_id', 'target_id', 'details'])
    .where('tenant_id', '=', tenantId)
    .where('action', '=', 'vault.detokenize')
    .orderBy('seq')
    .execute();
}

describeEachDialect('vault detokenize', (get) => {
  it('returns the card to a permitted principal with a reason, and audits who, why and which token', async () => {
    const { vigil, clock } = get();
    const tenant = await vigil.tenancy.create({ slug: 'vd-ok', name: 'Ok' });
    const { token } = await vigil.vault.tokenize(undefined, {
      tenantId: tenant.id,
      pan: CARDS.visa,
      expiry: '12/30',
      actor: ingestActor,
    });
    const result = await vigil.vault.detokenize({
      tenantId: tenant.id,
      token,
      actor: paymentsSpecialist(tenant.id, clock),
      reason: `  ${REASON}  `,
    });
    expect(result).toEqual({ pan: CARDS.visa, brand: 'visa', last4: '4242', expiry: '12/30' });
    const events = await detokenizeEvents(vigil, tenant.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      outcome: 'success',
      reason: REASON,
      actor_id: 'u-payments',
      target_id: token,
    });
    expect(JSON.stringify(events)).not.toContain(CARDS.visa);
  });

  it('refuses a principal without the permission, and audits the denial', async () => {
    const { vigil, clock } = get();
    const tenant = await vigil.tenancy.create({ slug: 'vd-deny', name: 'Deny' });
    const { token } = await vigil.vault.tokenize(undefined, {
      tenantId: tenant.id,
      pan: CARDS.amex,
      actor: ingestActor,
    });
    expect(
      await codeOf(
        vigil.vault.detokenize({
          tenantId: tenant.id,
          token,
          actor: agent(tenant.id, clock),
          reason: REASON,
        }),
      ),
    ).toBe('DETOKENIZE_FORBIDDEN');
    // Holding the role without a recent MFA step-up is not enough either.
    const stale = {
      ...paymentsSpecialist(tenant.id, clock),
      mfaVerifiedAt: clock.now() - 24 * 60 * MINUTE_MS,
    };
    expect(
      await codeOf(vigil.vault.detokenize({ tenantId: tenant.id, token, actor: stale, reason: REASON })),
    ).toBe('DETOKENIZE_FORBIDDEN');
    const events = await detokenizeEvents(vigil, tenant.id);
    expect(events.map((e) => e.outcome)).toEqual(['denied', 'denied']);
  });

  it('requires a real reason', async () => {
    const { vigil, clock } = get();
    const tenant = await vigil.tenancy.create({ slug: 'vd-reason', name: 'Reason' });
    const { token } = await vigil.vault.tokenize(undefined, {
      tenantId: tenant.id,
      pan: CARDS.jcb,
      actor: ingestActor,
    });
    for (const reason of ['', '   ', 'because', 'x'.repeat(501)]) {
      expect(
        await codeOf(
          vigil.vault.detokenize({
            tenantId: tenant.id,
            token,
            actor: paymentsSpecialist(tenant.id, clock),
            reason,
          }),
        ),
      ).toBe('REASON_REQUIRED');
    }
  });

  it("answers not found for another tenant's token and for unknown tokens", async () => {
    const { vigil, clock } = get();
    const mine = await vigil.tenancy.create({ slug: 'vd-mine', name: 'Mine' });
    const theirs = await vigil.tenancy.create({ slug: 'vd-theirs', name: 'Theirs' });
    const { token } = await vigil.vault.tokenize(undefined, {
      tenantId: theirs.id,
      pan: CARDS.visa,
      actor: ingestActor,
    });
    const me = paymentsSpecialist(mine.id, clock);
    expect(
      await codeOf(vigil.vault.detokenize({ tenantId: mine.id, token, actor: me, reason: REASON })),
    ).toBe('TOKEN_NOT_FOUND');
    // A principal of one tenant cannot name another tenant either.
    expect(
      await codeOf(vigil.vault.detokenize({ tenantId: theirs.id, token, actor: me, reason: REASON })),
    ).toBe('TOKEN_NOT_FOUND');
    expect(
      await codeOf(
        vigil.vault.detokenize({
          tenantId: mine.id,
          token: 'tok_4242_AAAAAAAAAAAAAAAAAAAAAAAA',
          actor: me,
          reason: REASON,
        }),
      ),
    ).toBe('TOKEN_NOT_FOUND');
    const failures = await detokenizeEvents(vigil, mine.id);
    expect(failures.map((e) => e.outcome)).toEqual(['failure', 'failure']);
  });

  it('refuses an expired card as gone', async () => {
    const { vigil, clock } = get();
    const tenant = await vigil.tenancy.create({ slug: 'vd-expired', name: 'Expired' });
    const now = new Date(clock.now());
    const expiry = `${String(now.getUTCMonth() + 1).padStart(2, '0')}/${String(now.getUTCFullYear() % 100)}`;
    const { token } = await vigil.vault.tokenize(undefined, {
      tenantId: tenant.id,
      pan: CARDS.mastercard,
      expiry,
      actor: ingestActor,
    });
    clock.advance(32 * 24 * 60 * MINUTE_MS);
    expect(
      await codeOf(
        vigil.vault.detokenize({
          tenantId: tenant.id,
          token,
          actor: paymentsSpecialist(tenant.id, clock),
          reason: REASON,
        }),
      ),
    ).toBe('TOKEN_EXPIRED');
  });

  it('rate-limits each actor with a sliding window, and audits the refusals', async () => {
    const { vigil, clock } = get();
    const tenant = await vigil.tenancy.create({ slug: 'vd-rate', name: 'Rate' });
    const vault = createVaultService({
      db: vigil.storage.db,
      dialect: vigil.storage.dialect,
      clock: vigil.clock,
      ids: vigil.ids,
      keys: vigil.keys,
      audit: vigil.audit,
      authorize: (principal, permission, context) => vigil.access.gate.holds(principal, permission, context),
      detokenizeLimit: { max: 3, windowMs: 10 * MINUTE_MS },
    });
    const { token } = await vault.tokenize(undefined, {
      tenantId: tenant.id,
      pan: CARDS.visa,
      actor: ingestActor,
    });
    const ask = (id = 'u-payments') =>
      vault.detokenize({
        tenantId: tenant.id,
        token,
        actor: paymentsSpecialist(tenant.id, clock, id),
        reason: REASON,
      });
    await ask();
    clock.advance(4 * MINUTE_MS);
    await ask();
    await ask();
    const limited = await ask().catch((e: unknown) => e);
    expect(isAppError(limited) && limited.code).toBe('DETOKENIZE_RATE_LIMITED');
    expect(isAppError(limited) && limited.details).toEqual({ retryAfterSeconds: 6 * 60 });
    expect((await ask('u-other')).pan).toBe(CARDS.visa); // another actor has its own window
    clock.advance(6 * MINUTE_MS); // the first attempt slides out of the window: one slot frees up
    expect((await ask()).pan).toBe(CARDS.visa);
    expect(await codeOf(ask())).toBe('DETOKENIZE_RATE_LIMITED');
    const outcomes = (await detokenizeEvents(vigil, tenant.id)).map((e) => e.outcome);
    expect(outcomes.filter((o) => o === 'denied')).toHaveLength(2);
    expect(outcomes.filter((o) => o === 'success')).toHaveLength(5);
  });

  it('holds the limit under concurrent requests from one actor', async () => {
    const { vigil, clock } = get();
    const tenant = await vigil.tenancy.create({ slug: 'vd-rate-conc', name: 'Conc' });
    const vault = createVaultService({
      db: vigil.storage.db,
      dialect: vigil.storage.dialect,
      clock: vigil.clock,
      ids: vigil.ids,
      keys: vigil.keys,
      audit: vigil.audit,
      authorize: (principal, permission, context) => vigil.access.gate.holds(principal, permission, context),
      detokenizeLimit: { max: 4, windowMs: 10 * MINUTE_MS },
    });
    const { token } = await vault.tokenize(undefined, {
      tenantId: tenant.id,
      pan: CARDS.amex,
      actor: ingestActor,
    });
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        codeOf(
          vault.detokenize({
            tenantId: tenant.id,
            token,
            actor: paymentsSpecialist(tenant.id, clock),
            reason: REASON,
          }),
        ),
      ),
    );
    expect(results.filter((r) => r === 'resolved')).toHaveLength(4);
    expect(results.filter((r) => r === 'DETOKENIZE_RATE_LIMITED')).toHaveLength(6);
  });
});
