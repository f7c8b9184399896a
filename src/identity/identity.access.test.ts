import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { buildHttpApp } from '../main.ts';
import { systemPrincipal } from '../shared/principal.ts';
import { type Browser, createActiveUser, enrollTotp, signIn } from './identity.test-support.ts';

const ID = '0190a5a0-0000-7000-8000-000000000001';

/** Every route that needs a caller, with a well-formed request, and the access it declares. */
const ROUTES: { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; url: string; body?: unknown; admin: boolean }[] = [
  { method: 'GET', url: '/api/v1/auth/session', admin: false },
  { method: 'POST', url: '/api/v1/auth/logout', admin: false },
  { method: 'GET', url: '/api/v1/auth/sessions', admin: false },
  { method: 'DELETE', url: `/api/v1/auth/sessions/${ID}`, admin: false },
  {
    method: 'POST',
    url: '/api/v1/auth/password',
    body: { currentPassword: 'x', newPassword: 'y' },
    admin: false,
  },
  {
    method: 'POST',
    url: '/api/v1/auth/step-up',
    body: { proof: { method: 'totp', code: '123456' } },
    admin: false,
  },
  { method: 'POST', url: '/api/v1/auth/step-up/passkey-options', admin: false },
  { method: 'GET', url: '/api/v1/auth/mfa', admin: false },
  { method: 'POST', url: '/api/v1/auth/mfa/totp', admin: false },
  { method: 'POST', url: '/api/v1/auth/mfa/totp/confirm', body: { code: '123456' }, admin: false },
  { method: 'DELETE', url: '/api/v1/auth/mfa/totp', admin: false },
  { method: 'POST', url: '/api/v1/auth/mfa/passkeys/options', admin: false },
  {
    method: 'POST',
    url: '/api/v1/auth/mfa/passkeys',
    body: { name: 'k', response: { id: 'a', rawId: 'a', type: 'public-key' } },
    admin: false,
  },
  { method: 'DELETE', url: `/api/v1/auth/mfa/passkeys/${ID}`, admin: false },
  { method: 'POST', url: '/api/v1/auth/mfa/recovery-codes', admin: false },
  { method: 'GET', url: '/api/v1/users', admin: true },
  {
    method: 'POST',
    url: '/api/v1/users',
    body: { email: 'new.person@example.test', displayName: 'New' },
    admin: true,
  },
  { method: 'GET', url: `/api/v1/users/${ID}`, admin: true },
  { method: 'POST', url: `/api/v1/users/${ID}/suspend`, body: { reason: 'x' }, admin: true },
  { method: 'POST', url: `/api/v1/users/${ID}/reactivate`, admin: true },
  { method: 'POST', url: `/api/v1/users/${ID}/reset-mfa`, admin: true },
  { method: 'DELETE', url: `/api/v1/users/${ID}/sessions`, admin: true },
  { method: 'POST', url: `/api/v1/users/${ID}/invitation`, admin: true },
  { method: 'GET', url: '/api/v1/api-keys', admin: true },
  { method: 'POST', url: '/api/v1/api-keys', body: { name: 'k', scopes: ['ingest'] }, admin: true },
  { method: 'DELETE', url: `/api/v1/api-keys/${ID}`, admin: true },
  { method: 'GET', url: '/api/v1/identity/policy', admin: true },
  { method: 'PUT', url: '/api/v1/identity/policy', body: { stepUpMinutes: 5 }, admin: true },
  { method: 'GET', url: '/api/v1/sso/providers', admin: true },
  {
    method: 'PUT',
    url: '/api/v1/sso/providers/okta',
    body: { displayName: 'O', issuer: 'https://idp.example', clientId: 'c' },
    admin: true,
  },
  { method: 'DELETE', url: `/api/v1/sso/providers/${ID}`, admin: true },
];

describeEachDialect('identity route access', (get) => {
  let app: FastifyInstance;
  let agent: Browser;
  let adminA: Browser;
  let adminB: Browser;
  let userA: string;
  let keyA: string;
  beforeAll(async () => {
    const t = get();
    app = await buildHttpApp(t.vigil);
    const a = await createActiveUser(t.vigil);
    agent = await signIn(app, t, a);
    await enrollTotp(app, t, agent);
    const admin = await createActiveUser(t.vigil, { roles: ['security_admin'] });
    adminA = await signIn(app, t, admin);
    await enrollTotp(app, t, adminA);
    userA = a.userId;
    const other = await t.vigil.tenancy.create({ slug: 'other-center', name: 'Other' });
    const adminOther = await createActiveUser(t.vigil, { tenantId: other.id, roles: ['security_admin'] });
    adminB = await signIn(app, t, { ...adminOther, tenant: 'other-center' });
    await enrollTotp(app, t, adminB);
    const created = await t.vigil.identity.apiKeys.create(systemPrincipal(a.tenantId, 'test'), {
      name: 'ingest',
      scopes: ['ingest'],
    });
    keyA = created.secret;
  });
  afterAll(async () => {
    await app.close();
  });
  const send = (route: (typeof ROUTES)[number], headers: Record<string, string>, url = route.url) =>
    app.inject({
      method: route.method,
      url,
      headers,
      ...(route.body ? { payload: route.body as object } : {}),
    });

  it('refuses every non-public route without credentials (401)', async () => {
    for (const route of ROUTES) {
      const res = await send(route, {});
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
    }
  });

  it('refuses administration routes to a user without the permission (403)', async () => {
    for (const route of ROUTES.filter((r) => r.admin)) {
      const res = await send(route, agent.headers(true));
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(403);
    }
  });

  it('refuses people-only and administration routes to an API key', async () => {
    for (const route of ROUTES) {
      const res = await send(route, { authorization: `Bearer ${keyA}` });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(403);
    }
    const bogus = await app.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: { authorization: 'Bearer vgl_nope' },
    });
    expect(bogus.statusCode).toBe(401);
  });

  it("answers 404 for another tenant's user, session and key", async () => {
    const t = get();
    const other = await createActiveUser(t.vigil);
    const keys = await app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: adminA.headers() });
    const keyId = keys.json().apiKeys[0].id;
    for (const url of [`/api/v1/users/${userA}`, `/api/v1/users/${other.userId}`]) {
      expect((await app.inject({ method: 'GET', url, headers: adminB.headers() })).statusCode).toBe(404);
    }
    const suspend = await app.inject({
      method: 'POST',
      url: `/api/v1/users/${userA}/suspend`,
      headers: adminB.headers(true),
      payload: { reason: 'x' },
    });
    expect(suspend.statusCode).toBe(404);
    const revoke = await app.inject({
      method: 'DELETE',
      url: `/api/v1/api-keys/${keyId}`,
      headers: adminB.headers(true),
    });
    expect(revoke.statusCode).toBe(404);
    const mine = await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: agent.headers() });
    const session = await app.inject({
      method: 'DELETE',
      url: `/api/v1/auth/sessions/${mine.json().sessionId}`,
      headers: adminB.headers(true),
    });
    expect(session.statusCode).toBe(404);
    expect(
      (await app.inject({ method: 'GET', url: `/api/v1/users/${userA}`, headers: adminA.headers() }))
        .statusCode,
    ).toBe(200);
  });
});
