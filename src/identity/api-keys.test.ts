import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { buildApp } from '../http/build-app.ts';
import { createMetrics } from '../http/metrics.ts';
import { buildHttpApp } from '../main.ts';
import { DAY_MS } from '../shared/clock.ts';
import { createActiveUser, enrollTotp, signIn } from './identity.test-support.ts';
import { composeSecurity, interimAuthorize } from './index.ts';

describeEachDialect('identity API keys', (get) => {
  let app: FastifyInstance;
  let ingestApp: FastifyInstance;
  beforeAll(async () => {
    const { vigil } = get();
    app = await buildHttpApp(vigil);
    // An integration route as the ingest feature declares one, served through identity's security.
    ingestApp = await buildApp({
      config: vigil.config,
      logger: vigil.logger,
      metrics: createMetrics(vigil.storage.dialect),
      health: { readiness: async () => ({ ready: true, database: 'ok', pendingMigrations: 0 }) },
      security: composeSecurity(vigil.identity, interimAuthorize),
      modules: [
        {
          name: 'ingest-probe',
          register: (scope) => {
            scope.withTypeProvider<ZodTypeProvider>().post(
              '/probe/ingest',
              {
                config: { access: { kind: 'integration', scope: 'ingest' } },
                schema: { response: { 200: z.object({ tenantId: z.string(), kind: z.string() }) } },
              },
              async (request) => ({ tenantId: request.principal!.tenantId, kind: request.principal!.kind }),
            );
          },
        },
      ],
    });
  });
  afterAll(async () => {
    await app.close();
    await ingestApp.close();
  });

  it('creates a key shown once, stored hashed, that authenticates its scope until revoked', async () => {
    const t = get();
    const admin = await createActiveUser(t.vigil, { roles: ['security_admin'] });
    const browser = await signIn(app, t, admin);
    await enrollTotp(app, t, browser);
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: browser.headers(true),
      payload: { name: 'Connect ingest', scopes: ['ingest'], expiresAt: t.clock.now() + 30 * DAY_MS },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { secret, apiKey } = created.json();
    expect(secret).toMatch(/^vgl_/);
    const rows = await t.vigil.storage.db
      .selectFrom('api_keys')
      .selectAll()
      .where('tenant_id', '=', admin.tenantId)
      .execute();
    expect(JSON.stringify(rows)).not.toContain(secret);
    const listed = await app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: browser.headers() });
    expect(JSON.stringify(listed.json())).not.toContain(secret);

    const use = await ingestApp.inject({
      method: 'POST',
      url: '/probe/ingest',
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(use.statusCode).toBe(200);
    expect(use.json()).toEqual({ tenantId: admin.tenantId, kind: 'api_key' });
    const after = await app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: browser.headers() });
    expect(after.json().apiKeys.find((k: { id: string }) => k.id === apiKey.id).lastUsedAt).toBe(
      t.clock.now(),
    );

    const revoke = await app.inject({
      method: 'DELETE',
      url: `/api/v1/api-keys/${apiKey.id}`,
      headers: browser.headers(true),
    });
    expect(revoke.statusCode).toBe(200);
    expect(
      (
        await ingestApp.inject({
          method: 'POST',
          url: '/probe/ingest',
          headers: { authorization: `Bearer ${secret}` },
        })
      ).statusCode,
    ).toBe(401);
    const actions = await t.vigil.storage.db
      .selectFrom('audit_events')
      .select('action')
      .where('tenant_id', '=', admin.tenantId)
      .where('target_id', '=', apiKey.id)
      .execute();
    expect(actions.map((a) => a.action).sort()).toEqual(['api_keys.create', 'api_keys.revoke']);
  });

  it('refuses a key without the scope, an expired key, and a session on an integration route', async () => {
    const t = get();
    const admin = await createActiveUser(t.vigil, { roles: ['security_admin'] });
    const actor = {
      tenantId: admin.tenantId,
      kind: 'user' as const,
      id: admin.userId,
      displayName: 'A',
      roles: [],
    };
    const audit = await t.vigil.identity.apiKeys.create(actor, { name: 'audit', scopes: ['audit.read'] });
    const noScope = await ingestApp.inject({
      method: 'POST',
      url: '/probe/ingest',
      headers: { authorization: `Bearer ${audit.secret}` },
    });
    expect(noScope.statusCode).toBe(403);
    const short = await t.vigil.identity.apiKeys.create(actor, {
      name: 'short',
      scopes: ['ingest'],
      expiresAt: t.clock.now() + 1000,
    });
    t.clock.advance(2000);
    expect(
      (
        await ingestApp.inject({
          method: 'POST',
          url: '/probe/ingest',
          headers: { authorization: `Bearer ${short.secret}` },
        })
      ).statusCode,
    ).toBe(401);
    const browser = await signIn(app, t, admin);
    expect(
      (await ingestApp.inject({ method: 'POST', url: '/probe/ingest', headers: browser.headers(true) }))
        .statusCode,
    ).toBe(401);
  });
});
