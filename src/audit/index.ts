export type { AuditCheckpoint } from './audit.checkpoints.ts';
export { auditEventMac, auditLeafHash, encodeAuditEvent } from './audit.encoding.ts';
export { auditError } from './audit.errors.ts';
export type { AuditEventPage, AuditEventView } from './audit.events.ts';
export { type AuditModule, type AuditModuleDeps, createAuditModule } from './audit.module.ts';
export type { AuditEventFilter } from './audit.queries.ts';
export { auditLockKey, createAuditRecorder } from './audit.recorder.ts';
export {
  AUDIT_RETENTION_FLOOR_DAYS,
  type AuditActor,
  type AuditRetention,
  type AuditRetentionPolicy,
} from './audit.retention.ts';
export type { AuditEventsTable, AuditTables } from './audit.tables.ts';
export type { TreeAdvance } from './audit.tree.ts';
export type {
  AuditActorType,
  AuditEventInput,
  AuditOutcome,
  AuditRecorder,
  DbOrTransaction,
  RecordedAuditEvent,
} from './audit.types.ts';
export type {
  AuditProblem,
  AuditProblemKind,
  AuditVerifyReport,
  VerifyFrom,
  VerifyOptions,
} from './audit.verify-types.ts';
export { serializeProofBundle, verifyProofBundle } from './checkpoint/index.ts';
export { OCSF_VERSION, toOcsf, toOcsfNdjson } from './export/export.ocsf.ts';
export type { SinkInput } from './export/export.settings.ts';
export type { AuditSinkView } from './export/export.sinks.ts';
export {
  signWebhook,
  verifyWebhookSignature,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from './export/export.webhook-signature.ts';
export { auditHttpModule } from './http/audit.routes.ts';
