import { expect, it } from 'vitest';
import { genericVoiceCall, SAMPLE } from '../../test/factories/interactions.ts';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import type { Vigil } from '../main.ts';
import { prepareInteraction } from './interactions.ingest.ts';

const SYSTEM = { type: 'system' as const, id: 'test-ingest-batch' };

async function ingestBatch(vigil: Vigil, tenantId: string, payloads: unknown[]) {
  const interactions = [];
  for (const payload of payloads) {
    const parsed = await vigil.interactions.parser.parse('generic', payload, {
      receivedAtMs: vigil.clock.now(),
    });
    interactions.push(...parsed.interactions);
  }
  return vigil.interactions.ingest.ingest({ tenantId, actor: SYSTEM }, interactions);
}

async function storedRows(vigil: Vigil, tenantId: string) {
  return vigil.storage.db
    .selectFrom('interactions')
    .select(['id', 'source_id', 'subject_id', 'segment_count'])
    .where('tenant_id', '=', tenantId)
    .orderBy('source_id')
    .execute();
}

/** Which sources share a subject, as sets of source ids (subject ids differ between runs). */
function subjectGroups(rows: { source_id: string; subject_id: string | null }[]) {
  const groups = new Map<string, string[]>();
  for (const row of rows) {
    const key = row.subject_id ?? `none:${row.source_id}`;
    groups.set(key, [...(groups.get(key) ?? []), row.source_id]);
  }
  return [...groups.values()].map((g) => g.sort().join(',')).sort();
}

// Customers whose identifiers overlap: c1 and c2 share a phone, c2 and c3 an email, c3 a phone
// with a subject stored earlier, c4 and c5 an email.
const customers = [
  { id: 'c1', phone: '+1 416 555 0101', email: 'one@example.com' },
  { id: 'c2', phone: '+1 416 555 0101', email: 'two@example.com' },
  { id: 'c3', phone: '+1 416 555 0103', email: 'two@example.com' },
  { id: 'c4', phone: '+1 416 555 0104', email: 'four@example.com' },
  { id: 'c5', phone: '+1 416 555 0105', email: 'four@example.com' },
];

