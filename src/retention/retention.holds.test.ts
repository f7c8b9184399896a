import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { DAY_MS } from '../shared/clock.ts';
import {
  emailOf,
  ingestCall,
  interactionIds,
  newTenant,
  operator,
  phoneOf,
  subjectOf,
} from './retention.test-support.ts';

describeEachDialect('legal holds', (get) => {
  it('never purges held data: a customer, a set of interactions, a query', async () => {
    const { vigil, clock } = get();
    const tenantId = await newTenant(vigil);
    await vigil.retention.settings.setPolicy(operator(tenantId), {
      category: 'voice_transcript',
      jurisdiction: null,
      maxAgeDays: 30,
      action: 'delete',
    });
    const byCustomer = await ingestCall(vigil, tenantId, 'h-1', { customer: 21 });
    const byCustomerToo = await ingestCall(vigil, tenantId, 'h-2', { customer: 21 });
    const byId = await ingestCall(vigil, tenantId, 'h-3', { customer: 22 });
    const byQuery = await ingestCall(vigil, tenantId, 'h-4', { customer: 23, queue: 'disputes' });
    const free = await ingestCall(vigil, tenantId, 'h-5', { customer: 24 });
    const customerHold = await vigil.retention.holds.create(operator(tenantId), {
      name: 'Smith v. Acme',
      reason: 'litigation: preserve all contacts',
      owner: 'legal@acme.test',
      target: { kind: 'customer', identifier: { phone: phoneOf(21) } },
    });
    await vigil.retention.holds.create(operator(tenantId), {
      name: 'Complaint 4411',
      reason: 'regulator inquiry on this call',
      owner: 'compliance',
      target: { kind: 'interactions', ids: [byId] },
    });
    await vigil.retention.holds.create(operator(tenantId), {
      name: 'Disputes queue',
      reason: 'chargeback investigation',
      owner: 'payments',
      target: { kind: 'query', query: { queues: ['disputes'], categories: ['voice_transcript'] } },
    });
    expect(customerHold).toMatchObject({ kind: 'subject', items: 1, active: true });
    clock.advance(31 * DAY_MS);

    const plan = await vigil.retention.plan(operator(tenantId));
    const kept = plan.items.filter((i) => i.action === 'keep');
    expect(kept.map((i) => i.id).sort()).toEqual([byCustomer, byCustomerToo, byId, byQuery].sort());
    expect(kept.find((i) => i.id === byId)!.reason).toContain('Complaint 4411');
    const report = await vigil.retention.run(operator(tenantId));
    expect(report.categories.voice_transcript).toMatchObject({ deleted: 1, kept: { hold: 4 } });
    expect(await interactionIds(vigil, tenantId)).toEqual([byCustomer, byCustomerToo, byId, byQuery].sort());
    // The held customer keeps their profile and key even though a purge touched the tenant.
    const subjectId = await subjectOf(vigil, tenantId, byCustomer);
    expect((await vigil.keys.subjectKeyState(vigil.storage.db, { tenantId, subjectId }))?.status).toBe(
      'active',
    );
    expect(free).not.toBeUndefined();

    // Released, the data follows its policy again; the release is audited.
    await vigil.retention.holds.release(
      operator(tenantId),
      customerHold.id,
      'case settled, released by counsel',
    );
    await vigil.retention.run(operator(tenantId));
    expect(await interactionIds(vigil, tenantId)).toEqual([byId, byQuery].sort());
    const events = await vigil.audit.findEvents(tenantId, { action: 'retention.hold.*', limit: 10 });
    expect(events.events.map((e) => e.action).sort()).toEqual([
      'retention.hold.create',
      'retention.hold.create',
      'retention.hold.create',
      'retention.hold.release',
    ]);
    // The customer's phone number reached the audit log only as a keyed hash.
    expect(JSON.stringify(events.events)).not.toContain(phoneOf(21));
    expect(get().logs.text()).not.toContain(phoneOf(21));
    await expect(
      vigil.retention.holds.release(operator(tenantId), customerHold.id, 'twice released'),
    ).rejects.toMatchObject({ code: 'HOLD_ALREADY_RELEASED' });
  });

  it('stops holding at its expiry, and refuses a hold that names nobody', async () => {
    const { vigil, clock } = get();
    const tenantId = await newTenant(vigil);
    await vigil.retention.settings.setPolicy(operator(tenantId), {
      category: 'voice_transcript',
      jurisdiction: null,
      maxAgeDays: 10,
      action: 'delete',
    });
    const id = await ingestCall(vigil, tenantId, 'exp-1', { customer: 25 });
    await vigil.retention.holds.create(operator(tenantId), {
      name: 'Short hold',
      reason: 'pending internal review',
      owner: 'qa',
      expiresAt: clock.now() + 20 * DAY_MS,
      target: { kind: 'interactions', ids: [id] },
    });
    clock.advance(11 * DAY_MS);
    await vigil.retention.run(operator(tenantId));
    expect(await interactionIds(vigil, tenantId)).toEqual([id]);
    clock.advance(10 * DAY_MS);
    await vigil.retention.run(operator(tenantId));
    expect(await interactionIds(vigil, tenantId)).toEqual([]);
    expect((await vigil.retention.holds.list(tenantId))[0]).toMatchObject({ active: false });
    await expect(
      vigil.retention.holds.create(operator(tenantId), {
        name: 'Nobody',
        reason: 'no such customer here',
        owner: 'legal',
        target: { kind: 'customer', identifier: { email: emailOf(999) } },
      }),
    ).rejects.toMatchObject({ code: 'HOLD_NO_MATCH' });
    await expect(
      vigil.retention.holds.create(operator(tenantId), {
        name: 'Empty',
        reason: 'a query without filters',
        owner: 'legal',
        target: { kind: 'query', query: {} },
      }),
    ).rejects.toMatchObject({ code: 'HOLD_TARGET_INVALID' });
  });

  it('lists holds and what they keep in the signed compliance check', async () => {
    const { vigil, clock } = get();
    const tenantId = await newTenant(vigil);
    await vigil.retention.settings.setPolicy(operator(tenantId), {
      category: 'voice_transcript',
      jurisdiction: null,
      maxAgeDays: 10,
      action: 'delete',
    });
    const id = await ingestCall(vigil, tenantId, 'chk-1', { customer: 26 });
    await ingestCall(vigil, tenantId, 'chk-2', { customer: 27 });
    const hold = await vigil.retention.holds.create(operator(tenantId), {
      name: 'Audit sample',
      reason: 'external audit sample',
      owner: 'internal audit',
      target: { kind: 'interactions', ids: [id] },
    });
    clock.advance(11 * DAY_MS);
    const before = await vigil.retention.checkNow(operator(tenantId));
    expect(before.overdue).toBe(1);
    expect(JSON.parse(before.document)).toMatchObject({
      result: expect.stringMatching(/^fail: 1 records/),
      holds: [{ id: hold.id, name: 'Audit sample', items: 1 }],
    });
    await vigil.retention.run(operator(tenantId));
    clock.advance(60_000);
    const after = await vigil.retention.checkNow(operator(tenantId));
    const doc = JSON.parse(after.document);
    expect(doc).toMatchObject({
      overdue: 0,
      result: expect.stringMatching(/^pass/),
      categories: [{ category: 'voice_transcript', pastRetention: 0, held: 1 }],
    });
    expect(doc.lastPurge).toMatchObject({ status: 'completed', certificates: 1 });
    expect((await vigil.retention.checks.list(tenantId)).map((c) => c.id)).toEqual([after.id, before.id]);
  });
});
