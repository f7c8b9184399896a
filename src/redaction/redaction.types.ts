/** Entity types the engine detects. These names are part of the public contract (issue #4). */
export const ENTITY_TYPES = [
  'CARD_NUMBER',
  'CARD_CVV',
  'CARD_EXPIRY',
  'PIN',
  'US_SSN',
  'CA_SIN',
  'BANK_ACCOUNT',
  'ROUTING_NUMBER',
  'IBAN',
  'EMAIL',
  'PHONE',
  'DATE_OF_BIRTH',
  'ADDRESS',
  'PERSON_NAME',
  'HEALTH_ID',
  'IP_ADDRESS',
] as const;

export type EntityType = (typeof ENTITY_TYPES)[number];

/**
 * One detected entity. `start`/`end` are JavaScript string offsets into the original text
 * (end exclusive). `value` is the normalized value (digits of a PAN, even when spoken or split
 * across segments) for in-process use only: it must never be written to any output or log.
 */
export interface Finding {
  type: EntityType;
  start: number;
  end: number;
  confidence: number;
  detector: string;
  value?: string;
}

/** A word with character offsets into its segment's text and audio timings. */
export interface SegmentWord {
  text: string;
  start: number;
  end: number;
  startMs: number;
  endMs: number;
}

/** One utterance of a conversation. */
export interface Segment {
  speaker?: string;
  text: string;
  words?: SegmentWord[];
}

/** An audio range to mute in the recording of a segment. */
export interface AudioRange {
  startMs: number;
  endMs: number;
  type: EntityType;
}

export interface RedactedText {
  text: string;
  findings: Finding[];
}

export interface RedactedSegment {
  text: string;
  findings: Finding[];
  audioRanges?: AudioRange[];
}

/** A segment released by the streaming API, with its position in the conversation. */
export interface StreamedSegment extends RedactedSegment {
  index: number;
}

export interface ConversationStream {
  /** Accepts the next segment; returns the segments that are now final, in order. */
  push(segment: Segment): StreamedSegment[];
  /** Flushes every held segment. The stream accepts nothing after this. */
  end(): StreamedSegment[];
}
