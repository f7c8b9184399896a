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
import { ANALYZE, prescan, SKIP_ASKS } from './redaction.prescan.ts';
import { type DigitRun, findDigitRuns } from './redaction.runs.ts';
import { detectStructured, detectTenantTerms } from './redaction.segment.ts';
import type { ConversationStream, Segment, StreamedSegment } from './redaction.types.ts';

const ROLES = wordSet(SPEAKER_ROLES);

const HISTORY_SEGMENTS = 2;
const NO_RUNS = Object.freeze([]) as unknown as DigitRun[];
const NO_FINDINGS = Object.freeze([]) as unknown as WorkFinding[];

/** Streaming conversation redactor; redactConversation and redactText run through it too. */
export class ConversationRedactor implements ConversationStream {
  private readonly queue: SegState[] = [];
  private readonly history: SegState[] = [];
  private readonly chains: ChainReader;
  private readonly names = new NameMemory();
  private readonly speakers = new Set<string>();
  /** Speaker of the previous segment when it named a kind of number, else null. */
  private asker: string | null = null;
  private nextIndex = 0;
  private ended = false;

  constructor(private readonly policy: CompiledRedactionPolicy) {
    this.chains = new ChainReader(policy);
  }

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
    this.chains.resolveAll();
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
    const reading = this.chains.isReading(speaker);
    // After a question a single number word may be the start of the answer ("one", the rest in
    // the next message): such a segment is read even when it holds nothing else.
    const answering = this.asker !== null && this.asker !== speaker;
    // Most utterances hold nothing to find: a cheap scan spares them tokenization. They share
    // frozen empty lists (nothing may be added to a segment that was not analyzed).
    const scan = this.policy.hasTenantTerms ? ANALYZE : prescan(text, this.names, reading || answering);
    const analyzed = scan === ANALYZE;
    this.asker = scan === SKIP_ASKS ? speaker : null;
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

  private release(): StreamedSegment[] {
    const out: StreamedSegment[] = [];
    while (this.queue.length > 0 && (this.queue[0]!.pending === 0 || this.ended)) {
      out.push(this.finalize(this.queue.shift()!));
    }
    return out;
  }

  private finalize(seg: SegState): StreamedSegment {
    this.chains.matchReadBacks(seg);
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
