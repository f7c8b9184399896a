// Retention purge rate: interactions purged per second at 1,000,000 stored interactions, on SQLite
// and PostgreSQL, while the same process keeps ingesting at a steady rate through the full pipeline
// (the rate it sustains and its request latency during the purge, against the same ingest alone).
//   node --import tsx bench/retention-purge.ts [--interactions 1000000] [--per-subject 5] [--batch 2000] [--ingest-rate 20] [--dialects sqlite,postgres]
//
// Generating a million interactions through the full ingest path (redaction, tokenization,
// encryption) would take hours on this machine, so the stored rows are bulk-inserted: a few real
// interactions go through the pipeline first, and their encrypted bodies, originals, finding
// rows, customers and customer keys are copied (new ids, same sizes) into the same tables.
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { Vigil } from '../src/main.ts';
import { systemCaller } from '../src/retention/index.ts';
import { DAY_MS } from '../src/shared/clock.ts';
import { type BenchDialect, fmt, openBenchVigil, seconds } from './audit-support.ts';
import { benchInteraction } from './ingest-support.ts';
import { bulkInsert } from './retention-support.ts';

const { values } = parseArgs({
  options: {
    interactions: { type: 'string', default: '1000000' },
    'per-subject': { type: 'string', default: '5' },
    batch: { type: 'string', default: '2000' },
    dialects: { type: 'string', default: 'sqlite,postgres' },
    'ingest-rate': { type: 'string', default: '20' },
  },
});
const TOTAL = Number(values.interactions);
const PER_SUBJECT = Number(values['per-subject']);
const BATCH = Number(values.batch);
const RATE = Number(values['ingest-rate']);
const results: Record<string, number> = {};

/**
 * Ingest through the full pipeline at a steady RATE (a busy contact centre: a few conversations a
 * second), in requests of 10, until stopped; records the rate achieved and each request's latency.
 */
function startIngest(vigil: Vigil, tenantId: string, offset: number) {
  let stopped = false;
  let count = 0;
  const latencies: number[] = [];
  // From when the request was due: a request held back by a purge batch counts its wait too.
  const delays: number[] = [];
  const intervalMs = (10 / RATE) * 1000;
  const done = (async () => {
    const t0 = Date.now();
    for (let i = offset, n = 0; !stopped; i += 10, n++) {
      // Paced: request n is due at t0 + n * interval; a late one goes at once (it was held up).
      const due = t0 + n * intervalMs;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const started = process.hrtime.bigint();
      const interactions = [];
      for (let k = 0; k < 10; k++) {
        const parsed = await vigil.interactions.parser.parse('generic', benchInteraction(i + k), {
          receivedAtMs: Date.now(),
        });
        interactions.push(...parsed.interactions);
      }
      await vigil.interactions.ingest.ingest(
        { tenantId, actor: { type: 'system', id: 'bench-ingest' } },
        interactions,
      );
      latencies.push(seconds(started) * 1000);
      delays.push(Date.now() - due);
      count += 10;
    }
  })();
  const started = process.hrtime.bigint();
  return {
    async stop() {
      stopped = true;
      await done;
      const elapsed = seconds(started);
      latencies.sort((a, b) => a - b);
      delays.sort((a, b) => a - b);
      return {
        count,
        perSecond: count / elapsed,
        p99Ms: latencies[Math.floor(latencies.length * 0.99)] ?? 0,
        maxMs: latencies[latencies.length - 1] ?? 0,
        p99FromDueMs: delays[Math.floor(delays.length * 0.99)] ?? 0,
      };
    },
  };
}

