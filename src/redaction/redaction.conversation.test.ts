import { describe, expect, it } from 'vitest';
import { createConversationStream, redactConversation } from './redaction.engine.ts';
import { compileRedactionPolicy } from './redaction.policy.ts';
import type { Segment } from './redaction.types.ts';

const split: Segment[] = [
  { speaker: 'agent', text: 'Can I have the card number please?' },
  { speaker: 'customer', text: 'four one one one' },
  { speaker: 'agent', text: 'okay, go on' },
  { speaker: 'customer', text: 'one one one one' },
  { speaker: 'agent', text: 'mm-hmm' },
  { speaker: 'customer', text: 'then one one one one' },
  { speaker: 'customer', text: 'one one one one' },
  { speaker: 'agent', text: 'And the three digits on the back?' },
  { speaker: 'customer', text: "it's one two three" },
];

describe('conversation mode', () => {
  it('finds a card read in chunks across segments and redacts every piece', () => {
    const out = redactConversation(split).segments;
    for (const i of [1, 3, 5, 6]) {
      expect(out[i]!.findings.map((f) => f.type)).toEqual(['CARD_NUMBER']);
      expect(out[i]!.findings[0]!.value).toBe('4111111111111111');
      expect(out[i]!.text).not.toMatch(/one|four/);
    }
    expect(out[2]!.text).toBe('okay, go on');
    expect(out[8]!.text).toBe("it's [CARD_CVV]");
  });

  it('does not merge an answer to a new question into the previous number', () => {
    const out = redactConversation([
      { speaker: 'customer', text: 'my pin is 4 8 2 9' },
      { speaker: 'agent', text: 'Thanks. Can you verify the last four of your social?' },
      { speaker: 'customer', text: 'sure, 6789' },
    ]).segments;
    expect(out[0]!.findings.map((f) => f.type)).toEqual(['PIN']);
    expect(out[2]!.findings.map((f) => f.type)).toEqual(['US_SSN']);
  });

  it('redacts a read-back of part of a card heard earlier', () => {
    const out = redactConversation([
      { speaker: 'customer', text: 'it is 4111 1111 1111 1111' },
      { speaker: 'agent', text: 'let me repeat, ending 1111 right?' },
    ]).segments;
    expect(out[1]!.findings.map((f) => f.detector)).toEqual(['card-readback']);
  });

  it('maps findings to audio ranges when word timings are given', () => {
    const text = 'my pin is four eight two nine';
    const words = text.split(' ').map((w, i) => {
      const start = text.indexOf(w, i === 0 ? 0 : text.split(' ').slice(0, i).join(' ').length);
      return { text: w, start, end: start + w.length, startMs: i * 400, endMs: i * 400 + 350 };
    });
    const out = redactConversation([{ speaker: 'customer', text, words }]).segments[0]!;
    expect(out.audioRanges).toEqual([{ startMs: 1200, endMs: 2750, type: 'PIN' }]);
  });
});

describe('streaming', () => {
  it('holds back only the segments a split number may still continue, then matches batch output', () => {
    const stream = createConversationStream();
    const released: number[][] = [];
    for (const s of split) released.push(stream.push(s).map((x) => x.index));
    released.push(stream.end().map((x) => x.index));
    // The question is released at once; the card pieces wait for the reading to end.
    expect(released[0]).toEqual([0]);
    expect(released[1]).toEqual([]);
    expect(released.flat()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const batch = redactConversation(split).segments;
    const again = createConversationStream();
    const streamed = [...split.flatMap((s) => again.push(s)), ...again.end()];
    expect(streamed.map(({ index: _i, ...rest }) => rest)).toEqual(batch);
  });

  it('releases ordinary segments immediately and refuses pushes after end', () => {
    const stream = createConversationStream();
    expect(stream.push({ speaker: 'agent', text: 'hello, how can I help?' })).toHaveLength(1);
    expect(stream.end()).toEqual([]);
    expect(() => stream.push({ text: 'more' })).toThrow(/ended/);
  });

  it('keeps the last four digits when the policy asks for it', () => {
    const policy = compileRedactionPolicy({ keepLastFour: true });
    const out = redactConversation(split, policy).segments;
    expect(out[6]!.text).toBe('[CARD_NUMBER ****1111]');
    expect(out[1]!.text).toBe('[CARD_NUMBER]');
  });
});
