// Where a purge's time goes: seeds interactions like bench/retention-purge.ts, runs the purge
// alone (no concurrent ingest), and prints the wall time spent in each SQL statement shape and the
// CPU time per purged row (this process, plus the PostgreSQL backends it used): on a shared,
// loaded machine the CPU figure moves much less than wall time, so compare changes with it.
//   node --import tsx bench/retention/profile.ts [--interactions 100000] [--batch 2000] [--dialects sqlite,postgres]
//     [--before "drop index interactions_phone"]...   (what-if statements, run just before the purge)
// In a folder of its own so `npm run bench` does not run it: a diagnostic, not a figure.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { systemCaller } from '../../src/retention/index.ts';
import { DAY_MS } from '../../src/shared/clock.ts';
import { type BenchDialect, fmt, openBenchVigil, seconds } from '../audit-support.ts';
import { bulkInsert } from '../retention-support.ts';

const { values } = parseArgs({
  options: {
    interactions: { type: 'string', default: '100000' },
    'per-subject': { type: 'string', default: '5' },
    batch: { type: 'string', default: '2000' },
    dialects: { type: 'string', default: 'sqlite,postgres' },
    // Experiments: statements run once before the purge (e.g. --before "pragma cache_size = -262144").
    before: { type: 'string', multiple: true, default: [] },
  },
});

const spent = new Map<string, { ms: number; calls: number }>();
let recording = false;
// Statements differ only by their number of placeholders: one line per shape.
const shapeOf = (text: string) =>
  text
    .replace(/\$\d+/g, '?')
    .replace(/\((\?, )+\?\)/g, '(?…)')
    .replace(/(\(\?…\), )+\(\?…\)/g, '(?…)…')
    .slice(0, 150);
function note(text: string, started: bigint) {
  if (!recording) return;
  const key = shapeOf(text);
  const entry = spent.get(key) ?? { ms: 0, calls: 0 };
  entry.ms += seconds(started) * 1000;
  entry.calls++;
  spent.set(key, entry);
}

// SQLite: statements run synchronously, so timing run/all measures the engine's work exactly.
const prepare = SqliteDatabase.prototype.prepare;
SqliteDatabase.prototype.prepare = function timedPrepare(this: SqliteDatabase.Database, source: string) {
  const statement = prepare.call(this, source);
  return new Proxy(statement, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property !== 'run' && property !== 'all') return value;
      return (...args: unknown[]) => {
        const started = process.hrtime.bigint();
        try {
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        } finally {
          note(source, started);
        }
      };
    },
  });
} as typeof prepare;

// PostgreSQL: the round trip of each query (server work plus the wire), one client at a time here.
const query = pg.Client.prototype.query;
// The server processes serving this benchmark's connections: CPU time when first seen during the
// purge and the latest reading (a pooled connection may close before the end), so the CPU they
// use while it runs is counted too.
const backends = new Map<number, { first: number; last: number }>();
pg.Client.prototype.query = function timedQuery(this: pg.Client, ...args: unknown[]) {
  const pid = (this as unknown as { processID?: number }).processID;
  if (recording && pid && !backends.has(pid)) {
    const now = processCpuSeconds(pid);
    backends.set(pid, { first: now, last: now });
  }
  const text = typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string })?.text ?? '');
  const started = process.hrtime.bigint();
  const result = (query as (...a: unknown[]) => unknown).apply(this, args);
  if (result instanceof Promise)
    return result.finally(() => {
      note(text, started);
      const backend = pid ? backends.get(pid) : undefined;
      if (backend) backend.last = Math.max(backend.last, processCpuSeconds(pid!));
    });
  return result;
} as typeof query;

/** CPU seconds (user + system) a local process has used so far; 0 if it cannot be read. */
function processCpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** CPU used by this process and, since first seen, by the PostgreSQL backends it talked to. */
function cpuSeconds(): { node: number; total: number } {
  const own = process.cpuUsage();
  const node = (own.user + own.system) / 1e6;
  let total = node;
  for (const [pid, backend] of backends) {
    backend.last = Math.max(backend.last, processCpuSeconds(pid));
    total += backend.last - backend.first;
  }
  return { node, total };
}

async function profile(dialect: BenchDialect) {
  const bench = await openBenchVigil(dialect);
  try {
    const { vigil } = bench;
    const tenantId = (await vigil.tenancy.create({ slug: 'bench-profile', name: 'profile' })).id;
    const caller = systemCaller(tenantId, 'bench', 'retention profile');
    const total = Number(values.interactions);
    await bulkInsert(vigil, tenantId, {
      total,
      perSubject: Number(values['per-subject']),
      ingestedAt: Date.now() - 400 * DAY_MS,
    });
    await vigil.retention.settings.setPolicy(caller, {
      category: 'voice_transcript',
      jurisdiction: null,
      maxAgeDays: 365,
      action: 'delete',
    });
    for (const statement of values.before) await sql.raw(statement).execute(vigil.storage.db);
    spent.clear();
    backends.clear();
    recording = true;
    const start = process.hrtime.bigint();
    const cpuStart = cpuSeconds();
    let cpuAtDeleted = cpuStart;
    let deletedAt = 0;
    const report = await vigil.retention.run(caller, {
      trigger: 'cli',
      batchSize: Number(values.batch),
      onBatch: () => {
        deletedAt = seconds(start);
        cpuAtDeleted = cpuSeconds();
      },
    });
    const whole = seconds(start);
    recording = false;
    const purged = report.categories.voice_transcript?.deleted ?? 0;
    // For a --cpu-prof of this run: the purge's window on the monotonic clock V8's profiles use.
    console.log(
      `${dialect}: purge window ${start / 1000n}-${process.hrtime.bigint() / 1000n} µs (monotonic)`,
    );
    const cpuUs = ((cpuAtDeleted.total - cpuStart.total) * 1e6) / purged;
    const nodeUs = ((cpuAtDeleted.node - cpuStart.node) * 1e6) / purged;
    console.log(
      `${dialect}: purged ${fmt(purged)} in ${deletedAt.toFixed(1)} s (${fmt(purged / deletedAt)}/s), ${report.certificates.length} certificates; CPU ${cpuUs.toFixed(0)} µs per purged row (${nodeUs.toFixed(0)} in this process${dialect === 'postgres' ? ', the rest in the server backends' : ''}); whole run ${whole.toFixed(1)} s; load ${loadavg()[0]!.toFixed(1)}`,
    );
    const rows = [...spent].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25);
    for (const [shape, { ms, calls }] of rows)
      console.log(
        `  ${(ms / 1000).toFixed(2).padStart(7)} s ${String(calls).padStart(7)}× ${((ms * 1000) / purged).toFixed(1).padStart(6)} µs/row  ${shape}`,
      );
  } finally {
    await bench.destroy();
  }
}

for (const dialect of values.dialects.split(',') as BenchDialect[]) await profile(dialect);
