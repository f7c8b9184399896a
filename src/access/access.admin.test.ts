import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import type { Principal } from '../shared/principal.ts';
import { buildAccessStack, createActiveUser } from './access.test-support.ts';

describeEachDialect('access policy and custom roles', (get) => {
  it('starts every tenant on the default policy and validates a new one whole', async () => {
    const stack = await buildAccessStack(get());
    const { admin } = stack.access;
    expect(await admin.getPolicy(stack.tenantId)).toMatchObject({
      zones: [],
      stepUpSeconds: 300,
      reviews: { intervalDays: 90 },
    });
    await expect(
      admin.updatePolicy(stack.operator, { zones: [{ name: 'office', cidrs: ['10.0.0.0/33'] }] }),
    ).rejects.toMatchObject({ code: 'POLICY_INVALID', message: expect.stringContaining('zones.0.cidrs.0') });
    await expect(
      admin.updatePolicy(stack.operator, { rules: [{ target: 'customer-data', zones: ['vpn'] }] }),
    ).rejects.toMatchObject({ message: expect.stringContaining('zone vpn is not defined') });
    await expect(
      admin.updatePolicy(stack.operator, {
        roleWindows: [
          {
            role: 'night_shift',
            windows: [{ days: ['mon'], start: '22:00', end: '06:00', timeZone: 'UTC' }],
          },
        ],
      }),
    ).rejects.toMatchObject({ message: 'access policy names unknown roles: night_shift' });
    await expect(
      admin.updatePolicy(stack.operator, { reviews: { intervalDays: 365 } }),
    ).rejects.toMatchObject({
      message: expect.stringContaining('reviews.intervalDays'),
    });
  });

  it('stores a policy, audits it with a hash of the document, and applies it at once', async () => {
    const t = get();
    const stack = await buildAccessStack(t);
    const agent = await createActiveUser(stack, { name: 'Ana Agent', roles: ['agent'] });
    const inOffice = { ip: '10.1.2.3' };
    const outside = { ip: '198.51.100.7' };
    expect(await stack.access.gate.holds(agent.principal, 'interactions.read', outside)).toBe(true);
    const policy = await stack.access.admin.updatePolicy(stack.operator, {
      zones: [{ name: 'office', cidrs: ['10.0.0.0/8'] }],
      rules: [{ target: 'customer-data', zones: ['office'] }],
    });
    expect(policy.zones).toHaveLength(1);
    expect(await stack.access.admin.getPolicy(stack.tenantId)).toEqual(policy);
    expect(await stack.access.gate.holds(agent.principal, 'interactions.read', inOffice)).toBe(true);
    expect(await stack.access.gate.holds(agent.principal, 'interactions.read', outside)).toBe(false);
    const events = await t.vigil.audit.findEvents(stack.tenantId, { action: 'access.policy.update' });
    expect(events.events[0]).toMatchObject({
      outcome: 'success',
      actor: { type: 'system', id: 'test-operator' },
      details: { zones: 'office', rules: 1, documentSha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
  });

  it('creates, updates and deletes custom roles from named permissions only', async () => {
    const stack = await buildAccessStack(get());
    const { admin } = stack.access;
    await expect(
      admin.createRole(stack.operator, {
        name: 'agent',
        displayName: 'Agent 2',
        grants: [{ permission: 'audit.read' }],
      }),
    ).rejects.toMatchObject({ code: 'ROLE_BUILTIN' });
    await expect(
      admin.createRole(stack.operator, {
        name: 'fraud',
        displayName: 'Fraud',
        grants: [{ permission: 'vault.everything' as never }],
      }),
    ).rejects.toMatchObject({
      code: 'ROLE_INVALID',
      message: expect.stringContaining('grants.0.permission'),
    });
    const role = await admin.createRole(stack.operator, {
      name: 'fraud_desk',
      displayName: 'Fraud desk',
      grants: [{ permission: 'interactions.read', scope: 'team' }, { permission: 'audit.read' }],
      fields: { 'customer.phone': 'unmasked' },
    });
    expect(role).toMatchObject({
      builtin: false,
      grants: [
        { permission: 'interactions.read', scope: 'team' },
        { permission: 'audit.read', scope: 'tenant' },
      ],
    });
    await expect(
      admin.createRole(stack.operator, {
        name: 'fraud_desk',
        displayName: 'x',
        grants: [{ permission: 'audit.read' }],
      }),
    ).rejects.toMatchObject({
      code: 'ROLE_EXISTS',
    });
    expect(await stack.access.isKnownRole(stack.tenantId, 'fraud_desk')).toBe(true);
    expect(await stack.access.isKnownRole(stack.tenantId, 'nonexistent')).toBe(false);

    const analyst = await createActiveUser(stack, { name: 'Fred Fraud', roles: ['fraud_desk'] });
    expect(await stack.access.gate.holds(analyst.principal, 'audit.read')).toBe(true);
    expect((await stack.access.fieldsFor(analyst.principal))['customer.phone']).toBe('unmasked');
    await admin.updateRole(stack.operator, 'fraud_desk', {
      displayName: 'Fraud desk',
      grants: [{ permission: 'reports.read' }],
    });
    expect(await stack.access.gate.holds(analyst.principal, 'audit.read')).toBe(false);
    expect(await stack.access.gate.holds(analyst.principal, 'reports.read')).toBe(true);

    await expect(admin.deleteRole(stack.operator, 'fraud_desk')).rejects.toMatchObject({
      code: 'ROLE_IN_USE',
      message: 'role is still held by 1 user(s); revoke it first',
    });
    await stack.identity.users.revokeRole(stack.operator, analyst.id, 'fraud_desk');
    await admin.deleteRole(stack.operator, 'fraud_desk');
    expect(await stack.access.isKnownRole(stack.tenantId, 'fraud_desk')).toBe(false);
    await expect(admin.deleteRole(stack.operator, 'auditor')).rejects.toMatchObject({ code: 'ROLE_BUILTIN' });
  });

  it("keeps one tenant's roles and policy away from another", async () => {
    const t = get();
    const stack = await buildAccessStack(t);
    const other = await t.vigil.tenancy.create({ slug: `other-${Date.now().toString(36)}`, name: 'Other' });
    await stack.access.admin.createRole(stack.operator, {
      name: 'only_here',
      displayName: 'Only here',
      grants: [{ permission: 'audit.read' }],
    });
    expect(await stack.access.isKnownRole(other.id, 'only_here')).toBe(false);
    const otherOperator: Principal = { ...stack.operator, tenantId: other.id };
    await stack.access.admin.updatePolicy(otherOperator, { stepUpSeconds: 120 });
    expect((await stack.access.admin.getPolicy(stack.tenantId)).stepUpSeconds).not.toBe(120);
    expect((await stack.access.admin.listRoles(other.id)).some((r) => r.name === 'only_here')).toBe(false);
  });

  it('reaches another node within the revalidation delay', async () => {
    const t = get();
    const nodeA = await buildAccessStack(t);
    const nodeB = {
      ...nodeA,
      ...(await buildAccessStack(t, { separateNode: true, revalidateMs: 1000, defaultTenant: true })),
      tenantId: nodeA.tenantId,
      operator: nodeA.operator,
    };
    const auditor = await createActiveUser(nodeA, { name: 'Audrey Auditor', roles: ['auditor'] });
    expect(await nodeB.access.gate.holds(auditor.principal, 'audit.read')).toBe(true);
    await nodeA.access.admin.updatePolicy(nodeA.operator, {
      rules: [{ target: 'audit.read', stepUp: true }],
    });
    // Node A applies its own change at once; node B still trusts its copy until revalidation is due.
    expect(await nodeA.access.gate.holds(auditor.principal, 'audit.read')).toBe(false);
    expect(await nodeB.access.gate.holds(auditor.principal, 'audit.read')).toBe(true);
    t.clock.advance(1001);
    expect(await nodeB.access.gate.holds(auditor.principal, 'audit.read')).toBe(false);
  });
});
