import type { Logger } from '../logging/logger.ts';
import type { Clock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { Storage } from '../storage/index.ts';
import { findLastJobRun, finishJobRun, insertJobRun } from './jobs.queries.ts';

export interface JobContext {
  now: number;
  signal: AbortSignal;
}

/** Counts a job reports (items processed, batches, ...), stored with its run. */
export type JobReport = Record<string, number | string>;

/**
 * A scheduled job: an idempotent function of (deps, { now, signal }) that works in bounded
 * batches, each its own short transaction, and reports counts. Deps are bound when defined.
 */
export interface JobDefinition {
  name: string;
  intervalMs: number;
  run(context: JobContext): Promise<JobReport>;
}

export interface SchedulerDeps {
  storage: Pick<Storage, 'db' | 'dialect'>;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  nodeName: string;
}

export type JobRunResult =
  | { outcome: 'succeeded'; report: JobReport }
  | { outcome: 'failed'; error: string }
  | { outcome: 'skipped' };

/**
 * Runs each job at most once per interval across every node: a PostgreSQL advisory lock (or, on
 * SQLite, the single process) makes the run exclusive, and the last recorded run decides due-ness.
 */
export function createScheduler(deps: SchedulerDeps, jobs: readonly JobDefinition[]) {
  const { storage, clock, ids, logger } = deps;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | undefined;

  async function execute(job: JobDefinition, force: boolean): Promise<JobRunResult> {
    const result = await storage.dialect.tryWithJobLock(
      storage.db,
      `job:${job.name}`,
      async (): Promise<JobRunResult> => {
        const now = clock.now();
        const last = await findLastJobRun(storage.db, job.name);
        if (!force && last && Number(last.started_at) + job.intervalMs > now) return { outcome: 'skipped' };
        const id = ids.newId();
        await insertJobRun(storage.db, {
          id,
          job: job.name,
          node: deps.nodeName,
          started_at: now,
          finished_at: null,
          outcome: 'running',
          report: null,
        });
        try {
          const report = await job.run({ now, signal: controller.signal });
          await finishJobRun(storage.db, id, {
            finished_at: clock.now(),
            outcome: 'succeeded',
            report: JSON.stringify(report),
          });
          logger.info({ job: job.name, report }, 'job finished');
          return { outcome: 'succeeded', report };
        } catch (error) {
          const message = error instanceof Error ? error.message : 'unknown error';
          await finishJobRun(storage.db, id, {
            finished_at: clock.now(),
            outcome: 'failed',
            report: JSON.stringify({ error: message }),
          });
          logger.error({ job: job.name, err: error }, 'job failed');
          return { outcome: 'failed', error: message };
        }
      },
    );
    return result ?? { outcome: 'skipped' };
  }

  async function tick(): Promise<void> {
    for (const job of jobs) {
      if (controller.signal.aborted) return;
      await execute(job, false);
    }
  }

  return {
    /** Runs one job now (CLI `vigil jobs run`), still exclusive across nodes. */
    runNow(name: string): Promise<JobRunResult> {
      const job = jobs.find((j) => j.name === name);
      if (!job) throw new Error(`unknown job ${name}; known: ${jobs.map((j) => j.name).join(', ')}`);
      return execute(job, true);
    },
    /** Checks every pollMs which jobs are due. */
    start(pollMs = 30_000): void {
      const loop = () => {
        ticking = tick().catch((error) => logger.error({ err: error }, 'scheduler tick failed'));
        void ticking.then(() => {
          if (!controller.signal.aborted) timer = setTimeout(loop, pollMs);
        });
      };
      timer = setTimeout(loop, 1000);
    },
    /** Stops scheduling and waits for the running tick; jobs see the abort signal and stop between batches. */
    async stop(): Promise<void> {
      controller.abort();
      if (timer) clearTimeout(timer);
      await ticking;
    },
    jobs: jobs.map((j) => j.name),
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
