import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { buildHttpApp } from '../main.ts';
import { verifyReviewExport } from './access.review.export.ts';
import { buildAccessStack, createActiveUser, signIn } from './access.test-support.ts';

describeEachDialect('access HTTP API', (get) => {
  async function world() {
    const t = get();
    const stack = await buildAccessStack(t);
    const admin = await createActiveUser(stack, { name: 'Ada Admin', roles: ['security_admin'] });
    const agent = await createActiveUser(stack, { name: 'Andy Agent', roles: ['agent'] });
    const app = await buildHttpApp(t.vigil);
    return {
      t,
      stack,
      admin,
      agent,
      app,
      adminSession: await signIn(t, stack, admin, { mfa: true }),
      agentSession: await signIn(t, stack, agent),
    };
  }

  it('manages roles and policy with step-up, and refuses the unauthenticated and the unauthorized', async () => {
    const { t, stack, app, admin, adminSession, agentSession } = await world();
    const role = { name: 'fraud_desk', displayName: 'Fraud desk', grants: [{ permission: 'audit.read' }] };
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/v1/access/roles',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify(role),
        })
      ).statusCode,
    ).toBe(401);
    const byAgent = await app.inject({
      method: 'POST',
      url: '/api/v1/access/roles',
      headers: { ...agentSession.headers(true), 'content-type': 'application/json' },
      payload: JSON.stringify(role),
    });
    expect(byAgent.statusCode).toBe(403);
    expect(byAgent.json().error).toMatchObject({
      code: 'ACCESS_DENIED',
      details: { condition: 'permission', permission: 'roles.manage' },
    });
    // A refused caller learns nothing about the body rules: no 400 before the 403.
    const invalidByAgent = await app.inject({
      method: 'PUT',
      url: '/api/v1/access/policy',
      headers: { ...agentSession.headers(true), 'content-type': 'application/json' },
      payload: '{"zones":"x"}',
    });
    expect(invalidByAgent.statusCode).toBe(403);

    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/access/roles',
      headers: { ...adminSession.headers(true), 'content-type': 'application/json' },
      payload: JSON.stringify(role),
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().role).toMatchObject({
      name: 'fraud_desk',
      builtin: false,
      grants: [{ permission: 'audit.read', scope: 'tenant' }],
      windows: [],
    });
    const listed = await app.inject({ url: '/api/v1/access/roles', headers: adminSession.headers() });
    expect(listed.json().roles.map((r: { name: string }) => r.name)).toContain('fraud_desk');

    const policy = {
      zones: [{ name: 'office', cidrs: ['10.0.0.0/8'] }],
      rules: [{ target: 'customer-data', zones: ['office'] }],
    };
    const put = await app.inject({
      method: 'PUT',
      url: '/api/v1/access/policy',
      headers: { ...adminSession.headers(true), 'content-type': 'application/json' },
      payload: JSON.stringify(policy),
    });
    expect(put.statusCode).toBe(200);
    expect(put.json().policy).toMatchObject({ zones: [{ name: 'office' }], stepUpSeconds: 300 });

    // Ten minutes later the MFA verification is stale: security changes ask for step-up.
    t.clock.advance(10 * 60_000);
    const stale = await app.inject({
      method: 'DELETE',
      url: '/api/v1/access/roles/fraud_desk',
      headers: adminSession.headers(true),
    });
    expect(stale.statusCode).toBe(403);
    expect(stale.json().error).toMatchObject({ code: 'STEP_UP_REQUIRED', details: { condition: 'step_up' } });
    const fresh = await signIn(t, stack, admin, { mfa: true });
    expect(
      (
        await app.inject({
          method: 'DELETE',
          url: '/api/v1/access/roles/fraud_desk',
          headers: fresh.headers(true),
        })
      ).statusCode,
    ).toBe(204);
    await app.close();
  });

  it('decides zones on the socket address, never on a spoofed X-Forwarded-For', async () => {
    const { t, stack, app, admin, agent } = await world();
    await stack.access.admin.updatePolicy(admin.principal, {
      zones: [{ name: 'office', cidrs: ['10.0.0.0/8'] }],
      rules: [{ target: 'customer-data', zones: ['office'] }],
    });
    const supervisor = await createActiveUser(stack, {
      name: 'Sue Supervisor',
      roles: ['supervisor', 'auditor'],
    });
    const session = await signIn(t, stack, supervisor);
    const me = (remoteAddress: string, extra: Record<string, string> = {}) =>
      app.inject({ url: '/api/v1/access/me', remoteAddress, headers: { ...session.headers(), ...extra } });
    const office = (await me('10.1.2.3')).json();
    expect(office.permissions.map((p: { permission: string }) => p.permission)).toContain(
      'interactions.read',
    );
    const home = await me('203.0.113.9', { 'x-forwarded-for': '10.1.2.3' });
    expect(home.statusCode).toBe(200);
    const homePermissions = home.json().permissions.map((p: { permission: string }) => p.permission);
    expect(homePermissions).not.toContain('interactions.read');
    expect(homePermissions).toContain('audit.read');
    expect(home.json().fields).toMatchObject({ 'customer.name': 'unmasked', 'customer.phone': 'masked' });
    void agent;
    await app.close();
  });

  it('runs an elevation from request to approval over HTTP, and hides it from other tenants', async () => {
    const { t, stack, app, agentSession } = await world();
    const asked = await app.inject({
      method: 'POST',
      url: '/api/v1/access/elevations',
      headers: { ...agentSession.headers(true), 'content-type': 'application/json' },
      payload: JSON.stringify({
        role: 'qa_analyst',
        minutes: 60,
        reason: 'Covering QA sampling this afternoon',
      }),
    });
    expect(asked.statusCode).toBe(201);
    const id = asked.json().elevation.id as string;
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/api/v1/access/elevations/${id}/approve`,
          headers: { ...agentSession.headers(true), 'content-type': 'application/json' },
          payload: '{}',
        })
      ).statusCode,
    ).toBe(403);

    const otherStack = await buildAccessStack(t);
    const outsider = await createActiveUser(otherStack, {
      name: 'Oscar Outsider',
      roles: ['security_admin'],
    });
    const outsiderSession = await signIn(t, otherStack, outsider, { mfa: true });
    const foreign = await app.inject({
      method: 'POST',
      url: `/api/v1/access/elevations/${id}/approve`,
      headers: { ...outsiderSession.headers(true), 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(foreign.statusCode).toBe(404);

    const approver = await createActiveUser(stack, { name: 'Abby Approver', roles: ['security_admin'] });
    const approverSession = await signIn(t, stack, approver, { mfa: true });
    const approved = await app.inject({
      method: 'POST',
      url: `/api/v1/access/elevations/${id}/approve`,
      headers: { ...approverSession.headers(true), 'content-type': 'application/json' },
      payload: JSON.stringify({ note: 'fine' }),
    });
    expect(approved.statusCode).toBe(200);
    expect(approved.json().elevation).toMatchObject({
      status: 'approved',
      decidedBy: approver.id,
      expiresAt: expect.any(String),
    });
    const mine = (await app.inject({ url: '/api/v1/access/me', headers: agentSession.headers() })).json();
    expect(mine.permissions).toContainEqual({
      permission: 'qa.evaluate',
      via: 'elevation',
      grantedBy: 'qa_analyst',
    });
    const all = (
      await app.inject({ url: '/api/v1/access/elevations?all=true', headers: agentSession.headers() })
    ).json();
    expect(all.elevations.every((e: { userId: string }) => e.userId === asked.json().elevation.userId)).toBe(
      true,
    );
    await app.close();
  });

  it('runs a review campaign over HTTP with a verifiable signed export', async () => {
    const { t, stack, app, agent } = await world();
    const carla = await createActiveUser(stack, { name: 'Carla Compliance', roles: ['compliance_officer'] });
    const session = await signIn(t, stack, carla, { mfa: true });
    const started = await app.inject({
      method: 'POST',
      url: '/api/v1/access/reviews',
      headers: { ...session.headers(true), 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'HTTP run' }),
    });
    expect(started.statusCode).toBe(201);
    const campaignId = started.json().campaign.id as string;
    const items = (
      await app.inject({
        url: `/api/v1/access/reviews/${campaignId}/items?all=true`,
        headers: session.headers(),
      })
    ).json().items;
    const agentItem = items.find((i: { userId: string }) => i.userId === agent.id);
    const decided = await app.inject({
      method: 'POST',
      url: `/api/v1/access/reviews/${campaignId}/items/${agentItem.id}/decision`,
      headers: { ...session.headers(true), 'content-type': 'application/json' },
      payload: JSON.stringify({ decision: 'keep', note: 'works the billing queue' }),
    });
    expect(decided.json().item).toMatchObject({ decision: 'keep', outcome: 'kept' });
    const exported = (
      await app.inject({
        url: `/api/v1/access/reviews/${campaignId}/export?format=csv`,
        headers: session.headers(),
      })
    ).json();
    const key = (
      await app.inject({ url: '/api/v1/access/reviews/signing-key', headers: session.headers() })
    ).json();
    expect(key.keyId).toBe(exported.keyId);
    expect(verifyReviewExport(exported.content, exported.signature, key.publicKeyPem)).toBe(true);

    const otherStack = await buildAccessStack(t);
    const outsider = await createActiveUser(otherStack, {
      name: 'Olive Outsider',
      roles: ['compliance_officer'],
    });
    const outsiderSession = await signIn(t, otherStack, outsider, { mfa: true });
    expect(
      (await app.inject({ url: `/api/v1/access/reviews/${campaignId}`, headers: outsiderSession.headers() }))
        .statusCode,
    ).toBe(404);
    expect(
      (
        await app.inject({
          url: `/api/v1/access/reviews/${campaignId}/export`,
          headers: outsiderSession.headers(),
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/api/v1/access/reviews/${campaignId}/close`,
          headers: outsiderSession.headers(true),
        })
      ).statusCode,
    ).toBe(404);
    const closed = await app.inject({
      method: 'POST',
      url: `/api/v1/access/reviews/${campaignId}/close`,
      headers: session.headers(true),
    });
    expect(closed.json().campaign.status).toBe('closed');
    await app.close();
  });
});
