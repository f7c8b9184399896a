import type { Db } from '../storage/index.ts';

/** Who performs a key operation, as recorded in the audit log. */
export interface KeyActor {
  type: 'user' | 'api_key' | 'system' | 'anonymous';
  id: string;
  name?: string;
}

/** One audit event emitted by the keyring (a subset of the audit recorder's input). */
export interface KeyAuditEvent {
  tenantId: string;
  actor: KeyActor;
  action: string;
  outcome: 'success' | 'failure' | 'denied';
  target?: { type: string; id: string };
  reason?: string;
  details?: Record<string, string | number | boolean | null>;
  sensitive?: Record<string, string>;
}

/**
 * The audit recorder as the keyring sees it. Crypto sits below audit in the dependency order, so
 * it names only the shape it calls; the composition root passes the real recorder.
 */
export interface KeyAudit {
  record(db: Db, event: KeyAuditEvent): Promise<unknown>;
  /** Several events in one append (one lock and sequence read), in the caller's transaction. */
  recordMany(db: Db, events: readonly KeyAuditEvent[]): Promise<unknown>;
}

/** What a scheduled job receives (the jobs layer composes these; crypto does not import it). */
export interface KeyJobContext {
  now: number;
  signal: AbortSignal;
}
