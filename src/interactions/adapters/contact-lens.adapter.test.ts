import { describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/errors.ts';
import { clone, context, listPayloads, loadPayload, loadTolerant } from './adapters.test-support.ts';
import { parseContactLens } from './contact-lens.adapter.ts';

const CHAT_ORIGINAL = 'amazon-connect/contact-lens-chat-analysis-original.json';
const CHAT_REDACTED = 'amazon-connect/contact-lens-chat-analysis-redacted.json';
const VOICE_ORIGINAL = 'amazon-connect/contact-lens-voice-analysis-original.doc.jsonc';
const VOICE_REDACTED = 'amazon-connect/contact-lens-voice-analysis-redacted.doc.jsonc';

function parseOne(payload: unknown, sourceId?: string) {
  const result = parseContactLens(payload, context(sourceId === undefined ? {} : { sourceId }));
  expect(result.interactions).toHaveLength(1);
  return result.interactions[0]!;
}

function rejection(payload: unknown): { code: string; message: string } {
  try {
    parseContactLens(payload, context());
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { code: error.code, message: error.message };
  }
  throw new Error('expected a rejection');
}

describe('Contact Lens adapter on the shared samples', () => {
  it('covers every Contact Lens sample in the shared folder', () => {
    const samples = listPayloads('amazon-connect').filter((f) => f.includes('contact-lens'));
    expect(samples).toEqual([CHAT_ORIGINAL, CHAT_REDACTED, VOICE_ORIGINAL, VOICE_REDACTED]);
  });

  it('reads the original chat file: messages, roles, names, times and identified spans', () => {
    const interaction = parseOne(loadPayload(CHAT_ORIGINAL));
    expect(interaction.source).toMatchObject({
      platform: 'amazon-connect',
      id: 'b49644f6-672f-445c-b209-f76b36482830',
      formatVersion: 'CHAT-2022-11-30',
      externalIds: { accountId: '123456789012', instanceId: 'f23fc323-3d6d-48aa-95dc-EXAMPLE012' },
    });
    expect(interaction.channel).toBe('chat');
    expect(interaction.language).toBe('en-US');
    // 35 transcript items; the 4 events (two joins, a leave, the end) are not segments.
    expect(interaction.segments).toHaveLength(31);
    expect(interaction.segments[0]).toMatchObject({
      role: 'system',
      text: expect.stringContaining('thanks for contacting us'),
    });
    const agentGreeting = interaction.segments.find((s) => s.id === 'e4949dd1-aaa1-4fbd-84e7-65c95b2d3d9a')!;
    expect(agentGreeting).toMatchObject({ role: 'agent', sentAtMs: Date.parse('2022-10-27T03:32:03.462Z') });
    expect(agentGreeting.platformRedactions).toEqual([{ start: 46, end: 53, masked: false }]);
    // The platform's offsets are passed through as given (they cover the agent's name, a little loosely).
    expect(agentGreeting.text.slice(46, 53)).toContain('Jane');
    expect(interaction.participants).toEqual(
      expect.arrayContaining([
        { ref: 'e9b36a6d-12aa-4c21-9745-1881648ecfc8', role: 'customer', name: 'John' },
        { ref: 'f36a545d-67b2-4fd4-89fb-896136b609a7', role: 'agent', name: 'Jane' },
        { ref: '2b2288b4-ff6e-4996-8d8e-260fd5a8ac02', role: 'system' },
      ]),
    );
    expect(interaction.startedAtMs).toBe(Date.parse('2022-10-27T03:31:50.735Z'));
    expect(interaction.endedAtMs).toBe(Date.parse('2022-10-27T03:34:43.192Z'));
    expect(interaction.categories).toEqual(['agent-intro']);
    expect(interaction.redaction.platformState).toBe('identified');
  });

  it('reads the redacted chat file: masked spans, masked names dropped, roles from the turns', () => {
    const interaction = parseOne(loadPayload(CHAT_REDACTED));
    expect(interaction.redaction).toEqual({
      platformState: 'masked',
      maskMode: 'generic',
      requestedEntityTypes: [],
    });
    const address = interaction.segments.find((s) => s.id === 'd334058f-e3de-4cf1-a361-32e4e61f1839')!;
    expect(address.text).toBe('[PII], and the zip code [PII].');
    expect(address.platformRedactions).toEqual([
      { start: 0, end: 5, masked: true },
      { start: 27, end: 30, masked: true },
    ]);
    // Redacted participants carry no role and a masked name: roles come from the transcript items.
    const customer = interaction.participants.find((p) => p.ref === 'e9b36a6d-12aa-4c21-9745-1881648ecfc8')!;
    expect(customer).toEqual({ ref: 'e9b36a6d-12aa-4c21-9745-1881648ecfc8', role: 'customer' });
    expect(JSON.stringify(interaction)).not.toContain('"name":"[PII]"');
  });

  it('reads the redacted voice file: turns, offsets, sentiment and masked spans with their audio times', () => {
    const interaction = parseOne(loadPayload(VOICE_REDACTED), 'contact-123');
    expect(interaction.source.id).toBe('contact-123');
    expect(interaction.channel).toBe('voice');
    expect(interaction.segments).toHaveLength(10);
    expect(interaction.segments.map((s) => s.role)).toEqual([
      'agent',
      'customer',
      'agent',
      'customer',
      'agent',
      'customer',
      'agent',
      'customer',
      'agent',
      'customer',
    ]);
    expect(interaction.segments[1]).toMatchObject({
      text: 'Just hello. My name is [PII] and help.',
      startMs: 160,
      endMs: 4640,
      sentiment: 'neutral',
      platformRedactions: [{ start: 23, end: 28, startMs: 3290, endMs: 3620, masked: true }],
    });
    // The sample reuses one placeholder turn id; ids are made unique so merging cannot collapse turns.
    expect(new Set(interaction.segments.map((s) => s.id)).size).toBe(10);
    expect(interaction.durationMs).toBe(32110);
    expect(interaction.redaction).toEqual({
      platformState: 'masked',
      maskMode: 'generic',
      requestedEntityTypes: ['CREDIT_DEBIT_NUMBER', 'NAME', 'USERNAME'],
    });
  });

  it('refuses the original voice excerpt as JSONC (stray brace) and reads its recovered content', () => {
    expect(() => loadPayload(VOICE_ORIGINAL)).toThrow(/line 297, column 1: end of file expected/);
    const { value, errors } = loadTolerant(VOICE_ORIGINAL);
    expect(errors).toHaveLength(1);
    const interaction = parseOne(value, 'contact-123');
    expect(interaction.segments[1]!.text).toBe('Just hello. My name is Peter and help.');
    // A raw file lists what Contact Lens identified, by time, without masking it.
    expect(interaction.segments[1]!.platformRedactions).toEqual([
      { startMs: 3290, endMs: 3620, masked: false },
    ]);
    expect(interaction.redaction.platformState).toBe('identified');
  });

  it('gives a stable content-derived source id when neither the file nor the caller has one', () => {
    const payload = loadPayload(VOICE_REDACTED);
    expect(parseOne(payload).source.id).toMatch(/^sha256:[0-9a-f]{40}$/);
    expect(parseOne(payload).source.id).toBe(parseOne(clone(payload)).source.id);
  });
});

describe('Contact Lens adapter on malformed files', () => {
  it('refuses a missing transcript, naming it', () => {
    const payload = clone(loadPayload(CHAT_ORIGINAL)) as Record<string, unknown>;
    delete payload['Transcript'];
    expect(rejection(payload)).toEqual({
      code: 'PAYLOAD_INVALID',
      message: 'Invalid Contact Lens analysis file: Transcript: required',
    });
  });

  it('refuses a wrong type with the exact path and without echoing the value', () => {
    const payload = clone(loadPayload(VOICE_REDACTED)) as { Transcript: Array<Record<string, unknown>> };
    payload.Transcript[3]!['Content'] = 4111111111111111;
    const { code, message } = rejection(payload);
    expect(code).toBe('PAYLOAD_INVALID');
    expect(message).toBe('Invalid Contact Lens analysis file: Transcript[3].Content: expected a string');
    expect(message).not.toContain('4111');
  });

  it('refuses an unknown channel and inverted offsets', () => {
    const payload = clone(loadPayload(VOICE_REDACTED)) as Record<string, unknown>;
    expect(rejection({ ...payload, Channel: 'FAX' }).message).toContain('Channel: must be VOICE or CHAT');
    const inverted = clone(payload) as { Transcript: Array<Record<string, unknown>> };
    inverted.Transcript[0]!['EndOffsetMillis'] = -5;
    expect(rejection(inverted).message).toContain(
      'Transcript[0].EndOffsetMillis: expected a non-negative offset',
    );
  });

  it('refuses a huge field as too large, naming the path', () => {
    const payload = clone(loadPayload(CHAT_ORIGINAL)) as { Transcript: Array<Record<string, unknown>> };
    payload.Transcript[5]!['Content'] = 'x'.repeat(600_000);
    expect(rejection(payload)).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'Invalid Contact Lens analysis file: Transcript[5].Content: longer than 500000 characters',
    });
  });

  it('refuses something that is not an object at all', () => {
    expect(rejection([1, 2, 3]).message).toBe(
      'Invalid Contact Lens analysis file: (root): expected an object',
    );
    expect(rejection('text').code).toBe('PAYLOAD_INVALID');
  });
});
