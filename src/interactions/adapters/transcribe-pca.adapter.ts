import {
  INTERACTION_LIMITS as L,
  type Media,
  type Participant,
  type ParticipantRole,
  type Segment,
} from '../model/index.ts';
import {
  compact,
  contentSourceId,
  findMasks,
  finishInteraction,
  locateWords,
  roleFromWord,
  type TimedToken,
} from './adapter.support.ts';
import { type AdapterContext, type AdapterResult, interactionsOnly } from './adapter.types.ts';
import { PayloadNode } from './payload-reader.ts';

const WHAT = 'Post-Call Analytics result';
const MAX_WORDS = 20_000;

/**
 * The parsed result of AWS's Post-Call Analytics (PCA) solution: a `ConversationAnalytics` header
 * (speaker names, media locations, job information) and `SpeechSegments`. PCA writes `"None"` for
 * absent values; those are treated as missing.
 */
export function parsePcaResult(payload: unknown, context: AdapterContext): AdapterResult {
  const root = PayloadNode.root(payload, WHAT).asObject();
  const header = root.obj('ConversationAnalytics');
  const roles = speakerRoles(header);
  const job = header.optArr('SourceInformation', 16)[0]?.asObject().optObj('TranscribeJobInfo');
  const agentName = present(header.optStr('Agent', L.nameChars));
  const segments = root.arr('SpeechSegments', L.segments).map((s) => readSegment(s, roles));
  const refs = [
    ...new Set(segments.map((s) => s.participantRef).filter((r): r is string => r !== undefined)),
  ];
  const participants: Participant[] = refs.map((ref) => {
    const role = roles.get(ref) ?? 'unknown';
    return compact({ ref, role, name: role === 'agent' ? agentName : undefined });
  });
  const media: Media[] = [];
  const fileUri = present(job?.optStr('MediaFileUri', L.uriChars));
  const originalUri = present(job?.optStr('MediaOriginalUri', L.uriChars));
  if (fileUri !== undefined)
    media.push(compact({ id: 'recording', kind: 'recording' as const, uri: fileUri }));
  if (originalUri !== undefined && originalUri !== fileUri) {
    media.push({ id: 'recording-original', kind: 'recording', uri: originalUri });
  }
  const masked = segments.some((s) => s.platformRedactions !== undefined);
  const interaction = finishInteraction({
    schemaVersion: 1,
    source: {
      platform: 'amazon-transcribe',
      adapter: 'amazon-transcribe-pca',
      id:
        present(job?.optStr('TranscriptionJobName', L.idChars)) ??
        present(header.optStr('GUID', L.idChars)) ??
        context.sourceId ??
        contentSourceId(JSON.stringify(payload)),
      revision: header.optTime('ProcessTime') ?? context.receivedAtMs,
      externalIds: {},
    },
    channel: 'voice',
    direction: 'unknown',
    ...compact({
      startedAtMs: header.optTime('ConversationTime'),
      durationMs: header.optSecondsAsMs('Duration'),
      language: present(header.optStr('LanguageCode', L.languageChars)),
    }),
    participants,
    segments,
    media,
    attributes: {},
    categories: header
      .optArr('CategoriesDetected', L.categories)
      .filter((c) => (c.asObject().optNum('Instances') ?? 1) > 0)
      .map((c) => c.str('Name', L.labelChars)),
    redaction: { platformState: masked ? 'masked' : 'none', requestedEntityTypes: [] },
  });
  return interactionsOnly([interaction]);
}

/** PCA's placeholder for "no value". */
function present(value: string | undefined): string | undefined {
  return value === undefined || value === '' || value === 'None' ? undefined : value;
}

function speakerRoles(header: PayloadNode): Map<string, ParticipantRole> {
  const roles = new Map<string, ParticipantRole>();
  for (const label of header.optArr('SpeakerLabels', L.participants)) {
    label.asObject();
    roles.set(label.str('Speaker', L.idChars), roleFromWord(label.optStr('DisplayText', L.labelChars)));
  }
  return roles;
}

function readSegment(node: PayloadNode, roles: Map<string, ParticipantRole>): Segment {
  node.asObject();
  const speaker = node.optText('SegmentSpeaker', L.idChars);
  const text = node.optStr('DisplayText', L.segmentTextChars) ?? node.str('OriginalText', L.segmentTextChars);
  const startMs = node.optSecondsAsMs('SegmentStartTime');
  const endMs = node.optSecondsAsMs('SegmentEndTime');
  if (startMs !== undefined && endMs !== undefined && endMs < startMs)
    node.fail('before SegmentStartTime', 'SegmentEndTime');
  const tokens = node.optArr('WordConfidence', MAX_WORDS).flatMap((w): TimedToken[] => {
    w.asObject();
    const wordStart = w.optSecondsAsMs('StartTime');
    const wordEnd = w.optSecondsAsMs('EndTime');
    if (wordStart === undefined || wordEnd === undefined) return [];
    if (wordEnd < wordStart) w.fail('before StartTime', 'EndTime');
    const confidence = w.optNum('Confidence');
    return [
      compact({
        text: w.str('Text', L.labelChars),
        startMs: wordStart,
        endMs: wordEnd,
        confidence: confidence === undefined ? undefined : Math.min(1, Math.max(0, confidence)),
      }),
    ];
  });
  const words = locateWords(text, tokens);
  const masks = findMasks(text).map((mask) => ({ ...mask, masked: true }));
  const positive = node.optNum('SentimentIsPositive') === 1;
  const negative = node.optNum('SentimentIsNegative') === 1;
  return compact({
    role: speaker === undefined ? ('unknown' as const) : (roles.get(speaker) ?? 'unknown'),
    participantRef: speaker,
    text,
    startMs,
    endMs,
    sentiment: positive ? ('positive' as const) : negative ? ('negative' as const) : undefined,
    words: words.length > 0 ? words : undefined,
    platformRedactions: masks.length > 0 ? masks : undefined,
  });
}
