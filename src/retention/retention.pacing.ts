import { performance } from 'node:perf_hooks';

/**
 * How a purge shares the process and the database with ingest. A batch holds the tenant's holds
 * and audit locks until it commits, and on SQLite the only connection and the event loop too (its
 * calls complete synchronously); so batches are kept short in the time they keep the event loop
 * busy, not only in rows, and the event loop runs between them. On PostgreSQL a batch mostly
 * waits for the server, during which the process goes on serving ingest on other connections:
 * that waiting does not count against the budget.
 */

/** A batch that kept the event loop busy longer than this is followed by a smaller one. */
export const BATCH_BUDGET_MS = 250;
/** Adapted batches never shrink below this (unless configured smaller): per-batch costs stay small. */
const MIN_ADAPTED_BATCH = 200;

/**
 * The next batch size: in proportion to the budget when the last batch overran it, doubling back
 * towards the configured size when it took less than half of it.
 */
export function nextBatchSize(current: number, configured: number, elapsedMs: number): number {
  if (elapsedMs > BATCH_BUDGET_MS) {
    const floor = Math.min(configured, MIN_ADAPTED_BATCH);
    return Math.max(floor, Math.floor((current * BATCH_BUDGET_MS) / elapsedMs));
  }
  if (elapsedMs < BATCH_BUDGET_MS / 2) return Math.min(configured, current * 2);
  return current;
}

/**
 * Lets the event loop run (pending requests, worker replies, timers): SQLite calls complete
 * synchronously, so without this a long purge would hold back every request the same process
 * serves (ingest).
 */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Starts timing a batch; the returned function gives the milliseconds the event loop has been busy
 * since (running code rather than waiting for I/O: on SQLite all of the batch, on PostgreSQL the
 * process's own share). For pacing only: retention decisions use the injected clock.
 */
export function startPacing(): () => number {
  const before = performance.eventLoopUtilization();
  return () => performance.eventLoopUtilization(before).active;
}
