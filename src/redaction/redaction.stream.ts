import { ChainReader, type SegState } from './redaction.chains.ts';
import { type ContextScope, tokensOf } from './redaction.context.ts';
import { F_CONTEXT, F_PHRASE, wordSet } from './redaction.lexicon.ts';
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
import { P_ANALYZE, P_ASKS, prescan } from './redaction.prescan.ts';
import { type DigitRun, findDigitRuns } from './redaction.runs.ts';
import { detectStructured, detectTenantTerms } from './redaction.segment.ts';
import type { ConversationStream, RedactedSegment, Segment, StreamedSegment } from './redaction.types.ts';

const ROLES = wordSet(SPEAKER_ROLES);

/**
 * Speaker labels known to hold no name ("agent", "customer", "spk_0"): the same few open every
 * conversation of a batch. Only such labels are remembered, so no person's name outlives its
 * conversation in this process-wide set. Bounded; cleared when full.
 */
const NAMELESS_LABELS = new Set<string>();
const MAX_NAMELESS_LABELS = 1024;

function speakerWords(speaker: string): readonly string[] {
  if (NAMELESS_LABELS.has(speaker)) return [];
  const words = speakerNameWords(speaker, ROLES);
  if (words.length === 0) {
    if (NAMELESS_LABELS.size >= MAX_NAMELESS_LABELS) NAMELESS_LABELS.clear();
    NAMELESS_LABELS.add(speaker);
  }
  return words;
}

const NO_RUNS = Object.freeze([]) as unknown as DigitRun[];
const NO_FINDINGS = Object.freeze([]) as unknown as WorkFinding[];

/** Receives each segment once it is final, in order. */
export type EmitSegment = (index: number, out: RedactedSegment) => void;

/**
 * The conversation redactor behind redactConversation, redactText, the streaming API and the
 * CLI: segments go in with write(), and come out through `emit` as soon as they are final.
 */
export class ConversationRedactor {
  /** Segments not yet emitted: only from the first one a reading still holds. */
  private readonly queue: SegState[] = [];
  /** The two previous segments, most recent first (context look-back). */
  private readonly history: SegState[] = [];
  private readonly chains: ChainReader;
  private readonly names = new NameMemory();
  private readonly speakers = new Set<string>();
  /** Speaker of the previous segment when it named a kind of number, else null. */
  private asker: string | null = null;
  private nextIndex = 0;
  private ended = false;

  constructor(
    private readonly policy: CompiledRedactionPolicy,
    private readonly emit: EmitSegment,
  ) {
    this.chains = new ChainReader(policy);
  }

  write(segment: Segment): void {
    if (this.ended) throw new Error('conversation stream already ended');
    if (typeof segment?.text !== 'string') throw new TypeError('segment.text must be a string');
    const seg = this.analyze(segment);
    const h = this.history;
    if (h.length > 0) h[1] = h[0]!;
    h[0] = seg;
    // Nothing held and nothing pending: final at once (most segments).
    if (this.queue.length === 0 && seg.pending === 0) this.emit(seg.index, this.finalize(seg));
    else {
      this.queue.push(seg);
      this.release();
    }
  }

  end(): void {
    if (this.ended) return;
    this.chains.resolveAll();
    this.ended = true;
    this.release();
  }

  private analyze(segment: Segment): SegState {
    const text = segment.text;
    const speaker = segment.speaker ?? '';
    if (speaker && !this.speakers.has(speaker)) {
      this.speakers.add(speaker);
      for (const w of speakerWords(speaker)) this.names.add(w);
    }
    const reading = this.chains.isReading(speaker);
    // After a question a single number word may be the start of the answer ("one", the rest in
    // the next message): such a segment is read even when it holds nothing else.
    const answering = this.asker !== null && this.asker !== speaker;
    // Most utterances hold nothing to find: a cheap scan spares them tokenization. They share
    // frozen empty lists (nothing may be added to a segment that was not analyzed).
    const scan = this.policy.hasTenantTerms ? P_ANALYZE : prescan(text, this.names, reading || answering);
    const analyzed = (scan & P_ANALYZE) !== 0;
    this.asker = !analyzed && (scan & P_ASKS) !== 0 ? speaker : null;
    const seg: SegState = {
      index: this.nextIndex++,
      segment,
      text,
      tok: null,
      findings: analyzed ? [] : NO_FINDINGS,
      unmatched: analyzed ? [] : NO_RUNS,
      pending: 0,
      lastCardEnd: -1,
      scan,
    };
    if (!analyzed) {
      this.chains.handleRuns(seg, null, speaker, NO_RUNS);
      return seg;
    }
    const tokens = tokensOf(seg);
    if ((tokens.flags & (F_CONTEXT | F_PHRASE)) !== 0) this.asker = speaker;
    const scope: ContextScope = { tokens, history: this.history };
    detectStructured(scope, this.policy, seg.findings);
    const runs = findDigitRuns(tokens, this.policy.langMask, reading);
    this.chains.handleRuns(seg, scope, speaker, runs);
    const learned: string[] = [];
    findNames(tokens, this.names, seg.findings, learned);
    for (let i = 0; i < learned.length; i++) this.names.add(learned[i]!);
    detectTenantTerms(text, this.policy, seg.findings);
    return seg;
  }

  private release(): void {
    const q = this.queue;
    while (q.length > 0 && (q[0]!.pending === 0 || this.ended)) {
      const seg = q.shift()!;
      this.emit(seg.index, this.finalize(seg));
    }
  }

  private finalize(seg: SegState): RedactedSegment {
    this.chains.matchReadBacks(seg);
    const text = seg.text;
    const words = seg.segment.words;
    if (seg.findings.length === 0) {
      return Array.isArray(words) ? { text, findings: [], audioRanges: [] } : { text, findings: [] };
    }
    const kept = resolveOverlaps(filterFindings(text, seg.findings, this.policy));
    const findings = publicFindings(kept);
    const out: RedactedSegment = { text: renderRedacted(text, kept, this.policy), findings };
    if (Array.isArray(words)) out.audioRanges = audioRangesFor(findings, words);
    return out;
  }
}

/** The streaming API over ConversationRedactor: push() returns what became final. */
export class ConversationStreamer implements ConversationStream {
  private released: StreamedSegment[] = [];
  private readonly redactor: ConversationRedactor;

  constructor(policy: CompiledRedactionPolicy) {
    this.redactor = new ConversationRedactor(policy, (index, out) => this.released.push({ index, ...out }));
  }

  push(segment: Segment): StreamedSegment[] {
    this.redactor.write(segment);
    return this.take();
  }

  end(): StreamedSegment[] {
    this.redactor.end();
    return this.take();
  }

  private take(): StreamedSegment[] {
    const out = this.released;
    this.released = [];
    return out;
  }
}
