import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { newTenant, recordEvents } from './audit.test-support.ts';

describeEachDialect('audit scheduled jobs', (get) => {
  const runCheckpointJob = () =>
    get()
      .vigil.audit.jobs.find((j) => j.name === 'audit.checkpoint')!
      .run({ now: get().clock.now(), signal: new AbortController().signal });

  it('registers its jobs with the scheduler', () => {
    const names = get().vigil.jobs.map((j) => j.name);
    expect(names).toEqual(expect.arrayContaining(['audit.checkpoint', 'audit.deliver']));
  });

  it('signs a checkpoint for each tenant whose log grew, once, and skips a broken log without stopping', async () => {
    const { vigil } = get();
    const grown = await newTenant(vigil, 'job-grown');
    const broken = await newTenant(vigil, 'job-broken');
    await recordEvents(vigil, grown, 3);
    await recordEvents(vigil, broken, 3);
    await vigil.storage.db
      .updateTable('audit_events')
      .set({ action: 'auth.logout' })
      .where('tenant_id', '=', broken)
      .where('seq', '=', 1)
      .execute();
    const first = await runCheckpointJob();
    expect(first.broken).toBeGreaterThanOrEqual(1);
    expect((await vigil.audit.checkpoints.latest(grown))?.treeSize).toBe(3);
    expect(await vigil.audit.checkpoints.latest(broken)).toBeUndefined();
    expect(get().logs.text()).toContain('audit checkpoint refused');
    const before = (await vigil.audit.checkpoints.list(grown, { limit: 10 })).length;
    await runCheckpointJob();
    expect(await vigil.audit.checkpoints.list(grown, { limit: 10 })).toHaveLength(before);
  });
});
