import {
  INTERACTION_LIMITS as L,
  type Participant,
  type PlatformRedaction,
  type Segment,
  type SegmentWord,
} from '../model/index.ts';
import { compact, contentSourceId, finishInteraction, isMaskToken, speakerRole } from './adapter.support.ts';
import { type AdapterContext, type AdapterResult, interactionsOnly } from './adapter.types.ts';
import { adapterError } from './adapters.errors.ts';
import { PayloadNode } from './payload-reader.ts';

const WHAT = 'Amazon Transcribe batch output';
const MAX_ITEMS = 500_000;
const SENTENCE_END = /[.?!]$/;

interface Token {
  label?: string;
  text: string;
  punctuation: boolean;
  startMs?: number;
  endMs?: number;
  confidence?: number;
  redactions: Array<{ entityType?: string; confidence?: number }>;
}

/**
 * Amazon Transcribe batch transcription output. Items are grouped into segments by speaker label
 * (diarization) or channel label (channel identification), or into sentences when unlabeled.
 * Items Transcribe flagged as PII become platform redactions, masked when the job redacted them.
 */
export function parseTranscribeBatch(payload: unknown, context: AdapterContext): AdapterResult {
  const root = PayloadNode.root(payload, WHAT).asObject();
  const results = root.obj('results');
  const tokens = readTokens(results);
  const segments =
    tokens.length > 0 ? buildSegments(tokens, context) : transcriptOnly(results.arr('transcripts', 16));
  const labels = [
    ...new Set(segments.map((s) => s.participantRef).filter((r): r is string => r !== undefined)),
  ];
  const participants: Participant[] = labels.map((ref) => ({ ref, role: speakerRole(context, ref) }));
  const anyMasked = segments.some((s) => s.platformRedactions?.some((r) => r.masked));
  const anySpans = segments.some((s) => (s.platformRedactions?.length ?? 0) > 0);
  const interaction = finishInteraction({
    schemaVersion: 1,
    source: {
      platform: 'amazon-transcribe',
      adapter: 'amazon-transcribe-batch',
      id: root.optText('jobName', L.idChars) ?? context.sourceId ?? contentSourceId(JSON.stringify(payload)),
      revision: context.receivedAtMs,
      externalIds: compact({ accountId: root.optText('accountId', L.labelChars) }) as Record<string, string>,
    },
    channel: 'voice',
    direction: 'unknown',
    ...compact({
      language: results.optText('language_code', L.languageChars),
      status: root.optText('status', L.labelChars),
    }),
    participants,
    segments,
    media: [],
    attributes: {},
    categories: [],
    redaction: {
      platformState:
        root.optBool('isRedacted') === true || anyMasked ? 'masked' : anySpans ? 'identified' : 'none',
      requestedEntityTypes: [],
    },
  });
  return interactionsOnly([interaction]);
}

function readTokens(results: PayloadNode): Token[] {
  const items = results.optArr('items', MAX_ITEMS);
  const byStart = speakerByStartTime(results);
  const hasOwnLabels = items.some((i) => i.asObject().has('speaker_label') || i.has('channel_label'));
  if (!hasOwnLabels && byStart.size === 0 && results.has('channel_labels')) {
    return channelTokens(results.obj('channel_labels'));
  }
  let previousLabel: string | undefined;
  return items.map((item) => {
    const token = readToken(item);
    const label =
      token.label ?? (token.startMs === undefined ? previousLabel : byStart.get(token.startMs)) ?? undefined;
    previousLabel = label;
    return compact({ ...token, label });
  });
}

/** Old diarization outputs label speakers only in `speaker_labels.segments[].items`. */
function speakerByStartTime(results: PayloadNode): Map<number, string> {
  const map = new Map<number, string>();
  const segments = results.optObj('speaker_labels')?.optArr('segments', MAX_ITEMS) ?? [];
  for (const segment of segments) {
    for (const item of segment.asObject().optArr('items', MAX_ITEMS)) {
      const start = item.asObject().optSecondsAsMs('start_time');
      const label = item.optText('speaker_label', L.idChars);
      if (start !== undefined && label !== undefined) map.set(start, label);
    }
  }
  return map;
}

