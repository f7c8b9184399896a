/**
 * Stored interactions. Everything that identifies a person or holds conversation content is in
 * the encrypted `body` (redacted transcript, participants, attributes, media locations) and
 * `originals` (the redacted values, for reveal) columns; the clear columns hold only what
 * filtering needs and nothing personal.
 */
export interface InteractionsTable {
  id: string;
  tenant_id: string;
  subject_id: string | null;
  source_platform: string;
  source_id: string;
  source_revision: number;
  /** The adapter that delivered the stored state; a delivery from another adapter is merged in. */
  source_adapter: string;
  channel: string;
  direction: string;
  started_at: number | null;
  ended_at: number | null;
  language: string | null;
  queue: string | null;
  /** The platform's id of the handling agent (an employee id, not customer data). */
  agent_ref: string | null;
  customer_phone_bidx: string | null;
  customer_email_bidx: string | null;
  segment_count: number;
  finding_count: number;
  /** Retention data category: voice_transcript, chat, email, sms. */
  category: string;
  /** 0-99, from the id: QA analysts see the interactions whose bucket is below the sampling rate. */
  sample_bucket: number;
  /**
   * AES-256-GCM envelope of the redacted interaction JSON. PostgreSQL keeps it in the row up to a
   * page (storage MAIN, toast_tuple_target 8160, migration 0011) rather than in TOAST chunks.
   */
  body: Buffer;
  /** AES-256-GCM envelope of the original values of redacted spans that may be revealed (never cards, CVV, PIN). */
  originals: Buffer | null;
  /** 0 or 1 (an integer on both dialects, so the value binds the same everywhere). */
  has_recording: number;
  ingested_at: number;
  updated_at: number;
  /** Set when anonymized by retention: identifying fields removed, redacted text kept. */
  anonymized_at: number | null;
}

/**
 * One row per finding type per interaction: filters and dashboards without decrypting anything.
 * Keyed on SQLite by (tenant_id, interaction_id, type), the key being the table (WITHOUT ROWID);
 * on PostgreSQL by (interaction_id, type). No foreign key: `deleteInteractionsByIds` deletes the
 * rows with their interaction, set-based (migration 0011; a cascade ran as a per-row trigger).
 */
export interface InteractionFindingsTable {
  tenant_id: string;
  interaction_id: string;
  type: string;
  count: number;
  ingested_at: number;
}

/** A tenant's redaction policy (types, custom patterns, deny/allow lists) as validated JSON. */
export interface RedactionPoliciesTable {
  tenant_id: string;
  policy: string;
  updated_at: number;
  updated_by: string;
}

export interface InteractionsTables {
  redaction_policies: RedactionPoliciesTable;
  interactions: InteractionsTable;
  interaction_findings: InteractionFindingsTable;
}
