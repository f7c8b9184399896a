import { createHash } from 'node:crypto';
import {
  INTERACTION_LIMITS,
  type Interaction,
  type ParticipantRole,
  type PlatformRedaction,
  type Segment,
  type SegmentWord,
  validateInteraction,
} from '../model/index.ts';
import type { AdapterContext } from './adapter.types.ts';
import { adapterError } from './adapters.errors.ts';

/** A platform mask such as `[PII]` or `[NAME]` (Contact Lens, Transcribe). */
const MASK_TOKEN = /^\[[A-Z][A-Z0-9_]{0,63}\]$/;
const MASKS_IN_TEXT = /\[[A-Z][A-Z0-9_]{0,63}\]/g;

export function isMaskToken(value: string): boolean {
  return MASK_TOKEN.test(value.trim());
}

/** Positions of platform masks in a text, in order. */
export function findMasks(text: string): Array<{ start: number; end: number; entityType?: string }> {
  return [...text.matchAll(MASKS_IN_TEXT)].map((match) => {
    const inner = match[0].slice(1, -1);
    return {
      start: match.index,
      end: match.index + match[0].length,
      ...(inner === 'PII' ? {} : { entityType: inner }),
    };
  });
}

/**
 * A deterministic source id for payloads that carry none: the same delivered bytes always give the
 * same id, so an at-least-once redelivery deduplicates instead of creating a second interaction.
 */
export function contentSourceId(data: string | Uint8Array): string {
  return `sha256:${createHash('sha256').update(data).digest('hex').slice(0, 40)}`;
}

/** The payload's own id, else the caller's, else a failure naming what is missing. */
export function pickSourceId(own: string | undefined, context: AdapterContext, what: string): string {
  const id = own ?? context.sourceId;
  if (id === undefined || id === '') {
    throw adapterError(
      'PAYLOAD_SOURCE_ID_REQUIRED',
      `Invalid ${what}: it carries no conversation id; pass the source id with the request`,
    );
  }
  if (id.length > INTERACTION_LIMITS.sourceIdChars) {
    throw adapterError(
      'PAYLOAD_INVALID',
      `Invalid ${what}: the source id is longer than ${INTERACTION_LIMITS.sourceIdChars} characters`,
    );
  }
  return id;
}

const ROLE_WORDS: Record<string, ParticipantRole> = {
  AGENT: 'agent',
  CUSTOMER: 'customer',
  SYSTEM: 'system',
  SUPERVISOR: 'supervisor',
  BOT: 'bot',
  CUSTOM_BOT: 'bot',
  LEX_BOT: 'bot',
  IVR: 'ivr',
};

/** Maps a platform's role word (`AGENT`, `Customer`, `custom_bot`) to a model role. */
export function roleFromWord(word: string | undefined): ParticipantRole {
  if (word === undefined) return 'unknown';
  return ROLE_WORDS[word.toUpperCase()] ?? 'unknown';
}

/** The role the caller assigned to an unlabeled speaker or channel, if any. */
export function speakerRole(context: AdapterContext, label: string): ParticipantRole {
  const roles = context.speakerRoles;
  if (roles === undefined || !Object.hasOwn(roles, label)) return 'unknown';
  return roles[label] ?? 'unknown';
}

export function sentimentFromWord(word: string | undefined): Segment['sentiment'] {
  switch (word?.toUpperCase()) {
    case 'POSITIVE':
      return 'positive';
    case 'NEGATIVE':
      return 'negative';
    case 'NEUTRAL':
      return 'neutral';
    case 'MIXED':
      return 'mixed';
    default:
      return undefined;
  }
}

export interface TimedToken {
  text: string;
  startMs: number;
  endMs: number;
  confidence?: number;
}

/**
 * Finds each timed token in the segment text, in order, to give it character offsets. A token that
 * cannot be found (the platform's text and items disagree) is left out rather than misplaced.
 */
export function locateWords(text: string, tokens: readonly TimedToken[]): SegmentWord[] {
  const words: SegmentWord[] = [];
  let cursor = 0;
  for (const token of tokens) {
    const needle = token.text.trim();
    if (needle === '') continue;
    const start = text.indexOf(needle, cursor);
    if (start < 0) continue;
    const end = start + needle.length;
    cursor = end;
    words.push({
      text: needle,
      start,
      end,
      startMs: token.startMs,
      endMs: token.endMs,
      ...(token.confidence === undefined ? {} : { confidence: token.confidence }),
    });
  }
  return words;
}

/** Spans of masks in a text, paired in order with the platform's redacted time ranges when counts match. */
export function maskedSpans(
  text: string,
  times: ReadonlyArray<{ startMs: number; endMs: number }>,
): PlatformRedaction[] {
  const masks = findMasks(text);
  if (masks.length === times.length) {
    return masks.map((mask, i) => ({
      ...mask,
      startMs: times[i]!.startMs,
      endMs: times[i]!.endMs,
      masked: true,
    }));
  }
  return [
    ...masks.map((mask) => ({ ...mask, masked: true })),
    ...times.map((t) => ({ startMs: t.startMs, endMs: t.endMs, masked: true })),
  ];
}

/** Whether an email address or phone number belongs to the contact center (see AdapterContext.ownAddresses). */
export function isOwnAddress(context: AdapterContext, address: string | undefined): boolean {
  if (address === undefined || context.ownAddresses === undefined) return false;
  const value = address.trim().toLowerCase();
  const digits = value.replace(/[^\d]/g, '');
  return context.ownAddresses.some((own) => {
    const candidate = own.trim().toLowerCase();
    if (candidate.startsWith('@')) return value.endsWith(candidate);
    if (candidate.includes('@')) return value === candidate;
    const ownDigits = candidate.replace(/[^\d]/g, '');
    return ownDigits.length > 0 && ownDigits === digits;
  });
}

/** Builds an object without its undefined fields (the model is strict about unknown and empty keys). */
export function compact<T extends Record<string, unknown>>(value: T): T {
  // A plain loop: this runs for every segment, word and participant of every payload (ingest hot path).
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) if (value[key] !== undefined) out[key] = value[key];
  return out as T;
}

/**
 * Final step of every adapter: gives repeated segment ids a suffix (documentation samples reuse
 * placeholder ids, and merging deduplicates on them) and validates against the model. An adapter
 * whose payload schema already enforced the model's field limits passes `passesRemainingRules`
 * (see generic.adapter.ts); the model schema then runs only when that check is not sure.
 */
export function finishInteraction(
  draft: Interaction,
  passesRemainingRules?: (interaction: Interaction) => boolean,
): Interaction {
  const seen = new Map<string, number>();
  const segments = draft.segments.map((segment) => {
    if (segment.id === undefined) return segment;
    const count = seen.get(segment.id) ?? 0;
    seen.set(segment.id, count + 1);
    return count === 0 ? segment : { ...segment, id: `${segment.id.slice(0, 240)}#${count + 1}` };
  });
  const finished = { ...draft, segments };
  return passesRemainingRules?.(finished) ? finished : validateInteraction(finished);
}

export function noRedaction(): Interaction['redaction'] {
  return { platformState: 'none', requestedEntityTypes: [] };
}
