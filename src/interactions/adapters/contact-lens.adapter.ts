import {
  type Interaction,
  INTERACTION_LIMITS as L,
  type Participant,
  type ParticipantRole,
  type PlatformRedaction,
  type RedactionState,
  type Segment,
} from '../model/index.ts';
import {
  compact,
  contentSourceId,
  finishInteraction,
  isMaskToken,
  maskedSpans,
  roleFromWord,
  sentimentFromWord,
} from './adapter.support.ts';
import { type AdapterContext, type AdapterResult, interactionsOnly } from './adapter.types.ts';
import { PayloadNode } from './payload-reader.ts';

const WHAT = 'Contact Lens analysis file';
/** Chat item content types that carry readable text (others are events, attachments or receipts). */
const TEXT_CONTENT_TYPES = new Set(['text/plain', 'text/markdown', 'application/json']);

/**
 * Amazon Connect Contact Lens analysis files (voice and chat, original and redacted). One file is
 * one contact. Participant names the platform replaced with `[PII]` are left out; masked spans in
 * the text become platform redactions (with their audio times for voice).
 */
export function parseContactLens(payload: unknown, context: AdapterContext): AdapterResult {
  const root = PayloadNode.root(payload, WHAT).asObject();
  const channel = readChannel(root);
  const metadata = root.optObj('CustomerMetadata');
  const content = root.optObj('ContentMetadata');
  const redacted = content?.optStr('Output', L.labelChars) === 'Redacted';
  const participantInfo = readParticipants(root);
  const transcript = root.arr('Transcript', L.segments);
  const { segments, startedAtMs, endedAtMs, roles } =
    channel === 'voice'
      ? readVoiceTurns(transcript, participantInfo, redacted)
      : readChatItems(transcript, participantInfo, redacted);
  const recordingUri = channel === 'voice' ? metadata?.optText('InputS3Uri', L.uriChars) : undefined;
  const interaction: Interaction = {
    schemaVersion: 1,
    source: compact({
      platform: 'amazon-connect' as const,
      adapter: 'amazon-connect-contact-lens',
      // Real files name the contact; documentation excerpts do not, hence the fallbacks.
      id:
        metadata?.optText('ContactId', L.idChars) ??
        context.sourceId ??
        contentSourceId(JSON.stringify(payload)),
      revision: context.receivedAtMs,
      formatVersion: root.optText('Version', L.labelChars),
      externalIds: compact({
        accountId: root.optText('AccountId', L.labelChars),
        instanceId: metadata?.optText('InstanceId', L.labelChars),
      }) as Record<string, string>,
    }),
    channel,
    direction: 'unknown',
    ...compact({
      startedAtMs,
      endedAtMs,
      durationMs: root.optObj('ConversationCharacteristics')?.optOffsetMs('TotalConversationDurationMillis'),
      language: root.optText('LanguageCode', L.languageChars),
      status: root.optText('JobStatus', L.labelChars),
    }),
    participants: buildParticipants(participantInfo, roles),
    segments,
    media:
      recordingUri === undefined ? [] : [{ id: 'recording', kind: 'recording', uri: recordingUri, redacted }],
    attributes: {},
    categories:
      root
        .optObj('Categories')
        ?.optArr('MatchedCategories', L.categories)
        .map((c) => c.asStr(L.labelChars)) ?? [],
    redaction: readRedactionState(content, redacted, segments),
  };
  return interactionsOnly([finishInteraction(interaction)]);
}

function readRedactionState(
  content: PayloadNode | undefined,
  redacted: boolean,
  segments: Segment[],
): RedactionState {
  const pii = content?.optObj('RedactionTypesMetadata')?.optObj('PII');
  const maskMode = pii?.optStr('RedactionMaskMode', L.labelChars);
  const identified = segments.some((s) => (s.platformRedactions?.length ?? 0) > 0);
  return compact({
    platformState: redacted ? ('masked' as const) : identified ? ('identified' as const) : ('none' as const),
    maskMode:
      maskMode === 'ENTITY_TYPE'
        ? ('entity-type' as const)
        : maskMode === 'PII'
          ? ('generic' as const)
          : undefined,
    requestedEntityTypes:
      pii?.optArr('RedactionEntitiesRequested', L.categories).map((e) => e.asStr(L.labelChars)) ?? [],
  });
}

function readChannel(root: PayloadNode): 'voice' | 'chat' {
  const word = root.optStr('Channel', L.labelChars) ?? root.optStr('Version', L.labelChars)?.split('-')[0];
  if (word === 'VOICE') return 'voice';
  if (word === 'CHAT') return 'chat';
  return root.fail(word === undefined ? 'required (VOICE or CHAT)' : 'must be VOICE or CHAT', 'Channel');
}

interface ParticipantInfo {
  role?: ParticipantRole;
  name?: string;
}

function readParticipants(root: PayloadNode): Map<string, ParticipantInfo> {
  const out = new Map<string, ParticipantInfo>();
  for (const node of root.optArr('Participants', L.participants)) {
    const id = node.asObject().str('ParticipantId', L.idChars);
    const roleWord = node.optStr('ParticipantRole', L.labelChars);
    const name = node.optText('DisplayName', L.nameChars);
    out.set(
      id,
      compact({
        role: roleWord === undefined ? undefined : roleFromWord(roleWord),
        // A masked name is no name; SYSTEM_MESSAGE is the platform's label for itself.
        name: name === undefined || isMaskToken(name) || name === 'SYSTEM_MESSAGE' ? undefined : name,
      }),
    );
  }
  return out;
}

