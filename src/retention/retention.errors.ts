import { defineErrors } from '../shared/errors.ts';

/** Error codes of retention, legal holds and data-subject requests. Messages never name a customer. */
export const retentionError = defineErrors({
  PACK_UNKNOWN: { kind: 'invalid', message: 'unknown jurisdiction pack' },
  SEGMENT_INVALID: {
    kind: 'invalid',
    message: 'segments need a unique name, at least one region, and regions in only one segment',
  },
  ACTION_NOT_ALLOWED: {
    kind: 'invalid',
    message: 'only interaction categories can be anonymized; other categories are deleted',
  },
  POLICY_CONFLICT: { kind: 'conflict', message: 'this policy conflicts with a jurisdiction rule' },
  POLICY_NOT_FOUND: { kind: 'not_found', message: 'retention policy not found' },
  HOLD_NOT_FOUND: { kind: 'not_found', message: 'legal hold not found' },
  HOLD_ALREADY_RELEASED: { kind: 'conflict', message: 'this legal hold was already released' },
  HOLD_TARGET_INVALID: {
    kind: 'invalid',
    message: 'a hold names a customer, interaction ids, or a query with at least one filter',
  },
  HOLD_NO_MATCH: { kind: 'invalid', message: 'no customer matches the identifier given for the hold' },
  HOLD_EXPIRY_INVALID: { kind: 'invalid', message: 'a hold expiry must be in the future' },
  RUN_IN_PROGRESS: {
    kind: 'conflict',
    message: 'a retention run is already in progress on another node; try again when it ends',
  },
  CERTIFICATE_NOT_FOUND: { kind: 'not_found', message: 'disposal certificate not found' },
  CHECK_NOT_FOUND: { kind: 'not_found', message: 'compliance check not found' },
  CASE_NOT_FOUND: { kind: 'not_found', message: 'data subject request not found' },
  CASE_CLOSED: { kind: 'conflict', message: 'this data subject request is already closed' },
  CASE_KIND_MISMATCH: { kind: 'conflict', message: 'this operation does not apply to this kind of request' },
  IDENTIFIER_REQUIRED: {
    kind: 'invalid',
    message: 'identify the data subject by exactly one of phone, email or customerRef',
  },
  EXTENSION_NOT_ALLOWED: {
    kind: 'conflict',
    message: 'no applicable jurisdiction allows extending this request (or it was already extended)',
  },
  RECEIVED_IN_FUTURE: { kind: 'invalid', message: 'receivedAt cannot be in the future' },
  DISPOSAL_RACE: {
    kind: 'conflict',
    message: 'a concurrent change removed records of this batch; it was rolled back and will be retried',
  },
  JOURNAL_TAMPERED: {
    kind: 'internal',
    message: 'the erasure journal failed its integrity check; it was not applied',
  },
});
