import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorKind } from '../../shared/errors.ts';
import type { Prepared } from '../interactions.ingest.ts';
import type { Interaction } from '../model/index.ts';
import type {
  PrepareJob,
  PrepareJobResult,
  PrepareValuesJob,
  PrepareValuesResult,
  WirePrepared,
} from './prepare.worker.ts';

type AnyResult = PrepareJobResult | PrepareValuesResult;

/** A worker's Prepared on this thread: the interaction is parsed from its JSON on first read. */
export function fromWire(wire: WirePrepared): Prepared {
  const { head, built, cards, customer, interactionJson } = wire;
  let interaction: Interaction | undefined;
  return {
    head,
    built,
    cards,
    customer,
    get interaction() {
      interaction ??= JSON.parse(interactionJson) as Interaction;
      return interaction;
    },
  };
}

/**
 * Worker threads that parse and redact input off the main thread: chunks of `vigil ingest` files
 * while the main thread writes the previous chunks, and the items of API batch requests. One
 * worker per core but one: the main thread has the database work. `unref` workers never keep a
 * process alive (the server's pool).
 */
export function createPreparePool(
  size = Math.max(1, availableParallelism() - 1),
  options: { unref?: boolean } = {},
) {
  const workers = Array.from(
    { length: size },
    () => new Worker(new URL('./prepare-worker-entry.mjs', import.meta.url)),
  );
  const waiting = new Map<number, { resolve(r: AnyResult): void; reject(e: Error): void }>();
  for (const worker of workers) {
    if (options.unref) worker.unref();
    worker.on('message', (result: AnyResult) => {
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
  function post<R extends AnyResult>(job: Omit<PrepareJob, 'id'> | Omit<PrepareValuesJob, 'id'>): Promise<R> {
    const id = next++;
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (r: AnyResult) => void, reject });
      workers[id % workers.length]!.postMessage({ ...job, id });
    });
  }
  return {
    size,
    /** Runs a job on the next worker in turn; results come back in whatever order, matched by id. */
    run(job: Omit<PrepareJob, 'id'>): Promise<PrepareJobResult> {
      return post(job);
    },
    /** Parses and redacts an API batch's items on a worker; throws the first bad item's AppError. */
    async prepareValues(job: Omit<PrepareValuesJob, 'id' | 'kind'>): Promise<Prepared[]> {
      const result = await post<PrepareValuesResult>({ ...job, kind: 'values' });
      if (result.fatal) throw new Error(`ingest worker failed: ${result.fatal}`);
      if (result.error) {
        const { code, kind, message, details } = result.error;
        throw new AppError(code, kind as ErrorKind, message, details ? { details } : {});
      }
      return result.prepared.map(fromWire);
    },
    async close(): Promise<void> {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

export type PreparePool = ReturnType<typeof createPreparePool>;
