import { describe, expect, it } from 'vitest';
import {
  clone,
  context,
  listPayloads,
  loadPayload,
  loadTolerant,
  rejectionOf,
} from './adapters.test-support.ts';
import { parseCallAnalytics } from './transcribe-call-analytics.adapter.ts';

const BATCH = 'amazon-transcribe/call-analytics-batch-output.doc.jsonc';
const STREAMING = 'amazon-transcribe/call-analytics-streaming-output.doc.jsonc';

/** A streaming UtteranceEvent as the docs show it, with consistent offsets (the excerpt's are inverted). */
function utteranceEvent(overrides: Record<string, unknown> = {}) {
  return {
    CallAnalyticsTranscriptResultStream: {
      UtteranceEvent: {
        UtteranceId: '58c27f92-7277-11ec-90d6-0242ac120003',
        ParticipantRole: 'CUSTOMER',
        IsPartial: false,
        Transcript: 'Wang Xiulan I am tired of the network issues.',
        BeginOffsetMillis: 19010,
        EndOffsetMillis: 22690,
        Sentiment: 'NEGATIVE',
        Items: [
          {
            Content: 'Wang',
            BeginOffsetMillis: 19010,
            EndOffsetMillis: 19300,
            Type: 'pronunciation',
            Confidence: 0.9961,
          },
          {
            Content: 'Xiulan',
            BeginOffsetMillis: 19310,
            EndOffsetMillis: 19800,
            Type: 'pronunciation',
            Confidence: 0.9961,
          },
        ],
        Entities: [
          {
            Content: 'Wang Xiulan',
            Category: 'PII',
            Type: 'NAME',
            BeginOffsetMillis: 19010,
            EndOffsetMillis: 19800,
            Confidence: 0.9989,
          },
        ],
        ...overrides,
      },
      CategoryEvent: { MatchedCategories: ['network-complaint'], MatchedDetails: {} },
    },
  };
}

describe('Amazon Transcribe Call Analytics', () => {
  it('covers both Call Analytics samples', () => {
    expect(
      listPayloads('amazon-transcribe').filter((f) => f.startsWith('amazon-transcribe/call-analytics-')),
    ).toEqual([BATCH, STREAMING]);
  });

  it('refuses the abridged batch excerpt as JSON and reads the turns recovery keeps', async () => {
    expect((await rejectionOf(() => loadPayload(BATCH))).message).toMatch(
      /not valid JSON at line \d+, column \d+: invalid symbol/,
    );
    const [interaction] = parseCallAnalytics(
      loadTolerant(BATCH).value,
      context({ sourceId: 'job-1' }),
    ).interactions;
    expect(interaction!.segments.map((s) => [s.role, s.startMs, s.endMs, s.sentiment])).toEqual([
      ['agent', 12180, 16960, 'negative'],
      ['customer', 17140, 19860, 'positive'],
      ['agent', 31800, 39450, 'positive'],
      ['customer', 40040, 42460, 'positive'],
    ]);
    expect(interaction!.segments[1]!.text).toBe('That is a very generous offer. And I accept.');
    expect(interaction!.categories).toEqual(['positive-resolution']);
    expect(interaction!.durationMs).toBe(42460);
    expect(interaction!.participants).toEqual([
      { ref: 'agent', role: 'agent' },
      { ref: 'customer', role: 'customer' },
    ]);
  });

  it('finds the [PII] masks of a redacted batch turn', () => {
    const payload = {
      JobName: 'tca-job',
      JobStatus: 'COMPLETED',
      LanguageCode: 'en-US',
      ContentMetadata: { Output: 'Redacted' },
      Transcript: [
        {
          Id: 't1',
          ParticipantRole: 'AGENT',
          Content: '[PII], my name is [PII], how can I help?',
          BeginOffsetMillis: 0,
          EndOffsetMillis: 3000,
        },
      ],
    };
    const [interaction] = parseCallAnalytics(payload, context()).interactions;
    expect(interaction!.source.id).toBe('tca-job');
    expect(interaction!.redaction.platformState).toBe('masked');
    expect(interaction!.segments[0]!.platformRedactions).toEqual([
      { start: 0, end: 5, masked: true },
      { start: 18, end: 23, masked: true },
    ]);
  });

  it('refuses the streaming excerpt: its word offsets end before they begin', async () => {
    const { code, message } = await rejectionOf(() =>
      parseCallAnalytics(loadTolerant(STREAMING).value, context({ sourceId: 'stream-1' })),
    );
    expect(code).toBe('PAYLOAD_INVALID');
    expect(message).toBe(
      'Invalid Amazon Transcribe Call Analytics streaming event: CallAnalyticsTranscriptResultStream.UtteranceEvent.Items[0].EndOffsetMillis: before BeginOffsetMillis',
    );
  });

  it('reads a final streaming utterance with its entity, words and matched category', () => {
    const [interaction] = parseCallAnalytics(
      utteranceEvent(),
      context({ sourceId: 'stream-1' }),
    ).interactions;
    expect(interaction!.source.id).toBe('stream-1');
    expect(interaction!.categories).toEqual(['network-complaint']);
    expect(interaction!.segments[0]).toMatchObject({
      id: '58c27f92-7277-11ec-90d6-0242ac120003',
      role: 'customer',
      sentiment: 'negative',
      words: [
        { text: 'Wang', start: 0, end: 4, startMs: 19010, endMs: 19300 },
        { text: 'Xiulan', start: 5, end: 11, startMs: 19310, endMs: 19800 },
      ],
      platformRedactions: [
        { start: 0, end: 11, startMs: 19010, endMs: 19800, entityType: 'NAME', masked: false },
      ],
    });
  });

  it('skips partial utterances (only the category remains)', () => {
    const [interaction] = parseCallAnalytics(
      utteranceEvent({ IsPartial: true }),
      context({ sourceId: 's' }),
    ).interactions;
    expect(interaction!.segments).toEqual([]);
    expect(interaction!.categories).toEqual(['network-complaint']);
  });

  it('refuses a batch output without a transcript and a turn with a wrong type', async () => {
    expect((await rejectionOf(() => parseCallAnalytics({ JobStatus: 'COMPLETED' }, context()))).message).toBe(
      'Invalid Amazon Transcribe Call Analytics output: Transcript: required',
    );
    const payload = clone(loadTolerant(BATCH).value) as { Transcript: Array<Record<string, unknown>> };
    payload.Transcript[2]!['BeginOffsetMillis'] = 'noon';
    expect((await rejectionOf(() => parseCallAnalytics(payload, context()))).message).toBe(
      'Invalid Amazon Transcribe Call Analytics output: Transcript[2].BeginOffsetMillis: expected a number',
    );
  });
});
