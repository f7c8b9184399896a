import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createConversationStream, redactConversation } from './redaction.engine.ts';
import { type CompiledRedactionPolicy, compileRedactionPolicy, DEFAULT_POLICY } from './redaction.policy.ts';
import type { Segment } from './redaction.types.ts';

const c = (text: string): Segment => ({ speaker: 'customer', text });
const a = (text: string): Segment => ({ speaker: 'agent', text });

const DIGIT_WORDS = /\b(zero|oh|one|two|three|four|five|six|seven|eight|nine)\b/i;

/**
 * What the ingest path does for chat and webhook platforms: each delivery is stored redacted,
 * and the next one is redacted again together with everything stored so far.
 */
function deliverOneByOne(messages: readonly Segment[], policy: CompiledRedactionPolicy = DEFAULT_POLICY) {
  let stored: Segment[] = [];
  for (const message of messages) {
    const out = redactConversation([...stored, message], policy).segments;
    stored = out.map((s, i) => ({
      speaker: (i < stored.length ? stored[i] : message)!.speaker,
      text: s.text,
    }));
  }
  return stored.map((s) => s.text);
}

const PLACEHOLDER = /\[[A-Z_]+(?: \*{4}\d{4})?\]/g;

/** Whether `part` occurs in `whole` in order (not necessarily next to each other). */
function isSubsequence(part: readonly string[], whole: readonly string[]): boolean {
  let at = 0;
  for (const item of whole) if (at < part.length && item === part[at]) at++;
  return at === part.length;
}

/**
 * A second redaction of `first` (`second`) keeps every placeholder of the first, in order, shows no
 * word the first did not, and adds no placeholder but `[CARD_NUMBER]`.
 */
function expectOnlyMoreCardPieces(first: string, second: string): void {
  if (first === second) return;
  const placeholders = (text: string) => text.match(PLACEHOLDER) ?? [];
  const words = (text: string) => text.replace(PLACEHOLDER, ' ').split(/\s+/).filter(Boolean);
  expect(isSubsequence(placeholders(first), placeholders(second)), `${first} -> ${second}`).toBe(true);
  expect(isSubsequence(words(second), words(first)), `${first} -> ${second}`).toBe(true);
  const added = [...placeholders(second)];
  for (const kept of placeholders(first)) added.splice(added.indexOf(kept), 1);
  expect(new Set(added), `${first} -> ${second}`).toEqual(new Set(['[CARD_NUMBER]']));
}

