import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { buildAccessStack, createActiveUser, signIn } from '../access/access.test-support.ts';
import { buildHttpApp } from '../main.ts';
import { CARDS, ingestActor } from './vault.test-support.ts';

const REASON = 'customer asked for a refund on order 5521';
const detokenizeUrl = (token: string) => `/api/v1/vault/tokens/${token}/detokenize`;

describeEachDialect('vault HTTP API', (get) => {
  it('refuses the unauthenticated and the unauthorized on every route', async () => {
    const t = get();
    const stack = await buildAccessStack(t);
    const agent = await createActiveUser(stack, { name: 'Alex Agent', roles: ['agent'] });
    const session = await signIn(t, stack, agent, { mfa: true });
    const { token } = await t.vigil.vault.tokenize(undefined, {
      tenantId: stack.tenantId,
      pan: CARDS.visa,
      actor: ingestActor,
    });
    const app = await buildHttpApp(t.vigil);
    const routes = [
      { url: '/api/v1/vault/tokens', payload: { pan: CARDS.visa } },
      { url: detokenizeUrl(token), payload: { reason: REASON } },
    ];
    for (const route of routes) {
      const anonymous = await app.inject({ method: 'POST', ...route });
      expect(anonymous.statusCode).toBe(401);
      const denied = await app.inject({ method: 'POST', ...route, headers: session.headers(true) });
      expect(denied.statusCode).toBe(403);
      expect(denied.body).not.toContain(CARDS.visa);
    }
    await app.close();
  });

  it('tokenizes and detokenizes for a payments specialist who completed MFA', async () => {
    const t = get();
    const stack = await buildAccessStack(t);
    const specialist = await createActiveUser(stack, {
      name: 'Pat Payments',
      roles: ['payments_specialist'],
    });
    const session = await signIn(t, stack, specialist, { mfa: true });
    const app = await buildHttpApp(t.vigil);
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/vault/tokens',
      headers: session.headers(true),
      payload: { pan: '3782 822463 10005', expiry: '11/29' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const body = created.json();
    expect(body).toMatchObject({ brand: 'amex', last4: '0005', expiry: '11/29', created: true });
    expect(created.body).not.toContain(CARDS.amex);
    const again = await app.inject({
      method: 'POST',
      url: '/api/v1/vault/tokens',
      headers: session.headers(true),
      payload: { pan: CARDS.amex },
    });
    expect(again.statusCode).toBe(200);
    expect(again.json().token).toBe(body.token);

    const revealed = await app.inject({
      method: 'POST',
      url: detokenizeUrl(body.token),
      headers: session.headers(true),
      payload: { reason: REASON },
    });
    expect(revealed.statusCode, revealed.body).toBe(200);
    expect(revealed.json()).toEqual({ pan: CARDS.amex, brand: 'amex', last4: '0005', expiry: '11/29' });
    expect(revealed.headers['cache-control']).toBe('no-store');
    const noReason = await app.inject({
      method: 'POST',
      url: detokenizeUrl(body.token),
      headers: session.headers(true),
      payload: { reason: 'because' },
    });
    expect(noReason.statusCode).toBe(400);
    await app.close();
  });

  it('refuses a security code or PIN sent with the card, without echoing anything', async () => {
    const t = get();
    const stack = await buildAccessStack(t);
    const specialist = await createActiveUser(stack, {
      name: 'Pat Payments',
      roles: ['payments_specialist'],
    });
    const session = await signIn(t, stack, specialist, { mfa: true });
    const app = await buildHttpApp(t.vigil);
    for (const extra of [{ cvv: '737' }, { cvc: '737' }, { pin: '4821' }]) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/vault/tokens',
        headers: session.headers(true),
        payload: { pan: CARDS.mastercard, ...extra },
      });
      expect(response.statusCode).toBe(400);
      expect(response.body).not.toContain(CARDS.mastercard);
      expect(response.body).not.toMatch(/737|4821/);
    }
    const invalid = await app.inject({
      method: 'POST',
      url: '/api/v1/vault/tokens',
      headers: session.headers(true),
      payload: { pan: '5555555555554445' },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.code).toBe('PAN_INVALID');
    expect(invalid.body).not.toContain('5555555555554445');
    const stored = await t.vigil.storage.db
      .selectFrom('vault_tokens')
      .select('token')
      .where('tenant_id', '=', stack.tenantId)
      .execute();
    expect(stored).toHaveLength(0);
    await app.close();
  });

  it("answers 404 for another tenant's token", async () => {
    const t = get();
    const mine = await buildAccessStack(t);
    const theirs = await buildAccessStack(t);
    const specialist = await createActiveUser(mine, { name: 'Pat Payments', roles: ['payments_specialist'] });
    const session = await signIn(t, mine, specialist, { mfa: true });
    const { token } = await t.vigil.vault.tokenize(undefined, {
      tenantId: theirs.tenantId,
      pan: CARDS.visa,
      actor: ingestActor,
    });
    const app = await buildHttpApp(t.vigil);
    const response = await app.inject({
      method: 'POST',
      url: detokenizeUrl(token),
      headers: session.headers(true),
      payload: { reason: REASON },
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('TOKEN_NOT_FOUND');
    await app.close();
  });
});
