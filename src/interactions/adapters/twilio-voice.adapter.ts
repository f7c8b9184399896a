import {
  type Direction,
  type Interaction,
  INTERACTION_LIMITS as L,
  type Media,
  type Participant,
  type Segment,
} from '../model/index.ts';
import { compact, finishInteraction, noRedaction, speakerRole } from './adapter.support.ts';
import type { AdapterContext } from './adapter.types.ts';
import { adapterError } from './adapters.errors.ts';
import type { PayloadNode } from './payload-reader.ts';
import { parseJsonText } from './payload-text.ts';
import { callbackRevision, partyFrom, TWILIO_WHAT } from './twilio.support.ts';

const ENDED = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

function directionOf(word: string | undefined): Direction {
  if (word === 'inbound') return 'inbound';
  if (word?.startsWith('outbound')) return 'outbound';
  return 'unknown';
}

function callParticipants(params: PayloadNode, direction: Direction): Participant[] {
  const callerRole = direction === 'outbound' ? 'agent' : direction === 'inbound' ? 'customer' : 'unknown';
  const calleeRole = direction === 'outbound' ? 'customer' : direction === 'inbound' ? 'agent' : 'unknown';
  return [partyFrom(params, 'From', callerRole), partyFrom(params, 'To', calleeRole)].filter(
    (p): p is Participant => p !== undefined,
  );
}

function voiceInteraction(
  params: PayloadNode,
  adapter: string,
  revision: number,
  parts: Partial<Interaction>,
): Interaction {
  const callSid = params.optText('CallSid', L.idChars) ?? params.optText('ConferenceSid', L.idChars);
  if (callSid === undefined) params.fail('required', 'CallSid');
  const parentCallSid = params.optText('ParentCallSid', L.idChars);
  return finishInteraction({
    schemaVersion: 1,
    source: compact({
      platform: 'twilio' as const,
      adapter,
      id: callSid,
      threadId: parentCallSid,
      revision,
      externalIds: compact({ accountSid: params.optText('AccountSid', L.idChars), parentCallSid }) as Record<
        string,
        string
      >,
    }),
    channel: 'voice',
    direction: 'unknown',
    participants: [],
    segments: [],
    media: [],
    attributes: {},
    categories: [],
    redaction: noRedaction(),
    ...parts,
  });
}

/** Voice status callback (and the incoming-call request, which carries the same call parameters). */
export function parseTwilioCall(params: PayloadNode, context: AdapterContext): Interaction {
  const direction = directionOf(params.optStr('Direction', L.labelChars));
  const status = params.optText('CallStatus', L.labelChars);
  const at = params.optTime('Timestamp');
  const durationMs = params.optSecondsAsMs('CallDuration');
  const ended = status !== undefined && ENDED.has(status);
  const recording = recordingMedia(params);
  const forwardedFrom = params.optText('ForwardedFrom', L.phoneChars);
  return voiceInteraction(params, 'twilio', callbackRevision(params, context.receivedAtMs), {
    direction,
    ...compact({
      status,
      durationMs,
      startedAtMs:
        at === undefined
          ? undefined
          : ended
            ? durationMs === undefined
              ? undefined
              : Math.max(0, at - durationMs)
            : at,
      endedAtMs: ended ? at : undefined,
    }),
    participants: callParticipants(params, direction),
    media: recording === undefined ? [] : [recording],
    attributes: forwardedFrom === undefined ? {} : { forwardedFrom },
  });
}

function recordingMedia(params: PayloadNode): Media | undefined {
  const sid = params.optText('RecordingSid', L.idChars);
  if (sid === undefined) return undefined;
  const channels = params.optNumeric('RecordingChannels');
  return compact({
    id: sid,
    kind: 'recording' as const,
    uri: params.optText('RecordingUrl', L.uriChars),
    durationMs: params.optSecondsAsMs('RecordingDuration'),
    channels: channels === undefined ? undefined : Math.trunc(channels),
    status: params.optText('RecordingStatus', L.labelChars),
  });
}

/** Recording status callback: the recording of a call, as a media reference of that call's interaction. */
export function parseTwilioRecording(params: PayloadNode, context: AdapterContext): Interaction {
  const media = recordingMedia(params)!;
  return voiceInteraction(params, 'twilio', context.receivedAtMs, {
    ...compact({ startedAtMs: params.optTime('RecordingStartTime') }),
    media: [media],
  });
}

/** Transcription callback of a `<Record transcribe>` recording: its text becomes a segment. */
export function parseTwilioTranscription(params: PayloadNode, context: AdapterContext): Interaction {
  const direction = directionOf(params.optStr('Direction', L.labelChars));
  const participants = callParticipants(params, direction);
  const status = params.optText('TranscriptionStatus', L.labelChars);
  const text = params.optStr('TranscriptionText', L.segmentTextChars);
  const segments: Segment[] =
    status === 'failed' || text === undefined
      ? []
      : [
          compact({
            id: params.str('TranscriptionSid', L.idChars),
            role: participants[0]?.role ?? ('unknown' as const),
            participantRef: participants[0]?.ref,
            text,
          }),
        ];
  const recording = recordingMedia(params);
  return voiceInteraction(params, 'twilio', context.receivedAtMs, {
    direction,
    participants,
    segments,
    media: recording === undefined ? [] : [recording],
  });
}

/**
 * Real-time transcription webhook (`<Start><Transcription>`): only final `transcription-content`
 * events carry a segment; partial results and lifecycle events yield nothing.
 */
export function parseTwilioRealtimeTranscription(
  params: PayloadNode,
  context: AdapterContext,
): Interaction | undefined {
  if (params.str('TranscriptionEvent', L.labelChars) !== 'transcription-content') return undefined;
  if (params.optBool('Final') !== true) return undefined;
  const data = parseJsonText(params.str('TranscriptionData', L.segmentTextChars), {
    what: `${TWILIO_WHAT} TranscriptionData`,
  });
  if (
    typeof data !== 'object' ||
    data === null ||
    typeof (data as { transcript?: unknown }).transcript !== 'string'
  ) {
    throw adapterError(
      'PAYLOAD_INVALID',
      `Invalid ${TWILIO_WHAT}: TranscriptionData.transcript: expected a string`,
    );
  }
  const track = params.optText('Track', L.labelChars);
  const sequence = params.optText('SequenceId', L.idChars) ?? '0';
  const at = params.optTime('Timestamp');
  const segment: Segment = compact({
    id: `${params.str('TranscriptionSid', L.idChars)}:${sequence}`.slice(0, L.idChars),
    role: track === undefined ? ('unknown' as const) : speakerRole(context, track),
    participantRef: track,
    channelLabel: track,
    text: (data as { transcript: string }).transcript,
    sentAtMs: at,
  });
  return voiceInteraction(params, 'twilio', at ?? context.receivedAtMs, {
    ...compact({ language: params.optText('LanguageCode', L.languageChars) }),
    participants: track === undefined ? [] : [{ ref: track, role: segment.role }],
    segments: [segment],
  });
}
