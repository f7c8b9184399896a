import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { PrepareJob, PrepareJobResult } from './prepare.worker.ts';

/**
 * Worker threads that parse and redact chunks of input while the main thread writes the previous
 * chunks to the database. One worker per core but one: the main thread has the database work.
 */
export function createPreparePool(size = Math.max(1, availableParallelism() - 1)) {
  const workers = Array.from(
    { length: size },
    () => new Worker(new URL('./prepare-worker-entry.mjs', import.meta.url)),
  );
  const waiting = new Map<number, { resolve(r: PrepareJobResult): void; reject(e: Error): void }>();
  for (const worker of workers) {
    worker.on('message', (result: PrepareJobResult) => {
      const entry = waiting.get(result.id);
      waiting.delete(result.id);
      entry?.resolve(result);
    });
    worker.on('error', (error) => {
      for (const entry of waiting.values()) entry.reject(error);
      waiting.clear();
    });
  }
  let next = 0;
  return {
    size,
    /** Runs a job on the next worker in turn; results come back in whatever order, matched by id. */
    run(job: Omit<PrepareJob, 'id'>): Promise<PrepareJobResult> {
      const id = next++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        workers[id % workers.length]!.postMessage({ ...job, id });
      });
    },
    async close(): Promise<void> {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

export type PreparePool = ReturnType<typeof createPreparePool>;
