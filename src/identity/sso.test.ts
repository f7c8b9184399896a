import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { IDP_CLIENT, startIdp } from '../../test/harness/test-idp.ts';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { buildHttpApp } from '../main.ts';
import { MINUTE_MS } from '../shared/clock.ts';
import { systemPrincipal } from '../shared/principal.ts';
import { recheckSsoSessions } from './identity.jobs.ts';
import { browserFrom, enrollTotp, uniqueEmail } from './identity.test-support.ts';
import { totpCode } from './mfa.totp.ts';

/** Follows the IdP's redirects like a browser until it points back at Vigil. */
async function browseToCallback(start: string, callbackUrl: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = start;
  for (let hop = 0; hop < 10; hop++) {
    const res = await fetch(url, {
      redirect: 'manual',
      headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    const location = res.headers.get('location');
    if (!location) throw new Error(`IdP stopped at ${res.status}: ${(await res.text()).slice(0, 200)}`);
    url = new URL(location, url).href;
    if (url.startsWith(callbackUrl)) return new URL(url);
  }
  throw new Error('too many redirects');
}

describeEachDialect('identity OpenID Connect', (get) => {
  let app: FastifyInstance;
  let idp: Awaited<ReturnType<typeof startIdp>>;
  beforeAll(async () => {
    const { vigil } = get();
    app = await buildHttpApp(vigil);
    idp = await startIdp(vigil.identity.sso.callbackUrl);
    await vigil.identity.ssoProviders.save(
      systemPrincipal((await vigil.tenancy.ensureDefault()).id, 'test'),
      {
        slug: 'corp-idp',
        displayName: 'Corp IdP',
        issuer: idp.issuer,
        clientId: IDP_CLIENT.id,
        clientSecret: IDP_CLIENT.secret,
        groupRoles: { 'cc-supervisors': ['supervisor'] },
        jitProvisioning: true,
        enabled: true,
      },
    );
  });
  afterAll(async () => {
    await app.close();
    await idp.close();
  });

  const ssoLogin = async (sub: string) => {
    idp.loginAs(sub);
    const start = await app.inject({ method: 'GET', url: '/api/v1/auth/sso/default/corp-idp/start' });
    expect(start.statusCode, start.body).toBe(302);
    const location = new URL(start.headers.location as string);
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    const back = await browseToCallback(location.href, get().vigil.identity.sso.callbackUrl);
    return app.inject({ method: 'GET', url: `${back.pathname}${back.search}` });
  };

  it('provisions a user just in time, maps IdP groups to roles and signs them in', async () => {
    const email = uniqueEmail('sso');
    idp.accounts.set('alice', {
      email,
      name: 'Alice Sso',
      groups: ['cc-supervisors', 'other'],
      active: true,
      amr: ['pwd', 'otp'],
    });
    const done = await ssoLogin('alice');
    expect(done.statusCode, done.body).toBe(302);
    expect(done.headers.location).toBe(`${get().vigil.identity.publicUrl}/`);
    const browser = browserFrom(done.headers['set-cookie'], '');
    const session = await app.inject({
      method: 'GET',
      url: '/api/v1/auth/session',
      headers: browser.headers(),
    });
    expect(session.statusCode).toBe(200);
    expect(session.json().roles).toEqual(['supervisor']);
    expect(session.json().mfaVerifiedAt).toBe(get().clock.now());
  });

  it('ends the session at the next check once the IdP deactivates the user', async () => {
    const t = get();
    idp.accounts.set('bob', {
      email: uniqueEmail('bob'),
      name: 'Bob',
      groups: [],
      active: true,
      amr: ['mfa'],
    });
    const done = await ssoLogin('bob');
    const browser = browserFrom(done.headers['set-cookie'], '');
    const identity = t.vigil.identity;
    const deps = {
      db: t.vigil.storage.db,
      audit: t.vigil.audit,
      tenancy: t.vigil.tenancy,
      sso: identity.sso,
    };
    t.clock.advance(6 * MINUTE_MS);
    expect(
      (await recheckSsoSessions(deps, { now: t.clock.now(), signal: new AbortController().signal })).revoked,
    ).toBe(0);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: browser.headers() }))
        .statusCode,
    ).toBe(200);
    idp.accounts.get('bob')!.active = false;
    t.clock.advance(6 * MINUTE_MS);
    const report = await recheckSsoSessions(deps, {
      now: t.clock.now(),
      signal: new AbortController().signal,
    });
    expect(report.revoked).toBeGreaterThanOrEqual(1);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: browser.headers() }))
        .statusCode,
    ).toBe(401);
  });

  it('refuses a replayed or forged state', async () => {
    const email = uniqueEmail('carol');
    idp.accounts.set('carol', { email, name: 'Carol', groups: [], active: true, amr: ['pwd'] });
    idp.loginAs('carol');
    const start = await app.inject({ method: 'GET', url: '/api/v1/auth/sso/default/corp-idp/start' });
    const back = await browseToCallback(
      start.headers.location as string,
      get().vigil.identity.sso.callbackUrl,
    );
    const first = await app.inject({ method: 'GET', url: `${back.pathname}${back.search}` });
    expect(first.headers.location).toBe(`${get().vigil.identity.publicUrl}/enroll-mfa`);
    const replay = await app.inject({ method: 'GET', url: `${back.pathname}${back.search}` });
    expect(replay.headers.location).toMatch(/\/login#error=sso_failed$/);
    expect(replay.headers['set-cookie']).toBeUndefined();
  });

  it('asks a user with local factors to verify them when the IdP did not do MFA', async () => {
    const t = get();
    idp.accounts.set('dave', {
      email: uniqueEmail('dave'),
      name: 'Dave',
      groups: [],
      active: true,
      amr: ['pwd'],
    });
    const first = await ssoLogin('dave');
    expect(first.headers.location).toBe(`${t.vigil.identity.publicUrl}/enroll-mfa`);
    const enrolling = browserFrom(first.headers['set-cookie'], '');
    const csrf = (
      await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: enrolling.headers() })
    ).json().csrfToken;
    const { secret } = await enrollTotp(app, t, browserFrom(first.headers['set-cookie'], csrf));
    const second = await ssoLogin('dave');
    expect(second.headers.location).toBe(`${t.vigil.identity.publicUrl}/verify-mfa`);
    const pending = browserFrom(second.headers['set-cookie'], '');
    const blocked = await app.inject({
      method: 'GET',
      url: '/api/v1/auth/sessions',
      headers: pending.headers(),
    });
    expect(blocked.json().error.code).toBe('STEP_UP_REQUIRED');
    const token = (
      await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: pending.headers() })
    ).json().csrfToken;
    t.clock.advance(30_000);
    const stepUp = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/step-up',
      headers: { ...pending.headers(), 'x-csrf-token': token },
      payload: { proof: { method: 'totp', code: totpCode(secret, t.clock.now()) } },
    });
    expect(stepUp.statusCode, stepUp.body).toBe(200);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/auth/sessions', headers: pending.headers() }))
        .statusCode,
    ).toBe(200);
  });
});
