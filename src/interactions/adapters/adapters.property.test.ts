import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/errors.ts';
import { ADAPTER_NAMES, detectAdapter, getAdapter } from './adapter.registry.ts';
import {
  context,
  type Json,
  listPayloads,
  loadPayload,
  loadTolerant,
  mutate,
} from './adapters.test-support.ts';

/** Parses and reports how it ended: anything thrown that is not an AppError fails the property. */
async function outcome(name: string, payload: unknown): Promise<'parsed' | 'refused'> {
  try {
    const result = await getAdapter(name).parse(payload, context({ sourceId: 'property-session' }));
    expect(Array.isArray(result.interactions)).toBe(true);
    return 'parsed';
  } catch (error) {
    if (!isAppError(error)) throw error;
    expect(error.message).not.toMatch(/undefined|\[object Object\]/);
    return 'refused';
  }
}

/** Every shared JSON sample (JSONC excerpts as jsonc-parser recovers them). */
const SAMPLES = ['amazon-connect', 'amazon-transcribe', 'chatwoot']
  .flatMap(listPayloads)
  .map((file) => (file.endsWith('.jsonc') ? loadTolerant(file).value : loadPayload(file)));

/** The samples an adapter reads, so mutations reach deep into its code; all samples otherwise. */
function samplesFor(name: string): unknown[] {
  const own = SAMPLES.filter((sample) => detectAdapter(sample) === name);
  return own.length > 0 ? own : SAMPLES;
}

describe('adapters never throw anything but AppError', () => {
  it.each(ADAPTER_NAMES)('%s on arbitrary JSON values', async (name) => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => {
        await outcome(name, value);
      }),
      { numRuns: 150 },
    );
  });

  it.each(ADAPTER_NAMES)('%s on mutated real samples', async (name) => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...samplesFor(name)),
        fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
        fc.jsonValue({ maxDepth: 2 }),
        fc.boolean(),
        async (sample, picks, replacement, remove) => {
          await outcome(name, mutate(sample as Json, picks, replacement as Json, remove));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('email and twilio on arbitrary text, bytes and parameter maps', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.uint8Array({ maxLength: 512 })), async (raw) => {
        await outcome('email', raw);
        await outcome('twilio', raw);
      }),
      { numRuns: 150 },
    );
    const keys = fc.constantFrom(
      'CallSid',
      'EventType',
      'MessageSid',
      'RecordingSid',
      'RecordingStatus',
      'TranscriptionSid',
      'TranscriptionEvent',
      'Final',
      'TranscriptionData',
      'Timestamp',
      'CallDuration',
      'Direction',
      'From',
      'To',
      'Body',
      'ConversationSid',
      'ParticipantSid',
      'Media',
      'NumMedia',
      'MediaUrl0',
      'DateCreated',
      'Author',
      'Source',
    );
    const values = fc.oneof(
      fc.string(),
      fc.constantFrom(
        'onMessageAdded',
        'onParticipantAdded',
        'transcription-content',
        'true',
        '3',
        '[]',
        '{"transcript":1}',
        'inbound',
        'whatsapp:+1555',
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.dictionary(keys, values), async (params) => {
        await outcome('twilio', params);
      }),
      { numRuns: 400 },
    );
  });
});
