import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/errors.ts';
import { ADAPTER_NAMES, detectAdapter, getAdapter } from './adapter.registry.ts';
import { context, listPayloads, loadPayload, loadTolerant } from './adapters.test-support.ts';

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

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Replaces or deletes the value at a random path of a JSON value (the path is chosen by `picks`). */
function mutate(value: Json, picks: number[], replacement: Json, remove: boolean): Json {
  if (picks.length === 0 || value === null || typeof value !== 'object') return replacement;
  const [pick, ...rest] = picks as [number, ...number[]];
  if (Array.isArray(value)) {
    if (value.length === 0) return replacement;
    const index = pick % value.length;
    const copy = [...value];
    if (remove && rest.length === 0) copy.splice(index, 1);
    else copy[index] = mutate(copy[index]!, rest, replacement, remove);
    return copy;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return replacement;
  const key = keys[pick % keys.length]!;
  const copy = { ...value };
  if (remove && rest.length === 0) delete copy[key];
  else copy[key] = mutate(copy[key]!, rest, replacement, remove);
  return copy;
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
