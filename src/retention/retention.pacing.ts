/**
 * How a purge shares the process and the database with ingest. A batch holds the tenant's holds
 * and audit locks (and, on SQLite, the only connection and the event loop: its calls complete
 * synchronously) until it commits; so batches are kept short in time, not only in rows, and the
 * event loop runs between them.
 */

/** A batch that took longer than this is followed by a smaller one. */
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

/** Wall time for pacing only (never for retention decisions, which use the injected clock). */
export const elapsedSince = (startedMs: number) => performance.now() - startedMs;
export const pacingNow = () => performance.now();
