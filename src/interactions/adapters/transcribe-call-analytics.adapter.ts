import { type Interaction, INTERACTION_LIMITS as L, type Participant, type Segment } from '../model/index.ts';
import {
  compact,
  contentSourceId,
  findMasks,
  finishInteraction,
  locateWords,
  pickSourceId,
  roleFromWord,
  sentimentFromWord,
  type TimedToken,
} from './adapter.support.ts';
import { type AdapterContext, type AdapterResult, interactionsOnly } from './adapter.types.ts';
import { PayloadNode } from './payload-reader.ts';
import { readEntities } from './transcribe-streaming.adapter.ts';

const BATCH = 'Amazon Transcribe Call Analytics output';
const STREAM = 'Amazon Transcribe Call Analytics streaming event';
const MAX_ITEMS = 20_000;

/**
 * Amazon Transcribe Call Analytics: the batch output file (turns with participant roles) or one
 * streaming result-stream event (UtteranceEvent / CategoryEvent; partial utterances are skipped).
 */
export function parseCallAnalytics(payload: unknown, context: AdapterContext): AdapterResult {
  const root = PayloadNode.root(payload, BATCH).asObject();
  if (
    root.has('CallAnalyticsTranscriptResultStream') ||
    root.has('UtteranceEvent') ||
    root.has('CategoryEvent')
  ) {
    return parseStreamingEvent(payload, context);
  }
  return parseBatch(root, payload, context);
}

function parseBatch(root: PayloadNode, payload: unknown, context: AdapterContext): AdapterResult {
  const turns = root.arr('Transcript', L.segments);
  const segments = turns.map((turn) => readTurn(turn));
  const content = root.optObj('ContentMetadata');
  const interaction = base({
    adapter: 'amazon-transcribe-call-analytics',
    id: root.optText('JobName', L.idChars) ?? context.sourceId ?? contentSourceId(JSON.stringify(payload)),
    revision: context.receivedAtMs,
    accountId: root.optText('AccountId', L.labelChars),
    segments,
    categories:
      root
        .optObj('Categories')
        ?.optArr('MatchedCategories', L.categories)
        .map((c) => c.asStr(L.labelChars)) ?? [],
    masked: content?.optStr('Output', L.labelChars) === 'Redacted',
  });
  return interactionsOnly([
    finishInteraction({
      ...interaction,
      ...compact({
        language: root.optText('LanguageCode', L.languageChars),
        status: root.optText('JobStatus', L.labelChars),
        durationMs: root
          .optObj('ConversationCharacteristics')
          ?.optOffsetMs('TotalConversationDurationMillis'),
      }),
    }),
  ]);
}

function readTurn(turn: PayloadNode, textKey = 'Content'): Segment {
  turn.asObject();
  const text = turn.str(textKey, L.segmentTextChars);
  const startMs = turn.optOffsetMs('BeginOffsetMillis');
  const endMs = turn.optOffsetMs('EndOffsetMillis');
  if (startMs !== undefined && endMs !== undefined && endMs < startMs)
    turn.fail('before BeginOffsetMillis', 'EndOffsetMillis');
  const role = roleFromWord(turn.optStr('ParticipantRole', L.labelChars));
  const words = locateWords(text, readItems(turn));
  const entities = readEntities(turn, text);
  const spans = entities.length > 0 ? entities : findMasks(text).map((mask) => ({ ...mask, masked: true }));
  return compact({
    id: turn.optText('Id', L.idChars) ?? turn.optText('UtteranceId', L.idChars),
    role,
    participantRef: role === 'unknown' ? undefined : role,
    text,
    startMs,
    endMs,
    sentiment: sentimentFromWord(turn.optStr('Sentiment', L.labelChars)),
    words: words.length > 0 ? words : undefined,
    platformRedactions: spans.length > 0 ? spans : undefined,
  });
}

function readItems(turn: PayloadNode): TimedToken[] {
  return turn.optArr('Items', MAX_ITEMS).flatMap((item): TimedToken[] => {
    item.asObject();
    if (item.optStr('Type', L.labelChars) === 'punctuation') return [];
    const startMs = item.optOffsetMs('BeginOffsetMillis');
    const endMs = item.optOffsetMs('EndOffsetMillis');
    if (startMs === undefined || endMs === undefined) return [];
    if (endMs < startMs) item.fail('before BeginOffsetMillis', 'EndOffsetMillis');
    const confidence = item.optNum('Confidence');
    return [
      compact({
        text: item.str('Content', L.labelChars),
        startMs,
        endMs,
        confidence: confidence === undefined ? undefined : Math.min(1, Math.max(0, confidence)),
      }),
    ];
  });
}

function parseStreamingEvent(payload: unknown, context: AdapterContext): AdapterResult {
  const root = PayloadNode.root(payload, STREAM).asObject();
  const stream = root.optObj('CallAnalyticsTranscriptResultStream') ?? root;
  const utterance = stream.optObj('UtteranceEvent');
  const segments: Segment[] = [];
  // Partial utterances are revised by later events: only final ones are kept.
  if (utterance !== undefined && utterance.optBool('IsPartial') === false)
    segments.push(readTurn(utterance, 'Transcript'));
  const categories =
    stream
      .optObj('CategoryEvent')
      ?.optArr('MatchedCategories', L.categories)
      .map((c) => c.asStr(L.labelChars)) ?? [];
  if (segments.length === 0 && categories.length === 0) return interactionsOnly([]);
  const interaction = base({
    adapter: 'amazon-transcribe-call-analytics',
    id: pickSourceId(undefined, context, STREAM),
    revision: context.receivedAtMs,
    segments,
    categories,
    masked: false,
  });
  return interactionsOnly([finishInteraction(interaction)]);
}

interface BaseInput {
  adapter: string;
  id: string;
  revision: number;
  accountId?: string | undefined;
  segments: Segment[];
  categories: string[];
  masked: boolean;
}

function base(input: BaseInput): Interaction {
  const roles = [
    ...new Set(input.segments.map((s) => s.participantRef).filter((r): r is string => r !== undefined)),
  ];
  const participants: Participant[] = roles.map((ref) => ({ ref, role: roleFromWord(ref) }));
  const spans = input.segments.flatMap((s) => s.platformRedactions ?? []);
  return {
    schemaVersion: 1,
    source: {
      platform: 'amazon-transcribe',
      adapter: input.adapter,
      id: input.id,
      revision: input.revision,
      externalIds: compact({ accountId: input.accountId }) as Record<string, string>,
    },
    channel: 'voice',
    direction: 'unknown',
    participants,
    segments: input.segments,
    media: [],
    attributes: {},
    categories: input.categories,
    redaction: {
      platformState:
        input.masked || spans.some((s) => s.masked) ? 'masked' : spans.length > 0 ? 'identified' : 'none',
      requestedEntityTypes: [],
    },
  };
}
