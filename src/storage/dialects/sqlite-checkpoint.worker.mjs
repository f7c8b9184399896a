// WAL checkpoints of a SQLite file on a thread of their own (see sqlite-checkpoint.ts): copying
// committed pages from the WAL into the database file, and the fsync that follows, is I/O the
// main connection would otherwise do inside the commit that crosses the auto-checkpoint size,
// blocking the event loop that runs ingest and purges. PASSIVE never blocks the writer: it copies
// what is committed when it starts, and whatever is left is taken on the next wake.
// Plain JavaScript: it needs only better-sqlite3, and starts without a TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

// Frames left in the WAL after a checkpoint (a reader still on an older snapshot, or commits
// that landed meanwhile) are retried this much later, so an idle database ends fully checkpointed.
const RETRY_MS = 200;

const database = new Database(workerData.file, { fileMustExist: true });
database.pragma(`busy_timeout = ${workerData.busyTimeoutMs}`);
database.pragma(`synchronous = ${workerData.synchronous}`);
let timer;
let closed = false;

function checkpoint() {
  timer = undefined;
  if (closed) return;
  try {
    const [result] = database.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ log: result.log, checkpointed: result.checkpointed, busy: result.busy });
    if (result.busy || result.checkpointed < result.log) schedule(RETRY_MS);
  } catch (error) {
    parentPort.postMessage({ error: String(error?.message ?? error) });
    schedule(RETRY_MS);
  }
}

function schedule(delayMs) {
  if (timer === undefined && !closed) timer = setTimeout(checkpoint, delayMs);
}

parentPort.on('message', (message) => {
  if (message.type === 'wake') schedule(workerData.coalesceMs);
  else if (message.type === 'close') {
    closed = true;
    if (timer !== undefined) clearTimeout(timer);
    database.close();
    parentPort.close();
  }
});
