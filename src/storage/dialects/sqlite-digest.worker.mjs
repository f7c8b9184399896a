// A second thread for SQLite bulk scans (see RowDigester in dialect.ts): it reads one text column
// through a read-only connection of its own to the same file (WAL lets it read beside the main
// connection) and returns SHA-256(prefix || UTF-8 of each text), so reading and hashing a page run
// on one core while the main thread works on the previous page. Plain JavaScript: it needs only
// better-sqlite3 and node:crypto, and starts in a few milliseconds without a TypeScript loader.
import { createHash, hash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const DIGEST_SIZE = 32;
// Texts up to this size are hashed from a reused scratch buffer; larger ones are streamed.
const MAX_SCRATCH = 64 * 1024;

const database = new Database(workerData.file, { readonly: true, fileMustExist: true });
database.pragma(`busy_timeout = ${workerData.busyTimeoutMs}`);
const statements = new Map();
let scratch = Buffer.allocUnsafe(4096);

function prepare(source) {
  let statement = statements.get(source);
  if (!statement) {
    // Scans reuse a handful of query texts; the bound only keeps a caller varying them from
    // growing the map without end.
    if (statements.size >= 32) statements.clear();
    statement = database.prepare(source).pluck(true);
    statements.set(source, statement);
  }
  return statement;
}

function digestOf(prefix, text) {
  const maxLength = 3 * text.length + 1;
  if (maxLength > MAX_SCRATCH)
    return createHash('sha256').update(Buffer.of(prefix)).update(text, 'utf8').digest();
  if (maxLength > scratch.length) scratch = Buffer.allocUnsafe(2 ** Math.ceil(Math.log2(maxLength)));
  scratch[0] = prefix;
  const length = scratch.write(text, 1, 'utf8') + 1;
  return hash('sha256', scratch.subarray(0, length), 'buffer');
}

/** Digests of every row, or undefined when a row is not text (the caller then reads it itself). */
function digestRows({ sql, parameters, prefix }) {
  const texts = prepare(sql).all(...parameters);
  const digests = new Uint8Array(texts.length * DIGEST_SIZE);
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i];
    if (typeof text !== 'string') return undefined;
    digests.set(digestOf(prefix, text), i * DIGEST_SIZE);
  }
  return digests;
}

parentPort.on('message', (request) => {
  try {
    const digests = digestRows(request);
    if (digests) parentPort.postMessage({ id: request.id, digests }, [digests.buffer]);
    else parentPort.postMessage({ id: request.id, notText: true });
  } catch (error) {
    parentPort.postMessage({ id: request.id, error: String(error?.message ?? error) });
  }
});
// Said on the port the main thread polls (see sqlite-digest.ts).
workerData.readyPort.postMessage('ready');
workerData.readyPort.close();
