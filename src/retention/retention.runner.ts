import type { AuditModule } from '../audit/index.ts';
import type { JobContext, JobDefinition, JobReport } from '../jobs/index.ts';
import type { Logger } from '../logging/logger.ts';
import { type Clock, DAY_MS, HOUR_MS, MINUTE_MS } from '../shared/clock.ts';
import type { Db, StorageDialect } from '../storage/index.ts';
import { type ErasureDeps, eraseSubject } from './dsar.erase.ts';
import type { DsarService } from './dsar.service.ts';
import { auditFrom, type Caller, systemCaller } from './retention.caller.ts';
import { journalWatermark, setJournalWatermark } from './retention.disposal.queries.ts';
import { retentionError } from './retention.errors.ts';
import type { ErasureJournal } from './retention.journal.ts';
import { type FullPurgeDeps, purgeTenant, summarize } from './retention.purge.ts';
import type { PurgeOptions, PurgeReport } from './retention.purge.types.ts';
import type { ComplianceChecks } from './retention.report.ts';

export interface RunnerDeps {
  db: Db;
  dialect: Pick<StorageDialect, 'tryWithJobLock'>;
  clock: Clock;
  logger: Logger;
  audit: Pick<AuditModule, 'record'>;
  journal: ErasureJournal;
  purgeDeps: FullPurgeDeps;
  erasureDeps: ErasureDeps;
  dsar: Pick<DsarService, 'completeAwaiting'>;
  checks: Pick<ComplianceChecks, 'run'>;
  listTenantIds(): Promise<string[]>;
}

/**
 * One purge of a tenant at a time, across nodes and whether the scheduler, the CLI or the API
 * started it. Per tenant, so a long purge of one tenant never holds back another's.
 */
const purgeLock = (tenantId: string) => `retention:purge:${tenantId}`;
/** Journal entries this recent may belong to an erasure still running; replay leaves them a moment. */
const REPLAY_GRACE_MS = 10 * MINUTE_MS;

