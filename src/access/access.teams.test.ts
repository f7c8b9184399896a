import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { buildAccessStack, createActiveUser } from './access.test-support.ts';

describeEachDialect('teams and queues scope', (get) => {
  it("scopes a supervisor to their teams' members and queues, updated at once", async () => {
    const stack = await buildAccessStack(get());
    const { teams } = stack.access;
    const lead = await createActiveUser(stack, { name: 'Lena Lead', roles: ['supervisor'] });
    const agent = await createActiveUser(stack, { name: 'Abe Agent', roles: ['agent'] });
    const billing = await teams.create(stack.operator, {
      name: 'Billing',
      queues: ['billing', 'refunds', 'billing'],
    });
    expect(billing).toMatchObject({ name: 'Billing', queues: ['billing', 'refunds'], members: [] });
    expect(await stack.access.scopeFor(lead.principal, 'interactions.read')).toMatchObject({
      teamIds: [],
      queues: [],
    });

    await teams.setMembers(stack.operator, billing.id, [
      { userId: lead.id, lead: true },
      { userId: agent.id, lead: false },
    ]);
    expect(await stack.access.scopeFor(lead.principal, 'interactions.read')).toMatchObject({
      tenant: false,
      own: false,
      teamIds: [billing.id],
      queues: ['billing', 'refunds'],
      userId: lead.id,
    });
    // Agents see their own interactions only, team or not.
    expect(await stack.access.scopeFor(agent.principal, 'interactions.read')).toMatchObject({
      own: true,
      teamIds: [],
    });

    await teams.setQueues(stack.operator, billing.id, ['collections']);
    expect((await stack.access.scopeFor(lead.principal, 'interactions.read')).queues).toEqual([
      'collections',
    ]);
    await teams.remove(stack.operator, billing.id);
    expect((await stack.access.scopeFor(lead.principal, 'interactions.read')).teamIds).toEqual([]);
    await expect(teams.get(stack.tenantId, billing.id)).rejects.toMatchObject({ code: 'TEAM_NOT_FOUND' });
  });

  it('refuses unknown members, duplicate and malformed names, and other tenants', async () => {
    const t = get();
    const stack = await buildAccessStack(t);
    const { teams } = stack.access;
    const sales = await teams.create(stack.operator, { name: 'Sales EMEA', queues: ['sales:emea'] });
    await expect(teams.create(stack.operator, { name: 'Sales EMEA', queues: [] })).rejects.toMatchObject({
      code: 'TEAM_EXISTS',
    });
    await expect(teams.create(stack.operator, { name: '<script>', queues: [] })).rejects.toMatchObject({
      code: 'TEAM_INVALID',
    });
    await expect(
      teams.setMembers(stack.operator, sales.id, [
        { userId: '0197a0b0-0000-7000-8000-000000000000', lead: false },
      ]),
    ).rejects.toMatchObject({ code: 'USER_NOT_FOUND', message: '1 member(s) are not users of this tenant' });
    const other = await t.vigil.tenancy.create({ slug: `teams-${Date.now().toString(36)}`, name: 'Other' });
    const outsider = { ...stack.operator, tenantId: other.id };
    await expect(teams.setQueues(outsider, sales.id, ['x'])).rejects.toMatchObject({
      code: 'TEAM_NOT_FOUND',
    });
    await expect(teams.remove(outsider, sales.id)).rejects.toMatchObject({ code: 'TEAM_NOT_FOUND' });
    expect(await teams.list(other.id)).toEqual([]);
    const trail = await t.vigil.audit.findEvents(stack.tenantId, { targetId: sales.id });
    expect(trail.events.map((e) => e.action)).toEqual(['access.team.create']);
  });
});
