import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { DAY_MS, MINUTE_MS } from '../shared/clock.ts';
import { expireElevations } from './access.jobs.ts';
import { buildAccessStack, createActiveUser } from './access.test-support.ts';

describeEachDialect('just-in-time elevation', (get) => {
  async function setup() {
    const t = get();
    const stack = await buildAccessStack(t);
    const agent = await createActiveUser(stack, { name: 'Agnes Agent', roles: ['agent'] });
    const admin = await createActiveUser(stack, { name: 'Sam Security', roles: ['security_admin'] });
    const fresh = () => ({ ...agent.principal, mfaVerifiedAt: t.clock.now() });
    return { t, stack, agent, admin, fresh, elevations: stack.access.elevations };
  }

  it('grants a requested role only after someone else approves, until it expires by itself', async () => {
    const { t, stack, agent, admin, fresh, elevations } = await setup();
    const asked = await elevations.request(agent.principal, {
      role: 'payments_specialist',
      minutes: 30,
      reason: 'Refund desk is short-staffed today',
    });
    expect(asked).toMatchObject({
      status: 'pending',
      kind: 'role',
      name: 'payments_specialist',
      minutes: 30,
    });
    expect(await stack.access.gate.holds(fresh(), 'vault.detokenize')).toBe(false);
    await expect(elevations.approve(agent.principal, asked.id, undefined)).rejects.toMatchObject({
      code: 'ELEVATION_SELF_APPROVAL',
    });

    const approved = await elevations.approve(admin.principal, asked.id, 'ok for today');
    expect(approved).toMatchObject({
      status: 'approved',
      decidedBy: admin.id,
      expiresAt: t.clock.now() + 30 * MINUTE_MS,
    });
    const allow = await stack.access.gate.check(fresh(), 'vault.detokenize');
    expect(allow).toMatchObject({
      via: 'elevation',
      elevationId: asked.id,
      grantedBy: 'payments_specialist',
    });
    await expect(elevations.approve(admin.principal, asked.id, undefined)).rejects.toMatchObject({
      code: 'ELEVATION_NOT_PENDING',
    });

    t.clock.advance(30 * MINUTE_MS);
    expect(await stack.access.gate.holds(fresh(), 'vault.detokenize')).toBe(false);
    const report = await expireElevations(
      {
        db: t.vigil.storage.db,
        dialect: t.vigil.storage.dialect,
        tenancy: t.vigil.tenancy,
        audit: t.vigil.audit,
        cache: stack.access.cache,
      },
      { now: t.clock.now() },
    );
    expect(report).toMatchObject({ expired: 1 });
    expect(await elevations.get(stack.tenantId, asked.id)).toMatchObject({
      status: 'expired',
      endedAt: approved.expiresAt,
    });
    const trail = await t.vigil.audit.findEvents(stack.tenantId, { targetId: asked.id });
    expect(trail.events.map((e) => e.action).reverse()).toEqual([
      'access.elevation.request',
      'access.elevation.approve',
      'access.elevation.expire',
    ]);
    expect(trail.events.at(-1)).toMatchObject({ reason: 'Refund desk is short-staffed today' });
  });

  it('elevates one permission with a scope, and lets the holder give it back early', async () => {
    const { stack, agent, admin, fresh, elevations } = await setup();
    const asked = await elevations.request(agent.principal, {
      permission: 'interactions.reveal',
      scope: 'own',
      minutes: 15,
      reason: 'Customer disputes what was said on the call',
    });
    await elevations.approve(admin.principal, asked.id, undefined);
    expect(await stack.access.gate.holds(fresh(), 'interactions.reveal')).toBe(true);
    expect(await stack.access.scopeFor(fresh(), 'interactions.reveal')).toMatchObject({
      own: true,
      tenant: false,
    });
    const other = await createActiveUser(stack, { name: 'Otto Other', roles: ['agent'] });
    await expect(elevations.revoke(other.principal, asked.id, false)).rejects.toMatchObject({
      code: 'ELEVATION_NOT_FOUND',
    });
    expect(await elevations.revoke(agent.principal, asked.id, false)).toMatchObject({ status: 'revoked' });
    expect(await stack.access.gate.holds(fresh(), 'interactions.reveal')).toBe(false);
    await expect(elevations.revoke(agent.principal, asked.id, false)).rejects.toMatchObject({
      code: 'ELEVATION_NOT_ACTIVE',
    });
  });

  it('refuses malformed, duplicate and already-held requests', async () => {
    const { stack, agent, admin, elevations } = await setup();
    const reason = 'Covering for the payments team';
    await expect(
      elevations.request(agent.principal, { role: 'root', minutes: 30, reason }),
    ).rejects.toMatchObject({ code: 'ELEVATION_INVALID' });
    await expect(
      elevations.request(agent.principal, { role: 'integration', minutes: 30, reason }),
    ).rejects.toMatchObject({ code: 'ELEVATION_INVALID' });
    await expect(
      elevations.request(agent.principal, { role: 'agent', minutes: 30, reason }),
    ).rejects.toMatchObject({ code: 'ELEVATION_ALREADY_HELD' });
    await expect(
      elevations.request(agent.principal, {
        permission: 'interactions.read',
        scope: 'own',
        minutes: 30,
        reason,
      }),
    ).rejects.toMatchObject({
      code: 'ELEVATION_ALREADY_HELD',
    });
    await expect(
      elevations.request(agent.principal, { role: 'auditor', minutes: 481, reason }),
    ).rejects.toMatchObject({
      message: 'minutes must be between 5 and 480',
    });
    await expect(
      elevations.request(agent.principal, { role: 'auditor', minutes: 30, reason: 'because' }),
    ).rejects.toMatchObject({
      message: 'reason must be 10-500 characters',
    });
    await expect(
      elevations.request(agent.principal, { role: 'auditor', permission: 'audit.read', minutes: 30, reason }),
    ).rejects.toMatchObject({
      code: 'ELEVATION_INVALID',
    });
    const denied = await elevations.request(agent.principal, { role: 'auditor', minutes: 30, reason });
    expect(await elevations.deny(admin.principal, denied.id, 'not needed for this')).toMatchObject({
      status: 'denied',
      decisionNote: 'not needed for this',
    });
    await expect(elevations.approve(admin.principal, denied.id, undefined)).rejects.toMatchObject({
      code: 'ELEVATION_NOT_PENDING',
    });
    expect(await stack.access.gate.holds(agent.principal, 'audit.read')).toBe(false);
  });

  it('lets undecided requests lapse', async () => {
    const { t, stack, agent, admin, elevations } = await setup();
    const asked = await elevations.request(agent.principal, {
      role: 'auditor',
      minutes: 30,
      reason: 'Quarterly sample review',
    });
    t.clock.advance(DAY_MS + MINUTE_MS);
    await expect(elevations.approve(admin.principal, asked.id, undefined)).rejects.toMatchObject({
      message: 'elevation request lapsed before anyone decided it',
    });
    const report = await expireElevations(
      {
        db: t.vigil.storage.db,
        dialect: t.vigil.storage.dialect,
        tenancy: t.vigil.tenancy,
        audit: t.vigil.audit,
        cache: stack.access.cache,
      },
      { now: t.clock.now() },
    );
    expect(report.lapsed).toBeGreaterThanOrEqual(1);
    expect((await elevations.get(stack.tenantId, asked.id)).status).toBe('lapsed');
  });

  it("keeps another tenant's elevations out of reach", async () => {
    const { t, stack, agent, elevations } = await setup();
    const asked = await elevations.request(agent.principal, {
      role: 'auditor',
      minutes: 30,
      reason: 'Quarterly sample review',
    });
    const other = await t.vigil.tenancy.create({ slug: `elev-${Date.now().toString(36)}`, name: 'Other' });
    const outsider = { ...stack.operator, tenantId: other.id, kind: 'user' as const, id: 'outsider' };
    await expect(elevations.approve(outsider, asked.id, undefined)).rejects.toMatchObject({
      code: 'ELEVATION_NOT_FOUND',
    });
    await expect(elevations.get(other.id, asked.id)).rejects.toMatchObject({ code: 'ELEVATION_NOT_FOUND' });
  });
});

