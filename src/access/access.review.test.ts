import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { DAY_MS } from '../shared/clock.ts';
import type { ReviewItem } from './access.review.types.ts';
import {
  type AccessStack,
  buildAccessStack,
  createActiveUser,
  type TestUser,
} from './access.test-support.ts';

interface Cast {
  stack: AccessStack;
  dormant: TestUser;
  alice: TestUser;
  lead: TestUser;
  carla: TestUser;
  sam: TestUser;
  frontdesk: TestUser;
  dual: TestUser;
  leaver: TestUser;
}

describeEachDialect('access review campaigns', (get) => {
  async function cast(): Promise<Cast> {
    const t = get();
    const stack = await buildAccessStack(t);
    const dormant = await createActiveUser(stack, { name: 'Dormant Dan', roles: ['agent'] });
    t.clock.advance(100 * DAY_MS);
    const alice = await createActiveUser(stack, { name: 'Alice Agent', roles: ['agent'] });
    const lead = await createActiveUser(stack, { name: 'Lee Lead', roles: ['supervisor'] });
    const carla = await createActiveUser(stack, { name: 'Carla Compliance', roles: ['compliance_officer'] });
    const sam = await createActiveUser(stack, { name: 'Sam Security', roles: ['security_admin'] });
    const frontdesk = await createActiveUser(stack, {
      name: 'Front Desk',
      roles: ['agent'],
      email: 'frontdesk@example.test',
    });
    const dual = await createActiveUser(stack, { name: 'Dual Hat', roles: ['security_admin', 'auditor'] });
    const leaver = await createActiveUser(stack, { name: 'Leo Leaver', roles: ['qa_analyst'] });
    await stack.identity.users.suspend(stack.operator, leaver.id, 'left the company');
    const billing = await stack.access.teams.create(stack.operator, { name: 'Billing', queues: ['billing'] });
    await stack.access.teams.setMembers(stack.operator, billing.id, [
      { userId: lead.id, lead: true },
      { userId: alice.id, lead: false },
    ]);
    // Alice works; her use of the agent role is what clears the "unused" flag.
    await stack.access.gate.check(alice.principal, 'interactions.read', { ip: '10.0.0.1' });
    return { stack, dormant, alice, lead, carla, sam, frontdesk, dual, leaver };
  }

  const itemOf = (items: ReviewItem[], userId: string, grant: string) => {
    const item = items.find((i) => i.userId === userId && i.grantName === grant);
    if (!item) throw new Error(`no item ${grant}`);
    return item;
  };
  const flagsOf = (item: ReviewItem) => item.flags.map((f) => f.flag);

  it('lists every role and elevation with flags and a reviewer who is never the user', async () => {
    const c = await cast();
    const elevation = await c.stack.access.elevations.request(c.alice.principal, {
      role: 'auditor',
      minutes: 60,
      reason: 'Helping with the PCI sample',
    });
    await c.stack.access.elevations.approve(c.sam.principal, elevation.id, undefined);
    const campaign = await c.stack.access.reviews.start(c.carla.principal, { name: 'Q1 review' });
    expect(campaign).toMatchObject({
      name: 'Q1 review',
      status: 'open',
      trigger: 'manual',
      undecidedRule: 'revoke',
    });
    const items = await c.stack.access.reviews.items(c.carla.principal, campaign.id, { all: true });
    expect(campaign.itemCount).toBe(items.length);
    expect(items.length).toBe(10);

    expect(itemOf(items, c.alice.id, 'agent')).toMatchObject({ reviewerId: c.lead.id, flags: [] });
    expect(itemOf(items, c.alice.id, 'auditor')).toMatchObject({
      grantKind: 'elevation',
      elevationId: elevation.id,
      reviewerId: c.lead.id,
    });
    expect(flagsOf(itemOf(items, c.dormant.id, 'agent'))).toEqual(['dormant', 'unused']);
    expect(itemOf(items, c.dormant.id, 'agent').flags[0]!.detail).toBe('no sign-in for 100 days');
    expect(flagsOf(itemOf(items, c.frontdesk.id, 'agent'))).toContain('shared_account');
    expect(flagsOf(itemOf(items, c.leaver.id, 'qa_analyst'))).toContain('terminated');
    const dualAdmin = itemOf(items, c.dual.id, 'security_admin');
    expect(dualAdmin.flags.find((f) => f.flag === 'sod_conflict')?.detail).toBe(
      'together with role auditor: administers the access they are meant to audit',
    );
    expect(flagsOf(itemOf(items, c.dual.id, 'auditor'))).toContain('sod_conflict');
    // The campaign owner reviews those without a team lead, but never their own access.
    expect(itemOf(items, c.dormant.id, 'agent').reviewerId).toBe(c.carla.id);
    expect(itemOf(items, c.carla.id, 'compliance_officer').reviewerId).not.toBe(c.carla.id);
    for (const item of items) expect(item.reviewerId).not.toBe(item.userId);

    const mine = await c.stack.access.reviews.items(c.lead.principal, campaign.id, { all: false });
    expect(mine.map((i) => i.userId)).toEqual([c.alice.id, c.alice.id]);
  });

  it('applies keep, revoke and change decisions through identity, once, by the right people', async () => {
    const c = await cast();
    const { reviews } = c.stack.access;
    const campaign = await reviews.start(c.carla.principal, {});
    const items = await reviews.items(c.carla.principal, campaign.id, { all: true });
    const aliceAgent = itemOf(items, c.alice.id, 'agent');
    await expect(
      reviews.decide(c.sam.principal, campaign.id, aliceAgent.id, { decision: 'keep' }, false),
    ).rejects.toMatchObject({
      code: 'REVIEW_ITEM_NOT_FOUND',
    });
    expect(
      await reviews.decide(
        c.lead.principal,
        campaign.id,
        aliceAgent.id,
        { decision: 'keep', note: 'still on the team' },
        false,
      ),
    ).toMatchObject({
      decision: 'keep',
      outcome: 'kept',
      decidedBy: c.lead.id,
    });
    await expect(
      reviews.decide(c.carla.principal, campaign.id, aliceAgent.id, { decision: 'revoke' }, true),
    ).rejects.toMatchObject({
      code: 'REVIEW_ALREADY_DECIDED',
    });
    const own = itemOf(items, c.carla.id, 'compliance_officer');
    await expect(
      reviews.decide(c.carla.principal, campaign.id, own.id, { decision: 'keep' }, true),
    ).rejects.toMatchObject({
      code: 'REVIEW_SELF_DECISION',
    });

    const dormantItem = itemOf(items, c.dormant.id, 'agent');
    expect(
      await reviews.decide(c.carla.principal, campaign.id, dormantItem.id, { decision: 'revoke' }, false),
    ).toMatchObject({ outcome: 'revoked' });
    expect((await c.stack.identity.users.get(c.stack.tenantId, c.dormant.id)).roles).toEqual([]);

    const dualAuditor = itemOf(items, c.dual.id, 'auditor');
    await expect(
      reviews.decide(
        c.sam.principal,
        campaign.id,
        dualAuditor.id,
        { decision: 'change', changeTo: 'auditor' },
        true,
      ),
    ).rejects.toMatchObject({ code: 'REVIEW_DECISION_INVALID' });
    expect(
      await reviews.decide(
        c.sam.principal,
        campaign.id,
        dualAuditor.id,
        { decision: 'change', changeTo: 'compliance_officer' },
        true,
      ),
    ).toMatchObject({ outcome: 'changed', changeTo: 'compliance_officer' });
    expect((await c.stack.identity.users.get(c.stack.tenantId, c.dual.id)).roles.sort()).toEqual([
      'compliance_officer',
      'security_admin',
    ]);
  });

  it('closes on the rule: undecided grants are revoked, elevations ended, and nothing more can be decided', async () => {
    const t = get();
    const c = await cast();
    const { reviews } = c.stack.access;
    const elevation = await c.stack.access.elevations.request(c.alice.principal, {
      role: 'auditor',
      minutes: 60,
      reason: 'Helping with the PCI sample',
    });
    await c.stack.access.elevations.approve(c.sam.principal, elevation.id, undefined);
    const campaign = await reviews.start(c.carla.principal, { dueDays: 7 });
    const items = await reviews.items(c.carla.principal, campaign.id, { all: true });
    await reviews.decide(
      c.lead.principal,
      campaign.id,
      itemOf(items, c.alice.id, 'agent').id,
      { decision: 'keep' },
      false,
    );

    t.clock.advance(7 * DAY_MS);
    const closed = await reviews.close(c.carla.principal, campaign.id);
    expect(closed).toMatchObject({ status: 'closed', closedAt: t.clock.now() });
    const after = await reviews.items(c.carla.principal, campaign.id, { all: true });
    expect(itemOf(after, c.alice.id, 'agent')).toMatchObject({ outcome: 'kept' });
    expect(itemOf(after, c.frontdesk.id, 'agent')).toMatchObject({
      decision: 'revoke',
      outcome: 'auto_revoked',
      decidedBy: 'access-review:due-date',
    });
    expect(itemOf(after, c.alice.id, 'auditor')).toMatchObject({ outcome: 'auto_revoked' });
    expect((await c.stack.identity.users.get(c.stack.tenantId, c.frontdesk.id)).roles).toEqual([]);
    expect((await c.stack.access.elevations.get(c.stack.tenantId, elevation.id)).status).toBe('revoked');
    expect(await c.stack.access.gate.holds(c.alice.principal, 'audit.read')).toBe(false);
    await expect(reviews.close(c.carla.principal, campaign.id)).rejects.toMatchObject({
      code: 'REVIEW_CLOSED',
    });
    await expect(
      reviews.decide(
        c.carla.principal,
        campaign.id,
        itemOf(after, c.sam.id, 'security_admin').id,
        { decision: 'keep' },
        true,
      ),
    ).rejects.toMatchObject({ code: 'REVIEW_CLOSED' });
    const closeEvent = await t.vigil.audit.findEvents(c.stack.tenantId, { action: 'access.review.close' });
    expect(closeEvent.events[0]).toMatchObject({ target: { id: campaign.id }, details: { rule: 'revoke' } });
  });

  it('keeps undecided access when the campaign rule says keep', async () => {
    const c = await cast();
    const campaign = await c.stack.access.reviews.start(c.carla.principal, { undecided: 'keep' });
    await c.stack.access.reviews.close(c.carla.principal, campaign.id);
    const items = await c.stack.access.reviews.items(c.carla.principal, campaign.id, { all: true });
    expect(new Set(items.map((i) => i.outcome))).toEqual(new Set(['auto_kept']));
    expect((await c.stack.identity.users.get(c.stack.tenantId, c.frontdesk.id)).roles).toEqual(['agent']);
  });
});
