import { describe, expect, it } from 'vitest';
import {
  clone,
  context,
  listPayloads,
  loadPayload,
  loadTolerant,
  rejectionOf,
} from './adapters.test-support.ts';
import { parseTranscribeBatch } from './transcribe-batch.adapter.ts';

const DIARIZATION = 'amazon-transcribe/batch-speaker-diarization-output.json';
const CHANNELS = 'amazon-transcribe/batch-channel-identification-output.json';
const REDACTION = 'amazon-transcribe/batch-pii-redaction-output.doc.jsonc';
const IDENTIFICATION = 'amazon-transcribe/batch-pii-identification-output.doc.jsonc';

function parseOne(payload: unknown, roles?: Record<string, 'agent' | 'customer'>) {
  const { interactions } = parseTranscribeBatch(
    payload,
    context(roles === undefined ? {} : { speakerRoles: roles }),
  );
  expect(interactions).toHaveLength(1);
  return interactions[0]!;
}

describe('Amazon Transcribe batch output on the shared samples', () => {
  it('covers every batch sample', () => {
    expect(listPayloads('amazon-transcribe').filter((f) => f.includes('/batch-'))).toEqual([
      CHANNELS,
      IDENTIFICATION,
      REDACTION,
      DIARIZATION,
    ]);
  });

  it('groups diarized items into one segment per speaker turn, with word timings and offsets', () => {
    const interaction = parseOne(loadPayload(DIARIZATION), { spk_0: 'customer', spk_1: 'agent' });
    expect(interaction.source).toMatchObject({
      platform: 'amazon-transcribe',
      id: 'my-first-transcription-job',
    });
    expect(interaction.status).toBe('COMPLETED');
    expect(interaction.segments.map((s) => [s.participantRef, s.role, s.text, s.startMs, s.endMs])).toEqual([
      ['spk_0', 'customer', "I've been on hold for an hour.", 4870, 6880],
      ['spk_1', 'agent', 'Sorry about that.', 8490, 9240],
    ]);
    const words = interaction.segments[0]!.words!;
    expect(words).toHaveLength(7);
    expect(words[3]).toEqual({ text: 'hold', start: 13, end: 17, startMs: 5290, endMs: 5640, confidence: 1 });
    expect(interaction.segments[1]!.words![1]).toMatchObject({ text: 'about', confidence: 0.902 });
    expect(interaction.participants).toEqual([
      { ref: 'spk_0', role: 'customer' },
      { ref: 'spk_1', role: 'agent' },
    ]);
  });

  it('reads channel identification output as one segment per channel turn, labeled with its channel', () => {
    const interaction = parseOne(loadPayload(CHANNELS));
    expect(interaction.segments.map((s) => [s.channelLabel, s.role, s.text, s.startMs, s.endMs])).toEqual([
      ['ch_0', 'unknown', "I've been on hold for an hour.", 4860, 6870],
      ['ch_1', 'unknown', 'Sorry about that.', 8500, 9250],
    ]);
  });

  it('reads per-channel items when the top-level items carry no labels (older outputs)', () => {
    const payload = clone(loadPayload(CHANNELS)) as { results: { items: unknown[] } };
    payload.results.items = [];
    const interaction = parseOne(payload);
    expect(interaction.segments.map((s) => s.text)).toEqual([
      "I've been on hold for an hour.",
      'Sorry about that.',
    ]);
  });

  it('splits unlabeled output into sentences', () => {
    const payload = clone(loadPayload(DIARIZATION)) as {
      results: { items: Array<Record<string, unknown>>; speaker_labels?: unknown };
    };
    delete payload.results.speaker_labels;
    for (const item of payload.results.items) delete item['speaker_label'];
    const interaction = parseOne(payload);
    expect(interaction.segments.map((s) => [s.role, s.text])).toEqual([
      ['unknown', "I've been on hold for an hour."],
      ['unknown', 'Sorry about that.'],
    ]);
    expect(interaction.participants).toEqual([]);
  });

  it('refuses the abridged PII redaction excerpt as JSON and reads what recovery keeps: a masked NAME item', async () => {
    expect((await rejectionOf(() => loadPayload(REDACTION))).message).toMatch(
      /not valid JSON at line 8, column \d+/,
    );
    const interaction = parseOne(loadTolerant(REDACTION).value);
    expect(interaction.redaction.platformState).toBe('masked');
    expect(interaction.segments[0]!.text).toBe('Good [PII]');
    expect(interaction.segments[0]!.platformRedactions).toEqual([
      { start: 5, end: 10, startMs: 5560, endMs: 6250, entityType: 'NAME', confidence: 0.9999, masked: true },
    ]);
  });

  it('marks identified (not masked) PII when the job only identified it', () => {
    const payload = clone(loadTolerant(REDACTION).value) as {
      isRedacted: boolean;
      results: { items: Array<{ alternatives: Array<{ content: string }> }> };
    };
    payload.isRedacted = false;
    payload.results.items[1]!.alternatives[0]!.content = 'Mike';
    const interaction = parseOne(payload);
    expect(interaction.redaction.platformState).toBe('identified');
    expect(interaction.segments[0]!.platformRedactions).toEqual([
      expect.objectContaining({ start: 5, end: 9, entityType: 'NAME', masked: false }),
    ]);
  });

  it('refuses the broken identification excerpt, naming the item jsonc recovery could not make an object of', async () => {
    const { message, code } = await rejectionOf(() =>
      parseTranscribeBatch(loadTolerant(IDENTIFICATION).value, context()),
    );
    expect(code).toBe('PAYLOAD_INVALID');
    expect(message).toBe('Invalid Amazon Transcribe batch output: results.items[2]: expected an object');
  });
});

