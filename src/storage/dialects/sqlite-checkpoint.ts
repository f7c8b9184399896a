import { Worker } from 'node:worker_threads';

/**
 * Pages the main connection lets the WAL grow to before it checkpoints by itself (SQLite's
 * default is 1,000, about 4 MiB): a backstop for a checkpoint thread that is behind or down. With
 * the thread running, the WAL is checkpointed long before this.
 */
export const MAIN_CONNECTION_AUTOCHECKPOINT_PAGES = 16_384;

// Commits closer together than this share one checkpoint; the worker waits as long after a wake.
const COALESCE_MS = 25;

export interface CheckpointStats {
  /** Checkpoints the thread ran. */
  runs: number;
  /** WAL frames in the log at the last run, and how many of them were checkpointed. */
  lastLog: number;
  lastCheckpointed: number;
  /** The last error the thread reported, if any (a failed run is retried). */
  lastError?: string;
}

/**
 * The checkpoint thread of a SQLite file (sqlite-checkpoint.worker.mjs). `wake()` after a commit
 * asks for a checkpoint (started on the first wake, coalesced over a few milliseconds), so the
 * main connection's commits no longer stop to copy the WAL into the file and fsync it. The
 * thread never keeps the process alive; `close` ends it with the storage. If it dies, the main
 * connection's auto-checkpoint (MAIN_CONNECTION_AUTOCHECKPOINT_PAGES) still bounds the WAL.
 */
export function createSqliteCheckpointer(
  file: string,
  options: { busyTimeoutMs: number; synchronous: string },
) {
  let worker: Worker | undefined;
  let down = false;
  let lastWake = 0;
  const stats: CheckpointStats = { runs: 0, lastLog: 0, lastCheckpointed: 0 };

  function start(): Worker {
    const thread = new Worker(new URL('./sqlite-checkpoint.worker.mjs', import.meta.url), {
      workerData: {
        file,
        busyTimeoutMs: options.busyTimeoutMs,
        synchronous: options.synchronous,
        coalesceMs: COALESCE_MS,
      },
    });
    thread.unref();
    thread.on('message', (message: { log: number; checkpointed: number } | { error: string }) => {
      if ('error' in message) {
        stats.lastError = message.error;
        return;
      }
      stats.runs++;
      stats.lastLog = message.log;
      stats.lastCheckpointed = message.checkpointed;
    });
    const stop = () => {
      down = true;
      worker = undefined;
    };
    thread.on('error', (error) => {
      stats.lastError = error.message;
      stop();
    });
    thread.on('exit', stop);
    return thread;
  }

  return {
    stats: (): Readonly<CheckpointStats> => stats,
    /** After a commit: a checkpoint soon. Cheap enough for every commit (at most one message per COALESCE_MS). */
    wake(): void {
      if (down) return;
      const now = Date.now();
      if (worker && now - lastWake < COALESCE_MS) return;
      lastWake = now;
      worker ??= start();
      worker.postMessage({ type: 'wake' });
    },
    async close(): Promise<void> {
      down = true;
      const thread = worker;
      worker = undefined;
      if (!thread) return;
      const exited = new Promise((resolve) => thread.once('exit', resolve));
      // Referenced while it closes its connection: an unreferenced thread would let the process
      // end with this promise pending.
      thread.ref();
      thread.postMessage({ type: 'close' });
      await exited;
    },
  };
}
