import { type AdapterContext, type AdapterResult, interactionsOnly } from './adapter.types.ts';
import { adapterError } from './adapters.errors.ts';
import { PayloadNode } from './payload-reader.ts';
import { readFormParams } from './payload-text.ts';
import { TWILIO_WHAT } from './twilio.support.ts';
import { parseTwilioConversationEvent, parseTwilioMessage } from './twilio-messaging.adapter.ts';
import {
  parseTwilioCall,
  parseTwilioRealtimeTranscription,
  parseTwilioRecording,
  parseTwilioTranscription,
} from './twilio-voice.adapter.ts';

/** Parameters that are credentials, not data: they are never read into an interaction. */
const TOKEN_PARAMS = /token|secret|password/i;

/**
 * Twilio webhooks, from their form parameters (a form-encoded body, URLSearchParams or the object a
 * form parser made): voice status callbacks, recording status callbacks, transcription callbacks
 * (recorded and real-time), incoming message webhooks and Conversations post-event webhooks. The
 * kind is recognized from the parameters Twilio documents for each. Verify the request with
 * verifyTwilioSignature before calling this.
 */
export function parseTwilio(payload: unknown, context: AdapterContext): AdapterResult {
  const params = readFormParams(payload, TWILIO_WHAT);
  for (const key of [...params.keys()]) if (TOKEN_PARAMS.test(key)) params.delete(key);
  const node = PayloadNode.root(Object.fromEntries(params), TWILIO_WHAT);
  if (params.has('EventType')) return optional(parseTwilioConversationEvent(node, context));
  if (params.has('TranscriptionEvent')) return optional(parseTwilioRealtimeTranscription(node, context));
  if (params.has('TranscriptionSid')) return interactionsOnly([parseTwilioTranscription(node, context)]);
  if (params.has('RecordingSid') && params.has('RecordingStatus')) {
    return interactionsOnly([parseTwilioRecording(node, context)]);
  }
  if (params.has('CallSid')) return interactionsOnly([parseTwilioCall(node, context)]);
  if (params.has('MessageSid') || params.has('SmsSid'))
    return interactionsOnly([parseTwilioMessage(node, context)]);
  throw adapterError(
    'PAYLOAD_UNRECOGNIZED',
    `Invalid ${TWILIO_WHAT}: none of CallSid, RecordingSid, TranscriptionSid, MessageSid or EventType is present`,
  );
}

function optional(interaction: ReturnType<typeof parseTwilioCall> | undefined): AdapterResult {
  return interactionsOnly(interaction === undefined ? [] : [interaction]);
}
