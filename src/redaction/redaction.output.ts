import type { CompiledRedactionPolicy } from './redaction.policy.ts';
import type { AudioRange, Finding, SegmentWord } from './redaction.types.ts';

/** Fewer digits than this are a fragment of a card, not a card. */
const MIN_PAN_DIGITS = 12;

/** A finding while the engine works; `tail` marks the piece of a card that holds its last digits. */
export interface WorkFinding extends Finding {
  tail?: boolean;
}

/** Better of two overlapping findings: higher confidence, then the longer span. */
function beats(a: WorkFinding, b: WorkFinding): boolean {
  if (a.confidence !== b.confidence) return a.confidence > b.confidence;
  return a.end - a.start > b.end - b.start;
}

/**
 * Sorts and removes overlaps. The better finding keeps its span; the other keeps only what lies
 * outside it, so no character that any detector flagged is left in the clear.
 */
export function resolveOverlaps(findings: WorkFinding[]): WorkFinding[] {
  if (findings.length < 2) return findings;
  findings.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: WorkFinding[] = [];
  for (const f of findings) {
    let cur: WorkFinding | null = f;
    while (cur) {
      const last = out[out.length - 1];
      if (!last || cur.start >= last.end) {
        out.push(cur);
        break;
      }
      if (beats(cur, last)) {
        out.pop();
        const head = { ...last, end: cur.start };
        const tail: WorkFinding | null = last.end > cur.end ? { ...last, start: cur.end } : null;
        if (head.end > head.start) out.push(head);
        out.push(cur);
        cur = tail;
      } else {
        cur = cur.end > last.end ? { ...cur, start: last.end } : null;
      }
    }
  }
  return out;
}

/** Drops findings of unselected types, below the confidence floor, or inside allow-listed terms. */
export function filterFindings(
  text: string,
  findings: WorkFinding[],
  policy: CompiledRedactionPolicy,
): WorkFinding[] {
  // Allow-listed spans in text order (the regex is global): each finding is looked up by
  // binary search, so many findings and many allowed terms stay linear-logarithmic.
  const starts: number[] = [];
  const ends: number[] = [];
  if (policy.allow) {
    policy.allow.lastIndex = 0;
    for (let m = policy.allow.exec(text); m; m = policy.allow.exec(text)) {
      starts.push(m.index);
      ends.push(m.index + m[0].length);
    }
  }
  return findings.filter(
    (f) =>
      policy.types.has(f.type) && f.confidence >= policy.minConfidence && !insideAllowed(f, starts, ends),
  );
}

function insideAllowed(f: WorkFinding, starts: readonly number[], ends: readonly number[]): boolean {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! <= f.start) lo = mid + 1;
    else hi = mid;
  }
  // The last allowed span starting at or before the finding is the only one that can hold it.
  return lo > 0 && f.end <= ends[lo - 1]!;
}

/** Placeholder for a whole word or value of the given type (used for word timings in CLI output). */
export function placeholderText(type: string, original: string, policy: CompiledRedactionPolicy): string {
  if (policy.placeholder === 'mask') return original.replace(/\S/g, '*');
  return policy.placeholder === 'fixed' ? '[REDACTED]' : `[${type}]`;
}

function placeholderFor(f: WorkFinding, text: string, policy: CompiledRedactionPolicy): string {
  // Only a whole number's last four: a fragment's last digits are the middle of a card.
  const lastFour =
    policy.keepLastFour && f.type === 'CARD_NUMBER' && f.tail && f.value && f.value.length >= MIN_PAN_DIGITS
      ? f.value.slice(-4)
      : '';
  if (policy.placeholder === 'mask') {
    const len = f.end - f.start;
    const mask = text.slice(f.start, f.end).replace(/\S/g, '*');
    return lastFour && len >= 8 ? mask.slice(0, len - 4) + lastFour : mask;
  }
  if (policy.placeholder === 'fixed') return '[REDACTED]';
  return lastFour ? `[${f.type} ****${lastFour}]` : `[${f.type}]`;
}