function buildParticipants(
  info: Map<string, ParticipantInfo>,
  roles: Map<string, ParticipantRole>,
): Participant[] {
  const ids = new Set([...info.keys(), ...roles.keys()]);
  return [...ids].map((ref) =>
    compact({ ref, role: info.get(ref)?.role ?? roles.get(ref) ?? 'unknown', name: info.get(ref)?.name }),
  );
}

interface TurnsRead {
  segments: Segment[];
  startedAtMs?: number;
  endedAtMs?: number;
  /** Roles learned from the turns, for participants the header lists without one. */
  roles: Map<string, ParticipantRole>;
}

/** Raw files list the time ranges Contact Lens identified; redacted files mask the same ranges in the text. */
function readVoiceTurns(
  turns: PayloadNode[],
  info: Map<string, ParticipantInfo>,
  redacted: boolean,
): TurnsRead {
  const roles = new Map<string, ParticipantRole>();
  const segments = turns.map((turn): Segment => {
    turn.asObject();
    const participantId = turn.str('ParticipantId', L.idChars);
    const role = info.get(participantId)?.role ?? roleFromWord(participantId);
    roles.set(participantId, role);
    const text = turn.str('Content', L.segmentTextChars);
    const startMs = turn.optOffsetMs('BeginOffsetMillis');
    const endMs = turn.optOffsetMs('EndOffsetMillis');
    if (startMs !== undefined && endMs !== undefined && endMs < startMs)
      turn.fail('before BeginOffsetMillis', 'EndOffsetMillis');
    const times = (turn.optObj('Redaction')?.optArr('RedactedTimestamps', L.redactionsPerSegment) ?? []).map(
      readTimeRange,
    );
    const spans: PlatformRedaction[] = redacted
      ? maskedSpans(text, times)
      : times.map((t) => ({ ...t, masked: false }));
    return compact({
      id: turn.optText('Id', L.idChars),
      role,
      participantRef: participantId,
      text,
      startMs,
      endMs,
      sentiment: sentimentFromWord(turn.optStr('Sentiment', L.labelChars)),
      platformRedactions: spans.length > 0 ? spans : undefined,
    });
  });
  return { segments, roles };
}

function readTimeRange(node: PayloadNode): { startMs: number; endMs: number } {
  node.asObject();
  const startMs = node.optOffsetMs('BeginOffsetMillis') ?? node.fail('required', 'BeginOffsetMillis');
  const endMs = node.optOffsetMs('EndOffsetMillis') ?? node.fail('required', 'EndOffsetMillis');
  if (endMs < startMs) node.fail('before BeginOffsetMillis', 'EndOffsetMillis');
  return { startMs, endMs };
}

function readChatItems(
  items: PayloadNode[],
  info: Map<string, ParticipantInfo>,
  redacted: boolean,
): TurnsRead {
  const roles = new Map<string, ParticipantRole>();
  const segments: Segment[] = [];
  let startedAtMs: number | undefined;
  let endedAtMs: number | undefined;
  for (const item of items) {
    item.asObject();
    const at = item.optTime('AbsoluteTime');
    if (at !== undefined) {
      startedAtMs = Math.min(startedAtMs ?? at, at);
      endedAtMs = Math.max(endedAtMs ?? at, at);
    }
    const participantId = item.optText('ParticipantId', L.idChars);
    const roleWord = item.optStr('ParticipantRole', L.labelChars);
    const role =
      roleWord !== undefined
        ? roleFromWord(roleWord)
        : (participantId && info.get(participantId)?.role) || 'unknown';
    if (participantId !== undefined) roles.set(participantId, role);
    const contentType = item.optStr('ContentType', L.labelChars);
    const text = item.optStr('Content', L.segmentTextChars);
    if (item.optStr('Type', L.labelChars) === 'EVENT' || text === undefined) continue;
    if (contentType !== undefined && !TEXT_CONTENT_TYPES.has(contentType)) continue;
    const spans = readCharacterSpans(item, text, redacted);
    segments.push(
      compact({
        id: item.optText('Id', L.idChars),
        role,
        participantRef: participantId,
        text,
        contentType,
        sentAtMs: at,
        platformRedactions: spans.length > 0 ? spans : undefined,
      }),
    );
  }
  return compact({ segments, startedAtMs, endedAtMs, roles });
}

/** Chat redaction offsets. Offsets past the end are clamped: the platform may count characters differently. */
function readCharacterSpans(item: PayloadNode, text: string, masked: boolean): PlatformRedaction[] {
  const nodes = item.optObj('Redaction')?.optArr('CharacterOffsets', L.redactionsPerSegment) ?? [];
  return nodes.map((node) => {
    node.asObject();
    const start = Math.min(node.num('BeginOffsetChar'), text.length);
    const end = Math.min(node.num('EndOffsetChar'), text.length);
    if (start < 0 || end < start) node.fail('EndOffsetChar before BeginOffsetChar');
    return { start, end, masked };
  });
}
