import type { AdapterContext, AdapterResult, PayloadFormat } from './adapter.types.ts';
import { adapterError } from './adapters.errors.ts';
import { parseChatwoot } from './chatwoot.adapter.ts';
import { parseConnectAgentEvent } from './connect-agent-event.adapter.ts';
import { parseConnectContactEvent } from './connect-contact-event.adapter.ts';
import { parseContactLens } from './contact-lens.adapter.ts';
import { parseEmail } from './email.adapter.ts';
import { parseGeneric } from './generic.adapter.ts';
import { parseJsonText } from './payload-text.ts';
import { parseTranscribeBatch } from './transcribe-batch.adapter.ts';
import { parseCallAnalytics } from './transcribe-call-analytics.adapter.ts';
import { parsePcaResult } from './transcribe-pca.adapter.ts';
import { parseTranscribeStreaming } from './transcribe-streaming.adapter.ts';
import { parseTwilio } from './twilio.adapter.ts';

export const ADAPTER_NAMES = [
  'generic',
  'amazon-connect-contact-lens',
  'amazon-connect-contact-event',
  'amazon-connect-agent-event',
  'amazon-transcribe-batch',
  'amazon-transcribe-streaming',
  'amazon-transcribe-call-analytics',
  'amazon-transcribe-pca',
  'chatwoot',
  'email',
  'twilio',
] as const;
export type AdapterName = (typeof ADAPTER_NAMES)[number];

export interface Adapter {
  name: AdapterName;
  /** What `parse` expects: parsed JSON, form parameters, or the raw message bytes. */
  format: PayloadFormat;
  description: string;
  parse(payload: unknown, context: AdapterContext): Promise<AdapterResult>;
}

type SyncParse = (payload: unknown, context: AdapterContext) => AdapterResult;

function sync(name: AdapterName, format: PayloadFormat, description: string, parse: SyncParse): Adapter {
  return { name, format, description, parse: async (payload, context) => parse(payload, context) };
}

const ADAPTERS: Readonly<Record<AdapterName, Adapter>> = {
  generic: sync(
    'generic',
    'json',
    "Vigil's generic interaction JSON (one, or { interactions: [...] })",
    parseGeneric,
  ),
  'amazon-connect-contact-lens': sync(
    'amazon-connect-contact-lens',
    'json',
    'Amazon Connect Contact Lens analysis file (voice or chat, original or redacted)',
    parseContactLens,
  ),
  'amazon-connect-contact-event': sync(
    'amazon-connect-contact-event',
    'json',
    'Amazon Connect contact event (EventBridge envelope or detail)',
    parseConnectContactEvent,
  ),
  'amazon-connect-agent-event': sync(
    'amazon-connect-agent-event',
    'json',
    'Amazon Connect agent event stream record',
    parseConnectAgentEvent,
  ),
  'amazon-transcribe-batch': sync(
    'amazon-transcribe-batch',
    'json',
    'Amazon Transcribe batch output (speaker or channel labels, PII identification or redaction)',
    parseTranscribeBatch,
  ),
  'amazon-transcribe-streaming': sync(
    'amazon-transcribe-streaming',
    'json',
    'Amazon Transcribe streaming TranscriptEvent (final results only; source id = session id)',
    parseTranscribeStreaming,
  ),
  'amazon-transcribe-call-analytics': sync(
    'amazon-transcribe-call-analytics',
    'json',
    'Amazon Transcribe Call Analytics output or streaming event',
    parseCallAnalytics,
  ),
  'amazon-transcribe-pca': sync(
    'amazon-transcribe-pca',
    'json',
    'Post-Call Analytics parsed result',
    parsePcaResult,
  ),
  chatwoot: sync('chatwoot', 'json', 'Chatwoot webhook (message and conversation events)', parseChatwoot),
  email: { name: 'email', format: 'mime', description: 'RFC 5322 message (.eml)', parse: parseEmail },
  twilio: sync(
    'twilio',
    'form',
    'Twilio voice, recording, transcription, messaging and Conversations webhooks',
    parseTwilio,
  ),
};

export function isAdapterName(name: string): name is AdapterName {
  return (ADAPTER_NAMES as readonly string[]).includes(name);
}

