/** The append-only audit log. A row is never updated or deleted by Vigil's code. */
export interface AuditEventsTable {
  id: string;
  tenant_id: string;
  /** Position in the tenant's log: the Merkle leaf index, dense from 0. */
  seq: number;
  occurred_at: number;
  actor_type: string;
  actor_id: string;
  actor_name: string | null;
  action: string;
  outcome: string;
  target_type: string | null;
  target_id: string | null;
  reason: string | null;
  origin_ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  /** JSON object of non-sensitive details. */
  details: string | null;
  /** JSON object of HMAC-SHA-256 values (base64url) of sensitive details. */
  sensitive: string | null;
  /** RFC 6962 leaf hash of the canonical encoding of all the fields above. */
  leaf_hash: Buffer;
  /**
   * HMAC-SHA-256 of the leaf hash under a key derived from the root key: anyone can compute a leaf
   * hash, only Vigil can compute this, so a row inserted or rewritten directly in the database is
   * detected even before a checkpoint covers it (added by migration 0006).
   */
  mac: Buffer | null;
}

/**
 * Perfect-subtree hashes of each tenant's Merkle tree at level LOWEST_STORED_LEVEL (4) and above;
 * lower nodes are recomputed from the events' leaf hashes (audit.node-store.ts). A node never changes
 * once written; the primary key (tenant, level, idx) makes two writers extending the same tree
 * from the same size collide instead of forking it.
 */
export interface AuditTreeNodesTable {
  tenant_id: string;
  level: number;
  idx: number;
  hash: Buffer;
}

/** How far each tenant's tree has folded the log, and its root at that size. */
export interface AuditTreeHeadsTable {
  tenant_id: string;
  tree_size: number;
  root_hash: Buffer;
  updated_at: number;
}

/** Signed tree heads (c2sp.org/tlog-checkpoint notes), one per tree size. */
export interface AuditCheckpointsTable {
  id: string;
  tenant_id: string;
  tree_size: number;
  root_hash: Buffer;
  origin: string;
  /** The signed note exactly as published. */
  note: string;
  /** Signed-note key ID (8 hex digits) of the signing key. */
  key_id: string;
  created_at: number;
  trigger: 'schedule' | 'demand';
}

/**
 * The installation's Ed25519 checkpoint signing keys (a global table, not per tenant). The
 * private key is stored only wrapped (AES-256-GCM under a key derived from the root key), bound
 * to its row id and verifier key.
 */
export interface AuditSigningKeysTable {
  id: string;
  name: string;
  key_id: string;
  verifier_key: string;
  wrapped_private_key: Buffer;
  created_at: number;
  retired_at: number | null;
}

/** Retention of each tenant's audit log, never below the minimum its frameworks require. */
export interface AuditRetentionTable {
  tenant_id: string;
  retention_days: number;
  minimum_days: number;
  updated_at: number;
  updated_by: string;
}

export type AuditSinkKind = 'syslog' | 'webhook' | 'file';
export type AuditSinkStream = 'events' | 'checkpoints';

/** A SIEM or publication target; `cursor` is the last position delivered (at-least-once). */
export interface AuditSinksTable {
  id: string;
  tenant_id: string;
  name: string;
  kind: AuditSinkKind;
  stream: AuditSinkStream;
  /** JSON object of non-secret settings (host, port, url, path, ...). */
  settings: string;
  /** Webhook HMAC secret, wrapped like the signing key; null for kinds without a secret. */
  wrapped_secret: Buffer | null;
  /** Last delivered seq (events) or tree size (checkpoints); -1 before the first delivery. */
  cursor: number;
  enabled: number | boolean;
  failures: number;
  next_attempt_at: number;
  last_error: string | null;
  last_delivered_at: number | null;
  created_at: number;
}

export interface AuditTables {
  audit_events: AuditEventsTable;
  audit_tree_nodes: AuditTreeNodesTable;
  audit_tree_heads: AuditTreeHeadsTable;
  audit_checkpoints: AuditCheckpointsTable;
  audit_signing_keys: AuditSigningKeysTable;
  audit_retention: AuditRetentionTable;
  audit_sinks: AuditSinksTable;
}
