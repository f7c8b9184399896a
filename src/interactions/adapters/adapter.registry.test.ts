import { describe, expect, it } from 'vitest';
import {
  ADAPTER_NAMES,
  detectAdapter,
  detectAndParse,
  getAdapter,
  isAdapterName,
} from './adapter.registry.ts';
import { context, listPayloads, loadPayload, readPayload, rejectionOf } from './adapters.test-support.ts';

/** Which adapter reads each shared sample that is valid JSON or JSONC (the others are covered per adapter). */
const EXPECTED: Record<string, string> = {
  'amazon-connect/contact-event-detail.json': 'amazon-connect-contact-event',
  'amazon-connect/contact-event-eventbridge.doc.jsonc': 'amazon-connect-contact-event',
  'amazon-connect/contact-lens-chat-analysis-original.json': 'amazon-connect-contact-lens',
  'amazon-connect/contact-lens-chat-analysis-redacted.json': 'amazon-connect-contact-lens',
  'amazon-connect/contact-lens-voice-analysis-redacted.doc.jsonc': 'amazon-connect-contact-lens',
  'amazon-transcribe/batch-channel-identification-output.json': 'amazon-transcribe-batch',
  'amazon-transcribe/batch-speaker-diarization-output.json': 'amazon-transcribe-batch',
  'amazon-transcribe/pca-parsed-call-analytics-result.json': 'amazon-transcribe-pca',
  'amazon-transcribe/stream-pii-identification-event.json': 'amazon-transcribe-streaming',
  'amazon-transcribe/stream-pii-redaction-event.json': 'amazon-transcribe-streaming',
  'chatwoot/conversation_opened.json': 'chatwoot',
  'chatwoot/conversation_resolved.json': 'chatwoot',
  'chatwoot/conversation_status_changed.json': 'chatwoot',
  'chatwoot/message_created.json': 'chatwoot',
  'chatwoot/message_updated.json': 'chatwoot',
  'chatwoot/webwidget_triggered.json': 'chatwoot',
};

describe('adapter registry', () => {
  it('has an adapter for every name, and refuses other names as not found', async () => {
    for (const name of ADAPTER_NAMES) expect(getAdapter(name).name).toBe(name);
    expect(isAdapterName('chatwoot')).toBe(true);
    expect(isAdapterName('toString')).toBe(false);
    expect(await rejectionOf(() => getAdapter('__proto__'))).toEqual({
      code: 'ADAPTER_UNKNOWN',
      message: 'No adapter is named "__proto__"',
    });
  });

  it('detects the adapter of every parsable shared JSON sample and parses it', async () => {
    const samples = ['amazon-connect', 'amazon-transcribe', 'chatwoot'].flatMap(listPayloads);
    const parsable = samples.filter((f) => f in EXPECTED);
    expect(parsable).toHaveLength(Object.keys(EXPECTED).length);
    for (const file of parsable) {
      const payload = loadPayload(file);
      expect(detectAdapter(payload), file).toBe(EXPECTED[file]);
      const result = await detectAndParse(payload, context({ sourceId: 'session-1' }));
      expect(result.adapter).toBe(EXPECTED[file]);
    }
  });

  it('detects raw JSON text, Twilio form bodies and MIME messages', async () => {
    const json = readPayload('chatwoot/message_created.json');
    expect((await detectAndParse(json, context())).adapter).toBe('chatwoot');
    expect(detectAdapter('AccountSid=AC1&CallSid=CA1&CallStatus=ringing')).toBe('twilio');
    const email = await detectAndParse(readPayload('email/talon-gmail.eml'), context());
    expect(email.adapter).toBe('email');
    expect(email.interactions[0]!.subject).toBe('Re: Test');
    expect(detectAdapter({ sourceId: 'a', channel: 'chat' })).toBe('generic');
  });

  it('refuses what no adapter recognizes, and truncated JSON text with its position', async () => {
    expect(await rejectionOf(() => detectAndParse({ hello: 'world' }, context()))).toEqual({
      code: 'PAYLOAD_UNRECOGNIZED',
      message: 'The payload matches no adapter: name the adapter explicitly',
    });
    const truncated = readPayload('chatwoot/message_created.json').subarray(0, 300);
    expect((await rejectionOf(() => detectAndParse(truncated, context()))).message).toBe(
      'Invalid payload: not valid JSON at line 14, column 13: unexpected end of input (truncated?)',
    );
  });
});
