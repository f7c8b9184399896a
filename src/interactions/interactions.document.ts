import type { EntityType, Finding, RedactedSegment } from '../redaction/index.ts';
import { isValidPan } from '../vault/index.ts';
import type { Interaction, Segment } from './model/index.ts';

/** Types whose original value is never kept, encrypted or not (PCI DSS 3.3.1; cards go to the vault). */
export const NEVER_KEPT: ReadonlySet<EntityType> = new Set(['CARD_NUMBER', 'CARD_CVV', 'PIN']);

/** A finding as stored: offsets into the *redacted* text, so a view can highlight the placeholder. */
export interface StoredFinding {
  type: EntityType;
  start: number;
  end: number;
  confidence: number;
  detector: string;
  /** Vault token of a card number. */
  token?: string;
  /** Key of the original value in the encrypted originals map (revealable types only). */
  ref?: string;
}

export interface StoredAudioRange {
  startMs: number;
  endMs: number;
  type: EntityType;
}

export type StoredSegment = Omit<Segment, 'text' | 'words'> & {
  text: string;
  words?: Segment['words'];
  findings: StoredFinding[];
  audioRanges: StoredAudioRange[];
};

/** The redacted interaction as encrypted into `interactions.body`. */
export type StoredDocument = Omit<Interaction, 'segments'> & {
  segments: StoredSegment[];
  vigil: { findingCounts: Record<string, number>; redactedAt: number };
};

export interface BuiltDocument {
  document: StoredDocument;
  /** Original values of revealable redacted spans, keyed by StoredFinding.ref. */
  originals: Record<string, string>;
  findingCounts: Record<string, number>;
  /** Distinct card numbers found (digits), to tokenize before storing. */
  cardNumbers: string[];
}

/** Maps each finding's original offsets to the offsets of its placeholder in the redacted text. */
function placeholderSpans(redacted: string, findings: readonly Finding[]): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  let delta = 0;
  for (const f of findings) {
    const start = f.start + delta;
    // Stored documents always use typed placeholders (`[TYPE]`, `[CARD_NUMBER ****1234]`): no `]` inside.
    const close = redacted.indexOf(']', start);
    const end = redacted[start] === '[' && close !== -1 ? close + 1 : start + (f.end - f.start);
    spans.push({ start, end });
    delta += end - start - (f.end - f.start);
  }
  return spans;
}

function redactWords(words: Segment['words'], findings: readonly Finding[]): Segment['words'] {
  if (!words) return undefined;
  return words.map((w) => {
    const hit = findings.find((f) => f.start < w.end && f.end > w.start);
    return hit ? { ...w, text: `[${hit.type}]` } : w;
  });
}

/**
 * Builds the stored form of an interaction from the engine's output: redacted texts and words,
 * findings re-based on the redacted text, card tokens, and the separate map of revealable originals.
 */
export function buildStoredDocument(
  interaction: Interaction,
  redacted: readonly RedactedSegment[],
  extras: {
    subject?: { text: string; findings: Finding[] };
    attributes: Record<string, { text: string; findings: Finding[] }>;
    now: number;
    /** Stored segments this interaction was merged from, with the originals they reference. */
    previous?: { segments: ReadonlyMap<Segment, StoredSegment>; originals: Record<string, string> };
  },
): BuiltDocument {
  const originals: Record<string, string> = {};
  let nextRef = 0;
  const newRef = () => {
    let ref: string;
    do ref = `r${(nextRef++).toString(36)}`;
    while (extras.previous?.originals[ref] !== undefined);
    return ref;
  };
  const counts: Record<string, number> = {};
  const cards = new Set<string>();
  const note = (f: Finding) => {
    counts[f.type] = (counts[f.type] ?? 0) + 1;
    // A fragment (digits read so far, not yet a whole card) is redacted but not tokenized.
    if (f.type === 'CARD_NUMBER' && f.value && isValidPan(f.value)) cards.add(f.value);
  };
  const segments: StoredSegment[] = interaction.segments.map((segment, i) => {
    const out = redacted[i]!;
    const sorted = [...out.findings].sort((a, b) => a.start - b.start);
    const spans = placeholderSpans(out.text, sorted);
    const fresh = sorted.map((f, j): StoredFinding => {
      note(f);
      const stored: StoredFinding = {
        type: f.type,
        start: spans[j]!.start,
        end: spans[j]!.end,
        confidence: f.confidence,
        detector: f.detector,
      };
      if (!NEVER_KEPT.has(f.type)) {
        stored.ref = newRef();
        originals[stored.ref] = segment.text.slice(f.start, f.end);
      }
      return stored;
    });
    const before = extras.previous?.segments.get(segment);
    const carried = before
      ? carryFindings(before, sorted, spans, extras.previous!.originals, originals, note)
      : [];
    const findings = [...carried, ...fresh].sort((a, b) => a.start - b.start);
    const words = redactWords(segment.words, sorted);
    const audioRanges = [...(before?.audioRanges ?? []), ...(out.audioRanges ?? [])];
    // Object.assign rather than a spread: a spread that adds keys its source lacks (findings,
    // audioRanges) leaves V8's fast path and costs ~1.5 µs a segment, on the ingest hot path.
    return Object.assign({}, segment, { text: out.text }, words ? { words } : {}, { findings, audioRanges });
  });
  for (const f of extras.subject?.findings ?? []) note(f);
  for (const value of Object.values(extras.attributes)) for (const f of value.findings) note(f);
  const attributes = Object.fromEntries(Object.entries(extras.attributes).map(([k, v]) => [k, v.text]));
  const document: StoredDocument = Object.assign(
    {},
    interaction,
    extras.subject ? { subject: extras.subject.text } : {},
    { attributes, segments, vigil: { findingCounts: counts, redactedAt: extras.now } },
  );
  return { document, originals, findingCounts: counts, cardNumbers: [...cards] };
}