/** Channel identification outputs that list items per channel only: merged in time order. */
function channelTokens(channelLabels: PayloadNode): Token[] {
  const runs: Token[][] = [];
  for (const channel of channelLabels.arr('channels', 64)) {
    const label = channel.asObject().str('channel_label', L.idChars);
    let run: Token[] = [];
    for (const item of channel.arr('items', MAX_ITEMS)) {
      const token = { ...readToken(item), label };
      if (!token.punctuation && run.length > 0) {
        runs.push(run);
        run = [];
      }
      run.push(token);
    }
    if (run.length > 0) runs.push(run);
  }
  return runs.sort((a, b) => (a[0]?.startMs ?? 0) - (b[0]?.startMs ?? 0)).flat();
}

function readToken(item: PayloadNode): Token {
  item.asObject();
  const alternative =
    item.arr('alternatives', 16)[0] ?? item.fail('needs at least one alternative', 'alternatives');
  alternative.asObject();
  const startMs = item.optSecondsAsMs('start_time');
  const endMs = item.optSecondsAsMs('end_time');
  if (startMs !== undefined && endMs !== undefined && endMs < startMs)
    item.fail('before start_time', 'end_time');
  const redactions = alternative.optArr('redactions', 16).map((r) =>
    compact({
      entityType: r.asObject().optText('type', L.labelChars),
      confidence: clampConfidence(r.optNumeric('confidence')),
    }),
  );
  return compact({
    label: item.optText('speaker_label', L.idChars) ?? item.optText('channel_label', L.idChars),
    text: alternative.str('content', L.labelChars),
    punctuation: item.optStr('type', L.labelChars) === 'punctuation',
    startMs,
    endMs,
    confidence: clampConfidence(alternative.optNumeric('confidence')),
    redactions,
  });
}

function clampConfidence(value: number | undefined): number | undefined {
  return value === undefined ? undefined : Math.min(1, Math.max(0, value));
}

interface Draft {
  label?: string;
  text: string;
  words: SegmentWord[];
  spans: PlatformRedaction[];
}

function buildSegments(tokens: Token[], context: AdapterContext): Segment[] {
  const labeled = tokens.some((t) => t.label !== undefined);
  const drafts: Draft[] = [];
  let current: Draft | undefined;
  for (const token of tokens) {
    const switchSpeaker =
      labeled && !token.punctuation && current !== undefined && token.label !== current.label;
    const sentenceDone =
      !labeled && current !== undefined && SENTENCE_END.test(current.text) && !token.punctuation;
    if (current === undefined || switchSpeaker || sentenceDone) {
      current = compact({ label: token.label, text: '', words: [], spans: [] });
      drafts.push(current);
    }
    appendToken(current, token);
  }
  return drafts.map((d) => {
    const timed = d.words;
    return compact({
      role: d.label === undefined ? ('unknown' as const) : speakerRole(context, d.label),
      participantRef: d.label,
      channelLabel: d.label?.startsWith('ch_') ? d.label : undefined,
      text: d.text,
      startMs: timed[0]?.startMs,
      endMs: timed.at(-1)?.endMs,
      words: timed.length > 0 ? timed : undefined,
      platformRedactions: d.spans.length > 0 ? d.spans : undefined,
    });
  });
}

function appendToken(draft: Draft, token: Token): void {
  const separator = draft.text === '' || token.punctuation ? '' : ' ';
  const start = draft.text.length + separator.length;
  draft.text += separator + token.text;
  const end = draft.text.length;
  if (draft.text.length > L.segmentTextChars) {
    throw adapterError(
      'PAYLOAD_TOO_LARGE',
      `Invalid ${WHAT}: results.items: one speaker turn is longer than ${L.segmentTextChars} characters`,
    );
  }
  if (!token.punctuation && token.startMs !== undefined && token.endMs !== undefined) {
    draft.words.push(
      compact({
        text: token.text,
        start,
        end,
        startMs: token.startMs,
        endMs: token.endMs,
        confidence: token.confidence,
      }),
    );
  }
  for (const redaction of token.redactions) {
    draft.spans.push(
      compact({
        start,
        end,
        startMs: token.startMs,
        endMs: token.startMs === undefined ? undefined : token.endMs,
        entityType: redaction.entityType,
        confidence: redaction.confidence,
        masked: isMaskToken(token.text),
      }),
    );
  }
}

/** An output with a transcript but no items (abridged): one untimed segment. */
function transcriptOnly(transcripts: PayloadNode[]): Segment[] {
  const text = transcripts.map((t) => t.asObject().str('transcript', L.segmentTextChars)).join('\n');
  return text === '' ? [] : [{ role: 'unknown', text }];
}
