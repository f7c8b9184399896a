import { describe, expect, it } from 'vitest';
import { compileRedactionPolicy, redactConversation } from '../redaction/index.ts';
import { bodyTemplate, renderBody } from './interactions.body.ts';
import {
  buildStoredDocument,
  cardsBySegment,
  type StoredDocument,
  withCardTokens,
} from './interactions.document.ts';
import type { Interaction } from './model/index.ts';

const interaction = (texts: string[]): Interaction => ({
  schemaVersion: 1,
  source: { platform: 'generic', adapter: 'generic', id: 'conv-1', revision: 1, externalIds: {} },
  channel: 'voice',
  direction: 'inbound',
  participants: [
    { ref: 'c', role: 'customer', name: 'Maria Lopez', phone: '+1 416 555 0199' },
    { ref: 'a', role: 'agent', name: 'Sam Agent' },
  ],
  segments: texts.map((text, i) => ({
    role: i % 2 === 0 ? 'customer' : 'agent',
    participantRef: i % 2 === 0 ? 'c' : 'a',
    text,
  })),
  media: [],
  attributes: {},
  categories: [],
  redaction: { platformState: 'none', requestedEntityTypes: [] },
});

describe('buildStoredDocument', () => {
  const policy = compileRedactionPolicy({ keepLastFour: true });

  it('keeps no card digits, re-bases findings on the redacted text and keeps revealable originals apart', () => {
    const source = interaction([
      'my card is 4111 1111 1111 1111 and my email is maria.lopez@example.com',
      'thank you',
    ]);
    const { segments } = redactConversation(
      source.segments.map((s) => ({ speaker: s.participantRef!, text: s.text })),
      policy,
    );
    const built = buildStoredDocument(source, segments, { attributes: {}, now: 1 });
    const stored = built.document.segments[0]!;
    expect(stored.text).not.toMatch(/4111 1111/);
    expect(built.cardNumbers).toEqual(['4111111111111111']);
    for (const f of stored.findings)
      expect(stored.text.slice(f.start, f.end)).toMatch(/^\[[A-Z_]+( \*{4}\d{4})?\]$/);
    const email = stored.findings.find((f) => f.type === 'EMAIL')!;
    expect(built.originals[email.ref!]).toBe('maria.lopez@example.com');
    const card = stored.findings.find((f) => f.type === 'CARD_NUMBER')!;
    expect(card.ref).toBeUndefined();
    expect(JSON.stringify(built.originals)).not.toContain('4111');
    expect(built.findingCounts).toMatchObject({ CARD_NUMBER: 1, EMAIL: 1 });
    const tokened = withCardTokens(
      built.document,
      cardsBySegment(segments),
      new Map([['4111111111111111', 'tok_1111_abc']]),
    );
    const tokenedCard = tokened.segments.flatMap((s) => s.findings).find((f) => f.type === 'CARD_NUMBER')!;
    expect(tokenedCard.token).toBe('tok_1111_abc');
    // The built document stays as it was: a batch stored again after a failed attempt starts clean.
    expect(card.token).toBeUndefined();
  });

  it('catches a card read aloud across turns and never keeps its digits', () => {
    const source = interaction([
      'four one one one, one one one one',
      'okay, go on',
      'one one one one, one one one one',
    ]);
    const { segments } = redactConversation(
      source.segments.map((s) => ({ speaker: s.participantRef!, text: s.text })),
      policy,
    );
    const built = buildStoredDocument(source, segments, { attributes: {}, now: 1 });
    expect(built.cardNumbers).toEqual(['4111111111111111']);
    expect(JSON.stringify(built)).not.toMatch(/\bone one one one\b/);
  });
});

describe('bodyTemplate', () => {
  const policy = compileRedactionPolicy({ keepLastFour: true });

  it('renders the same JSON as the tokened document, and stays as it was', () => {
    const source: Interaction = {
      ...interaction([
        'my card is 4111 1111 1111 1111, the other 5555 5555 5555 4444',
        'thank you, and the email?',
        'maria.lopez@example.com "quoted" \u2028 and 4111111111111111 again',
      ]),
      language: 'en',
      attributes: { crm: 'case "7" \\ x' },
    };
    const { segments } = redactConversation(
      source.segments.map((s) => ({ speaker: s.participantRef!, text: s.text })),
      policy,
    );
    const built = buildStoredDocument(source, segments, { attributes: {}, now: 1 });
    const cards = cardsBySegment(segments);
    const tokens = new Map([
      ['4111111111111111', 'tok_1111_abc'],
      ['5555555555554444', 'tok_4444_def'],
    ]);
    const template = bodyTemplate(built.document, cards);
    expect(template.segments.map((s) => typeof s)).toEqual(['object', 'string', 'object']);
    const before = JSON.stringify(template);
    expect(renderBody(template, cards, tokens)).toBe(
      JSON.stringify(withCardTokens(built.document, cards, tokens)),
    );
    expect(renderBody(template, cards, new Map())).toBe(JSON.stringify(built.document));
    expect(JSON.stringify(template)).toBe(before);
  });

  it('renders documents whose segments come first, last or are empty like JSON.stringify', () => {
    const segment = { role: 'agent', text: 'hi "there"', findings: [], audioRanges: [] };
    const documents = [
      { segments: [segment, segment], vigil: { redactedAt: 1 } },
      { language: 'en', skipped: undefined, segments: [segment] },
      { segments: [] },
      { a: [1, { b: null }], segments: [], c: 'x' },
    ] as unknown as StoredDocument[];
    for (const document of documents) {
      const cards = document.segments.map(() => []);
      expect(renderBody(bodyTemplate(document, cards), cards, new Map())).toBe(JSON.stringify(document));
    }
  });
});
