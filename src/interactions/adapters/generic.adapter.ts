import {
  checkConsistency,
  describeIssues,
  type Interaction,
  type Segment,
  type SegmentWord,
  safeParseReportingInput,
} from '../model/index.ts';
import { compact, finishInteraction, locateWords, noRedaction } from './adapter.support.ts';
import { type AdapterContext, type AdapterResult, interactionsOnly } from './adapter.types.ts';
import { adapterError } from './adapters.errors.ts';
import { type GenericInteraction, genericInteractionSchema, genericPayloadSchema } from './generic.schema.ts';

const WHAT = 'generic interaction';

/**
 * Vigil's generic JSON format: one interaction, or `{ "interactions": [...] }` for a batch. The
 * whole payload is refused when any interaction in it is invalid, naming the first problems.
 */
export function parseGeneric(payload: unknown, context: AdapterContext): AdapterResult {
  // A batch is validated item by item so an error names its position (`interactions[3].channel`).
  const isBatch = typeof payload === 'object' && payload !== null && Object.hasOwn(payload, 'interactions');
  const parsed = safeParseReportingInput(isBatch ? genericPayloadSchema : genericInteractionSchema, payload);
  if (!parsed.success) {
    const problems = describeIssues(parsed.error.issues);
    const first = problems[0]!;
    const code = problems.every((p) => p.tooLarge) ? 'PAYLOAD_TOO_LARGE' : 'PAYLOAD_INVALID';
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    throw adapterError(code, `Invalid ${WHAT}: ${first.path}: ${first.problem}${more}`, {
      details: { problems: problems.map(({ path, problem }) => ({ path, problem })) },
    });
  }
  const items =
    'interactions' in parsed.data && isBatch ? parsed.data.interactions : [parsed.data as GenericInteraction];
  return interactionsOnly(items.map((item) => toInteraction(item, context)));
}

function toMs(value: number | string | undefined): number | undefined {
  return value === undefined ? undefined : typeof value === 'number' ? value : Date.parse(value);
}

function named(value: string | { id?: string | undefined; name?: string | undefined } | undefined) {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? { name: value } : compact({ ...value });
}

function toInteraction(item: GenericInteraction, context: AdapterContext): Interaction {
  const roles = new Map(item.participants.map((p) => [p.ref, p.role]));
  const segments = item.segments.map((s): Segment => {
    const words = s.words === undefined ? undefined : readWords(s.text, s.words);
    return compact({
      id: s.id,
      role: s.role ?? (s.participant === undefined ? undefined : roles.get(s.participant)) ?? 'unknown',
      participantRef: s.participant,
      text: s.text,
      contentType: s.contentType,
      startMs: s.startMs,
      endMs: s.endMs,
      sentAtMs: toMs(s.sentAt),
      sentiment: s.sentiment,
      internal: s.internal,
      words: words !== undefined && words.length > 0 ? words : undefined,
    });
  });
  return finishInteraction(
    {
      schemaVersion: 1,
      source: compact({
        platform: 'generic' as const,
        adapter: 'generic',
        id: item.sourceId,
        threadId: item.threadId,
        revision: item.revision ?? context.receivedAtMs,
        externalIds: {},
      }),
      channel: item.channel,
      direction: item.direction,
      ...compact({
        startedAtMs: toMs(item.startedAt),
        endedAtMs: toMs(item.endedAt),
        language: item.language,
        queue: named(item.queue),
        team: named(item.team),
        status: item.status,
        subject: item.subject,
      }),
      participants: item.participants.map((p) => compact({ ...p })),
      segments,
      media: item.media.map((m) => compact({ ...m })),
      attributes: item.attributes,
      categories: item.categories,
      redaction: noRedaction(),
    },
    passesRulesLeftToTheModel,
  );
}

// The model's epoch range (interaction.schema.ts): an ISO time before 1970 parses to a negative number.
const MAX_EPOCH_MS = 8_640_000_000_000_000;
const isEpochMs = (ms: number | undefined) =>
  ms === undefined || (Number.isSafeInteger(ms) && ms >= 0 && ms <= MAX_EPOCH_MS);

/**
 * Whether an interaction built from a payload that passed the generic schema passes the model
 * schema too, checking only what the generic schema cannot have: every generic field carries the
 * model's own type and limit, so what is left are times parsed from ISO text, the revision taken
 * from the receive time, time and offset order, and the rules across fields. Validating the
 * payload once instead of twice is a good part of ingest's cost per interaction. `false` means
 * "not sure": the model schema then runs and its error names the field (a test checks both agree).
 */
export function passesRulesLeftToTheModel(interaction: Interaction): boolean {
  const { revision } = interaction.source;
  if (!Number.isSafeInteger(revision) || revision < 0) return false;
  if (!isEpochMs(interaction.startedAtMs) || !isEpochMs(interaction.endedAtMs)) return false;
  for (const segment of interaction.segments) {
    if (!isEpochMs(segment.sentAtMs)) return false;
    const { startMs, endMs } = segment;
    if (startMs !== undefined && endMs !== undefined && endMs < startMs) return false;
    for (const word of segment.words ?? []) {
      if (word.end < word.start || word.end > segment.text.length || word.endMs < word.startMs) return false;
    }
  }
  let consistent = true;
  checkConsistency(interaction, () => {
    consistent = false;
  });
  return consistent;
}

function readWords(
  text: string,
  words: NonNullable<GenericInteraction['segments'][number]['words']>,
): SegmentWord[] {
  if (words.every((w) => w.start !== undefined && w.end !== undefined)) {
    return words.map((w) =>
      compact({
        text: w.text,
        start: w.start!,
        end: w.end!,
        startMs: w.startMs,
        endMs: w.endMs,
        confidence: w.confidence,
      }),
    );
  }
  if (words.some((w) => w.start !== undefined || w.end !== undefined)) {
    throw adapterError(
      'PAYLOAD_INVALID',
      `Invalid ${WHAT}: words: give start and end for every word or for none`,
    );
  }
  return locateWords(text, words);
}
