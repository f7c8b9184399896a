import { defineErrors } from '../shared/errors.ts';

/** Error catalog of the audit feature; messages name what was asked, never a secret. */
export const auditError = defineErrors({
  AUDIT_EVENT_NOT_FOUND: { kind: 'not_found', message: 'audit event not found' },
  AUDIT_CHECKPOINT_NOT_FOUND: { kind: 'not_found', message: 'no checkpoint of that tree size' },
  AUDIT_NOT_CHECKPOINTED: {
    kind: 'conflict',
    message: 'the event is not covered by a checkpoint yet; create one first',
  },
  AUDIT_INVALID_RANGE: { kind: 'invalid', message: 'from must be at least 1 and not greater than to' },
  AUDIT_INVALID_PAGE_SIZE: {
    kind: 'invalid',
    message: 'verification page size must be a whole number from 1 to 100000',
  },
  AUDIT_INVALID_COMPARISON_SIZE: {
    kind: 'invalid',
    message: 'stored nodes per comparison must be a whole number from 1 to 1000000',
  },
  AUDIT_INVALID_CURSOR: { kind: 'invalid', message: 'cursor is not one this API returned' },
  AUDIT_LOG_BROKEN: {
    kind: 'internal',
    message: 'the audit log failed an integrity check; run `vigil audit verify`',
  },
  AUDIT_KEY_UNWRAP_FAILED: {
    kind: 'internal',
    message: 'a stored audit key cannot be unwrapped with this root key',
  },
  AUDIT_RETENTION_BELOW_MINIMUM: {
    kind: 'forbidden',
    message: 'audit log retention cannot be shorter than the tenant minimum',
  },
  AUDIT_RETENTION_INVALID: { kind: 'invalid', message: 'retention must be a whole number of days' },
  AUDIT_PURGE_TOO_RECENT: {
    kind: 'forbidden',
    message: 'audit events younger than the retention period cannot be purged',
  },
  AUDIT_SINK_INVALID: { kind: 'invalid', message: 'sink settings are invalid' },
  AUDIT_SINK_NOT_FOUND: { kind: 'not_found', message: 'audit sink not found' },
  AUDIT_SINK_NAME_TAKEN: { kind: 'conflict', message: 'an audit sink with this name already exists' },
});
