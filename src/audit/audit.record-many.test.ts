import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { newTenant, sampleEvent } from './audit.test-support.ts';

describeEachDialect('audit.recordMany', (get) => {
  it('appends a mixed-tenant batch in input order with dense per-tenant seqs, sealed like record()', async () => {
    const { vigil } = get();
    const [a, b] = [await newTenant(vigil, 'many-a'), await newTenant(vigil, 'many-b')];
    await vigil.audit.record(vigil.storage.db, sampleEvent(a, 0));
    const batch = [sampleEvent(a, 1), sampleEvent(b, 2), sampleEvent(a, 3), sampleEvent(b, 4)];
    const recorded = await vigil.audit.recordMany(vigil.storage.db, batch);
    expect(recorded.map((r) => r.seq)).toEqual([1, 0, 2, 1]);
    const { checkpoint } = await vigil.audit.checkpoints.create(a, 'demand');
    expect(checkpoint.treeSize).toBe(3);
    expect((await vigil.audit.verify(a)).ok).toBe(true);
    expect((await vigil.audit.verify(b)).ok).toBe(true);
  });

  it('rolls the whole batch back with the caller transaction', async () => {
    const { vigil } = get();
    const tenantId = await newTenant(vigil, 'many-rollback');
    await expect(
      vigil.storage.db.transaction().execute(async (trx) => {
        await vigil.audit.recordMany(trx, [sampleEvent(tenantId, 0), sampleEvent(tenantId, 1)]);
        throw new Error('change failed');
      }),
    ).rejects.toThrow('change failed');
    expect((await vigil.audit.findEvents(tenantId, {})).events).toEqual([]);
  });

  it('keeps one order when batches and single records race', async () => {
    const { vigil } = get();
    const tenantId = await newTenant(vigil, 'many-race');
    await Promise.all([
      ...Array.from({ length: 5 }, (_, i) =>
        vigil.audit.recordMany(vigil.storage.db, [
          sampleEvent(tenantId, i * 10),
          sampleEvent(tenantId, i * 10 + 1),
        ]),
      ),
      ...Array.from({ length: 5 }, (_, i) =>
        vigil.audit.record(vigil.storage.db, sampleEvent(tenantId, 100 + i)),
      ),
    ]);
    const seqs = (await vigil.audit.findEvents(tenantId, { limit: 100 })).events
      .map((e) => e.seq)
      .sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 15 }, (_, i) => i));
  });
});
