import { classifyRun, type RunMatch } from './redaction.classify.ts';
import {
  type ContextHit,
  type ContextScope,
  contextHits,
  type HistoryEntry,
  tokensOf,
} from './redaction.context.ts';
import {
  claimLeftovers,
  hasNearNegative,
  type Mark,
  markContinuation,
  partialCvv,
  readMark,
  stateAfter,
} from './redaction.continuation.ts';
import { type MarkToken, trailingMark } from './redaction.marks.ts';
import type { WorkFinding } from './redaction.output.ts';
import type { CompiledRedactionPolicy } from './redaction.policy.ts';
import { P_ANALYZE, P_ASKS, P_LONG } from './redaction.prescan.ts';
import type { DigitGroup, DigitRun } from './redaction.runs.ts';
import { isAcknowledgement, isGlueWord, runLeads, runTrails, segmentAsks } from './redaction.segment.ts';
import { K_WORD, type Tokens } from './redaction.tokens.ts';
import type { Segment } from './redaction.types.ts';

/** One segment while the conversation is read. */
export interface SegState extends HistoryEntry {
  index: number;
  segment: Segment;
  findings: WorkFinding[];
  /** Runs nothing matched: checked against card numbers heard in the call (read-backs). */
  unmatched: DigitRun[];
  /** Pieces of this segment still waiting in an open chain. */
  pending: number;
  /** Token after which a card number ended, for "card, then expiry, then code". */
  lastCardEnd: number;
  /** Pre-scan result bits (redaction.prescan.ts): they spare skipped segments tokenization. */
  scan: number;
}

/** A digit run that may be one piece of a number read in chunks. */
export interface Piece {
  seg: SegState;
  run: DigitRun;
  hits: ContextHit[];
  afterCard: boolean;
}

/**
 * A number being read in chunks by one speaker, possibly over several segments. `mark`: the
 * reading began with something already redacted (a card or code from an earlier delivery).
 */
interface Chain {
  pieces: Piece[];
  gap: number;
  mark: Mark | null;
}

/** Pieces in one chain at most: a reading this long is resolved and a new one begins. */
const MAX_PIECES = 8;
/** Bounds on per-conversation memory: a multi-gigabyte plain-text stream is one "conversation". */
const MAX_KNOWN_CARDS = 32;

/** Numbers read in chunks across segments, per speaker; findings go to each piece's segment. */
export class ChainReader {
  private readonly chains = new Map<string, Chain>();
  /** Card numbers heard in this conversation, for read-backs. */
  readonly knownCards: string[] = [];

  constructor(private readonly policy: CompiledRedactionPolicy) {}

  /** The speaker is in the middle of reading a number. */
  isReading(speaker: string): boolean {
    return this.chains.has(speaker);
  }

  /** Resolves every open reading (the conversation ended). */
  resolveAll(): void {
    for (const key of [...this.chains.keys()]) this.resolveChain(key);
  }

  /** Takes a segment's digit runs (none when the pre-scan skipped it): pieces, or findings now. */
  handleRuns(seg: SegState, scope: ContextScope | null, speaker: string, runs: readonly DigitRun[]): void {
    // A segment the pre-scan skipped matters only to readings already open.
    if (this.chains.size === 0 && !scope) return;
    if (this.chains.size > 0) this.ageOtherChains(speaker, seg);
    // A segment that ends with something already redacted ends with it, not with its digits.
    const mark = scope ? trailingMark(scope.tokens, isGlueWord) : null;
    const lastRun = runs.length > 0 ? runs[runs.length - 1]!.groups.at(-1)!.last : -1;
    const endsInMark = mark !== null && lastRun <= mark.last;
    const own = this.chains.get(speaker);
    if (runs.length === 0 || !scope) {
      if (own && (seg.scan & P_LONG) === 0 && isAcknowledgement(tokensOf(seg))) own.gap++;
      else if (own) this.resolveChain(speaker);
    } else {
      for (let i = 0; i < runs.length; i++) {
        const trails = i === runs.length - 1 && !endsInMark && runTrails(runs[i]!);
        this.takeRun(seg, scope, speaker, runs[i]!, i === 0, trails);
      }
    }
    if (scope && mark && endsInMark) this.openMark(scope, speaker, mark, own);
  }

