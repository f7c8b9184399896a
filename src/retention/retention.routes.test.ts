import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import {
  type AccessStack,
  buildAccessStack,
  createActiveUser,
  signIn,
  type TestUser,
} from '../access/access.test-support.ts';
import { buildHttpApp } from '../main.ts';
import { DAY_MS } from '../shared/clock.ts';
import { ingestCall, phoneOf } from './retention.test-support.ts';

describeEachDialect('retention and DSAR API', (get) => {
  let app: FastifyInstance;
  let stack: AccessStack;
  let other: AccessStack;
  let compliance: TestUser;
  let auditor: TestUser;
  let agent: TestUser;
  let outsider: TestUser;

  beforeAll(async () => {
    app = await buildHttpApp(get().vigil);
    stack = await buildAccessStack(get());
    other = await buildAccessStack(get());
    compliance = await createActiveUser(stack, { name: 'Cora Compliance', roles: ['compliance_officer'] });
    auditor = await createActiveUser(stack, { name: 'Abe Auditor', roles: ['auditor'] });
    agent = await createActiveUser(stack, { name: 'Ada Agent', roles: ['agent'] });
    outsider = await createActiveUser(other, { name: 'Olga Other', roles: ['compliance_officer'] });
    return () => app.close();
  });

  // A fresh session per request (with a recent MFA for step-up): the tests move the clock by weeks.
  async function call(
    user: TestUser | null,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    payload?: unknown,
  ) {
    const session = user ? await signIn(get(), user === outsider ? other : stack, user, { mfa: true }) : null;
    return app.inject({
      method,
      url,
      headers: session ? session.headers(method !== 'GET') : {},
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  }

  it('refuses the unauthenticated and the roles without the permission', async () => {
    expect((await call(null, 'GET', '/api/v1/retention/policies')).statusCode).toBe(401);
    expect(
      (await call(null, 'POST', '/api/v1/dsar/cases', { kind: 'access', phone: phoneOf(1) })).statusCode,
    ).toBe(401);
    expect((await call(agent, 'GET', '/api/v1/retention/policies')).statusCode).toBe(403);
    expect((await call(agent, 'GET', '/api/v1/dsar/cases')).statusCode).toBe(403);
    // The auditor reads reports but changes nothing and handles no customer's request.
    expect((await call(auditor, 'GET', '/api/v1/retention/policies')).statusCode).toBe(200);
    expect(
      (await call(auditor, 'PUT', '/api/v1/retention/policies', { category: 'chat', maxAgeDays: 30 }))
        .statusCode,
    ).toBe(403);
    expect((await call(auditor, 'POST', '/api/v1/retention/runs')).statusCode).toBe(403);
    expect(
      (await call(auditor, 'POST', '/api/v1/dsar/cases', { kind: 'access', phone: phoneOf(1) })).statusCode,
    ).toBe(403);
  });

  it('sets jurisdictions and policies, explains a conflict, plans, purges and serves verifiable certificates', async () => {
    const { vigil, clock } = get();
    const assignment = await call(compliance, 'PUT', '/api/v1/retention/assignment', {
      tenantPacks: ['pci_dss'],
      segments: [
        { name: 'EU', regions: ['FR'], packs: ['gdpr'] },
        { name: 'Trading desk', regions: ['DE-TR'], packs: ['mifid2'] },
      ],
    });
    expect(assignment.statusCode).toBe(200);
    expect(
      assignment
        .json()
        .scopes.find(
          (s: { category: string; scope: string }) =>
            s.category === 'voice_transcript' && s.scope === 'segment Trading desk',
        ).minimum,
    ).toMatchObject({ days: 1827 });
    const conflict = await call(compliance, 'PUT', '/api/v1/retention/policies', {
      category: 'voice_transcript',
      maxAgeDays: 30,
    });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().error.message).toContain('segment Trading desk');
    const set = await call(compliance, 'PUT', '/api/v1/retention/policies', {
      category: 'chat',
      jurisdiction: 'gdpr',
      maxAgeDays: 30,
      action: 'anonymize',
    });
    expect(set.statusCode).toBe(200);
    expect(
      (
        await call(compliance, 'PUT', '/api/v1/retention/policies', {
          category: 'card_token',
          maxAgeDays: 30,
          action: 'anonymize',
        })
      ).statusCode,
    ).toBe(400);
    const chat = await ingestCall(vigil, stack.tenantId, 'api-chat', { customer: 61, channel: 'chat' });
    const row = await vigil.storage.db
      .selectFrom('interactions')
      .select('subject_id')
      .where('tenant_id', '=', stack.tenantId)
      .where('id', '=', chat)
      .executeTakeFirstOrThrow();
    await vigil.subjects.setRegion(vigil.storage.db, stack.tenantId, row.subject_id!, 'FR');
    clock.advance(31 * DAY_MS);
    const plan = await call(auditor, 'GET', '/api/v1/retention/plan');
    expect(plan.statusCode, plan.body).toBe(200);
    expect(plan.json().items).toEqual([expect.objectContaining({ id: chat, action: 'anonymize' })]);
    const run = await call(compliance, 'POST', '/api/v1/retention/runs');
    expect(run.statusCode).toBe(200);
    expect(run.json().categories.chat).toMatchObject({ anonymized: 1 });
    const [certificateId] = run.json().certificates as string[];
    const listed = await call(auditor, 'GET', `/api/v1/retention/certificates?origin=${run.json().runId}`);
    expect(listed.json().certificates).toEqual([expect.objectContaining({ id: certificateId, items: 2 })]);
    const certificate = await call(auditor, 'GET', `/api/v1/retention/certificates/${certificateId}`);
    expect(certificate.json().verification).toEqual({
      valid: true,
      hash: true,
      signature: true,
      anchored: true,
    });
    expect(JSON.parse(certificate.json().document).destroyed).toEqual(
      expect.arrayContaining([{ category: 'chat', action: 'anonymized', ids: [chat] }]),
    );
    expect((await call(auditor, 'GET', '/api/v1/retention/signing-key')).json()).toMatchObject({
      algorithm: 'Ed25519',
      publicKeyPem: expect.stringContaining('PUBLIC KEY'),
    });
    expect((await call(auditor, 'GET', '/api/v1/retention/runs')).json().runs[0]).toMatchObject({
      status: 'completed',
      certificates: 1,
    });
    expect(
      (await call(auditor, 'GET', '/api/v1/retention/jurisdictions')).json().packs.length,
    ).toBeGreaterThanOrEqual(8);
    // Another tenant's certificate does not exist for this tenant.
    expect((await call(outsider, 'GET', `/api/v1/retention/certificates/${certificateId}`)).statusCode).toBe(
      404,
    );
    const policyId = set.json().policy.id as string;
    expect((await call(outsider, 'DELETE', `/api/v1/retention/policies/${policyId}`)).statusCode).toBe(404);
    expect((await call(compliance, 'DELETE', `/api/v1/retention/policies/${policyId}`)).statusCode).toBe(204);
  });

  it('places and releases holds, and keeps signed compliance checks', async () => {
    const { vigil } = get();
    await ingestCall(vigil, stack.tenantId, 'api-hold', { customer: 62 });
    const created = await call(compliance, 'POST', '/api/v1/retention/holds', {
      name: 'Matter 12',
      reason: 'pending litigation',
      owner: 'General Counsel',
      customer: { phone: phoneOf(62) },
    });
    expect(created.statusCode).toBe(201);
    const hold = created.json().hold;
    expect(hold).toMatchObject({ kind: 'subject', items: 1, active: true });
    expect(
      (
        await call(compliance, 'POST', '/api/v1/retention/holds', {
          name: 'Both',
          reason: 'two targets given',
          owner: 'x',
          interactionIds: [hold.id],
          customer: { phone: '1' },
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (await call(auditor, 'GET', '/api/v1/retention/holds?active=true'))
        .json()
        .holds.map((h: { id: string }) => h.id),
    ).toContain(hold.id);
    expect(
      (
        await call(outsider, 'POST', `/api/v1/retention/holds/${hold.id}/release`, {
          reason: 'not mine to release',
        })
      ).statusCode,
    ).toBe(404);
    const released = await call(compliance, 'POST', `/api/v1/retention/holds/${hold.id}/release`, {
      reason: 'matter closed',
    });
    expect(released.json().hold).toMatchObject({ active: false, releaseReason: 'matter closed' });
    const check = await call(compliance, 'POST', '/api/v1/retention/checks');
    expect(check.statusCode).toBe(201);
    const stored = await call(auditor, 'GET', `/api/v1/retention/checks/${check.json().id}`);
    expect(JSON.parse(stored.json().document)).toMatchObject({
      type: 'vigil.retention-check',
      requirement: expect.stringContaining('3.2.1'),
    });
    expect((await call(outsider, 'GET', `/api/v1/retention/checks/${check.json().id}`)).statusCode).toBe(404);
  });

  it('runs a data subject request end to end, and hides it from another tenant', async () => {
    const { vigil } = get();
    await ingestCall(vigil, stack.tenantId, 'api-dsar', { customer: 63 });
    const opened = await call(compliance, 'POST', '/api/v1/dsar/cases', {
      kind: 'access',
      phone: phoneOf(63),
      region: 'FR',
    });
    expect(opened.statusCode).toBe(201);
    const id = opened.json().case.id as string;
    expect(opened.json().case).toMatchObject({
      status: 'open',
      overdue: false,
      packs: ['gdpr', 'pci_dss'],
      basis: [expect.objectContaining({ cite: 'GDPR Art. 12(3)' })],
    });
    const exported = await call(compliance, 'GET', `/api/v1/dsar/cases/${id}/export?format=html`);
    expect(exported.json()).toMatchObject({
      format: 'html',
      filename: `dsar-${id}.html`,
      content: expect.stringContaining('<h1>Your personal data</h1>'),
    });
    expect(
      (await call(compliance, 'GET', '/api/v1/dsar/cases?status=open'))
        .json()
        .cases.map((c: { id: string }) => c.id),
    ).toContain(id);
    expect((await call(compliance, 'POST', `/api/v1/dsar/cases/${id}/erase`)).statusCode).toBe(409);
    expect(
      (
        await call(compliance, 'POST', `/api/v1/dsar/cases/${id}/extend`, {
          reason: 'many years of recordings to collect',
        })
      ).json().case.extendedDueAt,
    ).not.toBeNull();
    for (const [method, url] of [
      ['GET', `/api/v1/dsar/cases/${id}`],
      ['GET', `/api/v1/dsar/cases/${id}/export`],
      ['POST', `/api/v1/dsar/cases/${id}/erase`],
    ] as const) {
      expect((await call(outsider, method, url)).statusCode, url).toBe(404);
    }
    expect(
      (await call(compliance, 'POST', `/api/v1/dsar/cases/${id}/close`, { outcome: 'completed' })).json().case
        .status,
    ).toBe('completed');
    const erasure = await call(compliance, 'POST', '/api/v1/dsar/cases', {
      kind: 'erasure',
      phone: phoneOf(63),
    });
    const erased = await call(compliance, 'POST', `/api/v1/dsar/cases/${erasure.json().case.id}/erase`);
    expect(erased.json().case).toMatchObject({ status: 'completed', outcome: { complete: true } });
  });
});
