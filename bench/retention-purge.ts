// Retention purge rate: interactions purged per second at 1,000,000 stored interactions, on SQLite
// and PostgreSQL, while ingest keeps running (its rate and worst batch latency during the purge are
// measured against the same ingest alone).
//   node --import tsx bench/retention-purge.ts [--interactions 1000000] [--per-subject 5] [--batch 2000] [--dialects sqlite,postgres]
//
// Generating a million interactions through the full ingest path (redaction, tokenization,
// encryption) would take hours on this machine, so the stored rows are bulk-inserted: a few real
// interactions go through the pipeline first, and their encrypted bodies, originals, finding
// rows, customers and customer keys are copied (new ids, same sizes) into the same tables.
import { randomBytes } from 'node:crypto';
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
    clients: { type: 'string', default: '4' },
  },
});
const TOTAL = Number(values.interactions);
const PER_SUBJECT = Number(values['per-subject']);
const BATCH = Number(values.batch);
const CLIENTS = Number(values.clients);
const results: Record<string, number> = {};

/**
 * Ingest through the full pipeline by CLIENTS concurrent senders (webhook deliveries), 20
 * interactions per request, until stopped; records each request's latency.
 */
function startIngest(vigil: Vigil, tenantId: string, offset: number) {
  let stopped = false;
  let count = 0;
  const latencies: number[] = [];
  const client = async (first: number) => {
    for (let i = first; !stopped; i += 20 * CLIENTS) {
      const started = process.hrtime.bigint();
      const interactions = [];
      for (let k = 0; k < 20; k++) {
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
      count += 20;
      // SQLite calls complete synchronously: yield to the event loop as a request handler would.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const done = Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(offset + c * 20)));
  const started = process.hrtime.bigint();
  return {
    async stop() {
      stopped = true;
      await done;
      const elapsed = seconds(started);
      latencies.sort((a, b) => a - b);
      return {
        count,
        perSecond: count / elapsed,
        p99Ms: latencies[Math.floor(latencies.length * 0.99)] ?? 0,
        maxMs: latencies[latencies.length - 1] ?? 0,
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
      `${dialect}: ingest alone: ${fmt(baseline.perSecond)} interactions/s (p99 batch ${baseline.p99Ms.toFixed(0)} ms)`,
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
      `${dialect}: ingest during the run: ${fmt(ingest.perSecond)} interactions/s (${fmt(ingest.count)} ingested; p99 batch ${ingest.p99Ms.toFixed(0)} ms, worst ${ingest.maxMs.toFixed(0)} ms)`,
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
    });
  } finally {
    await bench.destroy();
  }
}

for (const dialect of values.dialects.split(',') as BenchDialect[]) await measure(dialect);
console.log(
  `BENCH_JSON ${JSON.stringify({ interactions: TOTAL, perSubject: PER_SUBJECT, batch: BATCH, clients: CLIENTS, ...results, run: randomBytes(2).toString('hex') })}`,
);
