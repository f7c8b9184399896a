import { describe, expect, it } from 'vitest';
import { mergeInteractions } from '../model/index.ts';
import { context, rejectionOf } from './adapters.test-support.ts';
import { parseTwilio } from './twilio.adapter.ts';

/**
 * Fixtures are built from the parameters Twilio documents for each webhook (no sample with
 * verifiable provenance exists in the shared folder). SIDs follow Twilio's formats.
 */
const ACCOUNT = 'AC0123456789abcdef0123456789abcdef';
const CALL = 'CA0123456789abcdef0123456789abcdef';
const RECORDING = 'RE0123456789abcdef0123456789abcdef';

const callStatusCompleted = {
  AccountSid: ACCOUNT,
  ApiVersion: '2010-04-01',
  CallSid: CALL,
  CallStatus: 'completed',
  CallDuration: '84',
  CallbackSource: 'call-progress-events',
  Called: '+18005550100',
  Caller: '+14155550123',
  CallerName: 'Jane Roe',
  Direction: 'inbound',
  From: '+14155550123',
  FromCity: 'SAN FRANCISCO',
  FromCountry: 'US',
  FromState: 'CA',
  FromZip: '94103',
  SequenceNumber: '3',
  Timestamp: 'Tue, 13 Jan 2026 10:01:24 +0000',
  To: '+18005550100',
  ToCountry: 'US',
  CallToken: '%7B%22parentCallInfoToken%22%3A%22eyJhbGciOiJFUzI1NiJ9.secret%22%7D',
};

const recordingStatus = {
  AccountSid: ACCOUNT,
  CallSid: CALL,
  RecordingSid: RECORDING,
  RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Recordings/${RECORDING}`,
  RecordingStatus: 'completed',
  RecordingDuration: '81',
  RecordingChannels: '2',
  RecordingStartTime: 'Tue, 13 Jan 2026 10:00:03 +0000',
  RecordingSource: 'DialVerb',
  RecordingTrack: 'both',
};

describe('Twilio voice callbacks', () => {
  it('reads a completed inbound call: caller, callee, times, duration; drops CallToken', () => {
    const [interaction] = parseTwilio(
      new URLSearchParams(callStatusCompleted).toString(),
      context(),
    ).interactions;
    const end = Date.parse('Tue, 13 Jan 2026 10:01:24 +0000');
    expect(interaction).toMatchObject({
      source: { platform: 'twilio', id: CALL, revision: end + 3, externalIds: { accountSid: ACCOUNT } },
      channel: 'voice',
      direction: 'inbound',
      status: 'completed',
      durationMs: 84_000,
      startedAtMs: end - 84_000,
      endedAtMs: end,
    });
    expect(interaction!.participants).toEqual([
      {
        ref: 'from',
        role: 'customer',
        phone: '+14155550123',
        name: 'Jane Roe',
        address: 'SAN FRANCISCO, CA, 94103, US',
      },
      { ref: 'to', role: 'agent', phone: '+18005550100', address: 'US' },
    ]);
    expect(JSON.stringify(interaction)).not.toContain('parentCallInfoToken');
  });

  it('attaches a recording status callback to the call, and merges the two', () => {
    const [recording] = parseTwilio(recordingStatus, context()).interactions;
    expect(recording!.media).toEqual([
      {
        id: RECORDING,
        kind: 'recording',
        uri: recordingStatus.RecordingUrl,
        durationMs: 81_000,
        channels: 2,
        status: 'completed',
      },
    ]);
    const [call] = parseTwilio(callStatusCompleted, context()).interactions;
    const merged = mergeInteractions(call!, recording!);
    expect(merged.participants).toHaveLength(2);
    expect(merged.media.map((m) => m.id)).toEqual([RECORDING]);
    expect(merged.direction).toBe('inbound');
  });

  it('reads a transcription callback as a segment of the caller', () => {
    const params = {
      AccountSid: ACCOUNT,
      CallSid: CALL,
      CallStatus: 'completed',
      Direction: 'inbound',
      From: '+14155550123',
      To: '+18005550100',
      TranscriptionSid: 'TR0123456789abcdef0123456789abcdef',
      TranscriptionText: 'Hi, please call me back about my order.',
      TranscriptionStatus: 'completed',
      TranscriptionUrl: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Transcriptions/TR0123456789abcdef0123456789abcdef`,
      RecordingSid: RECORDING,
      RecordingUrl: recordingStatus.RecordingUrl,
    };
    const [interaction] = parseTwilio(params, context()).interactions;
    expect(interaction!.segments).toEqual([
      {
        id: params.TranscriptionSid,
        role: 'customer',
        participantRef: 'from',
        text: params.TranscriptionText,
      },
    ]);
    expect(interaction!.media[0]!.id).toBe(RECORDING);
    const failed = parseTwilio({ ...params, TranscriptionStatus: 'failed' }, context()).interactions[0]!;
    expect(failed.segments).toEqual([]);
  });

  it('keeps only final real-time transcription content', () => {
    const base = {
      AccountSid: ACCOUNT,
      CallSid: CALL,
      TranscriptionSid: 'GT0123456789abcdef0123456789abcdef',
      Timestamp: '2026-01-13T10:00:10.000Z',
      SequenceId: '7',
      TranscriptionEvent: 'transcription-content',
      LanguageCode: 'en-US',
      Track: 'inbound_track',
      TranscriptionData: JSON.stringify({
        transcript: 'my card ends in one two three four',
        confidence: 0.93,
      }),
    };
    expect(parseTwilio({ ...base, Final: 'false' }, context()).interactions).toEqual([]);
    expect(
      parseTwilio({ ...base, TranscriptionEvent: 'transcription-started' }, context()).interactions,
    ).toEqual([]);
    const [interaction] = parseTwilio(
      { ...base, Final: 'true' },
      context({ speakerRoles: { inbound_track: 'customer' } }),
    ).interactions;
    expect(interaction!.segments).toEqual([
      {
        id: `${base.TranscriptionSid}:7`,
        role: 'customer',
        participantRef: 'inbound_track',
        channelLabel: 'inbound_track',
        text: 'my card ends in one two three four',
        sentAtMs: Date.parse(base.Timestamp),
      },
    ]);
    expect(interaction!.language).toBe('en-US');
  });
});

