export { listRecentJobRuns } from './jobs.queries.ts';
export {
  createScheduler,
  type JobContext,
  type JobDefinition,
  type JobReport,
  type JobRunResult,
  type Scheduler,
} from './scheduler.ts';