describe('Amazon Transcribe batch output, malformed', () => {
  it('refuses missing results, wrong types, inverted times and huge content with the path named', async () => {
    expect((await rejectionOf(() => parseTranscribeBatch({ jobName: 'j' }, context()))).message).toBe(
      'Invalid Amazon Transcribe batch output: results: required',
    );
    const wrong = clone(loadPayload(DIARIZATION)) as { results: { items: Array<Record<string, unknown>> } };
    wrong.results.items[2]!['start_time'] = 'soon';
    expect((await rejectionOf(() => parseTranscribeBatch(wrong, context()))).message).toBe(
      'Invalid Amazon Transcribe batch output: results.items[2].start_time: expected a number',
    );
    const inverted = clone(loadPayload(DIARIZATION)) as {
      results: { items: Array<Record<string, unknown>> };
    };
    inverted.results.items[0]!['end_time'] = '1.00';
    expect((await rejectionOf(() => parseTranscribeBatch(inverted, context()))).message).toBe(
      'Invalid Amazon Transcribe batch output: results.items[0].end_time: before start_time',
    );
    const huge = clone(loadPayload(DIARIZATION)) as {
      results: { items: Array<{ alternatives: Array<{ content: string }> }> };
    };
    huge.results.items[0]!.alternatives[0]!.content = '9'.repeat(10_000);
    expect(await rejectionOf(() => parseTranscribeBatch(huge, context()))).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message:
        'Invalid Amazon Transcribe batch output: results.items[0].alternatives[0].content: longer than 256 characters',
    });
  });

  it('refuses a speaker turn that grows past the segment limit', async () => {
    const word = 'w'.repeat(200);
    const items = Array.from({ length: 2_600 }, (_, i) => ({
      start_time: String(i),
      end_time: String(i + 0.5),
      alternatives: [{ confidence: '1.0', content: word }],
      type: 'pronunciation',
      speaker_label: 'spk_0',
    }));
    expect(
      await rejectionOf(() => parseTranscribeBatch({ results: { transcripts: [], items } }, context())),
    ).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message:
        'Invalid Amazon Transcribe batch output: results.items: one speaker turn is longer than 500000 characters',
    });
  });
});