describeEachDialect('interactions ingest in batches', (get) => {
  it('stores each source once: a repeat within the batch updates, a stored source follows its revision', async () => {
    const { vigil } = get();
    const tenant = await vigil.tenancy.create({ slug: 'batch-repeat', name: 'Repeat' });
    const [stored] = await ingestBatch(vigil, tenant.id, [genericVoiceCall('old', { revision: 1 })]);
    const results = await ingestBatch(vigil, tenant.id, [
      genericVoiceCall('a', { revision: 1 }),
      genericVoiceCall('old', { revision: 1 }),
      genericVoiceCall('b'),
      genericVoiceCall('a', { revision: 2, texts: ['hello', 'bye'] }),
      genericVoiceCall('a', { revision: 1 }),
    ]);
    expect(results.map((r) => [r.sourceId, r.outcome])).toEqual([
      ['a', 'created'],
      ['old', 'unchanged'],
      ['b', 'created'],
      ['a', 'updated'],
      ['a', 'unchanged'],
    ]);
    expect(results[1]!.id).toBe(stored!.id);
    expect(results[3]!.id).toBe(results[0]!.id);
    const rows = await storedRows(vigil, tenant.id);
    expect(rows.map((r) => [r.source_id, r.segment_count])).toEqual([
      ['a', 2],
      ['b', 4],
      ['old', 4],
    ]);
    const audited = await vigil.storage.db
      .selectFrom('audit_events')
      .select(['target_id', 'details'])
      .where('tenant_id', '=', tenant.id)
      .where('action', '=', 'interactions.ingest')
      .orderBy('seq')
      .execute();
    // The stored one, then the batch's changes in input order (unchanged ones are not events).
    expect(audited.map((e) => e.target_id)).toEqual([
      stored!.id,
      results[0]!.id,
      results[2]!.id,
      results[0]!.id,
    ]);
  });

  it('resolves customers to the same subjects as ingesting one by one', async () => {
    const { vigil, clock } = get();
    const batched = await vigil.tenancy.create({ slug: 'batch-subjects', name: 'Batched' });
    const single = await vigil.tenancy.create({ slug: 'single-subjects', name: 'Single' });
    const payload = (c: (typeof customers)[number], source = c.id) =>
      genericVoiceCall(source, { phone: c.phone, email: c.email });
    // A subject stored before the batch, matched by c3's phone.
    for (const tenantId of [batched.id, single.id])
      await ingestBatch(vigil, tenantId, [
        genericVoiceCall('earlier', { phone: customers[2]!.phone, email: 'x@example.com' }),
      ]);
    clock.advance(1000);
    await ingestBatch(
      vigil,
      batched.id,
      customers.map((c) => payload(c)),
    );
    for (const c of customers) await ingestBatch(vigil, single.id, [payload(c)]);
    const batchedRows = await storedRows(vigil, batched.id);
    expect(subjectGroups(batchedRows)).toEqual(subjectGroups(await storedRows(vigil, single.id)));
    // c2's email becomes a further identifier of c1's subject, so c3 matches that subject by email
    // and the older 'earlier' by phone: the older one wins.
    expect(subjectGroups(batchedRows)).toEqual(['c1,c2', 'c3,earlier', 'c4,c5']);
  });

  it('tokenizes a card seen in many interactions of a batch once, audits each, and stores it nowhere in the clear', async () => {
    const { vigil } = get();
    const tenant = await vigil.tenancy.create({ slug: 'batch-cards', name: 'Cards' });
    const results = await ingestBatch(
      vigil,
      tenant.id,
      ['k1', 'k2', 'k3'].map((id, i) => genericVoiceCall(id, { email: `card${i}@example.com` })),
    );
    expect(results.every((r) => r.outcome === 'created' && r.findings['CARD_NUMBER'] === 1)).toBe(true);
    const tokens = await vigil.storage.db
      .selectFrom('vault_tokens')
      .select('token')
      .where('tenant_id', '=', tenant.id)
      .execute();
    expect(tokens).toHaveLength(1);
    const tokenEvents = await vigil.storage.db
      .selectFrom('audit_events')
      .select('details')
      .where('tenant_id', '=', tenant.id)
      .where('action', '=', 'vault.tokenize')
      .execute();
    expect(tokenEvents.map((e) => JSON.parse(e.details ?? '{}').created)).toEqual([true, false, false]);
    const rows = await vigil.storage.db
      .selectFrom('interactions')
      .selectAll()
      .where('tenant_id', '=', tenant.id)
      .execute();
    const atRest = rows.map((r) => JSON.stringify(r) + Buffer.from(r.body).toString('latin1')).join();
    for (const secret of [SAMPLE.pan, SAMPLE.cvv === '' ? 'none' : `It's ${SAMPLE.cvv}`, SAMPLE.email])
      expect(atRest).not.toContain(secret);
    for (const r of results) {
      const view = await vigil.interactions.read.get(
        { tenantId: tenant.id, actor: { type: 'user', id: 'reader' }, scope: { all: true }, fields: {} },
        r.id,
      );
      expect(view.document.segments[1]!.findings.find((f) => f.type === 'CARD_NUMBER')?.token).toBe(
        tokens[0]!.token,
      );
    }
  });

  it('writes nothing of a batch that fails late, and the same batch succeeds afterwards', async () => {
    const { vigil } = get();
    const tenant = await vigil.tenancy.create({ slug: 'batch-atomic', name: 'Atomic' });
    const prepare = async () => {
      const policy = await vigil.interactions.policies.policyFor(tenant.id);
      const out = [];
      for (const id of ['f1', 'f2']) {
        const payload = genericVoiceCall(id, { email: `${id}@example.com` });
        const { interactions } = await vigil.interactions.parser.parse('generic', payload, {
          receivedAtMs: vigil.clock.now(),
        });
        out.push(prepareInteraction(interactions[0]!, policy, vigil.clock.now()));
      }
      return out;
    };
    const failing = await prepare();
    // Fails when the second interaction's originals are sealed: after subjects, subject keys and
    // card tokens were written.
    (failing[1]!.built.originals as unknown as Record<string, unknown>)['poison'] = 1n;
    const ctx = { tenantId: tenant.id, actor: SYSTEM };
    await expect(vigil.interactions.ingest.ingestPrepared(ctx, failing)).rejects.toThrow();
    for (const table of [
      'interactions',
      'subjects',
      'vault_tokens',
      'crypto_key_slots',
      'audit_events',
    ] as const) {
      const rows = await vigil.storage.db
        .selectFrom(table)
        .select('tenant_id')
        .where('tenant_id', '=', tenant.id)
        .where((eb) => (table === 'crypto_key_slots' ? eb('name', 'like', 'subject:%') : eb.lit(true)))
        .execute();
      expect([table, rows.length]).toEqual([table, 0]);
    }
    const results = await vigil.interactions.ingest.ingestPrepared(ctx, await prepare());
    expect(results.map((r) => r.outcome)).toEqual(['created', 'created']);
    for (const r of results) {
      const view = await vigil.interactions.read.get(
        { tenantId: tenant.id, actor: { type: 'user', id: 'reader' }, scope: { all: true }, fields: {} },
        r.id,
      );
      expect(view.document.segments).toHaveLength(4);
    }
  });

  it('shares transactions between concurrent requests, and one failing request fails no other', async () => {
    const { vigil } = get();
    const tenant = await vigil.tenancy.create({ slug: 'batch-group', name: 'Group' });
    const policy = await vigil.interactions.policies.policyFor(tenant.id);
    const prepared = async (id: string) => {
      const payload = genericVoiceCall(id, { email: `${id}@example.com` });
      const { interactions } = await vigil.interactions.parser.parse('generic', payload, {
        receivedAtMs: vigil.clock.now(),
      });
      return prepareInteraction(interactions[0]!, policy, vigil.clock.now());
    };
    const poisoned = await prepared('g-bad');
    (poisoned.built.originals as unknown as Record<string, unknown>)['poison'] = 1n;
    const ctx = { tenantId: tenant.id, actor: SYSTEM };
    const requests = [
      [await prepared('g1')],
      [await prepared('g2'), await prepared('g3')],
      [poisoned],
      [await prepared('g4')],
      [await prepared('g1')],
    ];
    const settled = await Promise.allSettled(
      requests.map((r) => vigil.interactions.ingest.ingestPrepared(ctx, r)),
    );
    expect(settled.map((s) => s.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    const outcomes = settled.map((s) =>
      s.status === 'fulfilled' ? s.value.map((r) => r.outcome) : 'failed',
    );
    expect(outcomes).toEqual([['created'], ['created', 'created'], 'failed', ['created'], ['unchanged']]);
    const rows = await storedRows(vigil, tenant.id);
    expect(rows.map((r) => r.source_id)).toEqual(['g1', 'g2', 'g3', 'g4']);
    const audited = await vigil.storage.db
      .selectFrom('audit_events')
      .select('target_id')
      .where('tenant_id', '=', tenant.id)
      .where('action', '=', 'interactions.ingest')
      .execute();
    expect(audited).toHaveLength(4);
    // Requests run again after the shared attempt failed carry the tokens that were committed.
    const tokens = await vigil.storage.db
      .selectFrom('vault_tokens')
      .select('token')
      .where('tenant_id', '=', tenant.id)
      .execute();
    expect(tokens).toHaveLength(1);
    for (const row of rows) {
      const view = await vigil.interactions.read.get(
        { tenantId: tenant.id, actor: { type: 'user', id: 'reader' }, scope: { all: true }, fields: {} },
        row.id,
      );
      const card = view.document.segments[1]!.findings.find((f) => f.type === 'CARD_NUMBER');
      expect(card?.token).toBe(tokens[0]!.token);
    }
  });
});
