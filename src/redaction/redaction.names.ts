import {
  F_AT,
  F_CONTEXT,
  F_DOT,
  F_FILLER,
  F_NAME_TRIGGER,
  F_NUM,
  F_ORDINAL,
  F_PHRASE,
  F_QUANT_AFTER,
  F_QUANT_BEFORE,
  F_TITLE,
  hashBucket,
  hashSpan,
  hashWord,
  NAME_GATE,
  SpanTable,
  TokenWordSet,
  wordSet,
} from './redaction.lexicon.ts';
import { GREETINGS } from './redaction.lexicon-data.ts';
import { COMMON_WORD_NAMES, GIVEN_NAMES, SURNAMES } from './redaction.names-data.ts';
import { CAP_ALL, CAP_INITIAL, K_PUNCT, K_WORD, lowerAt, type Tokens } from './redaction.tokens.ts';
import type { Finding } from './redaction.types.ts';

const N_GIVEN = 1;
const N_SURNAME = 2;
const N_COMMON = 4;

const NAMES = new Map<string, number>();

/** Words of the given-name and surname lists (not the common-word list alone). */
const LISTED: string[] = [];
/** Hash gate of the given names only: a surname alone is never read as a name. */
export const GIVEN_GATE = new Uint8Array(65536);

function addNames(list: string, flag: number): void {
  for (const w of list.split(/\s+/)) {
    if (!w) continue;
    for (const part of w.split('-')) {
      if (!NAMES.has(part)) {
        NAME_GATE[hashBucket(hashWord(part))] = 1;
        LISTED.push(part);
      }
      NAMES.set(part, (NAMES.get(part) ?? 0) | flag);
      if (flag === N_GIVEN) GIVEN_GATE[hashBucket(hashWord(part))] = 1;
    }
  }
}
addNames(GIVEN_NAMES, N_GIVEN);
addNames(SURNAMES, N_SURNAME);
for (const w of COMMON_WORD_NAMES.split(/\s+/)) if (w) NAMES.set(w, (NAMES.get(w) ?? 0) | N_COMMON);
/** Flags of each listed name, found by span and hash so the pre-scan can check a word without slicing it. */
const NAME_TABLE = new SpanTable<number>(LISTED.map((w) => [w, NAMES.get(w) ?? 0] as const));

const STOP_WORDS =
  "and or but so the a an i im me my mine you your he she it its we they them is are was were be been am do does did have has had can could will would should might must shall to of in on at by for with from about as into like than then there here this that these those what which who whom whose when where why how not no yes yeah yep ok okay please thanks thank sorry hi hello hey calling speaking call called just also again still really very well um uh er ah oh actually basically right sure good fine great fine today now calling trying looking wondering need want got going gonna help account card number phone email address et ou mais je tu il elle nous vous ils est suis c'est le la les un une de du des au pour avec y o pero yo tu él ella es soy el los las una del en con para por que sí si oui non no";
const STOP = wordSet(STOP_WORDS);
const STOP_TOKENS = new TokenWordSet(STOP_WORDS);
const GREETING_SET = wordSet(GREETINGS);
/** Size - 1 of a conversation's remembered-name gate. */
export const MEMORY_MASK = 0xfff;
/** A gate with no bit set, copied for each conversation's first name (cheaper than a fill). */
const EMPTY_MEMORY_GATE = Array.from({ length: (MEMORY_MASK + 1) >> 5 }, () => 0);
const NOT_A_NAME =
  F_NUM | F_CONTEXT | F_PHRASE | F_QUANT_BEFORE | F_QUANT_AFTER | F_FILLER | F_ORDINAL | F_AT | F_DOT;
const SPELL_WORDS = wordSet('spelled spelt spell spelling');
const CLOSERS = wordSet('calling speaking from here');

function nameFlags(t: Tokens, i: number): number {
  const b = t.bucket[i]!;
  if (b < 0 || NAME_GATE[b] !== 1) return 0;
  const s = t.start[i]!;
  const e = t.end[i]!;
  return nameFlagsSpan(t.text, s, e, hashSpan(t.text, s, e));
}

