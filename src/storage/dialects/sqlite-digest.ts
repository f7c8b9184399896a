import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { RowDigester } from './dialect.ts';

type DigestReply =
  | { id: number; digests: Uint8Array }
  | { id: number; notText: true }
  | { id: number; error: string };

// A caller finding the thread this busy reads on its own thread instead: the second thread reads
// and hashes a little slower than the main one, which also has the tree and the comparisons, so
// sharing the reading keeps both busy instead of one waiting for the other.
const MAX_PENDING = 2;

interface Pending {
  resolve(digests: Buffer | undefined): void;
  reject(error: Error): void;
}

/**
 * The digest thread of SQLite bulk scans (sqlite-digest.worker.mjs), started by the first
 * `ready()` and kept for the next scans: starting a thread and opening the file costs tens of
 * milliseconds, as much as reading ten thousand events. It is referenced only while a digest is
 * pending, so an idle thread never keeps the process alive; `close` ends it with the storage.
 * A thread that failed stays down: callers then read on their own thread.
 */
export function createSqliteRowDigester(file: string, busyTimeoutMs: number) {
  let worker: Worker | undefined;
  // The thread says it is up on a port of its own, read synchronously: a scan on SQLite may run
  // from start to end without the event loop turning (every await resolves at once), so a
  // message event announcing it would not be seen until the scan is over.
  let readyPort: MessagePort | undefined;
  let state: 'idle' | 'starting' | 'ready' | 'failed' = 'idle';
  const waiting = new Map<number, Pending>();
  let next = 0;

  const failAll = (error: Error) => {
    state = 'failed';
    for (const entry of waiting.values()) entry.reject(error);
    waiting.clear();
  };

  function onReply(message: DigestReply): void {
    const entry = waiting.get(message.id);
    waiting.delete(message.id);
    if (waiting.size === 0) worker?.unref();
    if (!entry) return;
    if ('error' in message) entry.reject(new Error(`digest thread: ${message.error}`));
    else entry.resolve('digests' in message ? Buffer.from(message.digests.buffer) : undefined);
  }

  function start(): void {
    state = 'starting';
    const channel = new MessageChannel();
    readyPort = channel.port1;
    readyPort.unref();
    worker = new Worker(new URL('./sqlite-digest.worker.mjs', import.meta.url), {
      workerData: { file, busyTimeoutMs, readyPort: channel.port2 },
      transferList: [channel.port2],
    });
    worker.unref();
    worker.on('message', onReply);
    worker.on('error', failAll);
    worker.on('exit', () => failAll(new Error('digest thread stopped')));
  }

  const digester: RowDigester = {
    ready() {
      if (state === 'idle') start();
      if (state === 'starting' && readyPort && receiveMessageOnPort(readyPort)) {
        state = 'ready';
        readyPort.close();
      }
      return state === 'ready' && waiting.size < MAX_PENDING;
    },
    digestRows(query, prefix) {
      if (state !== 'ready' || !worker) return Promise.reject(new Error('digest thread not running'));
      const id = next++;
      const thread = worker;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        thread.ref();
        thread.postMessage({ id, sql: query.sql, parameters: query.parameters, prefix });
      });
    },
  };
  return {
    digester,
    async close(): Promise<void> {
      const thread = worker;
      worker = undefined;
      state = 'failed';
      readyPort?.close();
      if (thread) await thread.terminate();
    },
  };
}
