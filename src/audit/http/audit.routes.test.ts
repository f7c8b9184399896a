import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness/test-vigil.ts';
import { buildApp } from '../../http/build-app.ts';
import type { RequestSecurity } from '../../http/route-access.ts';
import type { Vigil } from '../../main.ts';
import { AppError } from '../../shared/errors.ts';
import { newTenant, recordEvents } from '../audit.test-support.ts';
import { verifyProofBundle } from '../checkpoint/index.ts';
import { auditHttpModule } from './audit.routes.ts';

// The identity layer is another feature: this stand-in, typed against RequestSecurity, reads the
// principal from test headers and enforces the route's declared permission like the real one.
const headerSecurity: RequestSecurity = {
  async authenticate(request) {
    const tenantId = request.headers['x-test-tenant'];
    if (typeof tenantId !== 'string') return null;
    const roles = String(request.headers['x-test-permissions'] ?? '').split(',');
    return { tenantId, kind: 'user', id: 'auditor-1', displayName: 'Ada Auditor', roles };
  },
  async authorize(_request, principal, access) {
    if (access.kind === 'permission' && !principal.roles.includes(access.permission)) {
      throw new AppError('ACCESS_DENIED', 'forbidden', `requires ${access.permission}`);
    }
  },
};

function appFor(vigil: Vigil) {
  return buildApp({
    config: vigil.config,
    logger: vigil.logger,
    metrics: vigil.metrics,
    health: { readiness: async () => ({ ready: true, database: 'ok', pendingMigrations: 0 }) },
    security: headerSecurity,
    modules: [auditHttpModule(vigil.audit)],
  });
}

const ALL = 'audit.read,audit.verify,audit.checkpoint';
const as = (tenantId: string, permissions = ALL) => ({
  'x-test-tenant': tenantId,
  'x-test-permissions': permissions,
});