describeEachDialect('break-glass', (get) => {
  it('opens a designated role without approval, alerts, audits every use and ends by itself', async () => {
    const t = get();
    const stack = await buildAccessStack(t);
    // Designate the emergency account: a custom role holding only access.breakglass.
    await stack.access.admin.createRole(stack.operator, {
      name: 'emergency',
      displayName: 'Emergency access',
      grants: [{ permission: 'access.breakglass' }],
    });
    await stack.access.admin.updatePolicy(stack.operator, {
      breakGlass: { maxMinutes: 30, roles: ['payments_specialist'] },
    });
    const oncall = await createActiveUser(stack, { name: 'Olga Oncall', roles: ['emergency'] });
    const principal = () => ({ ...oncall.principal, mfaVerifiedAt: t.clock.now() });
    await expect(
      stack.access.elevations.breakGlass(principal(), {
        role: 'security_admin',
        reason: 'Payments outage, card refunds blocked',
      }),
    ).rejects.toMatchObject({ code: 'BREAK_GLASS_ROLE_NOT_ALLOWED' });
    await expect(
      stack.access.elevations.breakGlass(principal(), { role: 'payments_specialist', reason: 'outage' }),
    ).rejects.toMatchObject({
      message: 'reason must be 20-500 characters',
    });

    const opened = await stack.access.elevations.breakGlass(principal(), {
      role: 'payments_specialist',
      reason: 'Payments outage, card refunds blocked',
    });
    expect(opened).toMatchObject({ status: 'approved', breakGlass: true, minutes: 30, decidedBy: oncall.id });
    // The default alert channel is an error-level log line with an `alert` field, and no reason text.
    expect(t.logs.text()).toContain('"alert":"break_glass"');
    expect(t.logs.text()).not.toContain('Payments outage');
    const used = await stack.access.gate.check(principal(), 'vault.detokenize', {
      ip: '10.0.0.5',
      requestId: 'req-bg-1',
    });
    expect(used).toMatchObject({ via: 'break_glass', elevationId: opened.id });
    const uses = await t.vigil.audit.findEvents(stack.tenantId, { action: 'access.breakglass.use' });
    expect(uses.events[0]).toMatchObject({
      target: { id: opened.id },
      details: { permission: 'vault.detokenize' },
      requestId: 'req-bg-1',
    });
    const openEvent = await t.vigil.audit.findEvents(stack.tenantId, { action: 'access.breakglass.open' });
    expect(openEvent.events[0]).toMatchObject({
      reason: 'Payments outage, card refunds blocked',
      details: { alert: true },
    });

    t.clock.advance(30 * MINUTE_MS);
    expect(await stack.access.gate.holds(principal(), 'vault.detokenize')).toBe(false);
  });
});
