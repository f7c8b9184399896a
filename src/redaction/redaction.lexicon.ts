import {
  AT_WORDS,
  CONTEXT_WORDS,
  DOT_WORDS,
  EMAIL_SEPARATORS,
  FILLERS,
  MONTHS,
  NAME_TRIGGERS,
  NUMBER_WORDS,
  ORDINALS,
  PHRASE_WORDS,
  QUANT_AFTER,
  QUANT_BEFORE,
  STREET_PREFIXES,
  STREET_SUFFIXES,
  TITLE_WORDS,
  UNIT_WORDS,
} from './redaction.lexicon-data.ts';

export const F_NUM = 1;
export const F_AMBIGUOUS = 2;
export const F_FILLER = 4;
export const F_PHRASE = 8;
export const F_QUANT_BEFORE = 16;
export const F_QUANT_AFTER = 32;
export const F_MONTH = 64;
export const F_ORDINAL = 128;
export const F_STREET_SUFFIX = 256;
export const F_STREET_PREFIX = 512;
export const F_UNIT = 1024;
export const F_AT = 2048;
export const F_DOT = 4096;
export const F_EMAIL_SEP = 8192;
export const F_NAME_TRIGGER = 16384;
export const F_CONTEXT = 32768;
export const F_TITLE = 65536;
export const F_PO_BOX = 131072;

/** Everything the engine knows about one lowercase word. */
export interface LexEntry {
  readonly word: string;
  flags: number;
  ctx: number;
  numValue: number;
  numClass: number;
  numLangs: number;
  month: number;
  ordinal: number;
  emailSep: string;
}

/** Lowercase fold used by both the tokenizer's rolling hash and the table keys (ASCII + Latin-1). */
export function foldCode(c: number): number {
  if (c >= 65 && c <= 90) return c | 32;
  if (c >= 0xc0 && c <= 0xde && c !== 0xd7) return c + 32;
  return c;
}

/** Rolling hash step; the tokenizer runs the same step while it scans, without slicing. */
export function hashStep(h: number, c: number): number {
  return (Math.imul(h, 31) + foldCode(c)) | 0;
}

export function hashBucket(h: number): number {
  return (h ^ (h >>> 15)) & 0xffff;
}

/** The rolling hash of text[s, e), as the tokenizer computed it (no slicing). */
export function hashSpan(text: string, s: number, e: number): number {
  let h = 0;
  for (let i = s; i < e; i++) h = hashStep(h, text.charCodeAt(i));
  return h;
}

/** Full 32-bit hash of a word (the tokenizer computes the same value while scanning). */
export function hashWord(word: string): number {
  let h = 0;
  for (let i = 0; i < word.length; i++) h = hashStep(h, word.charCodeAt(i));
  return h;
}

const entries = new Map<string, LexEntry>();
/** Hash gate of the person-name lists (filled by redaction.names.ts), read by the tokenizer. */
export const NAME_GATE = new Uint8Array(65536);
/** One byte per hash bucket: a word whose bucket is 0 is certainly not in the lexicon. */
export const LEXICON_GATE = new Uint8Array(65536);

function entryFor(word: string): LexEntry {
  let e = entries.get(word);
  if (!e) {
    e = { word, flags: 0, ctx: 0, numValue: 0, numClass: 0, numLangs: 0, month: 0, ordinal: 0, emailSep: '' };
    entries.set(word, e);
    LEXICON_GATE[hashBucket(hashWord(word))] = 1;
  }
  return e;
}

function addWords(words: string, flag: number): void {
  for (const w of words.split(' ')) entryFor(w).flags |= flag;
}

for (const [word, value, cls, langs, ambiguous] of NUMBER_WORDS) {
  const e = entryFor(word);
  e.flags |= F_NUM | (ambiguous ? F_AMBIGUOUS : 0);
  e.numValue = value;
  e.numClass = cls;
  e.numLangs |= langs;
}
for (const [words, ctx] of CONTEXT_WORDS) {
  for (const w of words.split(' ')) {
    const e = entryFor(w);
    e.flags |= F_CONTEXT;
    e.ctx |= ctx;
  }
}
addWords(PHRASE_WORDS, F_PHRASE);
addWords(FILLERS, F_FILLER);
addWords(QUANT_BEFORE, F_QUANT_BEFORE);
addWords(QUANT_AFTER, F_QUANT_AFTER);
addWords(STREET_SUFFIXES, F_STREET_SUFFIX);
addWords(STREET_PREFIXES, F_STREET_PREFIX);
addWords(UNIT_WORDS, F_UNIT);
addWords(AT_WORDS, F_AT);
addWords(DOT_WORDS, F_DOT);
addWords(NAME_TRIGGERS, F_NAME_TRIGGER);
addWords(TITLE_WORDS, F_TITLE);
addWords('box postale apartado', F_PO_BOX);
for (const [word, sep] of EMAIL_SEPARATORS) {
  const e = entryFor(word);
  e.flags |= F_EMAIL_SEP;
  e.emailSep = sep;
}
for (const [word, month] of MONTHS) {
  const e = entryFor(word);
  e.flags |= F_MONTH;
  e.month = month;
}
for (const [word, day] of ORDINALS) {
  const e = entryFor(word);
  e.flags |= F_ORDINAL;
  e.ordinal = day;
}