function isStop(t: Tokens, i: number): boolean {
  return STOP_TOKENS.hasSpan(t.text, t.start[i]!, t.end[i]!, t.bucket[i]!);
}

function isFreeWord(t: Tokens, i: number): boolean {
  if (i < 0 || i >= t.count || t.kind[i] !== K_WORD || t.used[i] === 1) return false;
  // Number words and words that give numbers their meaning ("order", "zip", "pin") are never
  // taken as names: redacting them would change how the numbers around them read.
  const e = t.lex[i];
  return !(e && (e.flags & NOT_A_NAME) !== 0) && !isStop(t, i);
}

function strongName(t: Tokens, i: number): boolean {
  const f = nameFlags(t, i);
  return f !== 0 && (f & N_COMMON) === 0;
}

function punctAt(t: Tokens, i: number, code: number): boolean {
  return i >= 0 && i < t.count && t.kind[i] === K_PUNCT && t.text.charCodeAt(t.start[i]!) === code;
}

/**
 * Reads up to three name words from token i. `loose` (after "my name is") accepts any word
 * that is not a stop word; otherwise each word needs a capital or a dictionary entry.
 */
function readName(t: Tokens, i: number, loose: boolean): number {
  let last = -1;
  let j = i;
  for (let words = 0; words < 3 && isFreeWord(t, j); words++) {
    const ok = loose || strongName(t, j) || t.cap[j] === CAP_INITIAL || (t.cap[j] === CAP_ALL && words > 0);
    if (!ok) break;
    last = j;
    // Hyphenated and apostrophe names: Jean-Pierre, O'Brien.
    if (
      (punctAt(t, j + 1, 45) || punctAt(t, j + 1, 39)) &&
      t.end[j] === t.start[j + 1] &&
      isFreeWord(t, j + 2)
    ) {
      last = j + 2;
      j += 3;
      continue;
    }
    j++;
    if (!loose && words === 0 && !strongName(t, last) && t.cap[j] !== CAP_INITIAL) break;
  }
  return last;
}

function skipWords(t: Tokens, i: number, words: readonly string[]): number {
  let j = i;
  for (let n = 0; n < 3 && j < t.count; n++) {
    if (t.kind[j] === K_PUNCT && (punctAt(t, j, 58) || punctAt(t, j, 39) || punctAt(t, j, 44))) j++;
    else if (t.kind[j] === K_WORD && words.includes(lowerAt(t, j))) {
      // "s" only as in "name's" / "it's", never a spelled letter S.
      if (lowerAt(t, j) === 's' && !punctAt(t, j - 1, 39)) break;
      j++;
    } else break;
  }
  return j;
}

/** Spelled letters: "S M I T H", "s-m-i-t-h". Returns the last letter token, else -1. */
function readSpelled(t: Tokens, i: number): number {
  let j = i;
  let letters = 0;
  let last = -1;
  while (j < t.count) {
    if (t.kind[j] === K_WORD && t.end[j]! - t.start[j]! === 1) {
      letters++;
      last = j;
      j++;
    } else if (t.kind[j] === K_PUNCT && (punctAt(t, j, 45) || punctAt(t, j, 46) || punctAt(t, j, 44))) j++;
    else break;
  }
  return letters >= 3 ? last : -1;
}

/** Name start and whether it may be lowercase, for the trigger word at token i; else -1. */
function triggerTarget(t: Tokens, i: number): [number, boolean, boolean] {
  const w = lowerAt(t, i);
  const prev = i > 0 ? lowerAt(t, i - 1) : '';
  if ((t.lex[i]!.flags & F_TITLE) !== 0) return [punctAt(t, i + 1, 46) ? i + 2 : i + 1, true, false];
  switch (w) {
    case 'name':
    case 'surname':
    case 'lastname':
    case 'firstname':
    case 'prénom':
    case 'prenom':
    case 'apellido':
    case 'nombre':
    case 'nom':
    case 'holder':
      return [skipWords(t, i + 1, ['is', 's', 'was', 'es', 'est', 'c', "c'est", 'the', 'on']), true, false];
    case 'this':
      return i + 1 < t.count && lowerAt(t, i + 1) === 'is' ? [i + 2, true, true] : [-1, false, false];
    case 'speaking':
      return [skipWords(t, i + 1, ['with', 'to', 'avec', 'con']), false, false];
    case 'appelle':
    case 'llamo':
      return [i + 1, true, false];
    case 'm':
      if (prev === "'" && i > 1 && lowerAt(t, i - 2) === 'i') return [i + 1, true, true];
      return t.cap[i] === CAP_INITIAL && punctAt(t, i + 1, 46) ? [i + 2, false, false] : [-1, false, false];
    default:
      return [-1, false, false];
  }
}

