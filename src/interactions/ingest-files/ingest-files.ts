import {
  createReadStream,
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { RedactionPolicyInput } from '../../redaction/index.ts';
import { isAppError } from '../../shared/errors.ts';
import type { IngestContext, IngestOutcome, IngestService } from '../interactions.ingest.ts';
import type { Interaction } from '../model/index.ts';
import type { PayloadParser } from '../payload-parser.ts';
import type { PrepareJobResult } from './prepare.worker.ts';
import { fromWire, type PreparePool } from './prepare-pool.ts';

export interface IngestFilesOptions {
  /** Adapter for every input; when absent, `.eml` is email, `.jsonl` lines and `.json` files are detected. */
  adapter?: string;
  batchSize: number;
  /** File recording progress; a rerun with the same state file skips what was committed. */
  stateFile?: string;
  onProgress?(progress: IngestProgress): void;
  /** Worker threads for parsing and redaction; without one, everything runs on this thread. */
  pool?: PreparePool;
}

export interface IngestProgress {
  files: number;
  filesDone: number;
  accepted: number;
  rejected: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface Rejection {
  where: string;
  message: string;
}

export interface IngestSummary {
  accepted: Record<IngestOutcome, number>;
  rejected: Rejection[];
  skippedFiles: number;
}

interface State {
  done: string[];
  current?: { file: string; line: number };
}

const INPUT_EXTENSIONS = new Set(['.json', '.jsonl', '.ndjson', '.eml']);

/** The files an input names: one file, or every supported file below a directory, in a stable order. */
export function listInputFiles(input: string): string[] {
  const stat = statSync(input);
  if (stat.isFile()) return [path.resolve(input)];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (INPUT_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) out.push(path.resolve(full));
    }
  };
  walk(input);
  return out;
}

function readState(file: string | undefined): State {
  if (!file || !existsSync(file)) return { done: [] };
  return JSON.parse(readFileSync(file, 'utf8')) as State;
}

function writeState(file: string | undefined, state: State): void {
  if (!file) return;
  // Write-then-rename: a crash never leaves a half-written state file.
  writeFileSync(`${file}.tmp`, JSON.stringify(state));
  renameSync(`${file}.tmp`, file);
}

const message = (error: unknown) => (isAppError(error) ? error.message : 'could not be read');

/**
 * `vigil ingest`: streams files (or stdin) through the same adapters and ingest service as the
 * API, in batches of one transaction each. Bad items are reported and skipped, never half-written;
 * progress is recorded after each committed batch, so an interrupted run resumes where it stopped.
 */
