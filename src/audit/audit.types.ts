import type { Transaction } from 'kysely';
import type { Database, Db } from '../storage/index.ts';

export type AuditOutcome = 'success' | 'failure' | 'denied';
export type AuditActorType = 'user' | 'api_key' | 'system' | 'anonymous';

/** One audited fact: who did what to which resource, from where, with what result. */
export interface AuditEventInput {
  tenantId: string;
  actor: { type: AuditActorType; id: string; name?: string };
  /** Dotted verb, feature first: `auth.login`, `vault.detokenize`, `keys.rotate`. */
  action: string;
  outcome: AuditOutcome;
  target?: { type: string; id: string };
  reason?: string;
  origin?: { ip?: string; userAgent?: string };
  requestId?: string;
  /** Non-sensitive facts, stored as they are. */
  details?: Record<string, string | number | boolean | null>;
  /**
   * Values that identify a person or secret (an email tried at login, a phone number searched):
   * stored only as keyed HMACs, so the log can be correlated without exposing them.
   */
  sensitive?: Record<string, string>;
}

export interface RecordedAuditEvent {
  id: string;
  seq: number;
}

export type DbOrTransaction = Db | Transaction<Database>;

/**
 * The one way into the audit log. Pass the caller's transaction so the change and its audit
 * event commit together (invariant 3); pass the plain db only for events with no change attached
 * (a failed login, a denied request).
 */
export interface AuditRecorder {
  record(db: DbOrTransaction, event: AuditEventInput): Promise<RecordedAuditEvent>;
  /** Several events in one go (a batch ingest), in order, in the same transaction. */
  recordMany(db: DbOrTransaction, events: readonly AuditEventInput[]): Promise<RecordedAuditEvent[]>;
}
