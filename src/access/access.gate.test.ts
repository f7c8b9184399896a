import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { MINUTE_MS } from '../shared/clock.ts';
import { buildAccessStack, createActiveUser } from './access.test-support.ts';

describeEachDialect('access gate: denials, conditions and hooks', (get) => {
  it('audits every denial with the condition that failed, in product words', async () => {
    const t = get();
    const stack = await buildAccessStack(t);
    const agent = await createActiveUser(stack, { name: 'Dora Denied', roles: ['agent'] });
    const context = { ip: '203.0.113.50', userAgent: 'console/1.0', requestId: 'req-deny-1' };
    const error = await stack.access.gate
      .check(agent.principal, 'vault.detokenize', context)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'ACCESS_DENIED',
      kind: 'forbidden',
      message: expect.stringContaining('Your roles (Agent) do not allow you to recover a card number'),
      details: { condition: 'permission', permission: 'vault.detokenize' },
    });
    const { events } = await t.vigil.audit.findEvents(stack.tenantId, {
      action: 'access.denied',
      actorId: agent.id,
    });
    expect(events[0]).toMatchObject({
      outcome: 'denied',
      target: { type: 'permission', id: 'vault.detokenize' },
      details: { condition: 'permission' },
      origin: { ip: '203.0.113.50', userAgent: 'console/1.0' },
      requestId: 'req-deny-1',
      reason: (error as Error).message,
    });
  });

  it('asks for step-up with its own code when the MFA verification is too old', async () => {
    const t = get();
    const stack = await buildAccessStack(t);
    const admin = await createActiveUser(stack, { name: 'Steve Stepup', roles: ['security_admin'] });
    const stale = { ...admin.principal, mfaVerifiedAt: t.clock.now() - 10 * MINUTE_MS };
    await expect(stack.access.gate.check(stale, 'keys.manage')).rejects.toMatchObject({
      code: 'STEP_UP_REQUIRED',
      details: { condition: 'step_up' },
    });
    const fresh = { ...admin.principal, mfaVerifiedAt: t.clock.now() - MINUTE_MS };
    await expect(stack.access.gate.check(fresh, 'keys.manage')).resolves.toMatchObject({
      allowed: true,
      via: 'role',
    });
  });

  it('denies device- and workforce-bound permissions until a source vouches for the person', async () => {
    const t = get();
    const stack = await buildAccessStack(t);
    await stack.access.admin.updatePolicy(stack.operator, {
      rules: [{ target: 'customer-data', device: true, workforce: true }],
    });
    const agent = await createActiveUser(stack, { name: 'Dev Device', roles: ['agent'] });
    await expect(stack.access.gate.check(agent.principal, 'interactions.read')).rejects.toMatchObject({
      details: { condition: 'device_posture' },
      message: expect.stringContaining('no device compliance source is connected yet'),
    });
    const seen: string[] = [];
    stack.access.registerDevicePostureSource({
      async assess(input) {
        seen.push(input.principal.id);
        return input.ip === '10.9.9.9'
          ? { compliant: true }
          : { compliant: false, reason: 'screen lock is off' };
      },
    });
    await expect(
      stack.access.gate.check(agent.principal, 'interactions.read', { ip: '10.1.1.1' }),
    ).rejects.toMatchObject({
      message: expect.stringContaining('(screen lock is off)'),
    });
    await expect(
      stack.access.gate.check(agent.principal, 'interactions.read', { ip: '10.9.9.9' }),
    ).rejects.toMatchObject({
      details: { condition: 'workforce_standing' },
    });
    stack.access.registerWorkforceStandingSource({
      assess: async () => {
        throw new Error('HR system down');
      },
    });
    await expect(
      stack.access.gate.check(agent.principal, 'interactions.read', { ip: '10.9.9.9' }),
    ).rejects.toMatchObject({
      message: expect.stringContaining('the workforce record source did not answer'),
    });
    stack.access.registerWorkforceStandingSource({
      assess: async () => ({ trainingCurrent: true, backgroundCheckValid: true }),
    });
    await expect(
      stack.access.gate.check(agent.principal, 'interactions.read', { ip: '10.9.9.9' }),
    ).resolves.toMatchObject({ allowed: true });
    // Sources are only asked when a rule needs them.
    const asked = seen.length;
    await stack.access.gate.check(agent.principal, 'access.review').catch(() => undefined);
    expect(seen.length).toBe(asked);
  });
});
