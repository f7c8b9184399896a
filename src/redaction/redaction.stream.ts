import { classifyRun, type RunMatch } from './redaction.classify.ts';
import { type ContextHit, type ContextScope, contextHits } from './redaction.context.ts';
import { wordSet } from './redaction.lexicon.ts';
import { SPEAKER_ROLES } from './redaction.lexicon-data.ts';
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
import { type DigitRun, findDigitRuns } from './redaction.runs.ts';
import {
  detectStructured,
  detectTenantTerms,
  isAcknowledgement,
  runLeads,
  runTrails,
} from './redaction.segment.ts';
import { K_WORD, type Tokens, tokenize } from './redaction.tokens.ts';
import type { ConversationStream, Segment, StreamedSegment } from './redaction.types.ts';

const ROLES = wordSet(SPEAKER_ROLES);

interface SegState {
  index: number;
  segment: Segment;
  tokens: Tokens;
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
/** Bounds on per-conversation memory: a multi-gigabyte plain-text stream is one "conversation". */
const MAX_KNOWN_CARDS = 32;

/** Streaming conversation redactor; redactConversation and redactText run through it too. */
export class ConversationRedactor implements ConversationStream {
  private readonly queue: SegState[] = [];
  private readonly chains = new Map<string, Chain>();
  private readonly history: Tokens[] = [];
  private readonly knownCards: string[] = [];
  private readonly names = new NameMemory();
  private nextIndex = 0;
  private ended = false;

  constructor(private readonly policy: CompiledRedactionPolicy) {}

  push(segment: Segment): StreamedSegment[] {
    if (this.ended) throw new Error('conversation stream already ended');
    if (typeof segment?.text !== 'string') throw new TypeError('segment.text must be a string');
    const seg = this.analyze(segment);
    this.queue.push(seg);
    this.history.unshift(seg.tokens);
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
    const tokens = tokenize(text);
    const seg: SegState = {
      index: this.nextIndex++,
      segment,
      tokens,
      findings: [],
      unmatched: [],
      pending: 0,
      lastCardEnd: -1,
    };
    const scope: ContextScope = { tokens, history: this.history };
    detectStructured(scope, this.policy, seg.findings);
    const speaker = segment.speaker ?? '';
    this.handleRuns(seg, scope, speaker, findDigitRuns(tokens, this.policy.langMask));
    if (speaker) for (const w of speakerNameWords(speaker, ROLES)) this.names.add(w);
    const learned: string[] = [];
    findNames(tokens, this.names, seg.findings, learned);
    for (const w of learned) this.names.add(w);
    detectTenantTerms(text, this.policy, seg.findings);
    return seg;
  }

  private handleRuns(seg: SegState, scope: ContextScope, speaker: string, runs: DigitRun[]): void {
    this.ageOtherChains(speaker);
    const own = this.chains.get(speaker);
    if (runs.length === 0) {
      if (own && isAcknowledgement(seg.tokens)) own.gap++;
      else if (own) this.resolveChain(speaker);
      return;
    }
    runs.forEach((run, i) => {
      const piece = (): Piece => ({
        seg,
        run,
        hits: contextHits(scope, run.groups[0]!.first, run.groups[run.groups.length - 1]!.last),
        afterCard: this.followsCard(seg, run),
      });
      const chain = this.chains.get(speaker);
      const trails = i === runs.length - 1 && runTrails(run);
      if (chain && i === 0 && runLeads(run)) {
        chain.pieces.push(piece());
        seg.pending++;
        chain.gap = 0;
        if (!trails || runs.length > 1 || chain.pieces.length >= 8) this.resolveChain(speaker);
        return;
      }
      if (chain) this.resolveChain(speaker);
      const p = piece();
      if (trails) {
        this.chains.set(speaker, { pieces: [p], gap: 0 });
        seg.pending++;
      } else this.applyMatches([p], classifyRun(run, p.hits, p.afterCard));
    });
  }

  private followsCard(seg: SegState, run: DigitRun): boolean {
    if (seg.lastCardEnd < 0) return false;
    const t = seg.tokens;
    let words = 0;
    for (let i = seg.lastCardEnd + 1; i < run.groups[0]!.first; i++) if (t.kind[i] === K_WORD) words++;
    return words <= 3;
  }

  private ageOtherChains(speaker: string): void {
    for (const [key, chain] of this.chains) {
      if (key === speaker) continue;
      chain.gap++;
      if (chain.gap > this.policy.maxChainGapSegments) this.resolveChain(key);
    }
  }

  private resolveChain(key: string): void {
    const chain = this.chains.get(key);
    if (!chain) return;
    this.chains.delete(key);
    for (const p of chain.pieces) p.seg.pending--;
    const first = chain.pieces[0]!;
    if (chain.pieces.length === 1) {
      this.applyMatches(chain.pieces, classifyRun(first.run, first.hits, first.afterCard));
      return;
    }
    const combined: DigitRun = { ...first.run, groups: chain.pieces.flatMap((p) => p.run.groups) };
    combined.digits = combined.groups.map((g) => g.digits).join('');
    const matches = classifyRun(combined, first.hits, first.afterCard);
    this.applyMatches(chain.pieces, matches);
    // Pieces the combined reading left untouched are judged on their own.
    let g = 0;
    for (const p of chain.pieces) {
      const from = g;
      g += p.run.groups.length;
      const touched = matches.some((m) => m.g0 < g && m.g1 >= from);
      if (!touched && p !== first) this.applyMatches([p], classifyRun(p.run, p.hits, p.afterCard));
      else if (!touched) p.seg.unmatched.push(p.run);
    }
  }

  /** Turns group-level matches into findings, split per segment when a match spans several. */
  private applyMatches(pieces: Piece[], matches: RunMatch[]): void {
    const groups = pieces.flatMap((p) => p.run.groups);
    const segOf = new Map<Tokens, SegState>(pieces.map((p) => [p.seg.tokens, p.seg]));
    if (matches.length === 0 && pieces.length === 1) pieces[0]!.seg.unmatched.push(pieces[0]!.run);
    for (const m of matches) {
      const spans = new Map<SegState, [number, number]>();
      for (let g = m.g0; g <= m.g1; g++) {
        const grp = groups[g]!;
        const seg = segOf.get(grp.tokens)!;
        const span = spans.get(seg);
        const s = grp.tokens.start[grp.first]!;
        const e = grp.tokens.end[grp.last]!;
        spans.set(seg, span ? [Math.min(span[0], s), Math.max(span[1], e)] : [s, e]);
        for (let k = grp.first; k <= grp.last; k++) grp.tokens.used[k] = 1;
      }
      const tailSeg = segOf.get(groups[m.g1]!.tokens);
      for (const [seg, [start, end]] of spans) {
        const tail = seg === tailSeg;
        seg.findings.push({
          type: m.type,
          start,
          end,
          confidence: m.confidence,
          detector: m.detector,
          value: m.value,
          tail,
        });
      }
      if (m.type === 'CARD_NUMBER') {
        if (m.value.length >= 12) this.knownCards.push(m.value);
        if (this.knownCards.length > MAX_KNOWN_CARDS) this.knownCards.shift();
        if (tailSeg) tailSeg.lastCardEnd = groups[m.g1]!.last;
      }
    }
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
      const pan = this.knownCards.find((c) => c.includes(run.digits));
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
    const text = seg.tokens.text;
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
