import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { buildHttpApp } from '../main.ts';
import { systemPrincipal } from '../shared/principal.ts';

const SECRET = 'client-secret-never-shown-0123456789';

/** The public list behind the sign-in page's SSO button: names and start URLs, for one tenant only. */
describeEachDialect('identity SSO sign-in options', (get) => {
  let app: FastifyInstance;
  const provider = (slug: string, displayName: string, enabled: boolean) => ({
    slug,
    displayName,
    issuer: `https://${slug}.idp.example.test`,
    clientId: `vigil-${slug}`,
    clientSecret: SECRET,
    groupRoles: {},
    jitProvisioning: false,
    enabled,
  });
  const options = (tenant: string) =>
    app.inject({ method: 'GET', url: `/api/v1/auth/sso/${tenant}/providers` });

  beforeAll(async () => {
    const { vigil } = get();
    app = await buildHttpApp(vigil);
    const main = systemPrincipal((await vigil.tenancy.ensureDefault()).id, 'test');
    await vigil.identity.ssoProviders.save(main, provider('corp-idp', 'Corporate login', true));
    await vigil.identity.ssoProviders.save(main, provider('old-idp', 'Retired IdP', false));
    const other = await vigil.tenancy.create({ slug: 'other-co', name: 'Other Co' });
    await vigil.identity.ssoProviders.save(
      systemPrincipal(other.id, 'test'),
      provider('other-idp', 'Other login', true),
    );
  });
  afterAll(async () => {
    await app.close();
  });

  it('lists only enabled providers, with display names and start URLs and nothing else', async () => {
    const response = await options('default');
    expect(response.statusCode, response.body).toBe(200);
    const { providers } = response.json();
    expect(providers).toEqual([
      {
        displayName: 'Corporate login',
        startUrl: `${get().vigil.identity.publicUrl}/api/v1/auth/sso/default/corp-idp/start`,
      },
    ]);
    expect(response.body).not.toContain(SECRET);
    expect(response.body).not.toContain('idp.example.test');
    expect(response.body).not.toContain('vigil-corp-idp');
  });

  it('answers for the tenant asked only, and the same for an unknown tenant as for one without providers', async () => {
    expect(
      (await options('other-co')).json().providers.map((p: { displayName: string }) => p.displayName),
    ).toEqual(['Other login']);
    const unknown = await options('no-such-tenant');
    expect(unknown.statusCode).toBe(200);
    expect(unknown.json()).toEqual({ providers: [] });
    await get().vigil.tenancy.create({ slug: 'no-sso-co', name: 'No SSO' });
    const none = await options('no-sso-co');
    expect(none.statusCode).toBe(200);
    expect(none.body).toBe(unknown.body);
  });

  it('refuses a malformed tenant name without echoing it', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/auth/sso/NOT_A_SLUG!/providers' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/tenant/);
  });

  it('never returns a client secret to administrators either', async () => {
    const providers = await get().vigil.identity.ssoProviders.list(
      (await get().vigil.tenancy.ensureDefault()).id,
    );
    expect(JSON.stringify(providers)).not.toContain(SECRET);
    expect(providers.find((p) => p.slug === 'corp-idp')?.hasClientSecret).toBe(true);
  });
});
