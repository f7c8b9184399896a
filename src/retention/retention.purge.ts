import type { AuditRetention } from '../audit/index.ts';
import type { Db } from '../storage/index.ts';
import { DATA_CATEGORIES, type DataCategory, INTERACTION_CATEGORIES } from './retention.categories.ts';
import { finishRun, insertRun, markInterruptedRuns } from './retention.disposal.queries.ts';
import { flushPendingFiles } from './retention.dispose.ts';
import type {
  CategoryTally,
  PlanItem,
  PurgeContext,
  PurgeDeps,
  PurgeOptions,
  PurgeReport,
} from './retention.purge.types.ts';
import { purgeInteractionCategory, purgeRecordings } from './retention.purge-interactions.ts';
import { purgeCardTokens, purgeProfiles } from './retention.purge-stores.ts';
import { evaluateScope, type ScopeRules, scopeOfRegion } from './retention.rules.ts';
import { recheckShreds, type ShredDeps, scheduleQueuedShreds } from './retention.shreds.ts';

export const DEFAULT_BATCH_SIZE = 1000;
const DEFAULT_PLAN_LIMIT = 1000;

export type FullPurgeDeps = PurgeDeps & ShredDeps & { auditRetention: Pick<AuditRetention, 'get'> };

function newReport(tenantId: string, options: PurgeOptions): PurgeReport {
  return {
    tenantId,
    mode: options.mode,
    runId: null,
    referenceAt: options.now,
    aborted: false,
    interruptedRuns: 0,
    categories: {},
    subjectsErased: 0,
    certificates: [],
    recordingFilesRemoved: 0,
    conflicts: [],
    gaps: [],
    items: [],
    itemsTruncated: false,
    auditLog: null,
    journal: null,
    subjectKeysScheduled: 0,
  };
}

async function createContext(
  deps: PurgeDeps,
  tenantId: string,
  options: PurgeOptions,
  report: PurgeReport,
): Promise<PurgeContext> {
  const evaluation = await deps.evaluate(tenantId);
  for (const s of evaluation.scopes) {
    for (const c of s.conflicts)
      report.conflicts.push({ category: s.category, scope: s.scope, message: c.message });
    for (const g of s.gaps) report.gaps.push({ category: s.category, scope: s.scope, message: g.message });
  }
  const rules = new Map<string, ScopeRules>();
  // Rows are decided one by one: the scope of a region is worked out once, not once per row.
  const byRegion = new Map<string, ScopeRules>();
  const planLimit = options.planLimit ?? DEFAULT_PLAN_LIMIT;
  return {
    deps,
    tenantId,
    options,
    batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
    runId: deps.ids.newId(),
    report,
    evaluation,
    policies: evaluation.policies,
    rulesFor(category: DataCategory, region: string | null) {
      const regionKey = region === null ? category : `${category}|${region}`;
      const known = byRegion.get(regionKey);
      if (known) return known;
      const scope = scopeOfRegion(evaluation.assignment, region);
      const key = `${category}|${scope.packs.join(',')}|${scope.scope}`;
      let found = rules.get(key);
      if (!found) {
        found = evaluateScope(deps.packs, scope, category, evaluation.policies);
        rules.set(key, found);
      }
      byRegion.set(regionKey, found);
      return found;
    },
    async regionsOf(db: Db, subjectIds: readonly (string | null)[]) {
      // Without segments every customer is under the tenant-wide packs: no lookup needed.
      if (evaluation.assignment.segments.length === 0) return new Map();
      const ids = [...new Set(subjectIds.filter((s): s is string => s !== null))];
      const subjects = await deps.subjects.getMany(db, tenantId, ids);
      return new Map([...subjects].map(([id, s]) => [id, s.region]));
    },
    tally(category: DataCategory): CategoryTally {
      let t = report.categories[category];
      if (!t) {
        t = { scanned: 0, due: 0, deleted: 0, anonymized: 0, recordingsRemoved: 0, erased: 0, kept: {} };
        report.categories[category] = t;
      }
      return t;
    },
    addItem(item: PlanItem) {
      if (options.mode !== 'plan') return;
      if (report.items.length < planLimit) report.items.push(item);
      else report.itemsTruncated = true;
    },
  };
}

