import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { buildHttpApp } from '../main.ts';
import { HOUR_MS, MINUTE_MS } from '../shared/clock.ts';
import { CSRF_COOKIE, SESSION_COOKIE } from './identity.security.ts';
import { browserFrom, cookieValue, createActiveUser, enrollTotp, signIn } from './identity.test-support.ts';

describeEachDialect('identity sessions', (get) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildHttpApp(get().vigil);
  });
  afterAll(async () => {
    await app.close();
  });

  it('sets an HttpOnly, Secure, SameSite=Strict session cookie and a readable CSRF cookie', async () => {
    const user = await createActiveUser(get().vigil);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: user.password },
    });
    expect(res.statusCode).toBe(200);
    const cookies = res.headers['set-cookie'] as string[];
    const session = cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/Secure/);
    expect(session).toMatch(/SameSite=Strict/);
    const csrf = cookies.find((c) => c.startsWith(`${CSRF_COOKIE}=`))!;
    expect(csrf).not.toMatch(/HttpOnly/);
    // MFA is required by default: a user without a factor may only enrol.
    expect(res.json().stage).toBe('mfa_enrollment');
    const token = cookieValue(cookies, SESSION_COOKIE)!;
    const stored = await get()
      .vigil.storage.db.selectFrom('sessions')
      .select('token_hash')
      .where('tenant_id', '=', user.tenantId)
      .where('user_id', '=', user.userId)
      .execute();
    expect(stored.some((s) => s.token_hash === token)).toBe(false);
  });

  it('restricts an enrolment-stage session to the MFA enrolment routes', async () => {
    const user = await createActiveUser(get().vigil);
    const browser = await signIn(app, get(), user);
    const blocked = await app.inject({
      method: 'GET',
      url: '/api/v1/auth/sessions',
      headers: browser.headers(),
    });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('MFA_ENROLLMENT_REQUIRED');
    await enrollTotp(app, get(), browser);
    const allowed = await app.inject({
      method: 'GET',
      url: '/api/v1/auth/sessions',
      headers: browser.headers(),
    });
    expect(allowed.statusCode).toBe(200);
  });

  it('ignores a session id planted before sign-in (no fixation) and issues a new token each time', async () => {
    const user = await createActiveUser(get().vigil);
    const planted = `${SESSION_COOKIE}=vgs_attackerchosenvalue`;
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { cookie: planted },
      payload: { email: user.email, password: user.password },
    });
    const issued = cookieValue(res.headers['set-cookie'], SESSION_COOKIE)!;
    expect(issued).not.toBe('vgs_attackerchosenvalue');
    const again = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { cookie: `${SESSION_COOKIE}=${issued}` },
      payload: { email: user.email, password: user.password },
    });
    expect(cookieValue(again.headers['set-cookie'], SESSION_COOKIE)).not.toBe(issued);
    const plantedUse = await app.inject({
      method: 'GET',
      url: '/api/v1/auth/session',
      headers: { cookie: planted },
    });
    expect(plantedUse.statusCode).toBe(401);
  });

  it('refuses cookie-authenticated writes without the CSRF token or from another origin', async () => {
    const user = await createActiveUser(get().vigil);
    const browser = await signIn(app, get(), user);
    const noToken = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/totp',
      headers: browser.headers(false),
    });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().error.code).toBe('CSRF_FAILED');
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/totp',
      headers: { ...browser.headers(false), 'x-csrf-token': 'x'.repeat(43) },
    });
    expect(wrong.json().error.code).toBe('CSRF_FAILED');
    const evil = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/totp',
      headers: { ...browser.headers(true), origin: 'https://evil.example' },
    });
    expect(evil.statusCode).toBe(403);
    expect(evil.json().error.code).toBe('ORIGIN_REJECTED');
    const ok = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/totp',
      headers: { ...browser.headers(true), origin: get().vigil.identity.publicUrl },
    });
    expect(ok.statusCode).toBe(200);
  });

  it('ends a session after 15 idle minutes and after its 12-hour lifetime', async () => {
    const t = get();
    const user = await createActiveUser(t.vigil);
    const browser = await signIn(app, t, user);
    const { secret } = await enrollTotp(app, t, browser);
    t.clock.advance(14 * MINUTE_MS);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: browser.headers() }))
        .statusCode,
    ).toBe(200);
    t.clock.advance(15 * MINUTE_MS);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: browser.headers() }))
        .statusCode,
    ).toBe(401);
    const fresh = await signIn(app, t, { ...user, totpSecret: secret });
    for (let elapsed = 0; elapsed < 12 * HOUR_MS - 10 * MINUTE_MS; elapsed += 10 * MINUTE_MS) {
      t.clock.advance(10 * MINUTE_MS);
      expect(
        (await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: fresh.headers() }))
          .statusCode,
      ).toBe(200);
    }
    t.clock.advance(11 * MINUTE_MS);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: fresh.headers() })).statusCode,
    ).toBe(401);
  });

  it('lists and revokes own sessions; logout ends the current one', async () => {
    const t = get();
    const user = await createActiveUser(t.vigil);
    const first = await signIn(app, t, user);
    const { secret } = await enrollTotp(app, t, first);
    const second = await signIn(app, t, { ...user, totpSecret: secret });
    const firstId = (
      await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: first.headers() })
    ).json().sessionId;
    const list = await app.inject({ method: 'GET', url: '/api/v1/auth/sessions', headers: second.headers() });
    const sessions = list.json().sessions as { id: string; current: boolean }[];
    // The invitation acceptance, the first and the second sign-in.
    expect(sessions).toHaveLength(3);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    const revoke = await app.inject({
      method: 'DELETE',
      url: `/api/v1/auth/sessions/${firstId}`,
      headers: second.headers(true),
    });
    expect(revoke.statusCode).toBe(200);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: first.headers() })).statusCode,
    ).toBe(401);
    const out = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: second.headers(true),
    });
    expect(out.statusCode).toBe(200);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: second.headers() }))
        .statusCode,
    ).toBe(401);
  });

  it('revokes every session on password change and hands the caller a fresh one', async () => {
    const t = get();
    const user = await createActiveUser(t.vigil);
    const first = await signIn(app, t, user);
    const { secret } = await enrollTotp(app, t, first);
    const second = await signIn(app, t, { ...user, totpSecret: secret });
    const change = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: second.headers(true),
      payload: { currentPassword: user.password, newPassword: 'an entirely new long passphrase 7' },
    });
    expect(change.statusCode, change.body).toBe(200);
    const renewed = browserFrom(change.headers['set-cookie'], change.json().csrfToken);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: first.headers() })).statusCode,
    ).toBe(401);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: second.headers() }))
        .statusCode,
    ).toBe(401);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: renewed.headers() }))
        .statusCode,
    ).toBe(200);
    const actions = await t.vigil.storage.db
      .selectFrom('audit_events')
      .select('action')
      .where('tenant_id', '=', user.tenantId)
      .where('target_id', '=', user.userId)
      .execute();
    expect(actions.map((a) => a.action)).toContain('auth.password.change');
  });
});
