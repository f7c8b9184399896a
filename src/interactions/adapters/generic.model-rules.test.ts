import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/errors.ts';
import { interactionSchema } from '../model/index.ts';
import { context, type Json, mutate, rejectionOf } from './adapters.test-support.ts';
import { parseGeneric } from './generic.adapter.ts';
import { generic } from './generic.test-fixture.ts';

// The generic adapter validates a payload once, with its own schema, and checks only the model's
// remaining rules itself (passesRulesLeftToTheModel). These tests hold it to the model schema: what
// it returns, the model accepts unchanged; what breaks a remaining rule is refused by the model,
// naming the field.

/** A payload shaped like the ingest benchmark's: participants, timed segments, a word list. */
const sample = () => ({
  sourceId: 'case-1',
  channel: 'voice',
  startedAt: '2026-03-02T09:15:00Z',
  endedAt: 1_772_443_000_000,
  participants: [
    { ref: 'a', role: 'agent', name: 'Sam' },
    { ref: 'c', role: 'customer', phone: '+1 416 555 0100', email: 'c@example.com' },
  ],
  segments: [
    { id: 's1', participant: 'a', text: 'How can I help?', startMs: 0, endMs: 1500 },
    {
      id: 's1',
      participant: 'c',
      text: 'My card is 4111 1111',
      startMs: 1500,
      endMs: 4000,
      words: [
        { text: 'card', startMs: 1600, endMs: 1900 },
        { text: '4111', startMs: 2000, endMs: 2500 },
      ],
    },
    { participant: 'c', text: 'thanks', sentAt: '2026-03-02T09:16:00Z' },
  ],
  media: [{ id: 'rec-1', kind: 'recording', durationMs: 4000 }],
  attributes: { crmCaseId: '7731' },
});

/** Parses; returns the interactions, or the refusal's message. Anything but an AppError fails. */
function outcome(payload: unknown) {
  try {
    return { interactions: parseGeneric(payload, context()).interactions };
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { refused: error.message };
  }
}

function expectModelAgrees(payload: unknown) {
  const result = outcome(payload);
  for (const interaction of result.interactions ?? []) {
    const checked = interactionSchema.safeParse(interaction);
    expect(checked.success).toBe(true);
    // Same value, same key order: the stored document and merge comparisons serialise it.
    expect(JSON.stringify(checked.data)).toBe(JSON.stringify(interaction));
  }
  return result;
}

// Values that sit on the model's remaining rules: early and late times, offsets out of order,
// repeated and dangling refs, word offsets past the text.
const edgeValue = fc.oneof(
  fc.constantFrom<Json>(
    '1969-12-31T23:59:59Z',
    '0001-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999Z',
    -1,
    0,
    1,
    8_640_000_000_000_000,
    Number.MAX_SAFE_INTEGER,
    'a',
    'c',
    's1',
    's1#2',
    'rec-1',
    '',
    null,
  ),
  fc.integer({ min: 0, max: 5000 }),
);

describe('generic adapter: validated once, held to the model schema', () => {
  it('returns what the model schema accepts unchanged, for the documented example and a typical call', () => {
    expect(expectModelAgrees(generic.documentedExample()).interactions).toHaveLength(1);
    expect(expectModelAgrees(sample()).interactions).toHaveLength(1);
    expect(
      expectModelAgrees({ interactions: [sample(), { ...sample(), sourceId: 'x' }] }).interactions,
    ).toHaveLength(2);
  });

  it('agrees with the model schema on mutated payloads', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(sample() as unknown as Json, generic.documentedExample() as Json),
        fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
        edgeValue,
        fc.boolean(),
        (base, picks, replacement, remove) => {
          expectModelAgrees(mutate(base, picks, replacement, remove));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('refuses what breaks a rule the generic schema leaves to the model, naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ ...sample(), startedAt: '1969-12-31T23:59:59Z' }, 'startedAtMs: below 0'],
      [{ ...sample(), endedAt: 1_000 }, 'endedAtMs: before startedAtMs'],
      [
        { ...sample(), segments: [{ participant: 'a', text: 'hi', startMs: 10, endMs: 5 }] },
        'segments[0].endMs: endMs before startMs',
      ],
      [
        { ...sample(), segments: [{ participant: 'a', text: 'hi', sentAt: '1900-01-01T00:00:00Z' }] },
        'segments[0].sentAtMs: below 0',
      ],
      [
        {
          ...sample(),
          segments: [{ text: 'hi', words: [{ text: 'hi', start: 0, end: 9, startMs: 0, endMs: 1 }] }],
        },
        'segments[0].words[0].end: outside the segment text',
      ],
      [
        {
          ...sample(),
          segments: [{ text: 'hi', words: [{ text: 'hi', start: 0, end: 2, startMs: 5, endMs: 1 }] }],
        },
        'segments[0].words[0].endMs: endMs before startMs',
      ],
      [
        { ...sample(), participants: [...sample().participants, { ref: 'a', role: 'bot' }] },
        'participants[2].ref: duplicate',
      ],
      [
        {
          ...sample(),
          segments: [
            { id: 'x', text: 'a' },
            { id: 'x', text: 'b' },
            { id: 'x#2', text: 'c' },
          ],
        },
        'segments[2].id: duplicate',
      ],
    ];
    for (const [payload, problem] of cases) {
      expect((await rejectionOf(() => parseGeneric(payload, context()))).message).toBe(
        `Invalid interaction: ${problem}`,
      );
    }
  });
});
