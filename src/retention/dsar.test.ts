import { expect, it } from 'vitest';
import { genericVoiceCall, ingestGeneric, SAMPLE } from '../../test/factories/interactions.ts';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { DAY_MS } from '../shared/clock.ts';
import {
  certifiedIds,
  emailOf,
  ingestCall,
  interactionIds,
  newTenant,
  operator,
  phoneOf,
  subjectOf,
} from './retention.test-support.ts';

describeEachDialect('data subject requests', (get) => {
  it('opens a request through the blind indexes with its jurisdiction deadline, flags it overdue, extends it once', async () => {
    const { vigil, clock } = get();
    const tenantId = await newTenant(vigil);
    await vigil.retention.settings.setAssignment(operator(tenantId), {
      tenantPacks: ['pci_dss'],
      segments: [
        { name: 'EU', regions: ['FR', 'DE'], packs: ['gdpr'] },
        { name: 'California', regions: ['US-CA'], packs: ['ccpa'] },
      ],
    });
    const id = await ingestCall(vigil, tenantId, 'd-1', { customer: 41 });
    const subjectId = await subjectOf(vigil, tenantId, id);
    const opened = await vigil.retention.dsar.open(operator(tenantId), {
      kind: 'access',
      identifier: { email: emailOf(41) },
      region: 'FR',
    });
    expect(opened).toMatchObject({
      status: 'open',
      subjectIds: [subjectId],
      identifiedBy: 'email',
      region: 'FR',
      packs: ['gdpr', 'pci_dss'],
      overdue: false,
    });
    expect(new Date(opened.dueAt!).toISOString()).toBe('2026-02-01T23:59:59.999Z');
    expect(opened.basis).toEqual([expect.objectContaining({ pack: 'gdpr', cite: 'GDPR Art. 12(3)' })]);
    expect((await vigil.subjects.get(vigil.storage.db, tenantId, subjectId))?.region).toBe('FR');
    const event = (await vigil.audit.findEvents(tenantId, { action: 'dsar.case.open', limit: 1 })).events[0]!;
    expect(event.sensitive?.['email']).toMatch(/^[A-Za-z0-9_-]+/);
    expect(JSON.stringify(event)).not.toContain(emailOf(41));

    clock.advance(32 * DAY_MS);
    expect((await vigil.retention.dsar.list(tenantId)).map((c) => [c.id, c.overdue])).toEqual([
      [opened.id, true],
    ]);
    const extended = await vigil.retention.dsar.extend(
      operator(tenantId),
      opened.id,
      'the requester has ten years of calls to review',
    );
    expect(new Date(extended.effectiveDueAt!).toISOString()).toBe('2026-04-01T23:59:59.999Z');
    expect(extended.overdue).toBe(false);
    await expect(
      vigil.retention.dsar.extend(operator(tenantId), opened.id, 'a second extension is not allowed'),
    ).rejects.toMatchObject({ code: 'EXTENSION_NOT_ALLOWED' });

    const californian = await vigil.retention.dsar.open(operator(tenantId), {
      kind: 'erasure',
      identifier: { phone: phoneOf(999) },
      region: 'US-CA',
      receivedAt: clock.now() - DAY_MS,
    });
    expect(californian).toMatchObject({
      subjectIds: [],
      packs: ['ccpa', 'pci_dss'],
      acknowledgeBy: { cite: 'Cal. Code Regs. tit. 11, §7021(a)' },
    });
    expect(californian.effectiveDueAt! - californian.receivedAt).toBeGreaterThan(44 * DAY_MS);
    await expect(
      vigil.retention.dsar.open(operator(tenantId), {
        kind: 'access',
        identifier: { phone: phoneOf(41), email: emailOf(41) },
      }),
    ).rejects.toMatchObject({ code: 'IDENTIFIER_REQUIRED' });
  });

  it('finds the customer by a phone they called from besides the one on their profile', async () => {
    const { vigil } = get();
    const tenantId = await newTenant(vigil);
    const first = await ingestCall(vigil, tenantId, 'p-1', { customer: 44 });
    // Same customer (same email), another phone.
    await ingestGeneric(vigil, tenantId, genericVoiceCall('p-2', { phone: phoneOf(45), email: emailOf(44) }));
    const opened = await vigil.retention.dsar.open(operator(tenantId), {
      kind: 'access',
      identifier: { phone: phoneOf(45) },
    });
    expect(opened).toMatchObject({
      subjectIds: [await subjectOf(vigil, tenantId, first)],
      identifiedBy: 'phone',
    });
  });

  it('exports everything held about the customer as JSON and as an escaped HTML page, and holds their data meanwhile', async () => {
    const { vigil, clock } = get();
    const tenantId = await newTenant(vigil);
    await vigil.retention.settings.setPolicy(operator(tenantId), {
      category: 'voice_transcript',
      jurisdiction: null,
      maxAgeDays: 30,
      action: 'delete',
    });
    const ids = [
      await ingestCall(vigil, tenantId, 'x-1', { customer: 42 }),
      await ingestCall(vigil, tenantId, 'x-2', {
        customer: 42,
        texts: ['Hello', 'my note is <script>alert(1)</script> and my email is customer.42@example.com'],
      }),
    ];
    const opened = await vigil.retention.dsar.open(operator(tenantId), {
      kind: 'access',
      identifier: { phone: phoneOf(42) },
    });
    const json = await vigil.retention.dsar.export(operator(tenantId), opened.id, 'json');
    const data = JSON.parse(json.body);
    expect(data.subjects).toHaveLength(1);
    expect(data.subjects[0].interactions.map((i: { id: string }) => i.id).sort()).toEqual([...ids].sort());
    expect(json.body).toContain(emailOf(42));
    expect(json.body).toContain(SAMPLE.name);
    for (const secret of [SAMPLE.pan, 'four one one one']) expect(json.body).not.toContain(secret);
    const html = await vigil.retention.dsar.export(operator(tenantId), opened.id, 'html');
    expect(html.contentType).toContain('text/html');
    expect(html.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html.body).not.toContain('<script>');
    const audited = (await vigil.audit.findEvents(tenantId, { action: 'dsar.export', limit: 5 })).events.map(
      (e) => e.details?.['sha256'],
    );
    expect(audited.sort()).toEqual([json.sha256, html.sha256].sort());

    // While the access request is open its data is not purged (PIPEDA s. 8(8)).
    clock.advance(31 * DAY_MS);
    expect((await vigil.retention.run(operator(tenantId))).categories.voice_transcript).toMatchObject({
      deleted: 0,
      kept: { hold: 2 },
    });
    await vigil.retention.dsar.close(operator(tenantId), opened.id, { outcome: 'completed' });
    // Nothing about the customer reached the logs.
    for (const secret of [emailOf(42), phoneOf(42), SAMPLE.name])
      expect(get().logs.text()).not.toContain(secret);
    await vigil.retention.run(operator(tenantId));
    expect(await interactionIds(vigil, tenantId)).toEqual([]);
  });

  it('erases what may go, keeps what a hold keeps with the reason, and finishes when the hold is released', async () => {
    const { vigil, clock } = get();
    const tenantId = await newTenant(vigil);
    await vigil.retention.settings.setAssignment(operator(tenantId), { tenantPacks: ['gdpr'], segments: [] });
    const ids = [
      await ingestCall(vigil, tenantId, 'e-1', { customer: 43 }),
      await ingestCall(vigil, tenantId, 'e-2', { customer: 43 }),
      await ingestCall(vigil, tenantId, 'e-3', { customer: 43 }),
    ];
    const subjectId = await subjectOf(vigil, tenantId, ids[0]!);
    const hold = await vigil.retention.holds.create(operator(tenantId), {
      name: 'Fraud case 17',
      reason: 'fraud investigation evidence',
      owner: 'fraud team',
      target: { kind: 'interactions', ids: [ids[2]!] },
    });
    const opened = await vigil.retention.dsar.open(operator(tenantId), {
      kind: 'erasure',
      identifier: { phone: phoneOf(43) },
    });
    const erased = await vigil.retention.dsar.erase(operator(tenantId), opened.id);
    expect(erased.status).toBe('awaiting');
    expect(erased.outcome!.complete).toBe(false);
    expect(erased.outcome!.subjects[0]).toMatchObject({
      subjectId,
      deleted: 2,
      erased: false,
      kept: [
        {
          id: ids[2],
          reason: 'hold',
          detail: expect.stringContaining('Fraud case 17'),
          cites: ['GDPR Art. 17(3)(e)'],
        },
      ],
    });
    expect(await interactionIds(vigil, tenantId)).toEqual([ids[2]]);
    // The held interaction must stay readable: the customer's key is not shredded yet.
    expect((await vigil.keys.subjectKeyState(vigil.storage.db, { tenantId, subjectId }))?.status).toBe(
      'active',
    );

    await vigil.retention.holds.release(
      operator(tenantId),
      hold.id,
      'investigation closed, evidence released',
    );
    clock.advance(60_000);
    await vigil.retention.run(operator(tenantId));
    const done = await vigil.retention.dsar.get(tenantId, opened.id);
    expect(done.status).toBe('completed');
    expect(await interactionIds(vigil, tenantId)).toEqual([]);
    expect((await vigil.keys.subjectKeyState(vigil.storage.db, { tenantId, subjectId }))?.status).toBe(
      'destruction_scheduled',
    );
    expect((await vigil.subjects.get(vigil.storage.db, tenantId, subjectId))?.erasedAt).not.toBeNull();
    const certified = await certifiedIds(vigil, tenantId, opened.id);
    expect(certified['voice_transcript.deleted']).toEqual([...ids].sort());
    expect(certified['customer_profile.erased']).toEqual([subjectId]);
  });

  it('keeps what a legal minimum keeps, with the citation and the date it lapses', async () => {
    const { vigil } = get();
    const tenantId = await newTenant(vigil);
    await vigil.retention.settings.setAssignment(operator(tenantId), {
      tenantPacks: ['gdpr', 'mifid2'],
      segments: [],
    });
    const id = await ingestCall(vigil, tenantId, 'm-1', { customer: 44 });
    const opened = await vigil.retention.dsar.open(operator(tenantId), {
      kind: 'erasure',
      identifier: { customerRef: undefined, email: emailOf(44) },
    });
    const erased = await vigil.retention.dsar.erase(operator(tenantId), opened.id);
    const kept = erased.outcome!.subjects[0]!.kept;
    expect(kept).toEqual([
      {
        category: 'voice_transcript',
        id,
        reason: 'legal_minimum',
        detail: 'kept at least 1827 days',
        cites: [
          'Directive 2014/65/EU Art. 16(7); Delegated Regulation (EU) 2017/565 Art. 76',
          'GDPR Art. 17(3)(b)',
        ],
        until: expect.any(Number),
      },
    ]);
    expect(kept[0]!.until! - vigil.clock.now()).toBe(1827 * DAY_MS);
    await expect(vigil.retention.dsar.export(operator(tenantId), opened.id, 'json')).rejects.toMatchObject({
      code: 'CASE_KIND_MISMATCH',
    });
  });
});