  /** One run: the next piece of the speaker's reading, the first piece of a new one, or alone. */
  private takeRun(
    seg: SegState,
    scope: ContextScope,
    speaker: string,
    run: DigitRun,
    first: boolean,
    trails: boolean,
  ): void {
    const chain = this.chains.get(speaker);
    if (chain && first && runLeads(run)) {
      chain.pieces.push(this.makePiece(seg, scope, run));
      seg.pending++;
      chain.gap = 0;
      if (!trails) this.resolveChain(speaker);
      else if (chain.pieces.length >= MAX_PIECES) this.resolveAndContinue(speaker, chain);
      return;
    }
    if (chain) this.resolveChain(speaker);
    const p = this.makePiece(seg, scope, run);
    // An announced order or ticket number is complete: it never starts a chain.
    if (trails && !hasNearNegative(p.hits)) {
      this.chains.set(speaker, { pieces: [p], gap: 0, mark: null });
      seg.pending++;
    } else this.applyMatches([p], classifyRun(run, p.hits, p.afterCard));
  }

  /** A card or code already redacted ends the segment: what the speaker says next may continue it. */
  private openMark(scope: ContextScope, speaker: string, token: MarkToken, own: Chain | undefined): void {
    this.resolveChain(speaker);
    // The reading this segment ends: a mark's, or where its last piece stopped.
    const last = own?.pieces[own.pieces.length - 1];
    const mark = readMark(scope, token, last ? stateAfter(last) : (own?.mark ?? null));
    if (!mark) return;
    this.chains.set(speaker, { pieces: [], gap: 0, mark });
  }

  /**
   * A reading of MAX_PIECES pieces is resolved; when it ended on a card or code, the next
   * pieces are read as its continuation, as they would be once this one is stored redacted.
   */
  private resolveAndContinue(speaker: string, chain: Chain): void {
    this.resolveChain(speaker);
    const mark = stateAfter(chain.pieces[chain.pieces.length - 1]!);
    if (mark) this.chains.set(speaker, { pieces: [], gap: 0, mark });
  }

  private makePiece(seg: SegState, scope: ContextScope, run: DigitRun): Piece {
    const first = run.groups[0]!.first;
    const last = run.groups[run.groups.length - 1]!.last;
    return {
      seg,
      run,
      hits: contextHits(scope, first, last, runLeads(run)),
      afterCard: this.followsCard(seg, run),
    };
  }

  private followsCard(seg: SegState, run: DigitRun): boolean {
    if (seg.lastCardEnd < 0) return false;
    const t = tokensOf(seg);
    let words = 0;
    for (let i = seg.lastCardEnd + 1; i < run.groups[0]!.first; i++) {
      if (t.kind[i] === K_WORD && ++words > 3) return false;
    }
    return true;
  }

  /**
   * Another speaker talked. Too many such segments, or a new question ("and the last four of
   * your social?") close the chain: what follows is a new answer, not more of the same number.
   */
  private ageOtherChains(speaker: string, seg: SegState): void {
    let asked = -1;
    for (const [key, chain] of this.chains) {
      if (key === speaker) continue;
      chain.gap++;
      // A skipped segment that names no kind of number asks nothing: no need to tokenize it.
      if (asked < 0) asked = (seg.scan & (P_ANALYZE | P_ASKS)) !== 0 && segmentAsks(tokensOf(seg)) ? 1 : 0;
      if (chain.gap > this.policy.maxChainGapSegments || asked !== 0) this.resolveChain(key);
    }
  }

