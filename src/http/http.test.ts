import { expect, it } from 'vitest';
import { z } from 'zod';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { buildHttpApp } from '../main.ts';
import { AppError } from '../shared/errors.ts';
import { buildApp } from './build-app.ts';
import { ERROR_STATUS } from './error-status.ts';

describeEachDialect('http foundation', (get) => {
  it('serves liveness and readiness', async () => {
    const app = await buildHttpApp(get().vigil);
    expect((await app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', database: 'ok', pendingMigrations: 0 });
    await app.close();
  });

  it('sets security headers and echoes a safe request id', async () => {
    const app = await buildHttpApp(get().vigil);
    const res = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'trace-12345678' } });
    expect(res.headers['x-request-id']).toBe('trace-12345678');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
    const injected = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'bad id!' } });
    expect(injected.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    await app.close();
  });

  it('exposes Prometheus metrics by route pattern', async () => {
    const app = await buildHttpApp(get().vigil);
    await app.inject({ url: '/healthz' });
    const metrics = await app.inject({ url: '/metrics' });
    expect(metrics.body).toMatch(
      /vigil_http_requests_total\{method="GET",route="\/healthz",status="200"\} [1-9]/,
    );
    expect(metrics.body).toContain('vigil_db_pool_connections{state="total"}');
    expect(metrics.body).toContain('vigil_http_request_duration_seconds_bucket');
    await app.close();
  });

  it('publishes an OpenAPI 3 document generated from the routes and a docs page', async () => {
    const app = await buildHttpApp(get().vigil);
    const doc = (await app.inject({ url: '/api/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.paths['/readyz'].get.responses['503']).toBeDefined();
    expect((await app.inject({ url: '/api/docs' })).statusCode).toBeLessThan(400);
    await app.close();
  });

  it('answers unknown routes and malformed JSON with a clear JSON error, never echoing the body', async () => {
    const app = await buildHttpApp(get().vigil);
    const notFound = await app.inject({ url: '/api/v1/nope' });
    expect(notFound.statusCode).toBe(404);
    expect(notFound.json().error.code).toBe('NOT_FOUND');
    await app.close();
  });

  it('reports not ready when the database is unreachable', async () => {
    const { createTestVigil } = await import('../../test/harness/test-vigil.ts');
    const scratch = await createTestVigil(get().dialect);
    const app = await buildHttpApp(scratch.vigil);
    await scratch.vigil.storage.close();
    const res = await app.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'not_ready', database: 'unreachable' });
    await app.close();
    await scratch.destroy().catch(() => undefined);
  });
});

function appWith(
  get: () => { vigil: import('../main.ts').Vigil },
  register: Parameters<typeof buildApp>[0]['modules'][number]['register'],
) {
  const { vigil } = get();
  return buildApp({
    config: vigil.config,
    logger: vigil.logger,
    metrics: vigil.metrics,
    health: { readiness: async () => ({ ready: true, database: 'ok', pendingMigrations: 0 }) },
    security: {
      authenticate: async (request) =>
        request.headers['x-test-user']
          ? { tenantId: 't', kind: 'user', id: 'u', displayName: 'U', roles: [] }
          : null,
      authorize: async (_request, _principal, access) => {
        if (access.kind === 'permission')
          throw new AppError('ACCESS_DENIED', 'forbidden', 'needs a permission you do not have');
      },
    },
    modules: [{ name: 'test', register }],
  });
}

describeEachDialect('http error mapping and access declarations', (get) => {
  it('maps every AppError kind to its status through the one table', async () => {
    const app = await appWith(get, (scope) => {
      scope.get('/boom/:kind', { config: { access: { kind: 'public' } } }, async (request) => {
        const kind = (request.params as { kind: keyof typeof ERROR_STATUS }).kind;
        throw new AppError('TEST_ERROR', kind, `failed as ${kind}`);
      });
    });
    for (const [kind, status] of Object.entries(ERROR_STATUS)) {
      const res = await app.inject({ url: `/boom/${kind}` });
      expect(res.statusCode).toBe(status);
      expect(res.json().error).toMatchObject({ code: 'TEST_ERROR', message: `failed as ${kind}` });
      expect(res.json().error.requestId).toBeTruthy();
    }
    await app.close();
  });

  it('hides the internals of unexpected errors', async () => {
    const app = await appWith(get, (scope) => {
      scope.get('/crash', { config: { access: { kind: 'public' } } }, async () => {
        throw new Error('connection string postgres://admin:hunter2@db failed');
      });
    });
    const res = await app.inject({ url: '/crash' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('hunter2');
    expect(res.json().error.code).toBe('INTERNAL');
    await app.close();
  });

  it('names the invalid field without echoing its value', async () => {
    const app = await appWith(get, (scope) => {
      scope.post(
        '/things',
        {
          config: { access: { kind: 'public' } },
          schema: { body: z.object({ name: z.string().max(5), count: z.number().int() }) },
        },
        async () => ({ ok: true }),
      );
    });
    const res = await app.inject({
      method: 'POST',
      url: '/things',
      payload: { name: 'SECRETVALUE', count: 'x' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(res.json().error.message).toContain('body.name');
    expect(res.json().error.message).toContain('body.count');
    expect(res.body).not.toContain('SECRETVALUE');
    await app.close();
  });

  it('refuses the unauthenticated (401) and the unauthorized (403)', async () => {
    const app = await appWith(get, (scope) => {
      scope.get(
        '/private',
        { config: { access: { kind: 'permission', permission: 'x.read' } } },
        async () => ({ ok: true }),
      );
      scope.get('/mine', { config: { access: { kind: 'authenticated' } } }, async () => ({ ok: true }));
    });
    expect((await app.inject({ url: '/private' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/private', headers: { 'x-test-user': '1' } })).statusCode).toBe(403);
    expect((await app.inject({ url: '/mine', headers: { 'x-test-user': '1' } })).statusCode).toBe(200);
    await app.close();
  });

  it('refuses to start with a route that declares no access rule', async () => {
    await expect(
      appWith(get, (scope) => {
        scope.get('/undeclared', async () => ({ ok: true }));
      }),
    ).rejects.toThrow('has no access declaration');
  });

  it('rejects malformed JSON with a clear message that never quotes the body', async () => {
    const app = await appWith(get, (scope) => {
      scope.post('/echo', { config: { access: { kind: 'public' } } }, async () => ({ ok: true }));
    });
    const bad = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"pan":"4111111111111111"',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({
      code: 'INVALID_JSON',
      message: 'request body is not valid JSON',
    });
    expect(bad.body).not.toContain('4111111111111111');
    await app.close();
  });

  it('rejects bodies over the configured limit with 413', async () => {
    const app = await appWith(get, (scope) => {
      scope.post('/upload', { config: { access: { kind: 'public' } } }, async () => ({ ok: true }));
    });
    const res = await app.inject({
      method: 'POST',
      url: '/upload',
      headers: { 'content-type': 'application/json' },
      payload: `{"a":"${'x'.repeat(get().vigil.config.server.bodyLimitBytes)}"}`,
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    await app.close();
  });
});
