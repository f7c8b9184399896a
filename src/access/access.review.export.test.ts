import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { DAY_MS } from '../shared/clock.ts';
import { closeDueReviews, startScheduledReviews } from './access.jobs.ts';
import { csvCell, verifyReviewExport } from './access.review.export.ts';
import { buildAccessStack, createActiveUser } from './access.test-support.ts';

describe('csv cells', () => {
  it('quotes per RFC 4180 and defuses spreadsheet formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1 555')).toBe("'+1 555");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(null)).toBe('');
  });
});

describeEachDialect('access review evidence', (get) => {
  it('exports CSV and JSON signed with the tenant key and anchored in the audit log', async () => {
    const t = get();
    const stack = await buildAccessStack(t);
    const carla = await createActiveUser(stack, { name: 'Carla Compliance', roles: ['compliance_officer'] });
    await createActiveUser(stack, { name: '=cmd|calc', roles: ['agent'] });
    const campaign = await stack.access.reviews.start(carla.principal, { name: 'Evidence run' });

    const csv = await stack.access.reviews.export(carla.principal, campaign.id, 'csv', {
      requestId: 'req-export-1',
    });
    expect(csv.content.split('\r\n')[0]).toBe(
      'campaign_id,campaign_name,item_id,user_id,user_name,user_status,grant_kind,grant_name,elevation_id,flags,last_used_at,reviewer_id,decision,change_to,decided_by,decided_at,note,outcome',
    );
    expect(csv.content).toContain(",'=cmd|calc,");
    expect(csv.sha256).toBe(createHash('sha256').update(csv.content).digest('hex'));
    expect(verifyReviewExport(csv.content, csv.signature, csv.publicKeyPem)).toBe(true);
    expect(verifyReviewExport(csv.content.replace('agent', 'auditor'), csv.signature, csv.publicKeyPem)).toBe(
      false,
    );
    const stranger = generateKeyPairSync('ed25519')
      .publicKey.export({ format: 'pem', type: 'spki' })
      .toString();
    expect(verifyReviewExport(csv.content, csv.signature, stranger)).toBe(false);

    const anchor = await t.vigil.audit.findEvents(stack.tenantId, { action: 'access.review.export' });
    expect(anchor.events[0]).toMatchObject({
      id: csv.auditEventId,
      seq: csv.auditSeq,
      details: { format: 'csv', sha256: csv.sha256, keyId: csv.keyId, items: 2 },
      requestId: 'req-export-1',
    });

    const json = await stack.access.reviews.export(carla.principal, campaign.id, 'json');
    const parsed = JSON.parse(json.content);
    expect(parsed).toMatchObject({
      format: 'vigil.access-review.v1',
      tenantId: stack.tenantId,
      campaign: { id: campaign.id, name: 'Evidence run', status: 'open' },
      summary: { items: 2, undecided: 2 },
    });
    expect(verifyReviewExport(json.content, json.signature, json.publicKeyPem)).toBe(true);
    // One key per tenant, stable across exports (and across nodes: it derives from the root key).
    expect(json.keyId).toBe(csv.keyId);
    expect(stack.access.reviewSigner(stack.tenantId).publicKeyPem).toBe(csv.publicKeyPem);
  });

  it('starts campaigns on schedule and closes them on their due date', async () => {
    const t = get();
    const stack = await buildAccessStack(t);
    await createActiveUser(stack, { name: 'Scheduled Sue', roles: ['agent'] });
    await stack.access.admin.updatePolicy(stack.operator, { reviews: { intervalDays: 30, dueDays: 5 } });
    const deps = {
      db: t.vigil.storage.db,
      dialect: t.vigil.storage.dialect,
      tenancy: t.vigil.tenancy,
      reviews: stack.access.reviews,
    };
    const countFor = async () => (await stack.access.reviews.list(stack.tenantId)).length;

    expect(await countFor()).toBe(0);
    t.clock.advance(29 * DAY_MS);
    await startScheduledReviews(deps, { now: t.clock.now() });
    expect(await countFor()).toBe(0);
    t.clock.advance(DAY_MS);
    const started = await startScheduledReviews(deps, { now: t.clock.now() });
    expect(started.started).toBeGreaterThanOrEqual(1);
    const [campaign] = await stack.access.reviews.list(stack.tenantId);
    expect(campaign).toMatchObject({
      trigger: 'scheduled',
      createdBy: 'access-review-scheduler',
      dueAt: t.clock.now() + 5 * DAY_MS,
    });
    await startScheduledReviews(deps, { now: t.clock.now() });
    expect(await countFor()).toBe(1);

    t.clock.advance(5 * DAY_MS);
    const closed = await closeDueReviews(deps, { now: t.clock.now() });
    expect(closed.closed).toBeGreaterThanOrEqual(1);
    expect(await stack.access.reviews.get(stack.tenantId, campaign!.id)).toMatchObject({ status: 'closed' });
  });
});