export async function ingestFiles(
  deps: {
    ingest: IngestService;
    parser: PayloadParser;
    now(): number;
    policy(tenantId: string): Promise<RedactionPolicyInput>;
  },
  ctx: IngestContext,
  inputs: { files: string[]; stdin?: Readable },
  options: IngestFilesOptions,
): Promise<IngestSummary> {
  const summary: IngestSummary = {
    accepted: { created: 0, updated: 0, unchanged: 0 },
    rejected: [],
    skippedFiles: 0,
  };
  const state = readState(options.stateFile);
  const progress: IngestProgress = {
    files: inputs.files.length,
    filesDone: 0,
    accepted: 0,
    rejected: 0,
    bytesDone: 0,
    bytesTotal: inputs.files.reduce((n, f) => n + statSync(f).size, 0),
  };
  let batch: Interaction[] = [];
  let batchEnd: { file: string; line: number } | undefined;

  const flush = async () => {
    if (batch.length === 0) return;
    const results = await deps.ingest.ingest(ctx, batch);
    for (const r of results) summary.accepted[r.outcome]++;
    progress.accepted += results.length;
    batch = [];
    if (batchEnd) writeState(options.stateFile, { ...state, current: batchEnd });
    options.onProgress?.(progress);
  };
  const reject = (where: string, error: unknown) => {
    summary.rejected.push({ where, message: message(error) });
    progress.rejected++;
  };
  const add = async (interactions: Interaction[], file: string, line: number) => {
    batch.push(...interactions);
    batchEnd = { file, line };
    if (batch.length >= options.batchSize) await flush();
  };

  const ingestLinesHere = async (stream: Readable, file: string, adapter: string, skipLines: number) => {
    let line = 0;
    for await (const text of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) {
      line++;
      if (line <= skipLines || text.trim() === '') continue;
      progress.bytesDone += Buffer.byteLength(text) + 1;
      try {
        await add(
          (await deps.parser.parseText(adapter, text, { receivedAtMs: deps.now() })).interactions,
          file,
          line,
        );
      } catch (error) {
        if (!isAppError(error)) throw error;
        reject(`${file}:${line}`, error);
      }
    }
  };

  // With a worker pool: workers parse and redact chunk k+1.. while this thread stores chunk k.
  const ingestLinesPooled = async (
    pool: PreparePool,
    stream: Readable,
    file: string,
    adapter: string,
    skipLines: number,
  ) => {
    const policy = await deps.policy(ctx.tenantId);
    const inFlight: { job: Promise<PrepareJobResult>; bytes: number }[] = [];
    const storeOldest = async () => {
      const { job, bytes } = inFlight.shift()!;
      const result = await job;
      if (result.fatal) throw new Error(`ingest worker failed: ${result.fatal}`);
      const prepared = [];
      for (const item of result.items) {
        if ('error' in item) {
          summary.rejected.push({ where: `${file}:${item.line}`, message: item.error });
          progress.rejected++;
        } else for (const wire of item.prepared) prepared.push(fromWire(wire));
      }
      if (prepared.length > 0) {
        for (const r of await deps.ingest.ingestPrepared(ctx, prepared)) summary.accepted[r.outcome]++;
        progress.accepted += prepared.length;
      }
      progress.bytesDone += bytes;
      const last = result.items.at(-1);
      if (last) writeState(options.stateFile, { ...state, current: { file, line: last.line } });
      options.onProgress?.(progress);
    };
    let chunk: { line: number; text: string }[] = [];
    let chunkBytes = 0;
    const dispatch = async () => {
      if (chunk.length === 0) return;
      inFlight.push({
        job: pool.run({ adapter, lines: chunk, policy, receivedAtMs: deps.now() }),
        bytes: chunkBytes,
      });
      chunk = [];
      chunkBytes = 0;
      if (inFlight.length > pool.size + 1) await storeOldest();
    };
    let line = 0;
    for await (const text of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) {
      line++;
      if (line <= skipLines || text.trim() === '') continue;
      chunk.push({ line, text });
      chunkBytes += Buffer.byteLength(text) + 1;
      if (chunk.length >= options.batchSize) await dispatch();
    }
    await dispatch();
    while (inFlight.length > 0) await storeOldest();
  };

  const ingestLines = (stream: Readable, file: string, adapter: string, skipLines: number) =>
    options.pool
      ? ingestLinesPooled(options.pool, stream, file, adapter, skipLines)
      : ingestLinesHere(stream, file, adapter, skipLines);

  if (inputs.stdin) await ingestLines(inputs.stdin, '-', options.adapter ?? 'generic', 0);
  for (const file of inputs.files) {
    if (state.done.includes(file)) {
      summary.skippedFiles++;
      progress.filesDone++;
      continue;
    }
    const extension = path.extname(file).toLowerCase();
    if (extension === '.jsonl' || extension === '.ndjson') {
      const skip = state.current?.file === file ? state.current.line : 0;
      await ingestLines(createReadStream(file), file, options.adapter ?? 'generic', skip);
    } else {
      const bytes = readFileSync(file);
      progress.bytesDone += bytes.length;
      try {
        const adapter = options.adapter ?? (await deps.parser.detect(file, bytes));
        await add(
          (
            await deps.parser.parseBytes(adapter, bytes, {
              receivedAtMs: deps.now(),
              sourceId: path.basename(file),
            })
          ).interactions,
          file,
          0,
        );
      } catch (error) {
        if (!isAppError(error)) throw error;
        reject(file, error);
      }
    }
    await flush();
    state.done.push(file);
    delete state.current;
    writeState(options.stateFile, state);
    progress.filesDone++;
    options.onProgress?.(progress);
  }
  await flush();
  return summary;
}
