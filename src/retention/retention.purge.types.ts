import type { InteractionsLifecycle } from '../interactions/index.ts';
import type { Logger } from '../logging/logger.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { Db, StorageDialect } from '../storage/index.ts';
import type { SubjectsService } from '../subjects/index.ts';
import type { VaultRetention } from '../vault/index.ts';
import type { Caller } from './retention.caller.ts';
import type { DataCategory } from './retention.categories.ts';
import type { DisposeDeps } from './retention.dispose.ts';
import type { PackRegistry } from './retention.packs.ts';
import type { Policy, ScopeRules } from './retention.rules.ts';
import type { Evaluation } from './retention.settings.ts';

export interface PurgeDeps extends DisposeDeps {
  db: Db;
  dialect: Pick<StorageDialect, 'lockInTransaction'>;
  ids: IdGenerator;
  logger: Logger;
  packs: PackRegistry;
  lifecycle: DisposeDeps['lifecycle'] &
    Pick<InteractionsLifecycle, 'findIngestedBefore' | 'findRecordedBefore'>;
  subjects: DisposeDeps['subjects'] & Pick<SubjectsService, 'listNotSeenSince'>;
  vault: DisposeDeps['vault'] & Pick<VaultRetention, 'findTokensOlderThan'>;
  evaluate(tenantId: string): Promise<Evaluation>;
}

export type KeepReason =
  | 'hold'
  | 'conflict'
  | 'not_expired'
  | 'no_policy'
  | 'already_anonymized'
  | 'has_interactions';

/** Counts of one category in a purge or plan. */
export interface CategoryTally {
  scanned: number;
  /** Past retention and not held: disposed by a run, what a plan says would go. */
  due: number;
  deleted: number;
  anonymized: number;
  recordingsRemoved: number;
  erased: number;
  kept: Partial<Record<KeepReason, number>>;
}

/** One record a plan lists: what would happen to it, and why. */
export interface PlanItem {
  category: DataCategory;
  id: string;
  action: 'delete' | 'anonymize' | 'remove_recording' | 'erase' | 'keep';
  reason: string;
  policyId: string | null;
  ageDays: number;
  scope: string;
}

export interface PurgeReport {
  tenantId: string;
  mode: 'plan' | 'run';
  runId: string | null;
  referenceAt: number;
  aborted: boolean;
  interruptedRuns: number;
  categories: Partial<Record<DataCategory, CategoryTally>>;
  subjectsErased: number;
  certificates: string[];
  recordingFilesRemoved: number;
  conflicts: { category: DataCategory; scope: string; message: string }[];
  gaps: { category: DataCategory; scope: string; message: string }[];
  /** Plan only: the records that would go (and held ones), up to the plan limit. */
  items: PlanItem[];
  itemsTruncated: boolean;
  auditLog: { retentionDays: number; minimumDays: number; note: string } | null;
  /** Erasures re-applied from the journal (a restored database), or a journal that failed its check. */
  journal: { replayed: number; reErased: number; tampered: boolean } | null;
  /** Customer keys scheduled for destruction after the batches erased their customers. */
  subjectKeysScheduled: number;
}

export interface PurgeOptions {
  mode: 'plan' | 'run';
  caller: Caller;
  trigger: 'job' | 'cli' | 'api';
  now: number;
  batchSize?: number;
  signal?: AbortSignal;
  /** Plan: how many items to list (counts are always complete). */
  planLimit?: number;
  /** Called after each committed batch (progress output, crash tests). */
  onBatch?(progress: { category: DataCategory; certificateId: string | null; disposed: number }): void;
}

/** The state one tenant's purge carries through its category scans. */
export interface PurgeContext {
  deps: PurgeDeps;
  tenantId: string;
  options: PurgeOptions;
  batchSize: number;
  runId: string;
  report: PurgeReport;
  evaluation: Evaluation;
  policies: readonly Policy[];
  rulesFor(category: DataCategory, region: string | null): ScopeRules;
  regionsOf(db: Db, subjectIds: readonly (string | null)[]): Promise<Map<string, string | null>>;
  tally(category: DataCategory): CategoryTally;
  addItem(item: PlanItem): void;
}
