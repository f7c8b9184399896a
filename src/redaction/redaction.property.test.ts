import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactConversation, redactText } from './redaction.engine.ts';

const words = fc.constantFrom(
  'four',
  'two',
  'oh',
  'double',
  'forty',
  'card',
  'cvv',
  'pin',
  'my',
  'name',
  'is',
  'John',
  'Smith',
  'at',
  'dot',
  'com',
  'street',
  '123',
  '4242',
  '-',
  '.',
  ',',
  '@',
  '$',
  ':',
  '4111',
  '1111',
  'quatre',
  'cuatro',
  'expires',
  '12/26',
  'social',
  'um',
  'this',
  "'",
  'Mr',
  'box',
  'rue',
  'H2X',
  '1Y4',
  'GB82',
  'WEST',
  '[CARD_NUMBER]',
  '****',
  '\n',
);
const mixed = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.array(words, { maxLength: 40 }).map((w) => w.join(' ')),
);

function checkFindings(text: string, findings: { start: number; end: number }[]) {
  let last = 0;
  for (const f of findings) {
    expect(f.start).toBeGreaterThanOrEqual(last);
    expect(f.end).toBeGreaterThan(f.start);
    expect(f.end).toBeLessThanOrEqual(text.length);
    last = f.end;
  }
}

describe('properties', () => {
  it('never throws, keeps offsets inside the text, never overlaps', () => {
    fc.assert(
      fc.property(mixed, (text) => {
        const r = redactText(text);
        checkFindings(text, r.findings);
      }),
      { numRuns: 1500 },
    );
  });

  it('is idempotent: redacting twice changes nothing more', () => {
    fc.assert(
      fc.property(mixed, (text) => {
        const once = redactText(text).text;
        expect(redactText(once).text).toBe(once);
      }),
      { numRuns: 1500 },
    );
  });

  it('holds for conversations too', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ speaker: fc.constantFrom('agent', 'customer'), text: mixed }), { maxLength: 8 }),
        (segs) => {
          const out = redactConversation(segs).segments;
          expect(out).toHaveLength(segs.length);
          for (let i = 0; i < out.length; i++) checkFindings(segs[i]!.text, out[i]!.findings);
          const again = redactConversation(
            out.map((s, i) => ({ speaker: segs[i]!.speaker, text: s.text })),
          ).segments;
          expect(again.map((s) => s.text)).toEqual(out.map((s) => s.text));
        },
      ),
      { numRuns: 500 },
    );
  });
});