describe('card continuation after a fragment redacted in an earlier delivery', () => {
  it('redacts the rest of a card whose first digits are already a placeholder', () => {
    const out = redactConversation([c('my card is [CARD_NUMBER]'), a('ok, go on'), c('1111 1111')]).segments;
    expect(out.map((s) => s.text)).toEqual(['my card is [CARD_NUMBER]', 'ok, go on', '[CARD_NUMBER]']);
    expect(out[2]!.findings).toEqual([
      {
        type: 'CARD_NUMBER',
        start: 0,
        end: 9,
        confidence: 0.8,
        detector: 'card-continuation',
        value: '11111111',
      },
    ]);
  });

  it('reads spoken continuations, over several segments, after acknowledgements', () => {
    const out = redactConversation([
      c('my card is [CARD_NUMBER]'),
      a('okay'),
      c('one one one one'),
      a('mm-hmm'),
      c('then one one one one'),
    ]).segments;
    expect(out[2]!.text).toBe('[CARD_NUMBER]');
    expect(out[4]!.text).toBe('then [CARD_NUMBER]');
    expect(out[4]!.findings[0]!.value).toBe('11111111');
  });

  it.each([
    ['type', {}],
    ['type with last four', { keepLastFour: true }],
    ['mask', { placeholder: 'mask' as const }],
    ['mask with last four', { placeholder: 'mask' as const, keepLastFour: true }],
    ['fixed', { placeholder: 'fixed' as const }],
  ])('leaves no card digit at rest when a card arrives message by message (%s)', (_name, options) => {
    const policy = compileRedactionPolicy(options);
    for (const pieces of [
      ['my card is 4111 1111', '1111', '1111'],
      ['my card number is four one one one one one one one', 'one one one one', 'one one one one'],
    ]) {
      const messages = [
        c(pieces[0]!),
        a('ok, go on'),
        c(pieces[1]!),
        a('mm-hmm'),
        c(pieces[2]!),
        a('thank you'),
      ];
      const stored = deliverOneByOne(messages, policy);
      for (const text of stored.filter((_, i) => i % 2 === 0)) {
        expect(text).not.toMatch(/[0-9]/);
        expect(text).not.toMatch(DIGIT_WORDS);
      }
      expect(stored[5]).toBe('thank you');
    }
  });

  it('changes nothing more when run again over its own output', () => {
    const first = redactConversation([c('my card is [CARD_NUMBER]'), a('go on'), c('1111 1111')]).segments;
    const again = redactConversation(
      first.map((s, i) => ({ speaker: i === 1 ? 'agent' : 'customer', text: s.text })),
    );
    expect(again.segments.map((s) => s.text)).toEqual(first.map((s) => s.text));
    expect(again.segments.flatMap((s) => s.findings)).toEqual([]);
  });

  it('streams a continuation like the batch does, holding it only until the reading ends', () => {
    const segments = [c('my card is [CARD_NUMBER]'), a('ok'), c('1111 1111'), a('And the expiry date?')];
    const stream = createConversationStream();
    expect(stream.push(segments[0]!).map((s) => s.index)).toEqual([0]);
    expect(stream.push(segments[1]!).map((s) => s.index)).toEqual([1]);
    expect(stream.push(segments[2]!)).toEqual([]);
    // The agent's question ends the reading: the held piece is released, redacted.
    const released = stream.push(segments[3]!);
    expect(released.map((s) => [s.index, s.text])).toEqual([
      [2, '[CARD_NUMBER]'],
      [3, 'And the expiry date?'],
    ]);
    expect(stream.end()).toEqual([]);
  });

  it('reads what follows a whole masked card as its expiry and code', () => {
    const out = redactConversation([
      c('it is **** **** **** 1111'),
      a('okay'),
      c('12 26'),
      a('mm-hmm'),
      c('123'),
    ]);
    expect(out.segments[0]!.text).toBe('it is **** **** **** 1111');
    expect(out.segments[2]!.findings.map((f) => f.type)).toEqual(['CARD_EXPIRY']);
    expect(out.segments[4]!.findings.map((f) => f.type)).toEqual(['CARD_CVV']);
  });

  it('continues a card-shaped mask and a placeholder whose context says card', () => {
    const masked = redactConversation([c('**** ****'), a('go on'), c('4444 4444')]).segments;
    expect(masked[2]!.findings.map((f) => [f.type, f.detector])).toEqual([
      ['CARD_NUMBER', 'card-continuation'],
    ]);
    const fixed = redactConversation([c('my card is [REDACTED]'), a('go on'), c('one one')]).segments;
    expect(fixed[2]!.text).toBe('[CARD_NUMBER]');
  });
});

describe('what a continuation is not', () => {
  it.each([
    [[c('my card is [CARD_NUMBER]'), a('and what is the order number?'), c('12345678')]],
    [[c('my card is [CARD_NUMBER]'), a('ok'), c('my order number is 12345678')]],
    [[c('my card is [CARD_NUMBER]'), a('ok'), c('12345678, order number')]],
    [[c('my card is [CARD_NUMBER]'), a('ok'), a('sure'), a('great'), a('thanks'), c('12345678')]],
    [[c('my card is [CARD_NUMBER] and that was all'), a('ok'), c('12345678')]],
    [[c('[PERSON_NAME] here, [CARD_NUMBER] was declined'), a('ok'), c('12345678')]],
    [[c('I see XXXX-XXXX-XXXX-4242 on file'), a('ok'), c('12345678')]],
    [[c('my password is ********'), a('ok'), c('12345678')]],
    [[a('my card is [CARD_NUMBER]'), c('12345678')]],
  ])('%j', (segments) => {
    const out = redactConversation(segments).segments;
    expect(out.map((s) => s.text)).toEqual(segments.map((s) => s.text));
  });

  it('reads a new question as a new answer, not more of the card', () => {
    const out = redactConversation([
      c('my card is [CARD_NUMBER]'),
      a('and your zip code?'),
      c('90210'),
    ]).segments;
    expect(out[2]!.findings.map((f) => f.type)).toEqual(['ADDRESS']);
  });

  it('leaves masked text alone and reads a whole card said again as a card', () => {
    const out = redactConversation([c('card [CARD_NUMBER]'), a('ok'), c('4242 4242 4242 4242')]).segments;
    expect(out[2]!.findings.map((f) => [f.detector, f.value])).toEqual([['card-luhn', '4242424242424242']]);
    const masked = redactConversation([c('card **** **** **** 4242'), a('ok')]).segments;
    expect(masked[0]!.text).toBe('card **** **** **** 4242');
  });
});

