import {
  INTERACTION_LIMITS as L,
  type Participant,
  type PlatformRedaction,
  type Segment,
} from '../model/index.ts';
import {
  compact,
  finishInteraction,
  isMaskToken,
  locateWords,
  pickSourceId,
  speakerRole,
  type TimedToken,
} from './adapter.support.ts';
import { type AdapterContext, type AdapterResult, interactionsOnly } from './adapter.types.ts';
import { PayloadNode } from './payload-reader.ts';

const WHAT = 'Amazon Transcribe streaming event';
const MAX_RESULTS = 1_000;
const MAX_ITEMS = 20_000;

/**
 * One Amazon Transcribe streaming TranscriptEvent (as the SDK yields it, with or without the
 * `TranscriptResultStream` wrapper). Only final results are kept: partial results are revised by
 * later events and would store text the speaker never finished saying. The event carries no
 * session id, so the caller passes it as `context.sourceId`; merging the events of one session
 * builds the conversation.
 */
export function parseTranscribeStreaming(payload: unknown, context: AdapterContext): AdapterResult {
  const root = PayloadNode.root(payload, WHAT).asObject();
  const stream = root.optObj('TranscriptResultStream') ?? root;
  const event = stream.optObj('TranscriptEvent') ?? (stream.has('Transcript') ? stream : undefined);
  if (event === undefined) return stream.fail('required', 'TranscriptEvent');
  const results = event.obj('Transcript').arr('Results', MAX_RESULTS);
  const segments = results.map((r) => readResult(r, context)).filter((s): s is Segment => s !== undefined);
  if (segments.length === 0) return interactionsOnly([]);
  const refs = [
    ...new Set(segments.map((s) => s.participantRef).filter((r): r is string => r !== undefined)),
  ];
  const participants: Participant[] = refs.map((ref) => ({ ref, role: speakerRole(context, ref) }));
  const spans = segments.flatMap((s) => s.platformRedactions ?? []);
  const language = results
    .map((r) => r.optText('LanguageCode', L.languageChars))
    .find((c) => c !== undefined);
  const interaction = finishInteraction({
    schemaVersion: 1,
    source: {
      platform: 'amazon-transcribe',
      adapter: 'amazon-transcribe-streaming',
      id: pickSourceId(undefined, context, WHAT),
      revision: context.receivedAtMs,
      externalIds: {},
    },
    channel: 'voice',
    direction: 'unknown',
    ...compact({ language }),
    participants,
    segments,
    media: [],
    attributes: {},
    categories: [],
    redaction: {
      platformState: spans.some((s) => s.masked) ? 'masked' : spans.length > 0 ? 'identified' : 'none',
      requestedEntityTypes: [],
    },
  });
  return interactionsOnly([interaction]);
}

function readResult(result: PayloadNode, context: AdapterContext): Segment | undefined {
  result.asObject();
  if (result.optBool('IsPartial') !== false) return undefined;
  const alternative = result.arr('Alternatives', 16)[0];
  if (alternative === undefined) return undefined;
  alternative.asObject();
  const text = alternative.str('Transcript', L.segmentTextChars);
  const items = alternative.optArr('Items', MAX_ITEMS);
  const tokens = items.map(readItem).filter((t): t is TimedToken & { speaker?: string } => t !== undefined);
  const label =
    result.optText('ChannelId', L.idChars) ?? tokens.find((t) => t.speaker !== undefined)?.speaker;
  const startMs = result.optSecondsAsMs('StartTime');
  const endMs = result.optSecondsAsMs('EndTime');
  if (startMs !== undefined && endMs !== undefined && endMs < startMs)
    result.fail('before StartTime', 'EndTime');
  const words = locateWords(text, tokens);
  const spans = readEntities(alternative, text);
  return compact({
    id: result.optText('ResultId', L.idChars),
    role: label === undefined ? ('unknown' as const) : speakerRole(context, label),
    participantRef: label,
    channelLabel: result.optText('ChannelId', L.labelChars),
    text,
    startMs,
    endMs,
    words: words.length > 0 ? words : undefined,
    platformRedactions: spans.length > 0 ? spans : undefined,
  });
}

function readItem(item: PayloadNode): (TimedToken & { speaker?: string }) | undefined {
  item.asObject();
  if (item.optStr('Type', L.labelChars) === 'punctuation') return undefined;
  const startMs = item.optSecondsAsMs('StartTime');
  const endMs = item.optSecondsAsMs('EndTime');
  if (startMs === undefined || endMs === undefined) return undefined;
  if (endMs < startMs) item.fail('before StartTime', 'EndTime');
  const confidence = item.optNum('Confidence');
  const speaker = item.optText('Speaker', L.idChars);
  return compact({
    text: item.str('Content', L.labelChars),
    startMs,
    endMs,
    confidence: confidence === undefined ? undefined : Math.min(1, Math.max(0, confidence)),
    speaker: speaker === undefined ? undefined : `spk_${speaker}`,
  });
}

/** Entities Transcribe identified (PII identification) or masked (`[NAME]`, redaction). */
export function readEntities(alternative: PayloadNode, text: string): PlatformRedaction[] {
  let cursor = 0;
  return alternative.optArr('Entities', 1_000).map((entity) => {
    entity.asObject();
    const content = entity.optStr('Content', L.segmentTextChars) ?? '';
    const start = content === '' ? -1 : text.indexOf(content, cursor);
    if (start >= 0) cursor = start + content.length;
    const startMs = entity.optSecondsAsMs('StartTime') ?? entity.optOffsetMs('BeginOffsetMillis');
    const endMs = entity.optSecondsAsMs('EndTime') ?? entity.optOffsetMs('EndOffsetMillis');
    if (startMs !== undefined && endMs !== undefined && endMs < startMs) entity.fail('ends before it begins');
    const confidence = entity.optNum('Confidence');
    return compact({
      start: start >= 0 ? start : undefined,
      end: start >= 0 ? start + content.length : undefined,
      startMs: endMs === undefined ? undefined : startMs,
      endMs: startMs === undefined ? undefined : endMs,
      entityType: entity.optText('Type', L.labelChars),
      confidence: confidence === undefined ? undefined : Math.min(1, Math.max(0, confidence)),
      masked: isMaskToken(content),
    });
  });
}
