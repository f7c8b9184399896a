import { describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/errors.ts';
import { mergeInteractions } from './interaction.merge.ts';
import type { Interaction } from './interaction.schema.ts';
import { sampleInteraction } from './interaction.test-fixture.ts';

function revision(base: Interaction, value: number, parts: Partial<Interaction>): Interaction {
  return { ...base, ...parts, source: { ...base.source, revision: value } };
}

describe('merging revisions of one interaction', () => {
  const base = sampleInteraction();

  it('unites segments by id, the higher revision winning, and orders them by time', () => {
    const older = revision(base, 1, { segments: [base.segments[0]!] });
    const edited = { ...base.segments[0]!, text: 'my card is [redacted by customer]' };
    const newer = revision(base, 2, {
      segments: [edited, { id: 'm0', role: 'customer', participantRef: 'c1', text: 'hello', sentAtMs: 500 }],
    });
    for (const merged of [mergeInteractions(older, newer), mergeInteractions(newer, older)]) {
      expect(merged.segments.map((s) => [s.id, s.text])).toEqual([
        ['m0', 'hello'],
        ['m1', 'my card is [redacted by customer]'],
      ]);
      expect(merged.source.revision).toBe(2);
    }
  });

  it('takes scalars from the higher revision unless it is silent, and widens the time span', () => {
    const older = revision(base, 1, {
      status: 'open',
      startedAtMs: 1_000,
      endedAtMs: 2_000,
      direction: 'inbound',
    });
    const { startedAtMs: _s, ...withoutStart } = revision(base, 2, {
      status: 'resolved',
      endedAtMs: 9_000,
      direction: 'unknown',
    });
    const merged = mergeInteractions(withoutStart, older);
    expect(merged).toMatchObject({
      status: 'resolved',
      startedAtMs: 1_000,
      endedAtMs: 9_000,
      direction: 'inbound',
    });
  });

  it('fills participant fields from either revision', () => {
    const older = revision(base, 1, {
      participants: [{ ref: 'c1', role: 'customer', email: 'dana@example.com' }, base.participants[1]!],
    });
    const newer = revision(base, 2, { participants: [{ ref: 'c1', role: 'customer', name: 'Dana' }] });
    const merged = mergeInteractions(older, newer);
    expect(merged.participants[0]).toEqual({
      ref: 'c1',
      role: 'customer',
      email: 'dana@example.com',
      name: 'Dana',
    });
  });

  it('refuses to merge different source interactions', () => {
    const other = { ...base, source: { ...base.source, id: 'conv-2' } };
    try {
      mergeInteractions(base, other);
      expect.unreachable();
    } catch (error) {
      expect(isAppError(error) && error.code).toBe('INTERACTION_MERGE_MISMATCH');
    }
  });

  it('refuses a merge that grows past a limit', () => {
    const text = 'y'.repeat(400_000);
    const half = (from: number) =>
      Array.from({ length: 7 }, (_, i) => ({
        id: `s${from + i}`,
        role: 'agent' as const,
        text,
        sentAtMs: from + i,
      }));
    const a = revision(base, 1, { segments: half(0), participants: [] });
    const b = revision(base, 2, { segments: half(100), participants: [] });
    expect(() => mergeInteractions(a, b)).toThrow(/more than 5000000 characters of text in all/);
  });
});