  private resolveChain(key: string): void {
    const chain = this.chains.get(key);
    if (!chain) return;
    this.chains.delete(key);
    const pieces = chain.pieces;
    if (pieces.length === 0) return;
    for (const p of pieces) p.seg.pending--;
    const mark = chain.mark;
    if (mark) {
      const cont = markContinuation(mark, pieces, () => this.classifyPieces(pieces, false));
      if (cont) {
        this.applyMatches(pieces, [cont]);
        return;
      }
    }
    // After a whole card the pieces are what follows it (expiry, code); otherwise a new reading.
    const found = mark?.complete
      ? this.applyCombined(pieces, this.classifyPieces(pieces, true))
      : this.readPieces(pieces);
    if (!mark) this.readPartialCodes(pieces, found);
    // Read-backs now rather than when the segment is released: a piece after one continues it.
    for (const p of pieces) if (isUncovered(p)) this.matchReadBack(p.seg, p.run);
    const claims = claimLeftovers(pieces, mark ? mark.kind : null, mark !== null);
    for (const c of claims) this.applyMatches([pieces[c.piece]!], [c.match]);
  }

  /** A code's first digits, the rest still to come: the whole reading, or pieces left alone. */
  private readPartialCodes(pieces: Piece[], found: number): void {
    const whole = found === 0 ? partialCvv(pieces) : null;
    if (whole) this.applyMatches(pieces, [whole]);
    else if (pieces.length > 1) {
      for (const p of pieces) {
        const partial = isUncovered(p) ? partialCvv([p]) : null;
        if (partial) this.applyMatches([p], [partial]);
      }
    }
  }

  /** Read-backs: runs nothing matched that lie inside a card number heard in this call. */
  matchReadBacks(seg: SegState): void {
    if (this.knownCards.length === 0 || seg.unmatched.length === 0) return;
    // Backwards: a matched run is taken out of the list.
    for (let i = seg.unmatched.length - 1; i >= 0; i--) this.matchReadBack(seg, seg.unmatched[i]!);
  }

  private matchReadBack(seg: SegState, run: DigitRun): void {
    const at = seg.unmatched.indexOf(run);
    if (at < 0 || run.masked || run.digits.length < 4) return;
    const pan = this.knownCards.find((c) => readBackOf(run.digits, c));
    if (!pan) return;
    // Taken once: a run is matched when its reading resolves or when its segment is released.
    seg.unmatched.splice(at, 1);
    if (this.policy.keepLastFour && run.digits.length === 4 && pan.endsWith(run.digits)) return;
    const g0 = run.groups[0]!;
    const gl = run.groups[run.groups.length - 1]!;
    seg.findings.push({
      type: 'CARD_NUMBER',
      start: g0.tokens.start[g0.first]!,
      end: gl.tokens.end[gl.last]!,
      confidence: 0.85,
      detector: 'card-readback',
      value: pan,
    });
  }

  /** Reads the pieces as one number where a card starts them; returns the matches applied. */
  private readPieces(pieces: Piece[]): number {
    // A card starts at a piece boundary: earlier pieces (a stray number before the reading
    // began) are judged alone, so they cannot shift the card window.
    for (let k = 0; k < pieces.length; k++) {
      const tail = pieces.slice(k);
      const matches = this.classifyPieces(tail, false);
      if (tail.length > 1 && !matches.some((m) => m.type === 'CARD_NUMBER' && m.g0 === 0)) continue;
      let found = 0;
      for (const p of pieces.slice(0, k))
        found += this.applyMatches([p], classifyRun(p.run, p.hits, p.afterCard));
      return found + this.applyCombined(tail, matches);
    }
    return 0;
  }

  private classifyPieces(pieces: Piece[], afterCard: boolean): RunMatch[] {
    const first = pieces[0]!;
    if (pieces.length === 1) return classifyRun(first.run, first.hits, first.afterCard || afterCard);
    const groups = groupsOf(pieces);
    let digits = '';
    for (let g = 0; g < groups.length; g++) digits += groups[g]!.digits;
    const run = first.run;
    const combined: DigitRun = { groups, digits, plus: run.plus, amount: run.amount, masked: run.masked };
    return classifyRun(combined, first.hits, first.afterCard || afterCard, true);
  }

