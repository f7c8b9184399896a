import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { DAY_MS } from '../shared/clock.ts';
import { AUDIT_RETENTION_FLOOR_DAYS } from './audit.retention.ts';
import { newTenant } from './audit.test-support.ts';

describeEachDialect('audit log retention', (get) => {
  const admin = { type: 'user' as const, id: 'compliance-1' };

  it('keeps at least 12 months by default and refuses to go below the minimum', async () => {
    const { vigil } = get();
    const tenantId = await newTenant(vigil, 'ret-default');
    expect(await vigil.audit.retention.get(tenantId)).toEqual({
      tenantId,
      retentionDays: AUDIT_RETENTION_FLOOR_DAYS,
      minimumDays: AUDIT_RETENTION_FLOOR_DAYS,
    });
    await expect(vigil.audit.retention.setRetention(tenantId, 90, admin)).rejects.toMatchObject({
      code: 'AUDIT_RETENTION_BELOW_MINIMUM',
      kind: 'forbidden',
    });
    await expect(vigil.audit.retention.setMinimum(tenantId, 200, admin)).rejects.toMatchObject({
      code: 'AUDIT_RETENTION_BELOW_MINIMUM',
    });
    expect((await vigil.audit.retention.setRetention(tenantId, 800, admin)).retentionDays).toBe(800);
  });

  it("raises retention to a framework's longer minimum and then holds it there", async () => {
    const { vigil } = get();
    const tenantId = await newTenant(vigil, 'ret-hipaa');
    const policy = await vigil.audit.retention.setMinimum(tenantId, 6 * 365, admin);
    expect(policy).toMatchObject({ minimumDays: 2190, retentionDays: 2190 });
    await expect(vigil.audit.retention.setRetention(tenantId, 1000, admin)).rejects.toMatchObject({
      code: 'AUDIT_RETENTION_BELOW_MINIMUM',
    });
    const changes = await vigil.audit.findEvents(tenantId, { action: 'audit.retention.*' });
    expect(changes.events.map((e) => e.action)).toEqual(['audit.retention.minimum_set']);
    expect(changes.events[0]!.details).toMatchObject({ minimumDays: 2190 });
  });

  it('lets a purge through only for events past retention', async () => {
    const { vigil, clock } = get();
    const tenantId = await newTenant(vigil, 'ret-purge');
    const now = clock.now();
    await expect(vigil.audit.retention.assertPurgeAllowed(tenantId, now - 30 * DAY_MS)).rejects.toMatchObject(
      {
        code: 'AUDIT_PURGE_TOO_RECENT',
      },
    );
    await expect(
      vigil.audit.retention.assertPurgeAllowed(tenantId, now - AUDIT_RETENTION_FLOOR_DAYS * DAY_MS),
    ).resolves.toBeUndefined();
  });
});
