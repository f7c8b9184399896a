import type { Interaction, ParticipantRole } from '../model/index.ts';

/** What the caller knows about a payload beyond its bytes. */
export interface AdapterContext {
  /** When Vigil received the payload (epoch ms): the revision and time of payloads that carry none. */
  receivedAtMs: number;
  /**
   * A conversation id from outside the payload (a stream's session id, the S3 key of an analysis
   * file). Used only when the payload has no id of its own.
   */
  sourceId?: string;
  /**
   * The contact center's own addresses: email addresses, `@domain` suffixes and phone numbers.
   * A sender among them is an agent and makes the interaction outbound.
   */
  ownAddresses?: readonly string[];
  /** Roles of unlabeled speakers or channels (`spk_0`, `ch_1`), e.g. from the recording setup. */
  speakerRoles?: Readonly<Record<string, ParticipantRole>>;
}

/** The bytes of one attachment, kept apart from the interaction (which holds its media entry). */
export interface AttachmentContent {
  /** The interaction's `source.id`. */
  sourceId: string;
  /** The `media[].id` this content belongs to. */
  mediaId: string;
  content: Buffer;
}

export interface AdapterResult {
  interactions: Interaction[];
  attachments: AttachmentContent[];
}

/** How an adapter wants its payload: parsed JSON, form parameters, or raw MIME bytes. */
export type PayloadFormat = 'json' | 'form' | 'mime';

export function interactionsOnly(interactions: Interaction[]): AdapterResult {
  return { interactions, attachments: [] };
}
