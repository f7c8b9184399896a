import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { newTenant, recordEvents } from './audit.test-support.ts';
import { verifyCheckpoint, verifyProofBundle } from './checkpoint/index.ts';

describeEachDialect('audit checkpoints', (get) => {
  it('signs the folded head with the installation key and publishes it to a file', async () => {
    const { vigil, dataDir } = get();
    const tenantId = await newTenant(vigil, 'cp-sign');
    await recordEvents(vigil, tenantId, 6);
    const { checkpoint, created } = await vigil.audit.checkpoints.create(tenantId, 'demand');
    expect(created).toBe(true);
    expect(checkpoint.treeSize).toBe(6);
    const keys = await vigil.audit.verifierKeys();
    expect(keys).toHaveLength(1);
    const verified = verifyCheckpoint(checkpoint.note, keys, { origin: vigil.audit.originFor(tenantId) });
    expect(verified.ok && verified.checkpoint.size).toBe(6);
    const file = path.join(dataDir, 'checkpoints', tenantId, '0000000000000006.checkpoint');
    expect(readFileSync(file, 'utf8')).toBe(checkpoint.note);
    expect(readFileSync(path.join(dataDir, 'checkpoints', 'verifier.keys'), 'utf8')).toContain(keys[0]);
  });

  it('does not sign the same size twice and reuses one key', async () => {
    const { vigil } = get();
    const tenantId = await newTenant(vigil, 'cp-idem');
    await recordEvents(vigil, tenantId, 3);
    const first = await vigil.audit.checkpoints.create(tenantId, 'schedule');
    const again = await vigil.audit.checkpoints.create(tenantId, 'schedule');
    expect(again.created).toBe(false);
    expect(again.checkpoint.id).toBe(first.checkpoint.id);
    expect(await vigil.audit.verifierKeys()).toHaveLength(1);
  });

  it('stores the private key only wrapped', async () => {
    const { vigil } = get();
    const tenantId = await newTenant(vigil, 'cp-wrap');
    await recordEvents(vigil, tenantId, 1);
    await vigil.audit.checkpoints.create(tenantId, 'demand');
    const rows = await vigil.storage.db.selectFrom('audit_signing_keys').selectAll().execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const stored = Buffer.from(row.wrapped_private_key);
      expect(stored.toString('latin1')).not.toContain('PRIVATE+KEY');
      expect(stored.length).toBeGreaterThan(60);
    }
  });

  it('serves inclusion and consistency bundles that verify offline', async () => {
    const { vigil } = get();
    const tenantId = await newTenant(vigil, 'cp-proof');
    await recordEvents(vigil, tenantId, 5);
    const small = await vigil.audit.checkpoints.create(tenantId, 'demand');
    await recordEvents(vigil, tenantId, 8, 5);
    await vigil.audit.checkpoints.create(tenantId, 'demand');
    const page = await vigil.audit.findEvents(tenantId, { limit: 500 });
    const target = page.events.find((e) => e.seq === 3)!;
    const { bundle, event } = await vigil.audit.proofs.eventProof(tenantId, target.id);
    expect(event.id).toBe(target.id);
    const keys = await vigil.audit.verifierKeys();
    const inclusion = verifyProofBundle(bundle, keys);
    expect(inclusion).toMatchObject({
      ok: true,
      type: 'inclusion',
      treeSize: 13,
      leafIndex: 3,
      leafDataChecked: true,
    });
    const older = await vigil.audit.proofs.eventProof(tenantId, target.id, { treeSize: 5 });
    expect(verifyProofBundle(older.bundle, keys)).toMatchObject({ ok: true, treeSize: 5 });
    const consistency = await vigil.audit.proofs.consistency(tenantId, small.checkpoint.treeSize, 13);
    expect(verifyProofBundle(consistency, keys)).toMatchObject({ ok: true, size1: 5, size2: 13 });
  });

  it('refuses a proof for an event no checkpoint covers yet', async () => {
    const { vigil } = get();
    const tenantId = await newTenant(vigil, 'cp-notyet');
    await recordEvents(vigil, tenantId, 2);
    await vigil.audit.checkpoints.create(tenantId, 'demand');
    await recordEvents(vigil, tenantId, 1, 2);
    const newest = (await vigil.audit.findEvents(tenantId, { limit: 1 })).events[0]!;
    await expect(vigil.audit.proofs.eventProof(tenantId, newest.id)).rejects.toMatchObject({
      code: 'AUDIT_NOT_CHECKPOINTED',
    });
  });
});