describeEachDialect('audit HTTP API', (get) => {
  it('refuses the unauthenticated and the unauthorized on every route', async () => {
    const { vigil } = get();
    const tenantId = await newTenant(vigil, 'http-deny');
    const app = await appFor(vigil);
    const routes = [
      { method: 'GET', url: '/api/v1/audit/events', permission: 'audit.read' },
      {
        method: 'GET',
        url: '/api/v1/audit/events/01890000-0000-7000-8000-000000000000/proof',
        permission: 'audit.read',
      },
      { method: 'GET', url: '/api/v1/audit/checkpoints', permission: 'audit.read' },
      { method: 'GET', url: '/api/v1/audit/consistency?from=1&to=2', permission: 'audit.read' },
      { method: 'POST', url: '/api/v1/audit/checkpoints', permission: 'audit.checkpoint' },
      { method: 'POST', url: '/api/v1/audit/verify', permission: 'audit.verify' },
    ] as const;
    for (const route of routes) {
      expect((await app.inject({ method: route.method, url: route.url })).statusCode).toBe(401);
      const others = ALL.split(',')
        .filter((p) => p !== route.permission)
        .join(',');
      const denied = await app.inject({
        method: route.method,
        url: route.url,
        headers: as(tenantId, others),
      });
      expect(denied.statusCode).toBe(403);
    }
    await app.close();
  });

  it('lists events with filters and cursor pagination, and audits the read', async () => {
    const { vigil } = get();
    const tenantId = await newTenant(vigil, 'http-list');
    await recordEvents(vigil, tenantId, 12);
    const app = await appFor(vigil);
    const first = await app.inject({
      url: '/api/v1/audit/events?action=auth.*&limit=4',
      headers: as(tenantId),
    });
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    expect(page1.events.map((e: { seq: number }) => e.seq)).toEqual([11, 9, 7, 5]);
    expect(page1.events[0]).toMatchObject({
      action: 'auth.login',
      actor: { id: 'user-2' },
      origin: { ip: '192.0.2.10' },
    });
    expect(JSON.stringify(page1)).not.toContain('caller11@example.com');
    const second = await app.inject({
      url: `/api/v1/audit/events?action=auth.*&limit=4&cursor=${page1.nextCursor}`,
      headers: as(tenantId),
    });
    expect(second.json().events.map((e: { seq: number }) => e.seq)).toEqual([3, 1]);
    expect(second.json().nextCursor).toBeNull();
    const failures = await app.inject({
      url: '/api/v1/audit/events?outcome=failure&actor=user-1',
      headers: as(tenantId),
    });
    expect(failures.json().events.map((e: { seq: number }) => e.seq)).toEqual([4]);
    const reads = await app.inject({
      url: '/api/v1/audit/events?action=audit.events.read',
      headers: as(tenantId),
    });
    expect(reads.json().events.length).toBeGreaterThanOrEqual(3);
    expect(reads.json().events[0].actor).toMatchObject({ type: 'user', id: 'auditor-1' });
    const bad = await app.inject({ url: '/api/v1/audit/events?cursor=bm9wZQ', headers: as(tenantId) });
    expect(bad.json().error.code).toBe('AUDIT_INVALID_CURSOR');
    await app.close();
  });

  it('creates checkpoints on demand and serves proofs that verify offline', async () => {
    const { vigil } = get();
    const tenantId = await newTenant(vigil, 'http-proof');
    await recordEvents(vigil, tenantId, 5);
    const app = await appFor(vigil);
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/audit/checkpoints',
      headers: as(tenantId),
    });
    expect(created.statusCode).toBe(201);
    const size1 = created.json().checkpoint.treeSize;
    await recordEvents(vigil, tenantId, 3, 5);
    const second = await app.inject({
      method: 'POST',
      url: '/api/v1/audit/checkpoints',
      headers: as(tenantId),
    });
    const size2 = second.json().checkpoint.treeSize;
    const listed = await app.inject({ url: '/api/v1/audit/checkpoints', headers: as(tenantId) });
    const { checkpoints, verifierKeys } = listed.json();
    expect(checkpoints.map((c: { treeSize: number }) => c.treeSize)).toEqual([size2, size1]);
    const events = (
      await app.inject({ url: '/api/v1/audit/events?action=vault.detokenize', headers: as(tenantId) })
    ).json();
    const proof = await app.inject({
      url: `/api/v1/audit/events/${events.events[0].id}/proof`,
      headers: as(tenantId),
    });
    expect(proof.statusCode).toBe(200);
    expect(verifyProofBundle(proof.json().bundle, verifierKeys)).toMatchObject({
      ok: true,
      leafDataChecked: true,
    });
    const consistency = await app.inject({
      url: `/api/v1/audit/consistency?from=${size1}&to=${size2}`,
      headers: as(tenantId),
    });
    expect(verifyProofBundle(consistency.json(), verifierKeys)).toMatchObject({ ok: true, size1, size2 });
    const verify = await app.inject({ method: 'POST', url: '/api/v1/audit/verify', headers: as(tenantId) });
    expect(verify.json()).toMatchObject({ ok: true, problems: [] });
    await app.close();
  });

  it("answers 404 for another tenant's event and checkpoints", async () => {
    const { vigil } = get();
    const owner = await newTenant(vigil, 'http-owner');
    const intruder = await newTenant(vigil, 'http-intruder');
    await recordEvents(vigil, owner, 4);
    const { checkpoint } = await vigil.audit.checkpoints.create(owner, 'demand');
    const ownerEvent = (await vigil.audit.findEvents(owner, { limit: 1 })).events[0]!;
    const app = await appFor(vigil);
    const proof = await app.inject({
      url: `/api/v1/audit/events/${ownerEvent.id}/proof`,
      headers: as(intruder),
    });
    expect(proof.statusCode).toBe(404);
    const consistency = await app.inject({
      url: `/api/v1/audit/consistency?from=1&to=${checkpoint.treeSize}`,
      headers: as(intruder),
    });
    expect(consistency.statusCode).toBe(404);
    const list = await app.inject({ url: '/api/v1/audit/events?limit=500', headers: as(intruder) });
    expect(list.json().events.some((e: { id: string }) => e.id === ownerEvent.id)).toBe(false);
    const cps = await app.inject({ url: '/api/v1/audit/checkpoints', headers: as(intruder) });
    expect(cps.json().checkpoints).toEqual([]);
    await app.close();
  });
});
