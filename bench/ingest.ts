// Interactions ingested per second end to end (parse, redact, tokenize, encrypt, store, audit),
// through `vigil ingest` and through the HTTP API, on SQLite and PostgreSQL, with the raw insert
// rate of the same rows in the same run as the ceiling.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createPreparePool, ingestFiles } from '../src/interactions/index.ts';
import { buildHttpApp } from '../src/main.ts';
import { benchInteraction, cpuMeter, loadAverage, openBenchVigil, rate } from './ingest-support.ts';

// 20,000 through `vigil ingest`: a file ingest runs for minutes, so the figure is the steady rate,
// not the first seconds' JIT warm-up (5,000 gave 10-20% less for the same code).
const COUNT = Number(process.env['BENCH_INGEST_COUNT'] ?? 20_000);
const HTTP_COUNT = Number(process.env['BENCH_INGEST_HTTP_COUNT'] ?? 4000);
const dialects = (process.env['BENCH_DIALECTS'] ?? 'sqlite,postgres').split(',') as ('sqlite' | 'postgres')[];

async function cliPath(dialect: 'sqlite' | 'postgres') {
  const bench = await openBenchVigil(dialect);
  const { vigil } = bench;
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-ingest-'));
  const file = path.join(dir, 'interactions.jsonl');
  writeFileSync(
    file,
    `${Array.from({ length: COUNT }, (_, i) => JSON.stringify(benchInteraction(i))).join('\n')}\n`,
  );
  const tenant = await vigil.tenancy.getBySlug('default');
  const pool = createPreparePool();
  // Warm-up: the workers load their code (tsx) before the clock starts, as in a long-running process.
  await pool.run({ adapter: 'generic', lines: [], policy: {}, receivedAtMs: vigil.clock.now() });
  const meter = cpuMeter();
  const started = performance.now();
  const summary = await ingestFiles(
    {
      ingest: vigil.interactions.ingest,
      parser: vigil.interactions.parser,
      now: () => vigil.clock.now(),
      policy: (id) => vigil.interactions.policies.get(id),
    },
    { tenantId: tenant.id, actor: { type: 'system', id: 'bench' } },
    { files: [file] },
    { batchSize: 500, pool },
  );
  const elapsed = performance.now() - started;
  const cpu = meter(COUNT);
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
  if (summary.accepted.created !== COUNT)
    throw new Error(`expected ${COUNT} created, got ${JSON.stringify(summary)}`);
  // Ceiling: the same rows (already encrypted) inserted straight into the table, in the same batches.
  const rows = await vigil.storage.db
    .selectFrom('interactions')
    .selectAll()
    .where('tenant_id', '=', tenant.id)
    .execute();
  const copies = rows.map((r, i) => ({
    ...r,
    id: `${r.id.slice(0, 24)}${String(i).padStart(12, '0')}`,
    source_id: `raw-${i}`,
  }));
  const rawStart = performance.now();
  for (let i = 0; i < copies.length; i += 500) {
    await vigil.storage.db.transaction().execute((trx) =>
      trx
        .insertInto('interactions')
        .values(copies.slice(i, i + 500))
        .execute(),
    );
  }
  const rawElapsed = performance.now() - rawStart;
  await bench.destroy();
  return { ingestPerSecond: rate(COUNT, elapsed), rawInsertPerSecond: rate(COUNT, rawElapsed), ...cpu };
}

async function httpPath(dialect: 'sqlite' | 'postgres', batchSize: number, concurrency: number) {
  const bench = await openBenchVigil(dialect);
  const { vigil } = bench;
  const app = await buildHttpApp(vigil);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const tenant = await vigil.tenancy.getBySlug('default');
  const operator = {
    tenantId: tenant.id,
    kind: 'system' as const,
    id: 'bench',
    displayName: 'bench',
    roles: ['system'],
  };
  const { secret } = await vigil.identity.apiKeys.create(operator, { name: 'bench', scopes: ['ingest'] });
  const headers = { authorization: `Bearer ${secret}`, 'content-type': 'application/json' };
  const bodies: string[] = [];
  for (let i = 0; i < HTTP_COUNT; i += batchSize) {
    const items = Array.from({ length: Math.min(batchSize, HTTP_COUNT - i) }, (_, k) =>
      benchInteraction(1_000_000 + i + k),
    );
    bodies.push(batchSize === 1 ? JSON.stringify(items[0]) : JSON.stringify({ interactions: items }));
  }
  const url = batchSize === 1 ? `${address}/api/v1/interactions` : `${address}/api/v1/interactions:batch`;
  // Warm-up outside the figures: one request of each kind starts the server's worker threads.
  const warmUp = Array.from({ length: batchSize }, (_, k) => benchInteraction(2_000_000 + k));
  const warmRes = await fetch(url, {
    method: 'POST',
    headers,
    body: batchSize === 1 ? JSON.stringify(warmUp[0]) : JSON.stringify({ interactions: warmUp }),
  });
  if (warmRes.status !== 200) throw new Error(`HTTP ${warmRes.status}: ${await warmRes.text()}`);
  let next = 0;
  const meter = cpuMeter();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const res = await fetch(url, { method: 'POST', headers, body });
        if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
      }
    }),
  );
  const elapsed = performance.now() - started;
  // Client and server share this process: the CPU figure includes the client's requests.
  const cpu = meter(HTTP_COUNT);
  await app.close();
  await bench.destroy();
  return { perSecond: rate(HTTP_COUNT, elapsed), ...cpu };
}

const results: Record<string, unknown> = { machine: '2 cores', count: COUNT, loadBefore: loadAverage() };
for (const dialect of dialects) {
  const cli = await cliPath(dialect);
  console.log(
    `${dialect}: vigil ingest ${cli.ingestPerSecond}/s (raw insert of the same rows ${cli.rawInsertPerSecond}/s, ${Math.round((cli.ingestPerSecond / cli.rawInsertPerSecond) * 100)}% of the ceiling); CPU ${cli.cpuMsPerInteraction} ms/interaction, main thread ${cli.mainThreadCpuMsPerInteraction ?? '?'} ms`,
  );
  const httpBatch = await httpPath(dialect, 100, 4);
  console.log(
    `${dialect}: HTTP batch (100 per request, 4 concurrent) ${httpBatch.perSecond}/s; CPU ${httpBatch.cpuMsPerInteraction} ms/interaction (client included), main thread ${httpBatch.mainThreadCpuMsPerInteraction ?? '?'} ms`,
  );
  const httpSingle = await httpPath(dialect, 1, 16);
  console.log(
    `${dialect}: HTTP single (1 per request, 16 concurrent) ${httpSingle.perSecond}/s; CPU ${httpSingle.cpuMsPerInteraction} ms/interaction (client included), main thread ${httpSingle.mainThreadCpuMsPerInteraction ?? '?'} ms`,
  );
  results[dialect] = {
    ...cli,
    httpBatchPerSecond: httpBatch.perSecond,
    httpBatchCpuMsPerInteraction: httpBatch.cpuMsPerInteraction,
    httpSinglePerSecond: httpSingle.perSecond,
    httpSingleCpuMsPerInteraction: httpSingle.cpuMsPerInteraction,
  };
}
results['loadAfter'] = loadAverage();
console.log(
  `load average before ${JSON.stringify(results['loadBefore'])}, after ${JSON.stringify(results['loadAfter'])}`,
);
console.log(`BENCH_JSON ${JSON.stringify({ bench: 'ingest', ...results })}`);
