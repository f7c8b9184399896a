import { describe, expect, it } from 'vitest';
import { mergeInteractions } from '../model/index.ts';
import { clone, context, loadPayload, rejectionOf } from './adapters.test-support.ts';
import { parseTranscribeStreaming } from './transcribe-streaming.adapter.ts';

const REDACTED = 'amazon-transcribe/stream-pii-redaction-event.json';
const IDENTIFIED = 'amazon-transcribe/stream-pii-identification-event.json';

type StreamEvent = {
  TranscriptResultStream: {
    TranscriptEvent: {
      Transcript: {
        Results: Array<Record<string, unknown> & { Alternatives: Array<Record<string, unknown>> }>;
      };
    };
  };
};

function results(payload: unknown) {
  return (payload as StreamEvent).TranscriptResultStream.TranscriptEvent.Transcript.Results;
}

describe('Amazon Transcribe streaming events', () => {
  it('reads a final result with masked entities, word offsets and times', () => {
    const { interactions } = parseTranscribeStreaming(
      loadPayload(REDACTED),
      context({ sourceId: 'session-42' }),
    );
    const [interaction] = interactions;
    expect(interaction!.source).toMatchObject({ platform: 'amazon-transcribe', id: 'session-42' });
    expect(interaction!.redaction.platformState).toBe('masked');
    expect(interaction!.segments).toEqual([
      {
        id: '12345a67-8bc9-0de1-2f34-a5b678c90d12',
        role: 'unknown',
        text: 'my name is [NAME]',
        startMs: 20,
        endMs: 1020,
        words: [
          { text: 'my', start: 0, end: 2, startMs: 30, endMs: 380 },
          { text: 'name', start: 3, end: 7, startMs: 390, endMs: 590 },
          { text: 'is', start: 8, end: 10, startMs: 600, endMs: 790 },
          { text: '[NAME]', start: 11, end: 17, startMs: 800, endMs: 1020 },
        ],
        platformRedactions: [
          {
            start: 11,
            end: 17,
            startMs: 800,
            endMs: 1020,
            entityType: 'NAME',
            confidence: 0.9989,
            masked: true,
          },
        ],
      },
    ]);
  });

  it('reads identified (unmasked) entities from the identification event', () => {
    const [interaction] = parseTranscribeStreaming(
      loadPayload(IDENTIFIED),
      context({ sourceId: 's' }),
    ).interactions;
    expect(interaction!.redaction.platformState).toBe('identified');
    expect(interaction!.segments[0]!.text).toBe('my name is mike');
    expect(interaction!.segments[0]!.platformRedactions).toEqual([
      {
        start: 11,
        end: 15,
        startMs: 800,
        endMs: 1020,
        entityType: 'NAME',
        confidence: 0.9989,
        masked: false,
      },
    ]);
  });

  it('keeps only final results: an event of partial results stores nothing', () => {
    const payload = clone(loadPayload(IDENTIFIED));
    results(payload)[0]!['IsPartial'] = true;
    expect(parseTranscribeStreaming(payload, context({ sourceId: 's' })).interactions).toEqual([]);
  });

  it('builds one conversation from the events of a session by merging them', () => {
    const first = clone(loadPayload(IDENTIFIED));
    const second = clone(loadPayload(REDACTED));
    Object.assign(results(second)[0]!, {
      ResultId: 'result-2',
      StartTime: 2.5,
      EndTime: 3.5,
      ChannelId: 'ch_1',
    });
    const a = parseTranscribeStreaming(first, context({ sourceId: 's', receivedAtMs: 1 })).interactions[0]!;
    const b = parseTranscribeStreaming(
      second,
      context({ sourceId: 's', receivedAtMs: 2, speakerRoles: { ch_1: 'agent' } }),
    ).interactions[0]!;
    const merged = mergeInteractions(b, a);
    expect(merged.segments.map((s) => [s.id, s.text, s.role])).toEqual([
      ['12345a67-8bc9-0de1-2f34-a5b678c90d12', 'my name is mike', 'unknown'],
      ['result-2', 'my name is [NAME]', 'agent'],
    ]);
    expect(merged.participants).toEqual([{ ref: 'ch_1', role: 'agent' }]);
  });

  it('accepts the bare TranscriptEvent the SDK yields, without the stream wrapper', () => {
    const bare = (loadPayload(REDACTED) as StreamEvent).TranscriptResultStream.TranscriptEvent;
    expect(parseTranscribeStreaming(bare, context({ sourceId: 's' })).interactions[0]!.segments).toHaveLength(
      1,
    );
  });

  it('needs the session id from the caller, and refuses malformed events with the path', async () => {
    expect(await rejectionOf(() => parseTranscribeStreaming(loadPayload(REDACTED), context()))).toEqual({
      code: 'PAYLOAD_SOURCE_ID_REQUIRED',
      message:
        'Invalid Amazon Transcribe streaming event: it carries no conversation id; pass the source id with the request',
    });
    const wrong = clone(loadPayload(REDACTED));
    results(wrong)[0]!.Alternatives[0]!['Transcript'] = ['my name is'];
    expect(
      (await rejectionOf(() => parseTranscribeStreaming(wrong, context({ sourceId: 's' })))).message,
    ).toBe(
      'Invalid Amazon Transcribe streaming event: TranscriptResultStream.TranscriptEvent.Transcript.Results[0].Alternatives[0].Transcript: expected a string',
    );
    expect(
      (
        await rejectionOf(() =>
          parseTranscribeStreaming({ TranscriptResultStream: {} }, context({ sourceId: 's' })),
        )
      ).message,
    ).toBe('Invalid Amazon Transcribe streaming event: TranscriptResultStream.TranscriptEvent: required');
  });
});
