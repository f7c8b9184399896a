import { describe, expect, it } from 'vitest';
import { clone, context, loadPayload, rejectionOf } from './adapters.test-support.ts';
import { parsePcaResult } from './transcribe-pca.adapter.ts';

const PCA = 'amazon-transcribe/pca-parsed-call-analytics-result.json';

describe('Post-Call Analytics parsed result', () => {
  it('reads speakers, segments, words, masks, media and job information', () => {
    const [interaction] = parsePcaResult(loadPayload(PCA), context()).interactions;
    expect(interaction!.source).toMatchObject({
      platform: 'amazon-transcribe',
      adapter: 'amazon-transcribe-pca',
      id: 'stereo_std_1.mp3',
    });
    // A date-time without a zone is read as UTC, wherever Vigil runs.
    expect(interaction!.startedAtMs).toBe(Date.UTC(2021, 10, 25, 13, 35, 14, 215));
    expect(interaction!.durationMs).toBe(28670);
    expect(interaction!.language).toBe('en-US');
    expect(interaction!.participants).toEqual([
      { ref: 'spk_0', role: 'agent' },
      { ref: 'spk_1', role: 'customer' },
    ]);
    expect(interaction!.segments).toHaveLength(12);
    const masked = interaction!.segments[3]!;
    expect(masked).toMatchObject({
      role: 'customer',
      text: 'This is [PII] speaking. Am I speaking to [PII]?',
      startMs: 3710,
      endMs: 6160,
    });
    expect(masked.platformRedactions).toEqual([
      { start: 8, end: 13, masked: true },
      { start: 41, end: 46, masked: true },
    ]);
    expect(interaction!.segments[1]!.words![1]).toEqual({
      text: 'you',
      start: 6,
      end: 9,
      startMs: 1340,
      endMs: 1340,
      confidence: 1,
    });
    expect(interaction!.media.map((m) => [m.id, m.uri])).toEqual([
      ['recording', 's3://postcallanalytics-inputbucket-8saekjhaymfy/mp3/stereo_std_1.mp3.wav'],
      [
        'recording-original',
        's3://postcallanalytics-inputbucket-8saekjhaymfy/originalAudio/stereo_std_1.mp3',
      ],
    ]);
    // "Dummy_Missing" matched 0 times: not a category of this call.
    expect(interaction!.categories).toEqual([]);
    expect(interaction!.redaction.platformState).toBe('masked');
  });

  it('refuses missing segments, a wrong type and inverted segment times', async () => {
    const noSegments = clone(loadPayload(PCA)) as Record<string, unknown>;
    delete noSegments['SpeechSegments'];
    expect((await rejectionOf(() => parsePcaResult(noSegments, context()))).message).toBe(
      'Invalid Post-Call Analytics result: SpeechSegments: required',
    );
    const wrong = clone(loadPayload(PCA)) as { SpeechSegments: Array<Record<string, unknown>> };
    wrong.SpeechSegments[4]!['DisplayText'] = { text: 'Yes.' };
    expect((await rejectionOf(() => parsePcaResult(wrong, context()))).message).toBe(
      'Invalid Post-Call Analytics result: SpeechSegments[4].DisplayText: expected a string',
    );
    const inverted = clone(loadPayload(PCA)) as { SpeechSegments: Array<Record<string, unknown>> };
    inverted.SpeechSegments[0]!['SegmentEndTime'] = 0.01;
    expect((await rejectionOf(() => parsePcaResult(inverted, context()))).message).toBe(
      'Invalid Post-Call Analytics result: SpeechSegments[0].SegmentEndTime: before SegmentStartTime',
    );
  });
});
