import { expect, it } from 'vitest';
import { genericVoiceCall, ingestGeneric, SAMPLE } from '../../test/factories/interactions.ts';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import type { ReadContext } from './index.ts';

const SYSTEM = { type: 'system' as const, id: 'test-ingest' };

function reader(tenantId: string, overrides: Partial<ReadContext> = {}): ReadContext {
  return {
    tenantId,
    actor: { type: 'user', id: 'reader-1' },
    scope: { all: true },
    fields: {},
    ...overrides,
  };
}

describeEachDialect('interactions ingest', (get) => {
  it('redacts, tokenizes the card, drops the CVV and encrypts everything personal', async () => {
    const { vigil } = get();
    const tenant = await vigil.tenancy.create({ slug: 'ingest-basic', name: 'Basic' });
    const [result] = await ingestGeneric(vigil, tenant.id, genericVoiceCall('call-1'));
    expect(result).toMatchObject({
      outcome: 'created',
      findings: expect.objectContaining({ CARD_NUMBER: 1, CARD_CVV: 1, EMAIL: 1 }),
    });
    const row = await vigil.storage.db
      .selectFrom('interactions')
      .selectAll()
      .where('tenant_id', '=', tenant.id)
      .executeTakeFirstOrThrow();
    const stored = JSON.stringify(row) + Buffer.from(row.body).toString('latin1');
    for (const secret of [SAMPLE.pan, SAMPLE.email, SAMPLE.phone, SAMPLE.name])
      expect(stored).not.toContain(secret);
    const { document } = await vigil.interactions.read.get(reader(tenant.id), result!.id);
    const customerTurn = document.segments[1]!;
    expect(customerTurn.text).not.toContain('4111');
    expect(customerTurn.findings.find((f) => f.type === 'CARD_NUMBER')?.token).toMatch(/^tok_1111_/);
    expect(document.segments[3]!.text).not.toContain(SAMPLE.cvv);
    expect(document.participants[0]!.phone).not.toContain('416 555');
    expect(document.participants[0]!.phone).toMatch(/99$/);
  });

  it('is idempotent per source id and keeps the newest revision', async () => {
    const { vigil } = get();
    const tenant = await vigil.tenancy.create({ slug: 'ingest-idem', name: 'Idem' });
    const first = await ingestGeneric(vigil, tenant.id, genericVoiceCall('call-2'));
    const again = await ingestGeneric(vigil, tenant.id, genericVoiceCall('call-2'));
    expect(again[0]).toMatchObject({ id: first[0]!.id, outcome: 'unchanged' });
    const newer = await ingestGeneric(
      vigil,
      tenant.id,
      genericVoiceCall('call-2', { revision: 2, texts: ['hello', 'my email is new.person@example.org'] }),
    );
    expect(newer[0]).toMatchObject({ id: first[0]!.id, outcome: 'updated' });
    const older = await ingestGeneric(vigil, tenant.id, genericVoiceCall('call-2', { revision: 1 }));
    expect(older[0]!.outcome).toBe('unchanged');
    const rows = await vigil.storage.db
      .selectFrom('interactions')
      .select(['id', 'segment_count'])
      .where('tenant_id', '=', tenant.id)
      .execute();
    expect(rows).toEqual([{ id: first[0]!.id, segment_count: 2 }]);
    const types = await vigil.storage.db
      .selectFrom('interaction_findings')
      .select('type')
      .where('tenant_id', '=', tenant.id)
      .execute();
    expect(types.map((t) => t.type)).toEqual(['EMAIL']);
  });

  it('reveals a redacted value with a reason, audited, but never a card number', async () => {
    const { vigil } = get();
    const tenant = await vigil.tenancy.create({ slug: 'ingest-reveal', name: 'Reveal' });
    const [result] = await ingestGeneric(vigil, tenant.id, genericVoiceCall('call-3'));
    const { document } = await vigil.interactions.read.get(reader(tenant.id), result!.id);
    const emailIndex = document.segments[3]!.findings.findIndex((f) => f.type === 'EMAIL');
    const revealed = await vigil.interactions.read.reveal(
      reader(tenant.id),
      result!.id,
      `segments[3].findings[${emailIndex}]`,
      'customer asked us to confirm the email on file',
    );
    expect(revealed.value).toBe(SAMPLE.email);
    expect(
      (
        await vigil.interactions.read.reveal(
          reader(tenant.id),
          result!.id,
          'participants[0].phone',
          'callback requested by the customer',
        )
      ).value,
    ).toBe(SAMPLE.phone);
    const cardIndex = document.segments[1]!.findings.findIndex((f) => f.type === 'CARD_NUMBER');
    await expect(
      vigil.interactions.read.reveal(
        reader(tenant.id),
        result!.id,
        `segments[1].findings[${cardIndex}]`,
        'trying to see the card',
      ),
    ).rejects.toMatchObject({ code: 'INTERACTION_FIELD_NOT_REVEALABLE' });
    const events = await vigil.storage.db
      .selectFrom('audit_events')
      .select(['action', 'reason'])
      .where('tenant_id', '=', tenant.id)
      .where('action', '=', 'interactions.reveal')
      .execute();
    expect(events).toHaveLength(2);
    expect(events[0]!.reason).toBe('customer asked us to confirm the email on file');
  });

  it('keeps tenants and scopes apart: another tenant or an out-of-scope reader gets not found', async () => {
    const { vigil } = get();
    const a = await vigil.tenancy.create({ slug: 'ingest-ta', name: 'A' });
    const b = await vigil.tenancy.create({ slug: 'ingest-tb', name: 'B' });
    const [result] = await ingestGeneric(
      vigil,
      a.id,
      genericVoiceCall('call-4', { queue: 'billing', agentId: 'agent-9' }),
    );
    await expect(vigil.interactions.read.get(reader(b.id), result!.id)).rejects.toMatchObject({
      code: 'INTERACTION_NOT_FOUND',
    });
    const otherTeam = reader(a.id, {
      scope: { all: false, agentRefs: [], queues: ['sales'], samplePercent: 0 },
    });
    await expect(vigil.interactions.read.get(otherTeam, result!.id)).rejects.toMatchObject({
      code: 'INTERACTION_NOT_FOUND',
    });
    expect((await vigil.interactions.read.list(otherTeam, { limit: 10 })).items).toHaveLength(0);
    const ownTeam = reader(a.id, {
      scope: { all: false, agentRefs: [], queues: ['billing'], samplePercent: 0 },
    });
    expect((await vigil.interactions.read.list(ownTeam, { limit: 10 })).items.map((i) => i.id)).toEqual([
      result!.id,
    ]);
    const own = reader(a.id, { scope: { all: false, agentRefs: ['agent-9'], queues: [], samplePercent: 0 } });
    expect((await vigil.interactions.read.get(own, result!.id)).row.id).toBe(result!.id);
  });

  it('finds interactions by customer phone or email through blind indexes, and by finding type', async () => {
    const { vigil } = get();
    const tenant = await vigil.tenancy.create({ slug: 'ingest-search', name: 'Search' });
    const [one] = await ingestGeneric(
      vigil,
      tenant.id,
      genericVoiceCall('call-5', { phone: '+1 (416) 555-0101', email: 'one@example.com' }),
    );
    await ingestGeneric(
      vigil,
      tenant.id,
      genericVoiceCall('call-6', {
        phone: '+1 416 555 0202',
        email: 'two@example.com',
        texts: ['hello', 'nothing sensitive here'],
      }),
    );
    const byPhone = await vigil.interactions.read.list(reader(tenant.id), {
      customerPhone: '14165550101',
      limit: 10,
    });
    expect(byPhone.items.map((i) => i.id)).toEqual([one!.id]);
    const byEmail = await vigil.interactions.read.list(reader(tenant.id), {
      customerEmail: 'ONE@example.com',
      limit: 10,
    });
    expect(byEmail.items.map((i) => i.id)).toEqual([one!.id]);
    const withCards = await vigil.interactions.read.list(reader(tenant.id), {
      findingType: 'CARD_NUMBER',
      limit: 10,
    });
    expect(withCards.items.map((i) => i.id)).toEqual([one!.id]);
    const page1 = await vigil.interactions.read.list(reader(tenant.id), { limit: 1 });
    const page2 = await vigil.interactions.read.list(reader(tenant.id), {
      limit: 1,
      cursor: page1.nextCursor!,
    });
    expect(new Set([...page1.items, ...page2.items].map((i) => i.id)).size).toBe(2);
    expect(page2.nextCursor).toBeNull();
  });

  it("finds a customer's interactions by a second phone they called from", async () => {
    const { vigil } = get();
    const tenant = await vigil.tenancy.create({ slug: 'ingest-second-phone', name: 'Second phone' });
    const [first] = await ingestGeneric(
      vigil,
      tenant.id,
      genericVoiceCall('call-p1', { phone: '+1 416 555 0301', email: 'same@example.com' }),
    );
    // The same customer (same email) calls from another phone, then from that phone alone.
    const [second] = await ingestGeneric(
      vigil,
      tenant.id,
      genericVoiceCall('call-p2', { phone: '+1 416 555 0302', email: 'same@example.com' }),
    );
    const [third] = await ingestGeneric(
      vigil,
      tenant.id,
      genericVoiceCall('call-p3', { phone: '+1 416 555 0302', email: 'other@example.com' }),
    );
    const row = (id: string) =>
      vigil.storage.db
        .selectFrom('interactions')
        .select('subject_id')
        .where('tenant_id', '=', tenant.id)
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    const subject = (await row(first!.id)).subject_id;
    expect((await row(second!.id)).subject_id).toBe(subject);
    expect((await row(third!.id)).subject_id).toBe(subject);
    const ids = async (filter: { customerPhone?: string; customerEmail?: string }) =>
      (await vigil.interactions.read.list(reader(tenant.id), { ...filter, limit: 10 })).items
        .map((i) => i.id)
        .sort();
    const all = [first!.id, second!.id, third!.id].sort();
    expect(await ids({ customerPhone: '14165550302' })).toEqual(all);
    expect(await ids({ customerPhone: '14165550301' })).toEqual(all);
    expect(await ids({ customerEmail: 'other@example.com' })).toEqual(all);
    expect(await ids({ customerPhone: '14165550399' })).toEqual([]);
  });

  it('merges chat messages delivered one by one and catches a card split across them', async () => {
    const { vigil } = get();
    const tenant = await vigil.tenancy.create({ slug: 'ingest-merge', name: 'Merge' });
    const message = (id: string, text: string, at: string) => ({
      sourceId: 'chat-7',
      channel: 'chat',
      participants: [
        { ref: 'c', role: 'customer', email: 'chatter@example.com' },
        { ref: 'a', role: 'agent' },
      ],
      segments: [{ id, participant: id === 'm2' ? 'a' : 'c', text, sentAt: at }],
    });
    const deliver = async (payload: unknown) => {
      const { interactions } = await vigil.interactions.parser.parse('generic', payload, {
        receivedAtMs: vigil.clock.now(),
      });
      // Chat deliveries are pieces of one conversation: ingest them as a partial adapter does.
      const partial = interactions.map((i) => ({ ...i, source: { ...i.source, adapter: 'chatwoot' } }));
      return vigil.interactions.ingest.ingest({ tenantId: tenant.id, actor: SYSTEM }, partial);
    };
    const [first] = await deliver(message('m1', 'my card is 4111 1111', '2026-11-20T10:00:00Z'));
    await deliver(message('m2', 'ok, go on', '2026-11-20T10:00:05Z'));
    const [third] = await deliver(message('m3', '1111 1111', '2026-11-20T10:00:09Z'));
    expect(third!.id).toBe(first!.id);
    expect((await deliver(message('m2', 'ok, go on', '2026-11-20T10:00:05Z')))[0]!.outcome).toBe('unchanged');
    const { document } = await vigil.interactions.read.get(reader(tenant.id), first!.id);
    expect(document.segments.map((s) => s.text).join(' | ')).not.toMatch(/1111/);
    expect(document.segments).toHaveLength(3);
  });
});
