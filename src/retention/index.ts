export type { ErasureOutcome, KeptItem } from './dsar.erase.ts';
export { type AccessExport, escapeHtml, exportHtml } from './dsar.export.ts';
export { dsarHttpModule } from './dsar.routes.ts';
export type { DsarService, OpenCaseInput } from './dsar.service.ts';
export type { DsarCase } from './dsar.view.ts';
export { type Caller, callerOf, systemCaller } from './retention.caller.ts';
export {
  DATA_CATEGORIES,
  type DataCategory,
  INTERACTION_CATEGORIES,
  RETENTION_ACTIONS,
  type RetentionAction,
} from './retention.categories.ts';
export type { DisposalContents, IssuedCertificate } from './retention.certificates.ts';
export { addPeriod, breachDuties, type CaseDeadlines, caseDeadlines } from './retention.deadlines.ts';
export { retentionError } from './retention.errors.ts';
export type { Hold, HoldInput, HoldQuery, HoldTarget } from './retention.holds.ts';
export { createErasureJournal, type ErasureJournal, type JournalEntry } from './retention.journal.ts';
export { createRetentionModule, type RetentionModule, type RetentionModuleDeps } from './retention.module.ts';
export {
  builtinPacks,
  createPackRegistry,
  type JurisdictionPack,
  loadPacks,
  type PackRegistry,
} from './retention.packs.ts';
export { summarize as summarizePurge } from './retention.purge.ts';
export type { PlanItem, PurgeOptions, PurgeReport } from './retention.purge.types.ts';
export { retentionHttpModule } from './retention.routes.ts';
export {
  type Assignment,
  decide,
  evaluateScope,
  type Policy,
  type ScopeRules,
  scopeOfRegion,
} from './retention.rules.ts';
export type { RetentionTables } from './retention.tables.ts';