function push(
  out: Finding[],
  learned: string[],
  t: Tokens,
  a: number,
  b: number,
  conf: number,
  detector: string,
) {
  for (let k = a; k <= b; k++) {
    t.used[k] = 1;
    if (t.kind[k] === K_WORD && t.end[k]! - t.start[k]! >= 3) learned.push(lowerAt(t, k));
  }
  out.push({ type: 'PERSON_NAME', start: t.start[a]!, end: t.end[b]!, confidence: conf, detector });
}

function fromTrigger(t: Tokens, i: number, out: Finding[], learned: string[]): number {
  const w = lowerAt(t, i);
  if (SPELL_WORDS.has(w)) {
    const s = skipWords(t, i + 1, ['it', 'is', 's', 'that', 'as']);
    const last = readSpelled(t, s);
    if (last >= 0) push(out, learned, t, s, last, 0.85, 'name-spelled');
    return last;
  }
  let [s, loose, needsEvidence] = triggerTarget(t, i);
  if (s < 0 || s >= t.count) return -1;
  if (s !== i + 1 && ((t.lex[s]?.flags ?? 0) & F_TITLE) !== 0) {
    // "speaking with Mr. Thompson": the title is not part of the name.
    s = punctAt(t, s + 1, 46) ? s + 2 : s + 1;
    loose = true;
    needsEvidence = false;
  }
  if (SPELL_WORDS.has(lowerAt(t, s))) return fromTrigger(t, s, out, learned);
  const last = readName(t, s, loose);
  if (last < 0) return -1;
  if (needsEvidence && !strongName(t, s)) {
    // "this is Zorblax." needs a capital and an end; "this is niamh quinn calling" a closing word.
    const after = last + 1 < t.count ? lowerAt(t, last + 1) : '';
    const closedByWord = CLOSERS.has(after);
    const closedByEnd = after === '' || t.kind[last + 1] === K_PUNCT;
    if (!closedByWord && !(closedByEnd && t.cap[s] === CAP_INITIAL)) return -1;
  }
  push(out, learned, t, s, last, 0.9, 'name-context');
  return last;
}

/** Dictionary evidence: "Sarah Connor", "Mr Smith", "thanks sarah", "john smith". */
function fromDictionary(t: Tokens, i: number, out: Finding[], learned: string[]): number {
  const f = nameFlags(t, i);
  if (f === 0 || (f & N_GIVEN) === 0) return -1;
  const capital = t.cap[i] === CAP_INITIAL;
  const next = i + 1 < t.count && t.kind[i + 1] === K_WORD && t.used[i + 1] !== 1 ? i + 1 : -1;
  const nf = next > 0 ? nameFlags(t, next) : 0;
  const prevWord = i > 0 && t.kind[i - 1] === K_WORD ? lowerAt(t, i - 1) : i > 1 ? lowerAt(t, i - 2) : '';
  const greeted = GREETING_SET.has(prevWord) || prevWord === 'you';
  const surnameNext =
    next > 0 &&
    (((nf & N_SURNAME) !== 0 && (nf & N_COMMON) === 0) ||
      (capital && t.cap[next] === CAP_INITIAL && !isStop(t, next)));
  if ((f & N_COMMON) === 0) {
    if (surnameNext) push(out, learned, t, i, next, capital ? 0.85 : 0.7, 'name-dictionary');
    else if (capital || greeted) push(out, learned, t, i, i, greeted ? 0.75 : 0.6, 'name-dictionary');
    else return -1;
    return surnameNext ? next : i;
  }
  if (capital && next > 0 && t.cap[next] === CAP_INITIAL && (nf & N_SURNAME) !== 0 && (nf & N_COMMON) === 0) {
    push(out, learned, t, i, next, 0.75, 'name-dictionary');
    return next;
  }
  return -1;
}

