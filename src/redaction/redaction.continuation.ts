import type { RunMatch } from './redaction.classify.ts';
import { type ContextHit, type ContextScope, contextHits } from './redaction.context.ts';
import { C_CARD, C_CVV, C_NEG, C_PIN, C_WALL } from './redaction.lexicon-data.ts';
import type { MarkToken } from './redaction.marks.ts';
import type { WorkFinding } from './redaction.output.ts';
import { type DigitRun, groupDigits } from './redaction.runs.ts';
import { onlyGlue } from './redaction.segment.ts';
import { isCardNumber } from './redaction.validators.ts';

/**
 * Continuations: the rest of a card (or security code) whose first part is already redacted.
 * A platform that delivers a conversation one message at a time makes Vigil re-read the stored,
 * redacted messages with each new one; "my card is 4111 1111" was stored as "my card is
 * [CARD_NUMBER]", and the "1111 1111" of the next delivery must be read as the rest of it.
 * The same rule applies inside one reading, so redacting twice never finds anything new.
 */

/** A card or code being read when the rest of it arrives; `complete`: a whole card was seen. */
export interface Mark {
  kind: 'card' | 'cvv';
  complete: boolean;
}

export type ContinuationState = Mark['kind'] | null;

/** What continuation rules need to know about a piece of a reading. */
export interface PieceView {
  seg: { findings: readonly WorkFinding[] };
  run: DigitRun;
  hits: readonly ContextHit[];
}

/** The most digits a continuation can hold: the rest of a card is never longer than a card. */
const MAX_CARD_DIGITS = 19;
/** A security code has at most 4 digits and its start was already heard. */
const MAX_CVV_REST_DIGITS = 3;
const CONTINUATION_CONFIDENCE = 0.8;

/** An order or amount word within three words: the number is announced as something else. */
export function hasNearNegative(hits: readonly ContextHit[]): boolean {
  for (const h of hits) if ((h.ctx & C_NEG) !== 0 && h.distance <= 3) return true;
  return false;
}

/** What the context around an untyped mark says it hid. */
interface MarkContext {
  /** Nearest card or code word that fits the mask's length; null when unsure. */
  kind: Mark['kind'] | null;
  /** Another category is named (the first pass may have read the number as that). */
  other: boolean;
  /** A card or code word is near but does not fit, or an earlier redaction is in reach. */
  unsure: boolean;
}

/** A code is 3-4 digits and a card fragment 6-19; `hidden` null: the length is unknown. */
function fits(kind: Mark['kind'], hidden: number | null): boolean {
  if (kind === 'cvv') return hidden !== null && hidden <= 4;
  return hidden === null || hidden >= 6;
}

function markContext(hits: readonly ContextHit[], hidden: number | null): MarkContext {
  const out: MarkContext = { kind: null, other: false, unsure: false };
  for (const h of hits) {
    const walled = (h.ctx & C_WALL) !== 0;
    const cats = h.ctx & ~(C_NEG | C_WALL);
    if (walled) out.unsure = true;
    if (cats === 0) continue;
    if ((cats & ~(C_CVV | C_CARD)) !== 0) out.other = true;
    else {
      const kind = (cats & C_CVV) !== 0 ? 'cvv' : 'card';
      if (!fits(kind, hidden)) out.unsure = true;
      else out.kind ??= kind;
    }
  }
  // Next to an earlier redaction the words may have described that one ("card [REDACTED]
  // [REDACTED]": a card, then its expiry): only a reading already open goes on.
  if (out.unsure) out.kind = null;
  return out;
}

/**
 * The card or code that ends this segment already redacted, if any. Typed placeholders say
 * what they hid; `[REDACTED]` and masks are read by their context, then by a card's shape
 * (`**** ****`), else they continue the reading the speaker had open (`inherited`).
 */
export function readMark(scope: ContextScope, m: MarkToken, inherited: Mark | null): Mark | null {
  const t = scope.tokens;
  if (m.typed === 'other') return null;
  const leads = onlyGlue(t, 0, m.first - 1, 6);
  const hits = contextHits(scope, m.first, m.last, leads);
  if (hasNearNegative(hits)) return null;
  if (m.typed) return { kind: m.typed, complete: false };
  const ctx = markContext(hits, m.hidden);
  if (ctx.other) return null;
  if (ctx.kind) return { kind: ctx.kind, complete: ctx.kind === 'card' && m.shape === 'complete' };
  // A card's shape counts only where nothing else was said; the open reading goes on only
  // through a mark that opens its segment, as a piece of it would.
  if (!ctx.unsure && m.shape) return { kind: 'card', complete: m.shape === 'complete' };
  return inherited && leads ? { kind: inherited.kind, complete: false } : null;
}

function continuation(state: Mark['kind'], digits: string, g0: number, g1: number): RunMatch | null {
  if (state === 'cvv') {
    if (digits.length > MAX_CVV_REST_DIGITS) return null;
    return {
      type: 'CARD_CVV',
      g0,
      g1,
      confidence: CONTINUATION_CONFIDENCE,
      detector: 'cvv-continuation',
      value: digits,
    };
  }
  if (digits.length > MAX_CARD_DIGITS) return null;
  // `value` is the fragment, not a PAN: the vault tokenizes only Luhn-valid 12-19 digit values.
  return {
    type: 'CARD_NUMBER',
    g0,
    g1,
    confidence: CONTINUATION_CONFIDENCE,
    detector: 'card-continuation',
    value: digits,
  };
}