/** The text with each (sorted, non-overlapping) finding replaced by its placeholder. */
export function renderRedacted(
  text: string,
  findings: readonly WorkFinding[],
  policy: CompiledRedactionPolicy,
): string {
  if (findings.length === 0) return text;
  let out = '';
  let pos = 0;
  for (const f of findings) {
    out += text.slice(pos, f.start) + placeholderFor(f, text, policy);
    pos = f.end;
  }
  return out + text.slice(pos);
}

/** Public findings: exactly the documented fields. */
export function publicFindings(findings: readonly WorkFinding[]): Finding[] {
  return findings.map((f) => {
    const out: Finding = {
      type: f.type,
      start: f.start,
      end: f.end,
      confidence: f.confidence,
      detector: f.detector,
    };
    if (f.value !== undefined) out.value = f.value;
    return out;
  });
}

/** Index of the first finding (sorted, disjoint) that ends after `at`; findings.length if none. */
function firstEndingAfter(findings: readonly Finding[], at: number): number {
  let lo = 0;
  let hi = findings.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (findings[mid]!.end <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first finding a word overlaps (findings sorted and disjoint), else -1. */
export function findingOfWord(findings: readonly Finding[], word: { start: number; end: number }): number {
  const k = firstEndingAfter(findings, word.start);
  return k < findings.length && findings[k]!.start < word.end ? k : -1;
}

/**
 * Sets each finding in [lo, hi] not yet set, via skip pointers: every finding is set once, so
 * words processed best-first fill the extreme value in near-linear time, however words and
 * findings overlap (a hostile word list must not cost words x findings).
 */
function paint(next: Int32Array, lo: number, hi: number, set: (i: number) => void): void {
  let i = root(next, lo);
  while (i <= hi) {
    set(i);
    next[i] = i + 1;
    i = root(next, i + 1);
  }
}

function root(next: Int32Array, i: number): number {
  let r = i;
  while (r < next.length - 1 && next[r] !== r) r = next[r]!;
  // Path compression.
  let j = i;
  while (j !== r) {
    const k = next[j]!;
    next[j] = r;
    j = k;
  }
  return r;
}

/** Audio time ranges to mute: the words each finding overlaps, adjacent ranges of one type merged. */
export function audioRangesFor(findings: readonly Finding[], words: readonly SegmentWord[]): AudioRange[] {
  const ranges: AudioRange[] = [];
  const n = findings.length;
  if (n === 0 || words.length === 0) return ranges;
  // Findings (sorted, disjoint) each word overlaps: a contiguous index range.
  const spans: { lo: number; hi: number; word: SegmentWord }[] = [];
  for (const w of words) {
    const lo = firstEndingAfter(findings, w.start);
    let hi = firstEndingAfter(findings, w.end);
    if (hi >= n || findings[hi]!.start >= w.end) hi--;
    if (lo <= hi) spans.push({ lo, hi, word: w });
  }
  const startMs = new Array<number>(n).fill(Number.POSITIVE_INFINITY);
  const endMs = new Array<number>(n).fill(Number.NEGATIVE_INFINITY);
  const identity = () => Int32Array.from({ length: n + 1 }, (_, i) => i);
  let next = identity();
  for (const sp of [...spans].sort((a, b) => a.word.startMs - b.word.startMs)) {
    paint(next, sp.lo, sp.hi, (i) => {
      startMs[i] = sp.word.startMs;
    });
  }
  next = identity();
  for (const sp of spans.sort((a, b) => b.word.endMs - a.word.endMs)) {
    paint(next, sp.lo, sp.hi, (i) => {
      endMs[i] = sp.word.endMs;
    });
  }
  for (let i = 0; i < n; i++) {
    const f = findings[i]!;
    if (startMs[i]! > endMs[i]!) continue;
    const prev = ranges[ranges.length - 1];
    if (prev && prev.type === f.type && startMs[i]! <= prev.endMs)
      prev.endMs = Math.max(prev.endMs, endMs[i]!);
    else ranges.push({ startMs: startMs[i]!, endMs: endMs[i]!, type: f.type });
  }
  return ranges;
}
