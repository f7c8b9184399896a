import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { context, rejectionOf } from './adapters.test-support.ts';
import { parseGeneric } from './generic.adapter.ts';
import { generic } from './generic.test-fixture.ts';

describe('generic interaction format', () => {
  it('reads the example documented in docs/adapters.md', () => {
    const [interaction] = parseGeneric(generic.documentedExample(), context()).interactions;
    expect(interaction!.source).toEqual({
      platform: 'generic',
      adapter: 'generic',
      id: 'crm-case-7731/call-2',
      threadId: 'crm-case-7731',
      revision: 2,
      externalIds: {},
    });
    expect(interaction).toMatchObject({
      channel: 'voice',
      direction: 'inbound',
      startedAtMs: Date.parse('2026-03-02T09:15:00Z'),
      queue: { id: 'q-billing', name: 'Billing' },
      team: { name: 'Tier 1' },
      attributes: { crmCaseId: '7731', campaign: 'spring-renewals' },
    });
    const card = interaction!.segments[1]!;
    expect(card.role).toBe('customer');
    expect(card.words![4]).toEqual({ text: '4111', start: 18, end: 22, startMs: 10100, endMs: 11000 });
    expect(card.words![7]).toEqual({ text: '1111', start: 33, end: 37, startMs: 13100, endMs: 14200 });
    expect(interaction!.segments[0]!.role).toBe('ivr');
    expect(interaction!.media[0]).toMatchObject({ id: 'rec-1', kind: 'recording', durationMs: 390000 });
  });

  it('reads a batch and defaults the revision to the receive time', () => {
    const one = {
      sourceId: 'x-1',
      channel: 'chat',
      segments: [{ role: 'customer', text: 'hello', sentAt: 1_700_000_000_000 }],
    };
    const { interactions } = parseGeneric({ interactions: [one, { ...one, sourceId: 'x-2' }] }, context());
    expect(interactions.map((i) => [i.source.id, i.source.revision, i.direction])).toEqual([
      ['x-1', context().receivedAtMs, 'unknown'],
      ['x-2', context().receivedAtMs, 'unknown'],
    ]);
    expect(interactions[0]!.segments[0]!.sentAtMs).toBe(1_700_000_000_000);
  });

  it('refuses unknown fields, wrong enums, missing fields and dangling participant refs, naming the path', async () => {
    expect(await rejectionOf(() => parseGeneric({ sourceId: 'a', channel: 'fax' }, context()))).toEqual({
      code: 'PAYLOAD_INVALID',
      message: 'Invalid generic interaction: channel: must be one of "voice", "chat", "email", "sms"',
    });
    expect((await rejectionOf(() => parseGeneric({ channel: 'chat' }, context()))).message).toBe(
      'Invalid generic interaction: sourceId: required (string)',
    );
    expect(
      (
        await rejectionOf(() =>
          parseGeneric({ sourceId: 'a', channel: 'chat', cardNumber: '4111' }, context()),
        )
      ).message,
    ).toBe('Invalid generic interaction: (root): unknown field(s) "cardNumber"');
    const dangling = { sourceId: 'a', channel: 'chat', segments: [{ participant: 'ghost', text: 'hi' }] };
    expect((await rejectionOf(() => parseGeneric(dangling, context()))).message).toBe(
      'Invalid interaction: segments[0].participantRef: names no participant',
    );
    const batch = {
      interactions: [
        { sourceId: 'a', channel: 'chat' },
        { sourceId: 'b', channel: 'chat', startedAt: 'tuesday' },
      ],
    };
    expect((await rejectionOf(() => parseGeneric(batch, context()))).message).toMatch(
      /^Invalid generic interaction: interactions\[1\]\.startedAt: /,
    );
  });

  it('refuses huge fields as too large and never echoes the value', async () => {
    const secret = `4111111111111111${'x'.repeat(600_000)}`;
    const result = await rejectionOf(() =>
      parseGeneric(
        { sourceId: 'a', channel: 'chat', segments: [{ role: 'agent', text: secret }] },
        context(),
      ),
    );
    expect(result).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'Invalid generic interaction: segments[0].text: longer than 500000 characters',
    });
    const wrongType = await rejectionOf(() =>
      parseGeneric({ sourceId: 'a', channel: 'chat', subject: 4111111111111111 }, context()),
    );
    expect(wrongType.message).toBe('Invalid generic interaction: subject: expected string');
  });

  it('documents the example as valid JSON in docs/adapters.md (the doc is the source of the fixture)', () => {
    const doc = readFileSync(join(generic.repoRoot, 'docs/adapters.md'), 'utf8');
    expect(doc).toContain('"sourceId": "crm-case-7731/call-2"');
  });
});
