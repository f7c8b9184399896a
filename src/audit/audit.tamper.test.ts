import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeEachDialect, type TestVigil } from '../../test/harness/test-vigil.ts';
import { auditLeafHash, encodeAuditEvent } from './audit.encoding.ts';
import { describeOnDigestThread, newTenant, recordEvents } from './audit.test-support.ts';
import { generateNoteKeyPair, parseSignerKey, signCheckpoint } from './checkpoint/index.ts';

// Each test builds a log of 20 events with checkpoints at 10 and 20, tampers with the stored rows
// the way someone with database access could, and checks `verify` names the first bad event. On
// SQLite every test runs twice: sealed events hashed on the main thread, and on the digest thread.
describeEachDialect('audit verify detects tampering', (get, dialect) => {
  tamperTests(get);
  if (dialect === 'sqlite') {
    describeOnDigestThread(
      () => get().vigil,
      () => tamperTests(get),
    );
  }
});

function tamperTests(get: () => TestVigil): void {
  async function sealedLog(label: string): Promise<string> {
    const { vigil } = get();
    const tenantId = await newTenant(vigil, label);
    await recordEvents(vigil, tenantId, 10);
    await vigil.audit.checkpoints.create(tenantId, 'schedule');
    await recordEvents(vigil, tenantId, 10, 10);
    await vigil.audit.checkpoints.create(tenantId, 'schedule');
    const clean = await vigil.audit.verify(tenantId);
    expect(clean.problems).toEqual([]);
    expect(clean).toMatchObject({ ok: true, eventsChecked: 20, logSize: 20, checkpointsChecked: 2 });
    return tenantId;
  }

  const events = () => get().vigil.storage.db.updateTable('audit_events');
  const eventAt = (tenantId: string, seq: number) =>
    get()
      .vigil.storage.db.selectFrom('audit_events')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('seq', '=', seq)
      .executeTakeFirstOrThrow();

  it('a changed field', async () => {
    const tenantId = await sealedLog('tamper-field');
    const victim = await eventAt(tenantId, 5);
    await events()
      .set({ outcome: 'success', reason: 'nothing to see' })
      .where('tenant_id', '=', tenantId)
      .where('seq', '=', 5)
      .execute();
    const report = await get().vigil.audit.verify(tenantId);
    expect(report.ok).toBe(false);
    expect(report.firstBadEvent).toMatchObject({ kind: 'event_fields_changed', seq: 5, eventId: victim.id });
  });

  it('a changed field with its leaf hash recomputed', async () => {
    const tenantId = await sealedLog('tamper-rehash');
    const row = await eventAt(tenantId, 8);
    const { leaf_hash: _l, mac: _m, ...fields } = row;
    const forged = { ...fields, actor_id: 'someone-else' };
    await events()
      .set({ actor_id: 'someone-else', leaf_hash: auditLeafHash(encodeAuditEvent(forged)) })
      .where('tenant_id', '=', tenantId)
      .where('seq', '=', 8)
      .execute();
    const report = await get().vigil.audit.verify(tenantId);
    expect(report.firstBadEvent).toMatchObject({ kind: 'event_mac_invalid', seq: 8, eventId: row.id });
    expect(report.problems.some((p) => p.kind === 'checkpoint_root_mismatch' && p.treeSize === 10)).toBe(
      true,
    );
  });

  it('a deleted row', async () => {
    const tenantId = await sealedLog('tamper-delete');
    await get()
      .vigil.storage.db.deleteFrom('audit_events')
      .where('tenant_id', '=', tenantId)
      .where('seq', '=', 7)
      .execute();
    const report = await get().vigil.audit.verify(tenantId);
    expect(report.firstBadEvent).toMatchObject({ kind: 'event_missing', seq: 7 });
    expect(report.firstBadEvent?.detail).toContain('events 7..7 are missing');
  });

  it('an inserted row (appended with a valid leaf hash)', async () => {
    const tenantId = await sealedLog('tamper-append');
    const template = await eventAt(tenantId, 19);
    const { leaf_hash: _l, mac: _m, ...fields } = template;
    const forged = { ...fields, id: randomUUID(), seq: 20, action: 'auth.logout' };
    await get()
      .vigil.storage.db.insertInto('audit_events')
      .values({ ...forged, leaf_hash: auditLeafHash(encodeAuditEvent(forged)), mac: Buffer.alloc(32, 1) })
      .execute();
    const report = await get().vigil.audit.verify(tenantId);
    expect(report.firstBadEvent).toMatchObject({ kind: 'event_mac_invalid', seq: 20, eventId: forged.id });
  });

  it('an inserted row (in the middle, later rows shifted)', async () => {
    const tenantId = await sealedLog('tamper-insert');
    const db = get().vigil.storage.db;
    await events()
      .set((eb) => ({ seq: eb('seq', '+', 1000) }))
      .where('tenant_id', '=', tenantId)
      .where('seq', '>=', 12)
      .execute();
    await events()
      .set((eb) => ({ seq: eb('seq', '-', 999) }))
      .where('tenant_id', '=', tenantId)
      .where('seq', '>=', 1000)
      .execute();
    const { leaf_hash: _l, mac: _m, ...fields } = await eventAt(tenantId, 11);
    const forged = { ...fields, id: randomUUID(), seq: 12 };
    await db
      .insertInto('audit_events')
      .values({ ...forged, leaf_hash: auditLeafHash(encodeAuditEvent(forged)), mac: Buffer.alloc(32) })
      .execute();
    const report = await get().vigil.audit.verify(tenantId);
    expect(report.firstBadEvent).toMatchObject({ kind: 'event_mac_invalid', seq: 12, eventId: forged.id });
    expect(report.problems.some((p) => p.kind === 'event_fields_changed' && p.seq === 13)).toBe(true);
  });

  it('two swapped rows', async () => {
    const tenantId = await sealedLog('tamper-swap');
    const [a, b] = [await eventAt(tenantId, 3), await eventAt(tenantId, 14)];
    await events().set({ seq: -1 }).where('tenant_id', '=', tenantId).where('id', '=', a.id).execute();
    await events().set({ seq: 3 }).where('tenant_id', '=', tenantId).where('id', '=', b.id).execute();
    await events().set({ seq: 14 }).where('tenant_id', '=', tenantId).where('id', '=', a.id).execute();
    const report = await get().vigil.audit.verify(tenantId);
    expect(report.firstBadEvent).toMatchObject({ kind: 'event_fields_changed', seq: 3, eventId: b.id });
    expect(report.problems.some((p) => p.seq === 14 && p.eventId === a.id)).toBe(true);
  });

  it('a truncated tail', async () => {
    const tenantId = await sealedLog('tamper-truncate');
    await get()
      .vigil.storage.db.deleteFrom('audit_events')
      .where('tenant_id', '=', tenantId)
      .where('seq', '>=', 15)
      .execute();
    const report = await get().vigil.audit.verify(tenantId);
    expect(report.logSize).toBe(15);
    expect(report.firstBadEvent).toMatchObject({ kind: 'log_truncated', seq: 15, treeSize: 20 });
  });

  it('a truncated tail hiding a rewritten event below the lost checkpoint', async () => {
    const tenantId = await sealedLog('tamper-hide');
    const row = await eventAt(tenantId, 12);
    const { leaf_hash: _l, mac: _m, ...fields } = row;
    const forged = { ...fields, outcome: 'success', reason: 'approved' };
    await events()
      .set({ outcome: 'success', reason: 'approved', leaf_hash: auditLeafHash(encodeAuditEvent(forged)) })
      .where('tenant_id', '=', tenantId)
      .where('seq', '=', 12)
      .execute();
    await get()
      .vigil.storage.db.deleteFrom('audit_events')
      .where('tenant_id', '=', tenantId)
      .where('seq', '>=', 15)
      .execute();
    const report = await get().vigil.audit.verify(tenantId);
    expect(report.firstBadEvent).toMatchObject({ kind: 'event_mac_invalid', seq: 12, eventId: row.id });
    expect(report.problems.map((p) => p.kind)).toContain('log_truncated');
  });

  it('a truncated tail with its checkpoints and tree deleted (published copy remains)', async () => {
    const tenantId = await sealedLog('tamper-erase');
    const db = get().vigil.storage.db;
    await db.deleteFrom('audit_events').where('tenant_id', '=', tenantId).where('seq', '>=', 12).execute();
    await db
      .deleteFrom('audit_checkpoints')
      .where('tenant_id', '=', tenantId)
      .where('tree_size', '=', 20)
      .execute();
    await db.deleteFrom('audit_tree_nodes').where('tenant_id', '=', tenantId).execute();
    await db.deleteFrom('audit_tree_heads').where('tenant_id', '=', tenantId).execute();
    const report = await get().vigil.audit.verify(tenantId);
    expect(report.problems.map((p) => p.kind)).toContain('checkpoint_missing');
    expect(report.firstBadEvent).toMatchObject({ kind: 'log_truncated', seq: 12, treeSize: 20 });
  });

  it('a changed stored tree node (the copy that serves proofs)', async () => {
    const tenantId = await sealedLog('tamper-node');
    const { vigil } = get();
    await vigil.storage.db
      .updateTable('audit_tree_nodes')
      .set({ hash: Buffer.alloc(32, 5) })
      .where('tenant_id', '=', tenantId)
      .where('level', '=', 4)
      .where('idx', '=', 0)
      .execute();
    const report = await vigil.audit.verify(tenantId);
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        kind: 'tree_node_mismatch',
        detail: expect.stringContaining('level 4, index 0'),
      }),
    );
    // Leaf 17's audit path uses node (4, 0): the server refuses to hand out a proof that cannot verify.
    const event = (await vigil.audit.findEvents(tenantId, { limit: 500 })).events.find((e) => e.seq === 17)!;
    await expect(vigil.audit.proofs.eventProof(tenantId, event.id)).rejects.toMatchObject({
      code: 'AUDIT_LOG_BROKEN',
    });
    const quick = await vigil.audit.verify(tenantId, { compareStoredNodes: false });
    expect(quick.problems.map((p) => p.kind)).not.toContain('tree_node_mismatch');
  });

  it('a replaced checkpoint (re-signed by another key)', async () => {
    const tenantId = await sealedLog('tamper-cp');
    const { vigil } = get();
    const signer = parseSignerKey(generateNoteKeyPair('vigil-audit').signerKey);
    const forgedNote = await signCheckpoint(
      { origin: vigil.audit.originFor(tenantId), size: 10, rootHash: Buffer.alloc(32, 9) },
      signer,
    );
    await vigil.storage.db
      .updateTable('audit_checkpoints')
      .set({ note: forgedNote, root_hash: Buffer.alloc(32, 9) })
      .where('tenant_id', '=', tenantId)
      .where('tree_size', '=', 10)
      .execute();
    rmSync(path.join(get().dataDir, 'checkpoints', tenantId), { recursive: true, force: true });
    const report = await vigil.audit.verify(tenantId);
    expect(report.problems).toContainEqual(
      expect.objectContaining({ kind: 'checkpoint_signature_invalid', treeSize: 10 }),
    );
  });

  it('a checkpoint swapped for another genuine one', async () => {
    const tenantId = await sealedLog('tamper-cpswap');
    const { vigil } = get();
    const latest = (await vigil.audit.checkpoints.latest(tenantId))!;
    await vigil.storage.db
      .updateTable('audit_checkpoints')
      .set({ note: latest.note })
      .where('tenant_id', '=', tenantId)
      .where('tree_size', '=', 10)
      .execute();
    const report = await vigil.audit.verify(tenantId);
    expect(report.problems).toContainEqual(
      expect.objectContaining({ kind: 'checkpoint_fields_mismatch', treeSize: 10 }),
    );
  });

  it('a signing key row inserted by someone without the root key', async () => {
    const tenantId = await sealedLog('tamper-key');
    const { vigil } = get();
    const pair = generateNoteKeyPair('vigil-audit');
    await vigil.storage.db
      .insertInto('audit_signing_keys')
      .values({
        id: '01890000-0000-7000-8000-00000000000a',
        name: 'vigil-audit',
        key_id: pair.verifierKey.split('+')[1]!,
        verifier_key: pair.verifierKey,
        wrapped_private_key: Buffer.alloc(64, 3),
        created_at: 0,
        retired_at: null,
      })
      .execute();
    const report = await vigil.audit.verify(tenantId);
    expect(report.problems).toContainEqual(expect.objectContaining({ kind: 'signing_key_forged' }));
    await vigil.storage.db
      .deleteFrom('audit_signing_keys')
      .where('id', '=', '01890000-0000-7000-8000-00000000000a')
      .execute();
  });

  it('verifies from a trusted checkpoint without re-reading the events before it', async () => {
    const tenantId = await sealedLog('verify-from');
    const { vigil } = get();
    const first = (await vigil.audit.checkpoints.bySize(tenantId, 10))!;
    const fromSize = await vigil.audit.verify(tenantId, { from: { treeSize: 10 } });
    expect(fromSize).toMatchObject({ ok: true, fromTreeSize: 10, eventsChecked: 10 });
    const fromNote = await vigil.audit.verify(tenantId, { from: { note: first.note } });
    expect(fromNote).toMatchObject({ ok: true, fromTreeSize: 10 });
    await events()
      .set({ reason: 'edited' })
      .where('tenant_id', '=', tenantId)
      .where('seq', '=', 16)
      .execute();
    expect((await vigil.audit.verify(tenantId, { from: { treeSize: 10 } })).firstBadEvent).toMatchObject({
      seq: 16,
    });
  });
}
