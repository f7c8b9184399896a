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
}

export interface AuditTables {
  audit_events: AuditEventsTable;
}