function nameFlagsSpan(text: string, s: number, e: number, h: number): number {
  return NAME_TABLE.find(text, s, e, h) ?? 0;
}

/**
 * text[s, e) (rolling hash h) as a given name: 2 when it is not an everyday word ("jennifer"),
 * 1 when it is ("will", "may"), 0 when it is no given name.
 */
export function givenNameKind(text: string, s: number, e: number, h: number): number {
  const f = nameFlagsSpan(text, s, e, h);
  if ((f & N_GIVEN) === 0) return 0;
  return (f & N_COMMON) === 0 ? 2 : 1;
}

/**
 * Name words already seen in a conversation, gated by hash bucket so unrelated words skip the
 * lookup. The gate is a 4096-bit map in a plain array of 32-bit words: a conversation is
 * often short, and a typed array per conversation costs more to allocate than it saves.
 */
export class NameMemory {
  readonly words = new Set<string>();
  /** Bit (bucket & MEMORY_MASK) set for each remembered word; null until the first name. */
  gate: number[] | null = null;

  /** True when the word with this hash bucket may be a remembered name. */
  mayHold(bucket: number): boolean {
    return this.gate !== null && bucket >= 0 && gateHas(this.gate, bucket);
  }

  add(word: string): void {
    if (
      word.length < 3 ||
      STOP.has(word) ||
      ((NAMES.get(word) ?? 0) & N_COMMON) !== 0 ||
      this.words.has(word)
    )
      return;
    if (this.words.size >= 1024) this.words.clear();
    if (!this.gate || this.words.size === 0) this.gate = EMPTY_MEMORY_GATE.slice();
    this.words.add(word);
    const b = hashBucket(hashWord(word)) & MEMORY_MASK;
    this.gate[b >> 5] = this.gate[b >> 5]! | (1 << (b & 31));
  }
}

/** Whether a NameMemory gate has the bit of this hash bucket. */
export function gateHas(gate: readonly number[], bucket: number): boolean {
  const b = bucket & MEMORY_MASK;
  return ((gate[b >> 5]! >>> (b & 31)) & 1) === 1;
}

/**
 * Person names from context patterns ("my name is", "this is X calling", titles, spelling),
 * the given-name/surname dictionary, and names already seen in this conversation (`memory`).
 * Newly found name words are appended to `learned`.
 */
export function findNames(t: Tokens, memory: NameMemory, out: Finding[], learned: string[]): void {
  if (!t.nameHint && (t.flags & F_NAME_TRIGGER) === 0 && memory.words.size === 0) return;
  for (let i = 0; i < t.count; i++) {
    if (t.kind[i] !== K_WORD || t.used[i] === 1) continue;
    const e = t.lex[i];
    let last = -1;
    if (e && (e.flags & F_NAME_TRIGGER) !== 0) last = fromTrigger(t, i, out, learned);
    if (last < 0 && t.bucket[i]! >= 0 && NAME_GATE[t.bucket[i]!] === 1)
      last = fromDictionary(t, i, out, learned);
    if (last < 0 && memory.mayHold(t.bucket[i]!) && memory.words.has(lowerAt(t, i))) {
      push(out, learned, t, i, i, 0.8, 'name-memory');
      last = i;
    }
    if (last > i) i = last;
  }
}

/** Name words of a speaker label ("Sarah Lee", not "agent" or "spk_0"). */
export function speakerNameWords(speaker: string, roles: ReadonlySet<string>): string[] {
  const words = speaker
    .toLowerCase()
    .split(/[^\p{L}]+/u)
    .filter((w) => w.length >= 3 && !roles.has(w) && !STOP.has(w));
  return words.filter((w) => (NAMES.get(w) ?? 0) !== 0 || /^\p{Lu}/u.test(speaker));
}
