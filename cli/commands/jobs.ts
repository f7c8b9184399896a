import type { Command } from 'commander';
import { listRecentJobRuns } from '../../src/jobs/index.ts';
import { createVigilScheduler } from '../../src/main.ts';
import { withVigil } from '../context.ts';

/** `vigil jobs list|run`: see scheduled jobs and their last runs, or run one now. */
export function registerJobsCommand(program: Command): void {
  const jobs = program
    .command('jobs')
    .description('scheduled jobs (retention, key re-wrap, checkpoints, ...)');
  jobs
    .command('list')
    .description('list jobs and their most recent runs')
    .action(async (_options: unknown, command: Command) => {
      await withVigil(command, async (vigil) => {
        process.stdout.write(
          `jobs: ${vigil.jobs.map((j) => `${j.name} (every ${Math.round(j.intervalMs / 60000)} min)`).join(', ') || 'none'}\n`,
        );
        for (const run of await listRecentJobRuns(vigil.storage.db, 20)) {
          process.stdout.write(
            `${new Date(Number(run.started_at)).toISOString()}  ${run.job}  ${run.outcome}  ${run.node}  ${run.report ?? ''}\n`,
          );
        }
      });
    });
  jobs
    .command('run <name>')
    .description('run one job now (exclusive across nodes)')
    .action(async (name: string, _options: unknown, command: Command) => {
      await withVigil(command, async (vigil) => {
        const result = await createVigilScheduler(vigil).runNow(name);
        process.stdout.write(`${JSON.stringify(result)}\n`);
        if (result.outcome === 'failed') process.exitCode = 1;
      });
    });
}
