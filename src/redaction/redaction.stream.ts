import { classifyRun, type RunMatch } from './redaction.classify.ts';
import {
  type ContextHit,
  type ContextScope,
  contextAt,
  contextHits,
  type HistoryEntry,
  tokensOf,
} from './redaction.context.ts';
import { wordSet } from './redaction.lexicon.ts';
import { C_NEG, SPEAKER_ROLES } from './redaction.lexicon-data.ts';
import { findNames, NameMemory, speakerNameWords } from './redaction.names.ts';
import {
  audioRangesFor,
  filterFindings,
  publicFindings,
  renderRedacted,
  resolveOverlaps,
  type WorkFinding,
} from './redaction.output.ts';
import type { CompiledRedactionPolicy } from './redaction.policy.ts';
import { mayHoldEntities } from './redaction.prescan.ts';
import { type DigitRun, findDigitRuns } from './redaction.runs.ts';
import {
  detectStructured,
  detectTenantTerms,
  isAcknowledgement,
  runLeads,
  runTrails,
} from './redaction.segment.ts';
import { K_WORD, type Tokens } from './redaction.tokens.ts';
import type { ConversationStream, Segment, StreamedSegment } from './redaction.types.ts';

const ROLES = wordSet(SPEAKER_ROLES);

function hasNearNegative(hits: readonly ContextHit[]): boolean {
  for (const h of hits) if ((h.ctx & C_NEG) !== 0 && h.distance <= 3) return true;
  return false;
}

/** Every context category a segment mentions. */
function segmentContext(t: Tokens): number {
  let m = 0;
  for (let i = 0; i < t.count; i++) if (t.lex[i]) m |= contextAt(t, i);
  return m;
}

interface SegState extends HistoryEntry {
  index: number;
  segment: Segment;
  findings: WorkFinding[];
  /** Runs nothing matched: checked against card numbers heard in the call (read-backs). */
  unmatched: DigitRun[];
  /** Pieces of this segment still waiting in an open chain. */
  pending: number;
  /** Token after which a card number ended, for "card, then expiry, then code". */
  lastCardEnd: number;
}

interface Piece {
  seg: SegState;
  run: DigitRun;
  hits: ContextHit[];
  afterCard: boolean;
}

/** A number being read in chunks by one speaker, possibly over several segments. */
interface Chain {
  pieces: Piece[];
  gap: number;
}

const HISTORY_SEGMENTS = 2;
const NO_RUNS = Object.freeze([]) as unknown as DigitRun[];
const NO_FINDINGS = Object.freeze([]) as unknown as WorkFinding[];
/** Bounds on per-conversation memory: a multi-gigabyte plain-text stream is one "conversation". */
const MAX_KNOWN_CARDS = 32;

/** Streaming conversation redactor; redactConversation and redactText run through it too. */
export class ConversationRedactor implements ConversationStream {
  private readonly queue: SegState[] = [];
  private readonly chains = new Map<string, Chain>();
  private readonly history: SegState[] = [];
  private readonly knownCards: string[] = [];
  private readonly names = new NameMemory();
  private readonly speakers = new Set<string>();
  private nextIndex = 0;
  private ended = false;

  constructor(private readonly policy: CompiledRedactionPolicy) {}

  push(segment: Segment): StreamedSegment[] {
    if (this.ended) throw new Error('conversation stream already ended');
    if (typeof segment?.text !== 'string') throw new TypeError('segment.text must be a string');
    const seg = this.analyze(segment);
    this.queue.push(seg);
    this.history.unshift(seg);
    if (this.history.length > HISTORY_SEGMENTS) this.history.pop();
    return this.release();
  }

  end(): StreamedSegment[] {
    if (this.ended) return [];
    for (const key of [...this.chains.keys()]) this.resolveChain(key);
    this.ended = true;
    return this.release();
  }

