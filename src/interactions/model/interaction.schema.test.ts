import { describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/errors.ts';
import { sampleInteraction } from './interaction.test-fixture.ts';
import { validateInteraction } from './interaction.validate.ts';

function failure(value: unknown): { code: string; message: string } {
  try {
    validateInteraction(value);
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('interaction schema', () => {
  it('accepts a valid interaction and returns it unchanged', () => {
    const interaction = sampleInteraction();
    expect(validateInteraction(interaction)).toEqual(interaction);
  });

  it('refuses unknown fields, bad enums and missing fields with the path', () => {
    expect(failure({ ...sampleInteraction(), secret: 'x' })).toEqual({
      code: 'INTERACTION_INVALID',
      message: 'Invalid interaction: (root): unknown field(s) "secret"',
    });
    expect(failure({ ...sampleInteraction(), channel: 'fax' }).message).toBe(
      'Invalid interaction: channel: must be one of "voice", "chat", "email", "sms"',
    );
    const { source: _source, ...noSource } = sampleInteraction();
    expect(failure(noSource).message).toBe('Invalid interaction: source: required (object)');
  });

  it('refuses inconsistent references, duplicates and ranges', () => {
    const base = sampleInteraction();
    expect(failure({ ...base, segments: [{ ...base.segments[0]!, participantRef: 'ghost' }] }).message).toBe(
      'Invalid interaction: segments[0].participantRef: names no participant',
    );
    expect(failure({ ...base, participants: [base.participants[0]!, base.participants[0]!] }).message).toBe(
      // The agent is gone too, so the agent's segment names no participant: the second problem.
      'Invalid interaction: participants[1].ref: duplicate (and 1 more)',
    );
    expect(failure({ ...base, segments: [base.segments[0]!, base.segments[0]!] }).message).toBe(
      'Invalid interaction: segments[1].id: duplicate',
    );
    expect(failure({ ...base, endedAtMs: 10 }).message).toBe(
      'Invalid interaction: endedAtMs: before startedAtMs',
    );
    const word = { text: 'card', start: 3, end: 99, startMs: 0, endMs: 10 };
    expect(failure({ ...base, segments: [{ ...base.segments[0]!, words: [word] }] }).message).toBe(
      'Invalid interaction: segments[0].words[0].end: outside the segment text',
    );
    const span = { start: 0, end: 5, startMs: 20, endMs: 10, masked: true };
    expect(
      failure({ ...base, segments: [{ ...base.segments[0]!, platformRedactions: [span] }] }).message,
    ).toBe('Invalid interaction: segments[0].platformRedactions[0]: endMs before startMs');
  });

  it('refuses values over a limit as too large, never quoting them', () => {
    const base = sampleInteraction();
    const pan = '4111111111111111';
    const result = failure({
      ...base,
      participants: [{ ...base.participants[0]!, phone: pan.repeat(5) }, base.participants[1]!],
    });
    expect(result).toEqual({
      code: 'INTERACTION_TOO_LARGE',
      message: 'Invalid interaction: participants[0].phone: longer than 64 characters',
    });
    const wrongType = failure({ ...base, subject: Number(pan) });
    expect(wrongType.message).toBe('Invalid interaction: subject: expected string');
    expect(wrongType.message).not.toContain('4111');
    const many = Array.from({ length: 257 }, (_, i) => [`k${i}`, 'v']);
    expect(failure({ ...base, attributes: Object.fromEntries(many) }).message).toBe(
      'Invalid interaction: attributes: more than 256 entries',
    );
  });

  it('counts all text of an interaction against its total limit', () => {
    const text = 'x'.repeat(400_000);
    const segments = Array.from({ length: 13 }, (_, i) => ({ id: `s${i}`, role: 'agent' as const, text }));
    expect(failure({ ...sampleInteraction(), segments })).toEqual({
      code: 'INTERACTION_TOO_LARGE',
      message: 'Invalid interaction: segments: more than 5000000 characters of text in all',
    });
  });
});
