export { auditLeafHash, encodeAuditEvent } from './audit.encoding.ts';
export { auditLockKey, createAuditRecorder } from './audit.recorder.ts';
export type { AuditEventsTable, AuditTables } from './audit.tables.ts';
export type {
  AuditActorType,
  AuditEventInput,
  AuditOutcome,
  AuditRecorder,
  DbOrTransaction,
  RecordedAuditEvent,
} from './audit.types.ts';