describe('Twilio webhooks, malformed', () => {
  it('refuses unknown parameter sets, non-form payloads, bad values and huge bodies, naming the parameter', async () => {
    expect(await rejectionOf(() => parseTwilio({ Foo: 'bar' }, context()))).toEqual({
      code: 'PAYLOAD_UNRECOGNIZED',
      message:
        'Invalid Twilio webhook: none of CallSid, RecordingSid, TranscriptionSid, MessageSid or EventType is present',
    });
    expect((await rejectionOf(() => parseTwilio(42, context()))).message).toBe(
      'Invalid Twilio webhook: expected form parameters',
    );
    expect(
      (await rejectionOf(() => parseTwilio({ CallSid: ['x', 'y'], Body: { a: 1 } }, context()))).message,
    ).toBe('Invalid Twilio webhook: "Body": expected a string');
    expect(
      (await rejectionOf(() => parseTwilio({ ...callStatusCompleted, CallDuration: 'long' }, context())))
        .message,
    ).toBe('Invalid Twilio webhook: CallDuration: expected a number');
    expect(
      (await rejectionOf(() => parseTwilio({ ...callStatusCompleted, Timestamp: 'teatime' }, context())))
        .message,
    ).toBe('Invalid Twilio webhook: Timestamp: not a valid timestamp');
    const huge = { MessageSid: 'SM1', From: '+14155550123', Body: 'x'.repeat(500_001) };
    expect(await rejectionOf(() => parseTwilio(huge, context()))).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'Invalid Twilio webhook: Body: longer than 500000 characters',
    });
    const badMedia = {
      EventType: 'onMessageAdded',
      ConversationSid: 'CH1',
      MessageSid: 'IM1',
      Media: '[{"Sid":',
    };
    expect((await rejectionOf(() => parseTwilio(badMedia, context()))).message).toBe(
      'Invalid Twilio webhook Media: not valid JSON at line 1, column 9: unexpected end of input (truncated?)',
    );
  });
});