function claimable(p: PieceView): boolean {
  return !p.run.masked && !hasNearNegative(p.hits);
}

/**
 * The pieces after a mark, read as its continuation (one match over all their groups), or null
 * when they are something else: a whole card read again, an announced order number, digits
 * that follow a complete card (its expiry and code), or too many digits to be the rest.
 */
export function markContinuation(
  mark: Mark,
  pieces: readonly PieceView[],
  classify: () => RunMatch[],
): RunMatch | null {
  if (mark.complete || !pieces.every(claimable)) return null;
  let digits = '';
  let groups = 0;
  for (const p of pieces) {
    digits += p.run.digits;
    groups += p.run.groups.length;
  }
  const cont = continuation(mark.kind, digits, 0, groups - 1);
  if (!cont || mark.kind === 'cvv') return cont;
  return classify().some((m) => m.type === 'CARD_NUMBER' && isCardNumber(m.value)) ? null : cont;
}

/**
 * Type of the finding covering each group of a run (null where none): one sweep over the
 * findings that meet the run, so a run of many groups costs no more than it has groups.
 */
function groupCover(findings: readonly WorkFinding[], run: DigitRun): (string | null)[] {
  const groups = run.groups;
  const first = groups[0]!;
  const last = groups[groups.length - 1]!;
  const from = first.tokens.start[first.first]!;
  const to = last.tokens.end[last.last]!;
  const meeting = findings.filter((f) => f.start < to && f.end > from).sort((a, b) => a.start - b.start);
  const cover: (string | null)[] = new Array(groups.length).fill(null);
  let k = 0;
  for (let g = 0; g < groups.length; g++) {
    const grp = groups[g]!;
    const s = grp.tokens.start[grp.first]!;
    while (k < meeting.length && meeting[k]!.end <= s) k++;
    // Findings may still overlap here (overlaps are resolved later): any that starts at or
    // before the group may cover it.
    for (let j = k; j < meeting.length && meeting[j]!.start <= s; j++) {
      if (s < meeting[j]!.end) {
        cover[g] = meeting[j]!.type;
        break;
      }
    }
  }
  return cover;
}

/**
 * Digits of a reading that nothing claimed and that come after a card or a code in it: the
 * rest of that card or code. Within the first piece of a reading that did not start from a
 * mark they are left alone (one utterance, judged as written).
 */
export function claimLeftovers(
  pieces: readonly PieceView[],
  initial: ContinuationState,
  fromMark: boolean,
): { piece: number; match: RunMatch }[] {
  const claims: { piece: number; match: RunMatch }[] = [];
  if (pieces.length === 1 && !fromMark) return claims;
  let state = initial;
  for (let pi = 0; pi < pieces.length; pi++) {
    const p = pieces[pi]!;
    const canClaim = (fromMark || pi > 0) && claimable(p);
    const cover = groupCover(p.seg.findings, p.run);
    const n = cover.length;
    let g = 0;
    while (g < n) {
      const type = cover[g];
      if (type !== null) {
        if (type === 'CARD_NUMBER') state = 'card';
        else if (type === 'CARD_CVV') state = 'cvv';
        g++;
        continue;
      }
      let h = g;
      while (h + 1 < n && cover[h + 1] === null) h++;
      const match = canClaim && state ? continuation(state, groupDigits(p.run, g, h), g, h) : null;
      if (match) claims.push({ piece: pi, match });
      g = h + 1;
    }
  }
  return claims;
}

/** Where a reading stopped: on a card (whole or not) or a code, read from its last group. */
export function stateAfter(p: PieceView): Mark | null {
  const last = p.run.groups.length - 1;
  const grp = p.run.groups[last]!;
  const s = grp.tokens.start[grp.first]!;
  for (const f of p.seg.findings) {
    if (f.start > s || s >= f.end) continue;
    if (f.type === 'CARD_NUMBER') return { kind: 'card', complete: isCardNumber(f.value ?? '') };
    return f.type === 'CARD_CVV' ? { kind: 'cvv', complete: false } : null;
  }
  return null;
}

/**
 * One or two digits given where a security code was asked ("the three digits on the back?" —
 * "one two"): the first digits of the code, redacted now because the rest may only come with
 * a later delivery. Only words that name the code alone count ("CVV", "back", "security code").
 */
export function partialCvv(pieces: readonly PieceView[]): RunMatch | null {
  let digits = '';
  let groups = 0;
  for (const p of pieces) {
    if (p.run.masked || p.run.amount) return null;
    digits += p.run.digits;
    groups += p.run.groups.length;
  }
  if (digits.length === 0 || digits.length > 2) return null;
  for (const h of pieces[0]!.hits) {
    if ((h.ctx & C_WALL) !== 0 || ((h.ctx & C_NEG) !== 0 && h.distance <= 3)) return null;
    if ((h.ctx & C_CVV) !== 0 && (h.ctx & C_PIN) === 0) {
      return {
        type: 'CARD_CVV',
        g0: 0,
        g1: groups - 1,
        confidence: 0.75,
        detector: 'context:partial',
        value: digits,
      };
    }
  }
  return null;
}
