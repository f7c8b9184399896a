import { createHmac, type KeyObject } from 'node:crypto';
import type { AuditEventsTable } from './audit.tables.ts';
import { hashLeaf } from './merkle/index.ts';

/** First element of every encoded event: the version of this encoding. */
export const ENCODING_VERSION = 1;

/** The stored fields an event's encoding covers, in encoding order (after the version). */
export const CANONICAL_EVENT_FIELDS = [
  'id',
  'tenant_id',
  'seq',
  'occurred_at',
  'actor_type',
  'actor_id',
  'actor_name',
  'action',
  'outcome',
  'target_type',
  'target_id',
  'reason',
  'origin_ip',
  'user_agent',
  'request_id',
  'details',
  'sensitive',
] as const;

/**
 * Canonical bytes of an event: the encoding version then every stored field in a fixed order, as
 * compact JSON (JSON.stringify), so changing any field of a stored row changes its leaf hash.
 * JSON of an array is unambiguous (no field can bleed into the next) and easy to re-implement in
 * an independent verifier. Integers are written as numbers, everything else as strings or null.
 */
export function encodeAuditEvent(row: Omit<AuditEventsTable, 'leaf_hash' | 'mac'>): Buffer {
  return Buffer.from(
    JSON.stringify([
      ENCODING_VERSION,
      row.id,
      row.tenant_id,
      Number(row.seq),
      Number(row.occurred_at),
      row.actor_type,
      row.actor_id,
      row.actor_name,
      row.action,
      row.outcome,
      row.target_type,
      row.target_id,
      row.reason,
      row.origin_ip,
      row.user_agent,
      row.request_id,
      row.details,
      row.sensitive,
    ]),
    'utf8',
  );
}

/** RFC 6962 leaf hash: SHA-256(0x00 || data) (the Merkle library's one-shot implementation). */
export function auditLeafHash(data: Buffer): Buffer {
  return hashLeaf(data);
}

/**
 * Vigil's seal on an event: HMAC-SHA-256 of its leaf hash under the tenant's event MAC key. A
 * KeyObject made once (createSecretKey) spares the key import per event when checking many.
 */
export function auditEventMac(key: Buffer | KeyObject, leafHash: Uint8Array): Buffer {
  return createHmac('sha256', key).update(leafHash).digest();
}