  private analyze(segment: Segment): SegState {
    const text = segment.text;
    const speaker = segment.speaker ?? '';
    if (speaker && !this.speakers.has(speaker)) {
      this.speakers.add(speaker);
      for (const w of speakerNameWords(speaker, ROLES)) this.names.add(w);
    }
    // Most utterances hold nothing to find: a cheap scan spares them tokenization. They share
    // frozen empty lists (nothing may be added to a segment that was not analyzed).
    const analyzed =
      this.policy.hasTenantTerms || mayHoldEntities(text, this.names, this.chains.has(speaker));
    const seg: SegState = {
      index: this.nextIndex++,
      segment,
      text,
      tok: null,
      findings: analyzed ? [] : NO_FINDINGS,
      unmatched: analyzed ? [] : NO_RUNS,
      pending: 0,
      lastCardEnd: -1,
    };
    if (!analyzed) {
      this.handleRuns(seg, null, speaker, NO_RUNS);
      return seg;
    }
    const tokens = tokensOf(seg);
    const scope: ContextScope = { tokens, history: this.history };
    detectStructured(scope, this.policy, seg.findings);
    const runs = findDigitRuns(tokens, this.policy.langMask, this.chains.has(speaker));
    this.handleRuns(seg, scope, speaker, runs);
    const learned: string[] = [];
    findNames(tokens, this.names, seg.findings, learned);
    for (let i = 0; i < learned.length; i++) this.names.add(learned[i]!);
    detectTenantTerms(text, this.policy, seg.findings);
    return seg;
  }

