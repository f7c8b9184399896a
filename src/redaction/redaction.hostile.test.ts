import { describe, expect, it } from 'vitest';
import { redactConversation, redactText } from './redaction.engine.ts';
import { isCardNumber } from './redaction.validators.ts';

let seed = 7;
function digits4(): string {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return String(seed % 10000).padStart(4, '0');
}

/** Hostile single lines, by the number of repeated units. */
const HOSTILE: [string, (n: number) => string][] = [
  ['digit groups', (n) => Array.from({ length: n }, digits4).join(' ')],
  ['runs split by "!"', (n) => Array.from({ length: n }, (_, i) => String(i % 10)).join(' ! ')],
  ['runs split by ";"', (n) => Array.from({ length: n }, () => '1234').join(' ; ')],
  ['"card:" before every run', (n) => Array.from({ length: n }, () => 'card: 4111').join(' ')],
  ['placeholders and digits', (n) => Array.from({ length: n }, () => '[CARD_NUMBER] 1111').join(' ')],
  ['spoken digits', (n) => Array.from({ length: n }, (_, i) => ['one', 'two', 'oh'][i % 3]).join(' ')],
  ['masks and digits', (n) => Array.from({ length: n }, () => '**** 1111 ok').join(' ')],
];

// How long these lines take (and that the cost stays linear) is measured by
// bench/redaction-hostile.ts; here they must come out right.
describe('hostile input', () => {
  it.each(HOSTILE)(
    '%s: a long line is redacted, and redacting the result again changes nothing',
    (_name, make) => {
      const line = make(8_000);
      const once = redactText(line);
      expect(once.text.length).toBeGreaterThan(0);
      const twice = redactText(once.text);
      expect(twice.text).toBe(once.text);
    },
  );

  it('redacts a line of 200,000 digit groups, leaving no card readable', () => {
    const line = Array.from({ length: 200_000 }, digits4).join(' ');
    const out = redactText(line);
    expect(out.findings.length).toBeGreaterThan(0);
    const cardLike = /\b\d{4} \d{4} \d{4} \d{4}\b/g;
    for (const match of out.text.matchAll(cardLike)) {
      expect(isCardNumber(match[0].replaceAll(' ', ''))).toBe(false);
    }
  });

  it('still finds every card in a long dump of cards', () => {
    const dump = Array.from({ length: 5_000 }, () => '4111 1111 1111 1111').join(' ');
    const out = redactText(dump);
    expect(out.findings.filter((f) => f.type === 'CARD_NUMBER')).toHaveLength(5_000);
    expect(out.text).not.toMatch(/[0-9]/);
  });

  it('maps many findings onto many word timings without quadratic work', () => {
    const n = 20_000;
    const words = Array.from({ length: n }, (_, i) => ({
      text: i % 2 === 0 ? 'pin' : '4829',
      start: i * 5,
      end: i * 5 + 4,
      startMs: i * 100,
      endMs: i * 100 + 90,
    }));
    const text = words.map((w) => w.text).join(' ');
    const out = redactConversation([{ speaker: 'customer', text, words }]).segments[0]!;
    expect(out.findings.length).toBe(n / 2);
    expect(out.audioRanges).toHaveLength(n / 2);
    expect(out.audioRanges![0]).toEqual({ startMs: 100, endMs: 190, type: 'PIN' });
  });
});
