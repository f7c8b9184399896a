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
  let allowed: [number, number][] = [];
  if (policy.allow) {
    policy.allow.lastIndex = 0;
    for (let m = policy.allow.exec(text); m; m = policy.allow.exec(text))
      allowed.push([m.index, m.index + m[0].length]);
    if (allowed.length === 0) allowed = [];
  }
  return findings.filter(
    (f) =>
      policy.types.has(f.type) &&
      f.confidence >= policy.minConfidence &&
      !allowed.some(([s, e]) => f.start >= s && f.end <= e),
  );
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

/** Audio time ranges to mute: the words each finding overlaps, adjacent ranges of one type merged. */
export function audioRangesFor(findings: readonly Finding[], words: readonly SegmentWord[]): AudioRange[] {
  const ranges: AudioRange[] = [];
  for (const f of findings) {
    let startMs = Number.POSITIVE_INFINITY;
    let endMs = Number.NEGATIVE_INFINITY;
    for (const w of words) {
      if (w.start < f.end && w.end > f.start) {
        startMs = Math.min(startMs, w.startMs);
        endMs = Math.max(endMs, w.endMs);
      }
    }
    if (startMs > endMs) continue;
    const prev = ranges[ranges.length - 1];
    if (prev && prev.type === f.type && startMs <= prev.endMs) prev.endMs = Math.max(prev.endMs, endMs);
    else ranges.push({ startMs, endMs, type: f.type });
  }
  return ranges;
}