/** The adapter of that name; ADAPTER_UNKNOWN (404) for any other name. */
export function getAdapter(name: string): Adapter {
  if (!isAdapterName(name))
    throw adapterError('ADAPTER_UNKNOWN', `No adapter is named ${JSON.stringify(name.slice(0, 64))}`);
  return ADAPTERS[name];
}

function has(value: object, key: string): boolean {
  return Object.hasOwn(value, key);
}

/**
 * Recognizes which adapter reads a payload, from the fields each platform always sends; undefined
 * when none does. Strings and bytes are JSON when they start like JSON, form parameters when they
 * carry Twilio's AccountSid, and otherwise a MIME message.
 */
export function detectAdapter(payload: unknown): AdapterName | undefined {
  if (typeof payload === 'string' || payload instanceof Uint8Array) return detectText(payload);
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
  const p = payload as Record<string, unknown>;
  if (has(p, 'sourceId') || has(p, 'interactions')) return 'generic';
  if (has(p, 'ConversationAnalytics') && has(p, 'SpeechSegments')) return 'amazon-transcribe-pca';
  if (has(p, 'CallAnalyticsTranscriptResultStream') || has(p, 'UtteranceEvent') || has(p, 'CategoryEvent')) {
    return 'amazon-transcribe-call-analytics';
  }
  if (has(p, 'TranscriptResultStream') || has(p, 'TranscriptEvent')) return 'amazon-transcribe-streaming';
  if (Array.isArray(p['Transcript'])) return transcriptKind(p);
  if (typeof p['Transcript'] === 'object' && p['Transcript'] !== null) return 'amazon-transcribe-streaming';
  if (typeof p['results'] === 'object' && p['results'] !== null) return 'amazon-transcribe-batch';
  if (has(p, 'AgentARN') && has(p, 'EventType')) return 'amazon-connect-agent-event';
  if (p['source'] === 'aws.connect' || (has(p, 'contactId') && has(p, 'eventType')))
    return 'amazon-connect-contact-event';
  if (
    typeof p['event'] === 'string' &&
    (has(p, 'account') || has(p, 'conversation') || has(p, 'inbox_id') || has(p, 'meta'))
  ) {
    return 'chatwoot';
  }
  if (typeof p['AccountSid'] === 'string') return 'twilio';
  return undefined;
}

/** Contact Lens turns name a participant id; Call Analytics turns only a role. */
function transcriptKind(p: Record<string, unknown>): AdapterName {
  const first = (p['Transcript'] as unknown[])[0];
  const turn = typeof first === 'object' && first !== null ? (first as Record<string, unknown>) : {};
  if (
    has(p, 'JobName') ||
    (has(turn, 'ParticipantRole') && !has(turn, 'ParticipantId') && !has(turn, 'AbsoluteTime'))
  ) {
    return 'amazon-transcribe-call-analytics';
  }
  return 'amazon-connect-contact-lens';
}

function detectText(payload: string | Uint8Array): AdapterName | undefined {
  const head = (
    typeof payload === 'string'
      ? payload.slice(0, 4096)
      : Buffer.from(payload.subarray(0, 4096)).toString('utf8')
  ).trimStart();
  if (head.startsWith('{') || head.startsWith('[')) return undefined; // parse as JSON first, then detect
  if (/(^|&)AccountSid=/.test(head)) return 'twilio';
  return /^[\x21-\x39\x3b-\x7e]+:/m.test(head) ? 'email' : undefined;
}

/**
 * Detects the payload's adapter and parses it. JSON text is parsed first (strictly). Throws
 * PAYLOAD_UNRECOGNIZED when no adapter recognizes the payload.
 */
export async function detectAndParse(
  payload: unknown,
  context: AdapterContext,
): Promise<AdapterResult & { adapter: AdapterName }> {
  let value = payload;
  let name = detectAdapter(value);
  if (name === undefined && (typeof payload === 'string' || payload instanceof Uint8Array)) {
    value = parseJsonText(payload, { what: 'payload' });
    name = detectAdapter(value);
  }
  if (name === undefined) {
    throw adapterError('PAYLOAD_UNRECOGNIZED', 'The payload matches no adapter: name the adapter explicitly');
  }
  const result = await getAdapter(name).parse(value, context);
  return { ...result, adapter: name };
}
