import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { DAY_MS } from '../shared/clock.ts';
import {
  attachRecording,
  certifiedIds,
  ingestCall,
  interactionIds,
  newTenant,
  operator,
  subjectOf,
} from './retention.test-support.ts';

describeEachDialect('retention purge', (get) => {
  it('deletes what is past its maximum age, keeps the rest, and certifies exactly what went', async () => {
    const { vigil, clock } = get();
    const tenantId = await newTenant(vigil);
    const other = await newTenant(vigil);
    await vigil.retention.settings.setPolicy(operator(tenantId), {
      category: 'voice_transcript',
      jurisdiction: null,
      maxAgeDays: 30,
      action: 'delete',
    });
    const old = [
      await ingestCall(vigil, tenantId, 'old-1', { customer: 1 }),
      await ingestCall(vigil, tenantId, 'old-2', { customer: 2 }),
      await ingestCall(vigil, tenantId, 'old-3', { customer: 3 }),
    ];
    const otherTenantCall = await ingestCall(vigil, other, 'other-1', { customer: 1 });
    const oldSubjects = await Promise.all(old.map((id) => subjectOf(vigil, tenantId, id)));
    clock.advance(20 * DAY_MS);
    const young = await ingestCall(vigil, tenantId, 'young-1', { customer: 4 });
    const chat = await ingestCall(vigil, tenantId, 'chat-1', { customer: 5, channel: 'chat' });
    clock.advance(15 * DAY_MS);

    const report = await vigil.retention.run(operator(tenantId), { batchSize: 2 });
    // Only rows older than the youngest cutoff are read: the young call is never scanned.
    expect(report.categories.voice_transcript).toMatchObject({ scanned: 3, deleted: 3, due: 3, kept: {} });
    expect(report.categories.chat).toBeUndefined();
    expect(await interactionIds(vigil, tenantId)).toEqual([young, chat].sort());
    expect(await interactionIds(vigil, other)).toEqual([otherTenantCall]);
    const findings = await vigil.storage.db
      .selectFrom('interaction_findings')
      .select('interaction_id')
      .where('tenant_id', '=', tenantId)
      .execute();
    expect(findings.filter((f) => old.includes(f.interaction_id))).toEqual([]);
    expect(findings.length).toBeGreaterThan(0);

    // Batches of two: two certificates whose ids are exactly the rows that are gone.
    expect(report.certificates).toHaveLength(2);
    const certified = await certifiedIds(vigil, tenantId, report.runId!);
    expect(certified['voice_transcript.deleted']).toEqual([...old].sort());
    expect(certified['customer_profile.erased']).toEqual([...oldSubjects].sort());
    for (const id of report.certificates)
      expect(await vigil.retention.certificates.verify(tenantId, id)).toEqual({
        valid: true,
        hash: true,
        signature: true,
        anchored: true,
      });

    // The customers left with nothing are forgotten and their keys scheduled for destruction.
    for (const subjectId of oldSubjects) {
      expect((await vigil.subjects.get(vigil.storage.db, tenantId, subjectId))?.erasedAt).not.toBeNull();
      expect((await vigil.keys.subjectKeyState(vigil.storage.db, { tenantId, subjectId }))?.status).toBe(
        'destruction_scheduled',
      );
    }
    const youngSubject = await subjectOf(vigil, tenantId, young);
    expect(
      (await vigil.keys.subjectKeyState(vigil.storage.db, { tenantId, subjectId: youngSubject }))?.status,
    ).toBe('active');

    // Idempotent: a second run finds nothing and issues no certificate.
    const again = await vigil.retention.run(operator(tenantId));
    expect(again.certificates).toEqual([]);
    expect(again.categories.voice_transcript).toMatchObject({ scanned: 0, deleted: 0 });
    const runs = await vigil.retention.runs(tenantId);
    expect(runs.map((r) => r.status)).toEqual(['completed', 'completed']);
  });

  it('anonymizes: the redacted conversation stays, without anything that identifies the customer', async () => {
    const { vigil, clock } = get();
    const tenantId = await newTenant(vigil);
    await vigil.retention.settings.setPolicy(operator(tenantId), {
      category: 'chat',
      jurisdiction: null,
      maxAgeDays: 90,
      action: 'anonymize',
    });
    const id = await ingestCall(vigil, tenantId, 'chat-anon', { customer: 7, channel: 'chat' });
    const subjectId = await subjectOf(vigil, tenantId, id);
    clock.advance(91 * DAY_MS);
    const report = await vigil.retention.run(operator(tenantId));
    expect(report.categories.chat).toMatchObject({ anonymized: 1, deleted: 0 });
    const row = await vigil.storage.db
      .selectFrom('interactions')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      subject_id: null,
      originals: null,
      customer_phone_bidx: null,
      customer_email_bidx: null,
    });
    expect(row.anonymized_at).not.toBeNull();
    const { document } = await vigil.interactions.read.get(
      { tenantId, actor: { type: 'system', id: 't' }, scope: { all: true }, fields: {} },
      id,
    );
    const customer = document.participants.find((p) => p.role === 'customer')!;
    expect(customer).toEqual({ ref: customer.ref, role: 'customer' });
    expect(document.segments.length).toBeGreaterThan(0);
    expect((await certifiedIds(vigil, tenantId, report.runId!))['chat.anonymized']).toEqual([id]);
    // The customer has nothing left under their key: erased, key scheduled for destruction.
    expect((await vigil.keys.subjectKeyState(vigil.storage.db, { tenantId, subjectId }))?.status).toBe(
      'destruction_scheduled',
    );
    // Anonymized rows are not anonymized again.
    expect((await vigil.retention.run(operator(tenantId))).categories.chat).toMatchObject({
      anonymized: 0,
      scanned: 0,
    });
  });

  it('removes recordings by their own policy and keeps the transcript', async () => {
    const { vigil, clock, dataDir } = get();
    const tenantId = await newTenant(vigil);
    await vigil.retention.settings.setPolicy(operator(tenantId), {
      category: 'recording',
      jurisdiction: null,
      maxAgeDays: 7,
      action: 'delete',
    });
    const id = await ingestCall(vigil, tenantId, 'rec-1', { customer: 8 });
    await attachRecording(vigil, tenantId, id);
    const file = path.join(dataDir, 'recordings', tenantId, `${id}.rec`);
    expect(existsSync(file)).toBe(true);
    clock.advance(8 * DAY_MS);
    const report = await vigil.retention.run(operator(tenantId));
    expect(report.categories.recording).toMatchObject({ recordingsRemoved: 1 });
    expect(report.recordingFilesRemoved).toBe(1);
    expect(existsSync(file)).toBe(false);
    const row = await vigil.storage.db
      .selectFrom('interactions')
      .select(['has_recording', 'subject_id'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(Number(row.has_recording)).toBe(0);
    expect(row.subject_id).not.toBeNull();
    expect((await certifiedIds(vigil, tenantId, report.runId!))['recording.recording_removed']).toEqual([id]);
  });

  it('deletes card tokens past their retention (PCI DSS 3.2.1)', async () => {
    const { vigil, clock } = get();
    const tenantId = await newTenant(vigil);
    await vigil.retention.settings.setPolicy(operator(tenantId), {
      category: 'card_token',
      jurisdiction: null,
      maxAgeDays: 30,
      action: 'delete',
    });
    await ingestCall(vigil, tenantId, 'pay-1', { customer: 9 });
    const tokens = async () =>
      (
        await vigil.storage.db
          .selectFrom('vault_tokens')
          .select('token')
          .where('tenant_id', '=', tenantId)
          .execute()
      ).map((t) => t.token);
    const [token] = await tokens();
    expect(token).toMatch(/^tok_1111_/);
    clock.advance(29 * DAY_MS);
    expect((await vigil.retention.run(operator(tenantId))).categories.card_token).toMatchObject({
      scanned: 0,
      deleted: 0,
    });
    clock.advance(2 * DAY_MS);
    const report = await vigil.retention.run(operator(tenantId));
    expect(report.categories.card_token).toMatchObject({ deleted: 1 });
    expect(await tokens()).toEqual([]);
    expect((await certifiedIds(vigil, tenantId, report.runId!))['card_token.deleted']).toEqual([token]);
  });

  it('erases customer profiles not seen for their maximum age once nothing of theirs is retained', async () => {
    const { vigil, clock } = get();
    const tenantId = await newTenant(vigil);
    await vigil.retention.settings.setPolicy(operator(tenantId), {
      category: 'customer_profile',
      jurisdiction: null,
      maxAgeDays: 365,
      action: 'delete',
    });
    const kept = await ingestCall(vigil, tenantId, 'p-1', { customer: 10 });
    const gone = await ingestCall(vigil, tenantId, 'p-2', { customer: 11 });
    const [keptSubject, goneSubject] = [
      await subjectOf(vigil, tenantId, kept),
      await subjectOf(vigil, tenantId, gone),
    ];
    // The second customer's interaction was removed by another process; the profile stays behind.
    await vigil.storage.db
      .transaction()
      .execute((trx) => vigil.interactions.lifecycle.deleteInteractions(trx, tenantId, [gone]));
    clock.advance(366 * DAY_MS);
    const report = await vigil.retention.run(operator(tenantId));
    expect(report.categories.customer_profile).toMatchObject({ erased: 1, kept: { has_interactions: 1 } });
    expect((await vigil.subjects.get(vigil.storage.db, tenantId, goneSubject))?.erasedAt).not.toBeNull();
    expect((await vigil.subjects.get(vigil.storage.db, tenantId, keptSubject))?.erasedAt).toBeNull();
    // Nobody can find the erased customer by their phone number any more.
    expect(await vigil.subjects.find(vigil.storage.db, tenantId, { phone: '+1 416 555 1011' })).toEqual([]);
  });

  it('plans without deleting: every record that would go, with its policy and reason', async () => {
    const { vigil, clock } = get();
    const tenantId = await newTenant(vigil);
    const policy = await vigil.retention.settings.setPolicy(operator(tenantId), {
      category: 'voice_transcript',
      jurisdiction: null,
      maxAgeDays: 10,
      action: 'delete',
    });
    const ids = [
      await ingestCall(vigil, tenantId, 'plan-1', { customer: 12 }),
      await ingestCall(vigil, tenantId, 'plan-2', { customer: 13 }),
    ];
    clock.advance(11 * DAY_MS);
    const plan = await vigil.retention.plan(operator(tenantId));
    expect(plan.mode).toBe('plan');
    expect(plan.items.map((i) => i.id).sort()).toEqual([...ids].sort());
    expect(plan.items[0]).toMatchObject({
      category: 'voice_transcript',
      action: 'delete',
      policyId: policy.id,
      ageDays: 11,
      reason: expect.stringContaining('older than 10 days'),
    });
    expect(plan.categories.voice_transcript).toMatchObject({ due: 2, deleted: 0 });
    expect(await interactionIds(vigil, tenantId)).toEqual([...ids].sort());
    expect(await vigil.retention.runs(tenantId)).toEqual([]);
  });
});
