import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { DAY_MS } from '../shared/clock.ts';
import { ingestCall, interactionIds, newTenant, operator } from './retention.test-support.ts';

describeEachDialect('retention conflicts', (get) => {
  it('refuses a policy below a legal minimum, with the rule and its citation', async () => {
    const { vigil } = get();
    const tenantId = await newTenant(vigil);
    await vigil.retention.settings.setAssignment(operator(tenantId), {
      tenantPacks: ['gdpr', 'mifid2'],
      segments: [],
    });
    const refused = vigil.retention.settings.setPolicy(operator(tenantId), {
      category: 'voice_transcript',
      jurisdiction: null,
      maxAgeDays: 365,
      action: 'delete',
    });
    await expect(refused).rejects.toMatchObject({
      code: 'POLICY_CONFLICT',
      message: expect.stringContaining(
        'MiFID II requires keeping it at least 1827 days (Directive 2014/65/EU Art. 16(7)',
      ),
    });
    expect(await vigil.retention.settings.policies(tenantId)).toEqual([]);
    await vigil.retention.settings.setPolicy(operator(tenantId), {
      category: 'voice_transcript',
      jurisdiction: null,
      maxAgeDays: 1900,
      action: 'delete',
    });
    // GDPR asks for a limit on every category; the ones without a policy are reported as gaps.
    const evaluation = await vigil.retention.settings.evaluate(tenantId);
    expect(evaluation.scopes.find((s) => s.category === 'chat')!.gaps[0]).toMatchObject({
      pack: 'gdpr',
      cite: 'GDPR Art. 5(1)(e)',
    });
    expect(evaluation.scopes.find((s) => s.category === 'voice_transcript')!.gaps).toEqual([]);
  });

  it('stops purging a segment whose jurisdictions now conflict with its policy, and explains why', async () => {
    const { vigil, clock } = get();
    const tenantId = await newTenant(vigil);
    await vigil.retention.settings.setAssignment(operator(tenantId), { tenantPacks: ['gdpr'], segments: [] });
    await vigil.retention.settings.setPolicy(operator(tenantId), {
      category: 'voice_transcript',
      jurisdiction: null,
      maxAgeDays: 90,
      action: 'delete',
    });
    const id = await ingestCall(vigil, tenantId, 'c-1', { customer: 31 });
    // Later the tenant learns it is an investment firm: MiFID II applies to everyone.
    const evaluation = await vigil.retention.settings.setAssignment(operator(tenantId), {
      tenantPacks: ['gdpr', 'mifid2'],
      segments: [],
    });
    expect(evaluation.scopes.find((s) => s.category === 'voice_transcript')!.conflicts[0]).toMatchObject({
      kind: 'policy_below_minimum',
    });
    clock.advance(91 * DAY_MS);
    const plan = await vigil.retention.plan(operator(tenantId));
    expect(plan.items).toEqual([
      expect.objectContaining({
        id,
        action: 'keep',
        reason: expect.stringContaining('requires keeping it at least 1827 days'),
      }),
    ]);
    expect(plan.conflicts[0]).toMatchObject({ category: 'voice_transcript', scope: 'all customers' });
    const report = await vigil.retention.run(operator(tenantId));
    expect(report.categories.voice_transcript).toMatchObject({ deleted: 0, kept: { conflict: 1 } });
    expect(await interactionIds(vigil, tenantId)).toEqual([id]);
  });

  it('applies a jurisdiction policy only to the customers of its segment', async () => {
    const { vigil, clock } = get();
    const tenantId = await newTenant(vigil);
    await vigil.retention.settings.setAssignment(operator(tenantId), {
      tenantPacks: ['pci_dss'],
      segments: [{ name: 'Quebec', regions: ['CA-QC'], packs: ['quebec_law25', 'pipeda'] }],
    });
    await vigil.retention.settings.setPolicy(operator(tenantId), {
      category: 'chat',
      jurisdiction: 'quebec_law25',
      maxAgeDays: 30,
      action: 'delete',
    });
    await vigil.retention.settings.setPolicy(operator(tenantId), {
      category: 'chat',
      jurisdiction: null,
      maxAgeDays: 400,
      action: 'delete',
    });
    const quebec = await ingestCall(vigil, tenantId, 'qc-1', { customer: 32, channel: 'chat' });
    const elsewhere = await ingestCall(vigil, tenantId, 'on-1', { customer: 33, channel: 'chat' });
    const qcSubject = (
      await vigil.storage.db
        .selectFrom('interactions')
        .select('subject_id')
        .where('tenant_id', '=', tenantId)
        .where('id', '=', quebec)
        .executeTakeFirstOrThrow()
    ).subject_id!;
    await vigil.subjects.setRegion(vigil.storage.db, tenantId, qcSubject, 'CA-QC');
    clock.advance(31 * DAY_MS);
    const report = await vigil.retention.run(operator(tenantId));
    expect(report.categories.chat).toMatchObject({ deleted: 1, kept: { not_expired: 1 } });
    expect(await interactionIds(vigil, tenantId)).toEqual([elsewhere]);
    await expect(
      vigil.retention.settings.setAssignment(operator(tenantId), { tenantPacks: ['nope'], segments: [] }),
    ).rejects.toMatchObject({ code: 'PACK_UNKNOWN' });
    await expect(
      vigil.retention.settings.setAssignment(operator(tenantId), {
        tenantPacks: [],
        segments: [
          { name: 'a', regions: ['FR'], packs: ['gdpr'] },
          { name: 'b', regions: ['FR'], packs: ['gdpr'] },
        ],
      }),
    ).rejects.toMatchObject({ code: 'SEGMENT_INVALID' });
  });

  it('sets the audit log retention through the audit module, never below its legal minimum', async () => {
    const { vigil } = get();
    const tenantId = await newTenant(vigil);
    await vigil.retention.settings.setAssignment(operator(tenantId), {
      tenantPacks: ['hipaa'],
      segments: [],
    });
    await expect(
      vigil.retention.settings.setPolicy(operator(tenantId), {
        category: 'audit_log',
        jurisdiction: null,
        maxAgeDays: 400,
        action: 'delete',
      }),
    ).rejects.toMatchObject({
      code: 'POLICY_CONFLICT',
      message: expect.stringContaining('45 CFR 164.316(b)(2)(i)'),
    });
    await vigil.retention.settings.setPolicy(operator(tenantId), {
      category: 'audit_log',
      jurisdiction: null,
      maxAgeDays: 2500,
      action: 'delete',
    });
    expect(await vigil.audit.retention.get(tenantId)).toMatchObject({
      retentionDays: 2500,
      minimumDays: 2192,
    });
    await expect(
      vigil.retention.settings.setPolicy(operator(tenantId), {
        category: 'audit_log',
        jurisdiction: null,
        maxAgeDays: 2500,
        action: 'anonymize',
      }),
    ).rejects.toMatchObject({ code: 'ACTION_NOT_ALLOWED' });
  });
});
