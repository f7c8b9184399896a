/** Tables owned by the foundation. Times are epoch milliseconds in 64-bit integer columns. */
export interface TenantsTable {
  id: string;
  slug: string;
  name: string;
  status: 'active' | 'suspended';
  created_at: number;
}

export interface JobRunsTable {
  id: string;
  job: string;
  node: string;
  started_at: number;
  finished_at: number | null;
  outcome: 'running' | 'succeeded' | 'failed' | 'skipped';
  /** JSON object of the counts a job reports (items processed, batches, ...). */
  report: string | null;
}

export interface JobLocksTable {
  name: string;
  holder: string;
  expires_at: number;
}

export interface FoundationTables {
  job_locks: JobLocksTable;
  tenants: TenantsTable;
  job_runs: JobRunsTable;
  kysely_migration: { name: string; timestamp: string };
}