describe('security code across deliveries', () => {
  it('redacts the first digits of a code given after the question, and the rest later', () => {
    const out = redactConversation([a('And the three digits on the back?'), c('one two')]).segments;
    expect(out[1]!.findings.map((f) => [f.type, f.value])).toEqual([['CARD_CVV', '12']]);
    const later = redactConversation([a('And the three digits on the back?'), c('[CARD_CVV]'), c('three')]);
    expect(later.segments[2]!.findings.map((f) => [f.type, f.detector])).toEqual([
      ['CARD_CVV', 'cvv-continuation'],
    ]);
  });

  it('leaves no digit of the code at rest when it arrives message by message', () => {
    for (const pieces of [
      ['one two', 'three'],
      ['1', '23'],
      ['one', 'two three'],
    ]) {
      const stored = deliverOneByOne([
        c('my card is 4111 1111 1111 1111'),
        a('And the three digits on the back?'),
        c(pieces[0]!),
        c(pieces[1]!),
      ]);
      for (const text of stored.slice(2)) {
        expect(text).not.toMatch(/[0-9]/);
        expect(text).not.toMatch(DIGIT_WORDS);
      }
    }
  });

  it('keeps a code continuation to the digits a code can still have', () => {
    const out = redactConversation([a('the code on the back?'), c('[CARD_CVV]'), c('1234 5678')]).segments;
    expect(out[2]!.findings.some((f) => f.detector === 'cvv-continuation')).toBe(false);
  });
});

describe('continuation properties', () => {
  const words = fc.constantFrom(
    ...'four one oh 4111 1111 12 26 123 ok go on and then card cvv back the digits my is order number ? ,'.split(
      ' ',
    ),
    '[CARD_NUMBER]',
    '[CARD_CVV]',
    '[CARD_NUMBER ****1111]',
    '****',
    'XXXX',
  );
  const conversation = fc.array(
    fc.record({
      speaker: fc.constantFrom('agent', 'customer'),
      text: fc.array(words, { minLength: 1, maxLength: 10 }).map((w) => w.join(' ')),
    }),
    { minLength: 1, maxLength: 8 },
  );

  it.each([
    ['type', DEFAULT_POLICY],
    ['last four', compileRedactionPolicy({ keepLastFour: true })],
  ])('redacting twice reveals nothing and adds at most card pieces (%s)', (_name, policy) => {
    fc.assert(
      fc.property(conversation, (segs) => {
        const once = redactConversation(segs, policy).segments;
        const again = redactConversation(
          once.map((s, i) => ({ speaker: segs[i]!.speaker, text: s.text })),
          policy,
        ).segments;
        for (const [i, first] of once.entries()) expectOnlyMoreCardPieces(first.text, again[i]!.text);
      }),
      { numRuns: 400 },
    );
  });

  it('redacts a second time only a lone digit word that follows a card placeholder', () => {
    // Found by the property above (fast-check seed -1276984255). The first pass knows the
    // customer's reading back "4111 then" completed a 13-digit card, so the "four" after it is not
    // its rest; the second pass sees only "[CARD_NUMBER] then", which does not say whether it hid
    // a whole card, and takes "four" as the rest (docs/redaction.md: a placeholder is read as an
    // open card). Redacting more, never less: nothing the first pass hid comes back.
    const segs = [
      a('four four'),
      a('four'),
      a('4111'),
      c('4111 then'),
      c('four'),
      a('4111 4111 four'),
      a('card four'),
    ];
    const once = redactConversation(segs).segments.map((s) => s.text);
    expect(once).toEqual([
      'four four',
      '[CARD_NUMBER]',
      '[CARD_NUMBER]',
      '[CARD_NUMBER] then',
      'four',
      '[CARD_NUMBER] [CARD_NUMBER]',
      'card four',
    ]);
    const again = redactConversation(once.map((text, i) => ({ speaker: segs[i]!.speaker, text }))).segments;
    expect(again.map((s) => s.text)).toEqual([...once.slice(0, 4), '[CARD_NUMBER]', ...once.slice(5)]);
  });
});