  private handleRuns(
    seg: SegState,
    scope: ContextScope | null,
    speaker: string,
    runs: readonly DigitRun[],
  ): void {
    if (this.chains.size > 0) this.ageOtherChains(speaker, seg);
    const own = this.chains.get(speaker);
    if (runs.length === 0 || !scope) {
      if (own && isAcknowledgement(tokensOf(seg))) own.gap++;
      else if (own) this.resolveChain(speaker);
      return;
    }
    for (let i = 0; i < runs.length; i++) {
      const run = runs[i]!;
      const chain = this.chains.get(speaker);
      const trails = i === runs.length - 1 && runTrails(run);
      if (chain && i === 0 && runLeads(run)) {
        chain.pieces.push(this.makePiece(seg, scope, run));
        seg.pending++;
        chain.gap = 0;
        if (!trails || runs.length > 1 || chain.pieces.length >= 8) this.resolveChain(speaker);
        continue;
      }
      if (chain) this.resolveChain(speaker);
      const p = this.makePiece(seg, scope, run);
      // An announced order or ticket number is complete: it never starts a chain.
      if (trails && !hasNearNegative(p.hits)) {
        this.chains.set(speaker, { pieces: [p], gap: 0 });
        seg.pending++;
      } else this.applyMatches([p], classifyRun(run, p.hits, p.afterCard));
    }
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
    for (let i = seg.lastCardEnd + 1; i < run.groups[0]!.first; i++) if (t.kind[i] === K_WORD) words++;
    return words <= 3;
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
      if (asked < 0) {
        const tokens = tokensOf(seg);
        asked = isAcknowledgement(tokens) ? 0 : segmentContext(tokens) & ~C_NEG;
      }
      if (chain.gap > this.policy.maxChainGapSegments || asked !== 0) this.resolveChain(key);
    }
  }

  private resolveChain(key: string): void {
    const chain = this.chains.get(key);
    if (!chain) return;
    this.chains.delete(key);
    for (const p of chain.pieces) p.seg.pending--;
    const pieces = chain.pieces;
    // A card starts at a piece boundary: earlier pieces (a stray number before the reading
    // began) are judged alone, so they cannot shift the card window.
    for (let k = 0; k < pieces.length; k++) {
      const tail = pieces.slice(k);
      const matches = this.classifyPieces(tail);
      if (tail.length > 1 && !matches.some((m) => m.type === 'CARD_NUMBER' && m.g0 === 0)) continue;
      for (const p of pieces.slice(0, k)) this.applyMatches([p], classifyRun(p.run, p.hits, p.afterCard));
      this.applyCombined(tail, matches);
      return;
    }
  }

  private classifyPieces(pieces: Piece[]): RunMatch[] {
    const first = pieces[0]!;
    if (pieces.length === 1) return classifyRun(first.run, first.hits, first.afterCard);
    const combined: DigitRun = { ...first.run, groups: pieces.flatMap((p) => p.run.groups) };
    combined.digits = combined.groups.map((g) => g.digits).join('');
    return classifyRun(combined, first.hits, first.afterCard, true);
  }

  /** Applies a combined reading; pieces it left untouched are judged on their own. */
  private applyCombined(pieces: Piece[], matches: RunMatch[]): void {
    this.applyMatches(pieces, matches);
    if (pieces.length === 1) return;
    let g = 0;
    for (const p of pieces) {
      const from = g;
      g += p.run.groups.length;
      if (matches.some((m) => m.g0 < g && m.g1 >= from)) continue;
      if (p !== pieces[0]) this.applyMatches([p], classifyRun(p.run, p.hits, p.afterCard));
      else p.seg.unmatched.push(p.run);
    }
  }

  /** Turns group-level matches into findings, split per segment when a match spans several. */
  private applyMatches(pieces: Piece[], matches: RunMatch[]): void {
    if (matches.length === 0) {
      if (pieces.length === 1) pieces[0]!.seg.unmatched.push(pieces[0]!.run);
      return;
    }
    const groups = pieces.length === 1 ? pieces[0]!.run.groups : pieces.flatMap((p) => p.run.groups);
    for (const m of matches) {
      // One finding per segment the match touches; groups of a segment are contiguous.
      let seg: SegState | null = null;
      let start = 0;
      let end = 0;
      for (let g = m.g0; g <= m.g1; g++) {
        const grp = groups[g]!;
        const owner = this.ownerOf(pieces, grp.tokens);
        if (owner !== seg) {
          if (seg) this.addRunFinding(seg, m, start, end, false);
          seg = owner;
          start = grp.tokens.start[grp.first]!;
        }
        end = grp.tokens.end[grp.last]!;
        for (let k = grp.first; k <= grp.last; k++) grp.tokens.used[k] = 1;
      }
      if (seg) this.addRunFinding(seg, m, start, end, true);
      if (m.type === 'CARD_NUMBER') {
        if (m.value.length >= 12) this.knownCards.push(m.value);
        if (this.knownCards.length > MAX_KNOWN_CARDS) this.knownCards.shift();
        if (seg) seg.lastCardEnd = groups[m.g1]!.last;
      }
    }
  }

  private ownerOf(pieces: Piece[], tokens: Tokens): SegState {
    for (const p of pieces) if (p.seg.tok === tokens) return p.seg;
    return pieces[0]!.seg;
  }

  private addRunFinding(seg: SegState, m: RunMatch, start: number, end: number, tail: boolean): void {
    const { type, confidence, detector, value } = m;
    seg.findings.push({ type, start, end, confidence, detector, value, tail });
  }

  private release(): StreamedSegment[] {
    const out: StreamedSegment[] = [];
    while (this.queue.length > 0 && (this.queue[0]!.pending === 0 || this.ended)) {
      out.push(this.finalize(this.queue.shift()!));
    }
    return out;
  }

  /** Read-backs: a 4+ digit run inside a card number heard in this call is that card. */
  private matchReadBacks(seg: SegState): void {
    if (this.knownCards.length === 0) return;
    for (const run of seg.unmatched) {
      if (run.masked || run.digits.length < 4) continue;
      // Group-aligned (how cards are read back) or long enough not to match by chance.
      const aligned = (c: string) => {
        if (run.digits.length >= 6 ? c.includes(run.digits) : c.endsWith(run.digits)) return true;
        for (let at = c.indexOf(run.digits); at >= 0; at = c.indexOf(run.digits, at + 1))
          if (at % 4 === 0) return true;
        return false;
      };
      const pan = this.knownCards.find(aligned);
      if (!pan) continue;
      if (this.policy.keepLastFour && run.digits.length === 4 && pan.endsWith(run.digits)) continue;
      const g0 = run.groups[0]!;
      const gl = run.groups[run.groups.length - 1]!;
      const start = g0.tokens.start[g0.first]!;
      const end = gl.tokens.end[gl.last]!;
      seg.findings.push({
        type: 'CARD_NUMBER',
        start,
        end,
        confidence: 0.85,
        detector: 'card-readback',
        value: pan,
      });
    }
  }

  private finalize(seg: SegState): StreamedSegment {
    this.matchReadBacks(seg);
    const text = seg.text;
    if (seg.findings.length === 0) {
      const clean: StreamedSegment = { index: seg.index, text, findings: [] };
      if (Array.isArray(seg.segment.words)) clean.audioRanges = [];
      return clean;
    }
    const kept = resolveOverlaps(filterFindings(text, seg.findings, this.policy));
    const out: StreamedSegment = {
      index: seg.index,
      text: renderRedacted(text, kept, this.policy),
      findings: publicFindings(kept),
    };
    if (Array.isArray(seg.segment.words)) out.audioRanges = audioRangesFor(out.findings, seg.segment.words);
    return out;
  }
}