/** Runs purges (journal replay, purge, pending erasures) for the CLI, the API and the scheduled jobs. */
export function createPurgeRunner(deps: RunnerDeps) {
  const { db, dialect, journal, purgeDeps, erasureDeps, dsar, checks } = deps;

  /** Re-applies journaled erasures this database has not seen (it was restored from an older backup). */
  async function replayJournal(
    caller: Caller,
    options: { now?: number; includeRecent?: boolean } = {},
  ): Promise<{ replayed: number; reErased: number }> {
    const now = options.now ?? deps.clock.now();
    const watermark = await journalWatermark(db, caller.tenantId);
    // Entries of the last minutes may be erasures still running on this or another node; an
    // operator replaying after a restore knows none is (includeRecent).
    const latest = options.includeRecent ? Number.POSITIVE_INFINITY : now - REPLAY_GRACE_MS;
    const pending = journal.read(caller.tenantId).filter((e) => e.seq > watermark && e.at <= latest);
    let reErased = 0;
    for (const entry of pending) {
      const result = await eraseSubject(erasureDeps, caller, {
        caseId: entry.caseId,
        subjectId: entry.subjectId,
        region: null,
        now,
        journal: false,
      });
      if (result.deleted + result.anonymized > 0 || (result.erased && result.certificates.length > 0))
        reErased++;
      await setJournalWatermark(db, caller.tenantId, entry.seq, deps.clock.now());
    }
    if (reErased > 0) {
      await deps.audit.record(db, {
        ...auditFrom(caller),
        action: 'retention.journal.replayed',
        outcome: 'success',
        target: { type: 'erasure_journal', id: caller.tenantId },
        details: { entries: pending.length, reErased },
      });
      deps.logger.warn(
        { tenantId: caller.tenantId, reErased },
        'erasures re-applied from the journal: this database was restored from a backup older than them',
      );
    }
    return { replayed: pending.length, reErased };
  }

  /** Replays the journal; a journal that fails its check is an incident to raise, not a reason to stop purging. */
  async function safeReplay(caller: Caller, now: number): Promise<PurgeReport['journal']> {
    try {
      return { ...(await replayJournal(caller, { now })), tampered: false };
    } catch (error) {
      if ((error as { code?: string }).code !== 'JOURNAL_TAMPERED') throw error;
      deps.logger.error(
        { tenantId: caller.tenantId },
        'the erasure journal failed its integrity check; it was not applied',
      );
      await deps.audit.record(db, {
        ...auditFrom(caller),
        action: 'retention.journal.replayed',
        outcome: 'failure',
        target: { type: 'erasure_journal', id: caller.tenantId },
        details: { problem: 'integrity check failed' },
      });
      return { replayed: 0, reErased: 0, tampered: true };
    }
  }

  async function purgeOne(
    caller: Caller,
    options: Omit<PurgeOptions, 'mode' | 'caller'>,
  ): Promise<PurgeReport> {
    const journalResult = await safeReplay(caller, options.now);
    const report = await purgeTenant(purgeDeps, caller.tenantId, { ...options, mode: 'run', caller });
    report.journal = journalResult;
    await dsar.completeAwaiting(caller);
    return report;
  }

  async function purgeJob(context: JobContext): Promise<JobReport> {
    const totals: JobReport = {
      tenants: 0,
      skipped: 0,
      deleted: 0,
      anonymized: 0,
      recordingsRemoved: 0,
      erased: 0,
      subjectsErased: 0,
      certificates: 0,
      held: 0,
    };
    for (const tenantId of await deps.listTenantIds()) {
      if (context.signal.aborted) break;
      const caller = systemCaller(tenantId, 'job:retention.purge', 'retention purge');
      const report = await dialect.tryWithJobLock(db, purgeLock(tenantId), () =>
        purgeOne(caller, { trigger: 'job', now: context.now, signal: context.signal }),
      );
      if (!report) {
        // Someone is purging this tenant right now (the CLI, the API): it will be done by them.
        totals['skipped'] = Number(totals['skipped']) + 1;
        continue;
      }
      const summary = summarize(report);
      totals['tenants'] = Number(totals['tenants']) + 1;
      for (const key of [
        'deleted',
        'anonymized',
        'recordingsRemoved',
        'erased',
        'subjectsErased',
        'certificates',
        'held',
      ] as const)
        totals[key] = Number(totals[key]) + summary[key];
    }
    return totals;
  }

  async function checkJob(context: JobContext): Promise<JobReport> {
    const report: JobReport = { tenants: 0, overdue: 0 };
    for (const tenantId of await deps.listTenantIds()) {
      if (context.signal.aborted) break;
      const result = await checks.run(
        systemCaller(tenantId, 'job:retention.check', 'retention compliance check'),
        context.now,
      );
      report['tenants'] = Number(report['tenants']) + 1;
      report['overdue'] = Number(report['overdue']) + result.overdue;
    }
    return report;
  }

  const jobs: JobDefinition[] = [
    { name: 'retention.purge', intervalMs: HOUR_MS, run: purgeJob },
    // Monthly, so a missed or failed run still leaves a check inside every quarter (PCI DSS 3.2.1).
    { name: 'retention.check', intervalMs: 30 * DAY_MS, run: checkJob },
  ];

  return {
    replayJournal,
    jobs,
    /** Purges one tenant now (CLI, API), exclusive with the scheduled purge on every node. */
    async run(
      caller: Caller,
      options: Partial<Omit<PurgeOptions, 'mode' | 'caller'>> = {},
    ): Promise<PurgeReport> {
      const report = await dialect.tryWithJobLock(db, purgeLock(caller.tenantId), () =>
        purgeOne(caller, { trigger: 'api', now: deps.clock.now(), ...options }),
      );
      if (!report) throw retentionError('RUN_IN_PROGRESS');
      return report;
    },
  };
}
