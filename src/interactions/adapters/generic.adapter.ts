import { describeIssues, type Interaction, type Segment, type SegmentWord } from '../model/index.ts';
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
  const parsed = (isBatch ? genericPayloadSchema : genericInteractionSchema).safeParse(payload, {
    reportInput: true,
  });
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
  return finishInteraction({
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
  });
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
