import type { Db } from '../storage/index.ts';
import type { JobRunsTable } from '../storage/storage.tables.ts';

export function findLastJobRun(db: Db, job: string) {
  return db
    .selectFrom('job_runs')
    .select(['started_at', 'outcome'])
    .where('job', '=', job)
    .where('outcome', 'in', ['succeeded', 'failed'])
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function insertJobRun(db: Db, row: JobRunsTable): Promise<void> {
  await db.insertInto('job_runs').values(row).execute();
}

export async function finishJobRun(
  db: Db,
  id: string,
  fields: Pick<JobRunsTable, 'finished_at' | 'outcome' | 'report'>,
): Promise<void> {
  await db.updateTable('job_runs').set(fields).where('id', '=', id).execute();
}

export function listRecentJobRuns(db: Db, limit: number) {
  return db.selectFrom('job_runs').selectAll().orderBy('started_at', 'desc').limit(limit).execute();
}
