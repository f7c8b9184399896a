// Audit append rate: events recorded per second (one per transaction, and batched with
// recordMany) and events folded into the Merkle tree per second, on SQLite and PostgreSQL.
//   node --import tsx bench/audit-append.ts [--events 20000] [--batch 100] [--dialects sqlite,postgres]
import { parseArgs } from 'node:util';
import { type BenchDialect, benchEvent, fmt, openBenchVigil, seconds } from './audit-support.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' },
    batch: { type: 'string', default: '100' },
    dialects: { type: 'string', default: 'sqlite,postgres' },
  },
});
const EVENTS = Number(values.events);
const BATCH = Number(values.batch);
const results: Record<string, number> = {};

async function measure(dialect: BenchDialect): Promise<void> {
  const bench = await openBenchVigil(dialect);
  try {
    const { vigil } = bench;
    const single = await vigil.tenancy.create({ slug: 'bench-single', name: 'single' });
    const singleCount = Math.min(EVENTS, 5000);
    let start = process.hrtime.bigint();
    for (let i = 0; i < singleCount; i++)
      await vigil.audit.record(vigil.storage.db, benchEvent(single.id, i));
    const singleRate = singleCount / seconds(start);

    const batched = await vigil.tenancy.create({ slug: 'bench-batched', name: 'batched' });
    start = process.hrtime.bigint();
    for (let i = 0; i < EVENTS; i += BATCH) {
      const events = Array.from({ length: Math.min(BATCH, EVENTS - i) }, (_, j) =>
        benchEvent(batched.id, i + j),
      );
      await vigil.audit.recordMany(vigil.storage.db, events);
    }
    const batchedRate = EVENTS / seconds(start);

    start = process.hrtime.bigint();
    const folded = await vigil.audit.advanceTree(batched.id, { batchSize: 2000 });
    const foldRate = folded.folded / seconds(start);

    start = process.hrtime.bigint();
    await vigil.audit.checkpoints.create(batched.id, 'demand');
    const checkpointMs = seconds(start) * 1000;

    console.log(
      `${dialect}: record, one event per transaction: ${fmt(singleRate)} events/s (${singleCount} events)`,
    );
    console.log(
      `${dialect}: recordMany, ${BATCH} events per transaction: ${fmt(batchedRate)} events/s (${EVENTS} events)`,
    );
    console.log(`${dialect}: tree fold (leaf re-hash, MAC check, node writes): ${fmt(foldRate)} events/s`);
    console.log(`${dialect}: checkpoint of an already folded tree: ${checkpointMs.toFixed(1)} ms`);
    Object.assign(results, {
      [`${dialect}_single_events_per_s`]: Math.round(singleRate),
      [`${dialect}_batched_events_per_s`]: Math.round(batchedRate),
      [`${dialect}_fold_events_per_s`]: Math.round(foldRate),
      [`${dialect}_checkpoint_ms`]: Number(checkpointMs.toFixed(1)),
    });
  } finally {
    await bench.destroy();
  }
}

for (const dialect of values.dialects.split(',') as BenchDialect[]) await measure(dialect);
console.log(
  `BENCH_JSON ${JSON.stringify({ bench: 'audit-append', events: EVENTS, batch: BATCH, ...results })}`,
);