/** A hash gate (1 per bucket) of the lexicon words that have any of `flags`. */
export function lexiconGate(flags: number): Uint8Array {
  const gate = new Uint8Array(65536);
  for (const e of entries.values()) if ((e.flags & flags) !== 0) gate[hashBucket(hashWord(e.word))] = 1;
  return gate;
}

/** True when text[s, e) folds to `word`. */
export function spanEquals(text: string, s: number, e: number, word: string): boolean {
  if (e - s !== word.length) return false;
  for (let i = 0; i < word.length; i++)
    if (foldCode(text.charCodeAt(s + i)) !== word.charCodeAt(i)) return false;
  return true;
}

/**
 * Lowercase words looked up by a span of text and its rolling hash, without slicing or
 * lowercasing: open addressing on the full hash, in a table about four times the word count.
 * It stays small enough to sit in cache, where a Map costs a hash-table lookup per word and a
 * chain per hash bucket would be a 65,536-slot array.
 */
export class SpanTable<T> {
  private readonly mask: number;
  private readonly hashes: Int32Array;
  private readonly words: (string | null)[];
  private readonly values: (T | null)[];

  constructor(pairs: Iterable<readonly [string, T]>) {
    const list = [...pairs];
    let size = 16;
    while (size < list.length * 4) size *= 2;
    this.mask = size - 1;
    this.hashes = new Int32Array(size);
    this.words = new Array<string | null>(size).fill(null);
    this.values = new Array<T | null>(size).fill(null);
    for (const [word, value] of list) {
      const h = hashWord(word);
      let i = slotOf(h) & this.mask;
      while (this.words[i] !== null && this.words[i] !== word) i = (i + 1) & this.mask;
      this.hashes[i] = h;
      this.words[i] = word;
      this.values[i] = value;
    }
  }

  /** Value of the word text[s, e) folds to, whose rolling hash is h; undefined if absent. */
  find(text: string, s: number, e: number, h: number): T | undefined {
    for (let i = slotOf(h) & this.mask; ; i = (i + 1) & this.mask) {
      const word = this.words[i]!;
      if (word === null) return undefined;
      if (this.hashes[i] === h && spanEquals(text, s, e, word)) return this.values[i]!;
    }
  }
}

/** Start slot of a full hash in a SpanTable (high bits mixed in: the table is small). */
function slotOf(h: number): number {
  return h ^ (h >>> 13);
}

/** Every entry by its word, for lookupSpan (built once the lists above are all read). */
const LEXICON_TABLE = new SpanTable<LexEntry>([...entries.values()].map((e) => [e.word, e] as const));

/** Lexicon entry of text[s, e) whose rolling hash is h, without allocating. */
export function lookupSpan(text: string, s: number, e: number, h: number): LexEntry | undefined {
  return LEXICON_TABLE.find(text, s, e, h);
}

/** Lexicon entry for an already-lowercased word. */
export function lookupWord(lower: string): LexEntry | undefined {
  return entries.get(lower);
}

/** A lazily checked word set (words too frequent to look up for every token). */
export function wordSet(words: string): ReadonlySet<string> {
  return new Set(words.split(' '));
}

/**
 * A word set checked against a token without slicing or lowercasing it: the token's hash bucket
 * gates, then the span is compared (for frequent checks such as glue and stop words).
 */
export class TokenWordSet {
  private readonly gate = new Uint8Array(65536);
  private readonly byBucket = new Map<number, string[]>();

  constructor(words: string) {
    for (const w of words.split(' ')) {
      const b = hashBucket(hashWord(w));
      this.gate[b] = 1;
      const list = this.byBucket.get(b);
      if (list) list.push(w);
      else this.byBucket.set(b, [w]);
    }
  }

  /** text[s, e), whose lowercase hash bucket is `bucket`, is in the set. */
  hasSpan(text: string, s: number, e: number, bucket: number): boolean {
    if (bucket < 0 || this.gate[bucket] !== 1) return false;
    for (const w of this.byBucket.get(bucket)!) if (spanEquals(text, s, e, w)) return true;
    return false;
  }
}