  /** Applies a combined reading; pieces it left untouched are judged on their own. */
  private applyCombined(pieces: Piece[], matches: RunMatch[]): number {
    let found = this.applyMatches(pieces, matches);
    if (pieces.length === 1) return found;
    let g = 0;
    for (const p of pieces) {
      const from = g;
      g += p.run.groups.length;
      if (matches.some((m) => m.g0 < g && m.g1 >= from)) continue;
      if (p !== pieces[0]) found += this.applyMatches([p], classifyRun(p.run, p.hits, p.afterCard));
      else p.seg.unmatched.push(p.run);
    }
    return found;
  }

  /** Turns group-level matches into findings, split per segment when a match spans several. */
  private applyMatches(pieces: Piece[], matches: RunMatch[]): number {
    if (matches.length === 0) {
      if (pieces.length === 1) pieces[0]!.seg.unmatched.push(pieces[0]!.run);
      return 0;
    }
    const groups = pieces.length === 1 ? pieces[0]!.run.groups : groupsOf(pieces);
    for (const m of matches) {
      // One finding per segment the match touches; groups of a segment are contiguous.
      let seg: SegState | null = null;
      let start = 0;
      let end = 0;
      for (let g = m.g0; g <= m.g1; g++) {
        const grp = groups[g]!;
        const owner = ownerOf(pieces, grp.tokens);
        if (owner !== seg) {
          if (seg) addRunFinding(seg, m, start, end, false);
          seg = owner;
          start = grp.tokens.start[grp.first]!;
        }
        end = grp.tokens.end[grp.last]!;
        for (let k = grp.first; k <= grp.last; k++) grp.tokens.used[k] = 1;
      }
      if (seg) addRunFinding(seg, m, start, end, true);
      if (m.type === 'CARD_NUMBER') {
        if (m.value.length >= 12) this.knownCards.push(m.value);
        if (this.knownCards.length > MAX_KNOWN_CARDS) this.knownCards.shift();
        if (seg) seg.lastCardEnd = groups[m.g1]!.last;
      }
    }
    return matches.length;
  }
}

/** No finding covers any digit of the piece. */
/** Group-aligned (how cards are read back) or long enough not to match by chance. */
function readBackOf(digits: string, pan: string): boolean {
  if (digits.length >= 6 ? pan.includes(digits) : pan.endsWith(digits)) return true;
  for (let at = pan.indexOf(digits); at >= 0; at = pan.indexOf(digits, at + 1)) if (at % 4 === 0) return true;
  return false;
}

function isUncovered(p: Piece): boolean {
  const t = p.run.groups[0]!.tokens;
  const s = t.start[p.run.groups[0]!.first]!;
  const e = t.end[p.run.groups.at(-1)!.last]!;
  return !p.seg.findings.some((f) => f.start < e && f.end > s);
}

/** The digit groups of the pieces, in order (a loop: flatMap allocates per piece). */
function groupsOf(pieces: readonly Piece[]): DigitGroup[] {
  const groups: DigitGroup[] = [];
  for (let p = 0; p < pieces.length; p++) {
    const own = pieces[p]!.run.groups;
    for (let g = 0; g < own.length; g++) groups.push(own[g]!);
  }
  return groups;
}

function ownerOf(pieces: Piece[], tokens: Tokens): SegState {
  for (const p of pieces) if (p.seg.tok === tokens) return p.seg;
  return pieces[0]!.seg;
}

function addRunFinding(seg: SegState, m: RunMatch, start: number, end: number, tail: boolean): void {
  const { type, confidence, detector, value } = m;
  seg.findings.push({ type, start, end, confidence, detector, value, tail });
}