async function scanAll(ctx: PurgeContext): Promise<void> {
  for (const category of INTERACTION_CATEGORIES) await purgeInteractionCategory(ctx, category);
  await purgeRecordings(ctx);
  await purgeCardTokens(ctx);
  await purgeProfiles(ctx);
}

/**
 * One tenant's purge (mode run) or dry run (mode plan). A run records itself, finishes the
 * recording removals a crashed run left, purges every category in bounded batches (each its own
 * transaction with its certificate), then rechecks the customer keys it scheduled for destruction.
 * The caller holds the single-run lock.
 */
export async function purgeTenant(
  deps: FullPurgeDeps,
  tenantId: string,
  options: PurgeOptions,
): Promise<PurgeReport> {
  const report = newReport(tenantId, options);
  const ctx = await createContext(deps, tenantId, options, report);
  const audit = await deps.auditRetention.get(tenantId);
  report.auditLog = {
    retentionDays: audit.retentionDays,
    minimumDays: audit.minimumDays,
    note: 'the audit log is append-only and Merkle-chained: its retention is recorded with the audit module, which enforces the legal minimum; events are not deleted by the purge',
  };
  if (options.mode === 'plan') {
    await scanAll(ctx);
    return report;
  }
  report.runId = ctx.runId;
  const now = options.now;
  report.interruptedRuns = await markInterruptedRuns(deps.db, tenantId, now);
  await insertRun(deps.db, {
    tenant_id: tenantId,
    id: ctx.runId,
    trigger: options.trigger,
    actor: `${options.caller.actor.type}:${options.caller.actor.id}`,
    started_at: deps.clock.now(),
    reference_at: now,
    finished_at: null,
    status: 'running',
    report: null,
    certificates: 0,
  });
  try {
    report.recordingFilesRemoved += await flushPendingFiles(deps.db, deps, tenantId);
    await scanAll(ctx);
    // Keys of the customers the batches erased, then the verify-before-destroy pass over all of them.
    const shreds = await scheduleQueuedShreds(
      deps,
      options.caller,
      options.signal ? { signal: options.signal } : {},
    );
    report.subjectKeysScheduled = shreds.scheduled;
    if (!report.aborted) await recheckShreds(deps, options.caller, now);
    await finishRun(deps.db, tenantId, ctx.runId, {
      finished_at: deps.clock.now(),
      status: report.aborted ? 'aborted' : 'completed',
      report: JSON.stringify(summarize(report)),
      certificates: report.certificates.length,
    });
    return report;
  } catch (error) {
    await finishRun(deps.db, tenantId, ctx.runId, {
      finished_at: deps.clock.now(),
      status: 'failed',
      report: JSON.stringify(summarize(report)),
      certificates: report.certificates.length,
    });
    throw error;
  }
}

/** The counts of a report, without plan items (what a run row and a job report keep). */
export function summarize(report: PurgeReport) {
  const totals = {
    deleted: 0,
    anonymized: 0,
    recordingsRemoved: 0,
    erased: 0,
    held: 0,
    blockedByConflict: 0,
  };
  for (const category of DATA_CATEGORIES) {
    const t = report.categories[category];
    if (!t) continue;
    totals.deleted += t.deleted;
    totals.anonymized += t.anonymized;
    totals.recordingsRemoved += t.recordingsRemoved;
    totals.erased += t.erased;
    totals.held += t.kept.hold ?? 0;
    totals.blockedByConflict += t.kept.conflict ?? 0;
  }
  return {
    ...totals,
    subjectsErased: report.subjectsErased,
    certificates: report.certificates.length,
    categories: report.categories,
    conflicts: report.conflicts.length,
    aborted: report.aborted,
  };
}