async function measure(dialect: BenchDialect): Promise<void> {
  const bench = await openBenchVigil(dialect);
  try {
    const { vigil } = bench;
    const tenantId = (await vigil.tenancy.create({ slug: 'bench-retention', name: 'retention bench' })).id;
    const caller = systemCaller(tenantId, 'bench', 'retention bench');
    const seedStart = process.hrtime.bigint();
    const seeded = await bulkInsert(vigil, tenantId, {
      total: TOTAL,
      perSubject: PER_SUBJECT,
      ingestedAt: Date.now() - 400 * DAY_MS,
    });
    console.log(
      `${dialect}: bulk-inserted ${fmt(TOTAL)} interactions (${fmt(seeded.subjects)} customers with keys, ${seeded.bodyBytes} B encrypted body each) in ${seconds(seedStart).toFixed(0)} s`,
    );
    await vigil.retention.settings.setPolicy(caller, {
      category: 'voice_transcript',
      jurisdiction: null,
      maxAgeDays: 365,
      action: 'delete',
    });

    const alone = startIngest(vigil, tenantId, 0);
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    const baseline = await alone.stop();
    console.log(
      `${dialect}: ingest alone at ${RATE}/s: ${fmt(baseline.perSecond)} interactions/s sustained (p99 request ${baseline.p99Ms.toFixed(0)} ms)`,
    );

    const during = startIngest(vigil, tenantId, 10_000_000);
    const start = process.hrtime.bigint();
    // The interactions are gone when the last batch commits; then the erased customers' keys are
    // scheduled for destruction (one audited keyring call each), timed apart.
    let deletedAt = 0;
    const report = await vigil.retention.run(caller, {
      trigger: 'cli',
      batchSize: BATCH,
      onBatch: () => {
        deletedAt = seconds(start);
      },
    });
    const total = seconds(start);
    const ingest = await during.stop();
    // The keys themselves go when their 24-hour window has passed, in the keyring's own job.
    const destroyStart = process.hrtime.bigint();
    const destroyed = await vigil.keys.destroyDueSubjectKeys({
      now: Date.now() + 2 * DAY_MS,
      signal: new AbortController().signal,
    });
    const destroySeconds = seconds(destroyStart);
    const purged = report.categories.voice_transcript?.deleted ?? 0;
    if (purged !== TOTAL) throw new Error(`expected ${TOTAL} purged, got ${purged}`);
    const perSecond = purged / deletedAt;
    const keysPerSecond = report.subjectKeysScheduled / Math.max(total - deletedAt, 0.001);
    console.log(
      `${dialect}: purged ${fmt(purged)} interactions in ${deletedAt.toFixed(1)} s: ${fmt(perSecond)} interactions/s (${report.certificates.length} signed certificates, ${fmt(report.subjectsErased)} customers erased)`,
    );
    console.log(
      `${dialect}: then scheduled ${fmt(report.subjectKeysScheduled)} customer keys for destruction in ${(total - deletedAt).toFixed(1)} s (${fmt(keysPerSecond)} keys/s); whole run ${total.toFixed(1)} s`,
    );
    console.log(
      `${dialect}: ingest at ${RATE}/s during the run: ${fmt(ingest.perSecond)} interactions/s sustained (${fmt(ingest.count)} ingested; p99 request ${ingest.p99Ms.toFixed(0)} ms, worst ${ingest.maxMs.toFixed(0)} ms; p99 from the time it was due ${ingest.p99FromDueMs.toFixed(0)} ms)`,
    );
    console.log(
      `${dialect}: after the window, the key job destroyed ${fmt(destroyed.destroyed)} customer keys in ${destroySeconds.toFixed(1)} s (${fmt(destroyed.destroyed / destroySeconds)} keys/s); load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    Object.assign(results, {
      [`${dialect}_purged_per_s`]: Math.round(perSecond),
      [`${dialect}_purge_seconds`]: Number(deletedAt.toFixed(1)),
      [`${dialect}_customers_erased`]: report.subjectsErased,
      [`${dialect}_keys_scheduled_per_s`]: Math.round(keysPerSecond),
      [`${dialect}_run_seconds`]: Number(total.toFixed(1)),
      [`${dialect}_ingest_alone_per_s`]: Math.round(baseline.perSecond),
      [`${dialect}_ingest_during_purge_per_s`]: Math.round(ingest.perSecond),
      [`${dialect}_ingest_during_purge_p99_ms`]: Math.round(ingest.p99Ms),
      [`${dialect}_ingest_during_purge_max_ms`]: Math.round(ingest.maxMs),
      [`${dialect}_ingest_during_purge_p99_from_due_ms`]: Math.round(ingest.p99FromDueMs),
      [`${dialect}_ingest_alone_p99_ms`]: Math.round(baseline.p99Ms),
      [`${dialect}_keys_destroyed_per_s`]: Math.round(destroyed.destroyed / destroySeconds),
      [`${dialect}_load_average`]: Number(loadavg()[0]!.toFixed(1)),
    });
  } finally {
    await bench.destroy();
  }
}

for (const dialect of values.dialects.split(',') as BenchDialect[]) await measure(dialect);
console.log(
  `BENCH_JSON ${JSON.stringify({ interactions: TOTAL, perSubject: PER_SUBJECT, batch: BATCH, ingestRate: RATE, ...results, run: randomBytes(2).toString('hex') })}`,
);
