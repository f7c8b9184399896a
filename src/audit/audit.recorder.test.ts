import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { auditLeafHash, encodeAuditEvent } from './index.ts';

describeEachDialect('audit.record', (get) => {
  const event = (tenantId: string, action: string) => ({
    tenantId,
    actor: { type: 'user' as const, id: 'u1', name: 'Ada' },
    action,
    outcome: 'success' as const,
    sensitive: { email: 'caller@example.com' },
  });

  it('assigns dense per-tenant sequence numbers and a leaf hash over every field', async () => {
    const { vigil } = get();
    const tenant = await vigil.tenancy.create({ slug: 'audit-seq', name: 'Seq' });
    const results = [];
    for (let i = 0; i < 5; i++)
      results.push(await vigil.audit.record(vigil.storage.db, event(tenant.id, `test.a${i}`)));
    expect(results.map((r) => r.seq)).toEqual([0, 1, 2, 3, 4]);
    const rows = await vigil.storage.db
      .selectFrom('audit_events')
      .selectAll()
      .where('tenant_id', '=', tenant.id)
      .orderBy('seq')
      .execute();
    for (const row of rows) {
      const { leaf_hash, ...fields } = row;
      expect(Buffer.from(leaf_hash).equals(auditLeafHash(encodeAuditEvent(fields)))).toBe(true);
    }
  });

  it('stores sensitive values only as HMACs', async () => {
    const { vigil } = get();
    const tenant = await vigil.tenancy.create({ slug: 'audit-hmac', name: 'Hmac' });
    await vigil.audit.record(vigil.storage.db, event(tenant.id, 'auth.login'));
    const row = await vigil.storage.db
      .selectFrom('audit_events')
      .selectAll()
      .where('tenant_id', '=', tenant.id)
      .executeTakeFirstOrThrow();
    expect(row.sensitive).not.toContain('caller@example.com');
    expect(JSON.parse(row.sensitive!).email).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('rolls the event back with the change it belongs to', async () => {
    const { vigil } = get();
    const tenant = await vigil.tenancy.create({ slug: 'audit-tx', name: 'Tx' });
    await expect(
      vigil.storage.db.transaction().execute(async (trx) => {
        await vigil.audit.record(trx, event(tenant.id, 'test.rollback'));
        throw new Error('change failed');
      }),
    ).rejects.toThrow('change failed');
    const count = await vigil.storage.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('tenant_id', '=', tenant.id)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('keeps one order under concurrent writers', async () => {
    const { vigil } = get();
    const tenant = await vigil.tenancy.create({ slug: 'audit-conc', name: 'Conc' });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        vigil.audit.record(vigil.storage.db, event(tenant.id, `test.c${i}`)),
      ),
    );
    expect(results.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });
});
