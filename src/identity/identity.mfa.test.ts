import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { buildHttpApp } from '../main.ts';
import { MINUTE_MS } from '../shared/clock.ts';
import { createActiveUser, enrollTotp, signIn } from './identity.test-support.ts';
import { totpCode } from './mfa.totp.ts';

describeEachDialect('identity MFA', (get) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildHttpApp(get().vigil);
  });
  afterAll(async () => {
    await app.close();
  });

  const passwordStep = async (email: string, password: string) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
    expect(res.json().status).toBe('mfa_required');
    return res.json().challengeToken as string;
  };
  const mfaStep = (challengeToken: string, proof: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: '/api/v1/auth/login/mfa', payload: { challengeToken, proof } });

  it('enrols TOTP with a QR code and 10 single-use recovery codes, shown once', async () => {
    const t = get();
    const user = await createActiveUser(t.vigil);
    const browser = await signIn(app, t, user);
    const begin = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/totp',
      headers: browser.headers(true),
    });
    expect(begin.json().qrDataUrl).toMatch(/^data:image\/png;base64,/);
    expect(begin.json().uri).toMatch(/^otpauth:\/\/totp\/Vigil:/);
    const confirm = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/totp/confirm',
      headers: browser.headers(true),
      payload: { code: totpCode(begin.json().secret, t.clock.now()) },
    });
    const codes = confirm.json().recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const stored = await t.vigil.storage.db
      .selectFrom('totp_credentials')
      .select('secret_enc')
      .where('tenant_id', '=', user.tenantId)
      .where('user_id', '=', user.userId)
      .executeTakeFirstOrThrow();
    expect(stored.secret_enc).not.toContain(begin.json().secret);
    const recovery = await t.vigil.storage.db
      .selectFrom('recovery_codes')
      .select('code_hash')
      .where('tenant_id', '=', user.tenantId)
      .where('user_id', '=', user.userId)
      .execute();
    expect(recovery.map((r) => r.code_hash)).not.toContain(codes[0]);
  });

  it('refuses a replayed TOTP code and accepts one step of drift', async () => {
    const t = get();
    const user = await createActiveUser(t.vigil);
    const { secret } = await enrollTotp(app, t, await signIn(app, t, user));
    t.clock.advance(60_000);
    const code = totpCode(secret, t.clock.now());
    expect(
      (await mfaStep(await passwordStep(user.email, user.password), { method: 'totp', code })).statusCode,
    ).toBe(200);
    const replay = await mfaStep(await passwordStep(user.email, user.password), { method: 'totp', code });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('MFA_INVALID');
    t.clock.advance(60_000);
    const late = totpCode(secret, t.clock.now() - 30_000);
    expect(
      (await mfaStep(await passwordStep(user.email, user.password), { method: 'totp', code: late }))
        .statusCode,
    ).toBe(200);
    const tooOld = totpCode(secret, t.clock.now() - 90_000);
    expect(
      (await mfaStep(await passwordStep(user.email, user.password), { method: 'totp', code: tooOld }))
        .statusCode,
    ).toBe(401);
  });

  it('accepts each recovery code once', async () => {
    const t = get();
    const user = await createActiveUser(t.vigil);
    const { recoveryCodes } = await enrollTotp(app, t, await signIn(app, t, user));
    const code = recoveryCodes[3]!;
    expect(
      (
        await mfaStep(await passwordStep(user.email, user.password), {
          method: 'recovery',
          code: code.toUpperCase(),
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (await mfaStep(await passwordStep(user.email, user.password), { method: 'recovery', code })).statusCode,
    ).toBe(401);
  });

  it('locks the account when second factors are guessed, like passwords', async () => {
    const t = get();
    const user = await createActiveUser(t.vigil);
    const { secret } = await enrollTotp(app, t, await signIn(app, t, user));
    for (let i = 0; i < 10; i++) {
      const challenge = await passwordStep(user.email, user.password);
      expect((await mfaStep(challenge, { method: 'totp', code: '000000' })).statusCode).toBe(401);
    }
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: user.password },
    });
    expect(res.statusCode).toBe(401);
    t.clock.advance(31 * MINUTE_MS);
    await signIn(app, t, { ...user, totpSecret: secret });
  });

  it('requires a recent step-up for sensitive changes and grants it for 5 minutes', async () => {
    const t = get();
    const user = await createActiveUser(t.vigil);
    const { secret } = await enrollTotp(app, t, await signIn(app, t, user));
    const browser = await signIn(app, t, { ...user, totpSecret: secret });
    t.clock.advance(6 * MINUTE_MS);
    const refused = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/recovery-codes',
      headers: browser.headers(true),
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('STEP_UP_REQUIRED');
    const stepUp = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/step-up',
      headers: browser.headers(true),
      payload: { proof: { method: 'totp', code: totpCode(secret, t.clock.now()) } },
    });
    expect(stepUp.statusCode, stepUp.body).toBe(200);
    const session = await app.inject({
      method: 'GET',
      url: '/api/v1/auth/session',
      headers: browser.headers(),
    });
    expect(session.json().mfaVerifiedAt).toBe(t.clock.now());
    const allowed = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/recovery-codes',
      headers: browser.headers(true),
    });
    expect(allowed.statusCode).toBe(200);
    expect(allowed.json().recoveryCodes).toHaveLength(10);
    const removeLast = await app.inject({
      method: 'DELETE',
      url: '/api/v1/auth/mfa/totp',
      headers: browser.headers(true),
    });
    expect(removeLast.json().error.code).toBe('MFA_LAST_FACTOR');
  });
});
