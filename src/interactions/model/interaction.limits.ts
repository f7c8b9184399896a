/**
 * Size limits of the normalized Interaction. Every string and array in the model is bounded so a
 * hostile or broken payload cannot make Vigil hold, redact, encrypt or store unbounded data; a value
 * over a limit is refused whole with its path named (never truncated silently, which would lose
 * content the customer expects to find).
 */
export const INTERACTION_LIMITS = {
  /** Platform ids, source ids, segment/participant refs. */
  idChars: 256,
  /** Message-ID style ids can be long (RFC 5322 allows 998-character lines). */
  sourceIdChars: 998,
  /** Short labels: queue/team names, platform versions, content types, entity type names. */
  labelChars: 256,
  nameChars: 512,
  handleChars: 512,
  emailChars: 320,
  phoneChars: 64,
  addressChars: 1024,
  uriChars: 4096,
  subjectChars: 4096,
  /** One message, one email body or one transcript turn. */
  segmentTextChars: 500_000,
  /** Sum of all segment texts of one interaction. */
  totalTextChars: 5_000_000,
  segments: 50_000,
  wordsPerSegment: 20_000,
  redactionsPerSegment: 2_000,
  participants: 500,
  media: 500,
  attributes: 256,
  attributeKeyChars: 128,
  attributeValueChars: 8_192,
  externalIds: 32,
  categories: 256,
  languageChars: 35,
  /** Largest attachment Vigil keeps the bytes of (25 MiB, a common mail-server cap). */
  attachmentBytes: 25 * 1024 * 1024,
} as const;

/** Largest raw payload an adapter accepts before parsing (JSON text, form body or .eml). */
export const MAX_PAYLOAD_BYTES = 50 * 1024 * 1024;
