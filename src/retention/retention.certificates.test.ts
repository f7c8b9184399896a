import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { DAY_MS } from '../shared/clock.ts';
import { ingestCall, newTenant, operator } from './retention.test-support.ts';

describeEachDialect('disposal certificates', (get) => {
  it('detect a changed document, a forged hash, and a certificate that never went through the audit log', async () => {
    const { vigil, clock } = get();
    const tenantId = await newTenant(vigil);
    await vigil.retention.settings.setPolicy(operator(tenantId), {
      category: 'sms',
      jurisdiction: null,
      maxAgeDays: 7,
      action: 'delete',
    });
    await ingestCall(vigil, tenantId, 'cert-1', { customer: 71, channel: 'sms' });
    clock.advance(8 * DAY_MS);
    const [id] = (await vigil.retention.run(operator(tenantId))).certificates;
    const db = vigil.storage.db;
    const row = await db
      .selectFrom('retention_certificates')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id!)
      .executeTakeFirstOrThrow();
    const doc = JSON.parse(row.document);
    expect(doc).toMatchObject({
      type: 'vigil.disposal-certificate',
      tenantId,
      counts: { 'sms.deleted': 1, 'customer_profile.erased': 1 },
    });
    // Counts and ids only: no content, no identifier of the customer.
    expect(row.document).not.toMatch(/416 555|customer\.71|Maria/);

    const update = (fields: { document?: string; sha256?: string }) =>
      db
        .updateTable('retention_certificates')
        .set(fields)
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id!)
        .execute();
    await update({ document: row.document.replace('"sms"', '"chat"') });
    expect(await vigil.retention.certificates.verify(tenantId, id!)).toEqual({
      valid: false,
      hash: false,
      signature: false,
      anchored: true,
    });
    const { createHash } = await import('node:crypto');
    const forged = row.document.replace('"sms"', '"chat"');
    await update({ document: forged, sha256: createHash('sha256').update(forged).digest('hex') });
    expect(await vigil.retention.certificates.verify(tenantId, id!)).toEqual({
      valid: false,
      hash: true,
      signature: false,
      anchored: false,
    });
    await update({ document: row.document, sha256: row.sha256 });
    expect((await vigil.retention.certificates.verify(tenantId, id!)).valid).toBe(true);
    await expect(vigil.retention.certificates.get(await newTenant(vigil), id!)).rejects.toMatchObject({
      code: 'CERTIFICATE_NOT_FOUND',
    });
  });
});