/**
 * Findings of a segment stored earlier, moved to where they sit in the newly redacted text (a
 * second pass may add placeholders before them, for example when the rest of a card read in
 * pieces arrived in a later message), with their original values carried over.
 */
function carryFindings(
  before: StoredSegment,
  added: readonly Finding[],
  addedSpans: readonly { start: number; end: number }[],
  previousOriginals: Record<string, string>,
  originals: Record<string, string>,
  note: (f: Finding) => void,
): StoredFinding[] {
  return before.findings.map((f) => {
    let shift = 0;
    added.forEach((a, k) => {
      if (a.end <= f.start) shift += addedSpans[k]!.end - addedSpans[k]!.start - (a.end - a.start);
    });
    note(f);
    if (f.ref && previousOriginals[f.ref] !== undefined) originals[f.ref] = previousOriginals[f.ref]!;
    return { ...f, start: f.start + shift, end: f.end + shift };
  });
}

/** The stored document as an Interaction again (its texts already redacted), for merging a later delivery into it. */
export function storedToInteraction(document: StoredDocument): {
  interaction: Interaction;
  segments: Map<Segment, StoredSegment>;
} {
  const segments = new Map<Segment, StoredSegment>();
  const { vigil: _vigil, ...rest } = document;
  const interaction: Interaction = {
    ...rest,
    segments: document.segments.map((stored) => {
      const { findings: _f, audioRanges: _a, ...segment } = stored;
      segments.set(segment, stored);
      return segment;
    }),
  };
  return { interaction, segments };
}

/**
 * The card numbers redaction found in each segment, in text order (null where a finding kept no
 * value): all the store step needs of the redaction result to attach tokens, so the worker
 * threads of `vigil ingest` send this rather than the whole result.
 */
export function cardsBySegment(redacted: readonly RedactedSegment[]): (string | null)[][] {
  return redacted.map((segment) =>
    segment.findings
      .filter((f) => f.type === 'CARD_NUMBER')
      .sort((a, b) => a.start - b.start)
      .map((f) => f.value ?? null),
  );
}

/**
 * Card-token annotation: every CARD_NUMBER finding carries the vault token of its card. Returns a
 * new document and leaves the given one as it was: a batch whose shared transaction failed is
 * stored again alone, and must not find tokens of the rolled-back attempt already in place.
 */
export function withCardTokens(
  document: StoredDocument,
  cards: readonly (readonly (string | null)[])[],
  tokens: ReadonlyMap<string, string>,
): StoredDocument {
  const segments = document.segments.map((segment, i) => segmentWithCardTokens(segment, cards[i], tokens));
  return { ...document, segments };
}

/** One segment with tokens on its card findings (`values`: its cards, in text order), as a new object. */
export function segmentWithCardTokens(
  segment: StoredSegment,
  values: readonly (string | null)[] | undefined,
  tokens: ReadonlyMap<string, string>,
): StoredSegment {
  if (!values || values.length === 0) return segment;
  // Fresh card findings have no token yet; carried ones keep theirs. Both lists are in text order.
  let j = 0;
  const findings = segment.findings.map((f) => {
    if (f.type !== 'CARD_NUMBER' || f.token) return f;
    const value = values[j++];
    const token = value ? tokens.get(value) : undefined;
    return token ? Object.assign({}, f, { token }) : f;
  });
  return { ...segment, findings };
}
