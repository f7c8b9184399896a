// Audit verification speed against the raw SHA-256 rate measured in the same run.
// Target (issue #8): verification >= 50% of "two hashes per event" at the raw rate.
//   node --import tsx bench/audit-verify.ts [--events 50000] [--dialects sqlite,postgres]
import { createHmac, hash, randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { auditLeafHash, encodeAuditEvent } from '../src/audit/index.ts';
import { MerkleFrontier } from '../src/audit/merkle/index.ts';
import { type BenchDialect, benchEvent, fmt, openBenchVigil, seconds } from './audit-support.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '50000' },
    dialects: { type: 'string', default: 'sqlite,postgres' },
  },
});
const EVENTS = Number(values.events);
const results: Record<string, number> = {};

/** Best of three ~0.7 s rounds of one-shot SHA-256 over `input`. */
function rawRate(input: Buffer): number {
  let best = 0;
  for (let round = 0; round < 3; round++) {
    let count = 0;
    const start = process.hrtime.bigint();
    while (count % 50_000 !== 0 || seconds(start) < 0.7) {
      hash('sha256', input, 'buffer');
      count++;
    }
    best = Math.max(best, count / seconds(start));
  }
  return best;
}

type Row = Parameters<typeof encodeAuditEvent>[0] & { leaf_hash: Buffer; mac: Buffer | null };

/**
 * The per-event work of verify without the database: encode, leaf hash, compare, tree append, and
 * with `mac` the HMAC check that verify does only for events past the last checkpoint.
 */
function coreRate(rows: readonly Row[], mac: boolean): number {
  const key = randomBytes(32);
  const start = process.hrtime.bigint();
  const frontier = new MerkleFrontier();
  for (const row of rows) {
    const leaf = auditLeafHash(encodeAuditEvent(row));
    if (!leaf.equals(row.leaf_hash)) throw new Error('bench log is not intact');
    if (mac) createHmac('sha256', key).update(leaf).digest();
    frontier.appendLeafHash(leaf);
  }
  frontier.rootHash();
  return rows.length / seconds(start);
}

async function measure(dialect: BenchDialect): Promise<void> {
  const bench = await openBenchVigil(dialect);
  try {
    const { vigil } = bench;
    const tenant = await vigil.tenancy.create({ slug: 'bench-verify', name: 'verify' });
    for (let i = 0; i < EVENTS; i += 500) {
      const events = Array.from({ length: Math.min(500, EVENTS - i) }, (_, j) =>
        benchEvent(tenant.id, i + j),
      );
      await vigil.audit.recordMany(vigil.storage.db, events);
    }
    await vigil.audit.checkpoints.create(tenant.id, 'demand');
    const rows = (await vigil.storage.db
      .selectFrom('audit_events')
      .selectAll()
      .where('tenant_id', '=', tenant.id)
      .orderBy('seq')
      .execute()) as Row[];
    const { leaf_hash: _l, mac: _m, ...sample } = rows[0]!;
    const encoded = encodeAuditEvent(sample);
    const rawNode = rawRate(Buffer.alloc(65, 1));
    const rawLeaf = rawRate(Buffer.concat([Buffer.of(0), encoded]));
    const core = coreRate(rows, false);
    const coreMac = coreRate(rows, true);
    const start = process.hrtime.bigint();
    const report = await vigil.audit.verify(tenant.id, { checkPublished: false });
    const endToEnd = report.eventsChecked / seconds(start);
    if (!report.ok) throw new Error(`verification failed: ${JSON.stringify(report.problems[0])}`);
    const fastStart = process.hrtime.bigint();
    const fast = await vigil.audit.verify(tenant.id, { checkPublished: false, compareStoredNodes: false });
    const withoutNodes = fast.eventsChecked / seconds(fastStart);
    // "Two hashes per event": a leaf hash of the event's own size and one interior node hash.
    const twoHashRate = 1 / (1 / rawLeaf + 1 / rawNode);
    console.log(`${dialect}: raw SHA-256, 65-byte node input: ${fmt(rawNode)} hashes/s`);
    console.log(
      `${dialect}: raw SHA-256, ${encoded.length + 1}-byte event leaf input: ${fmt(rawLeaf)} hashes/s`,
    );
    console.log(
      `${dialect}: two hashes per event at the raw rate: ${fmt(twoHashRate)} events/s (target 50%: ${fmt(twoHashRate / 2)})`,
    );
    console.log(
      `${dialect}: verification core in memory (encode, leaf, tree): ${fmt(core)} events/s = ${((100 * core) / twoHashRate).toFixed(0)}%`,
    );
    console.log(
      `${dialect}: same with the HMAC check (events past the last checkpoint): ${fmt(coreMac)} events/s = ${((100 * coreMac) / twoHashRate).toFixed(0)}%`,
    );
    console.log(
      `${dialect}: verify end to end (read rows and nodes, all checks): ${fmt(endToEnd)} events/s = ${((100 * endToEnd) / twoHashRate).toFixed(0)}%`,
    );
    console.log(
      `${dialect}: verify end to end without re-reading stored nodes: ${fmt(withoutNodes)} events/s = ${((100 * withoutNodes) / twoHashRate).toFixed(0)}%`,
    );
    Object.assign(results, {
      [`${dialect}_verify_skip_nodes_events_per_s`]: Math.round(withoutNodes),
      [`${dialect}_raw_node_hashes_per_s`]: Math.round(rawNode),
      [`${dialect}_raw_leaf_hashes_per_s`]: Math.round(rawLeaf),
      [`${dialect}_two_hash_events_per_s`]: Math.round(twoHashRate),
      [`${dialect}_core_events_per_s`]: Math.round(core),
      [`${dialect}_core_mac_events_per_s`]: Math.round(coreMac),
      [`${dialect}_verify_events_per_s`]: Math.round(endToEnd),
      [`${dialect}_verify_ratio`]: Number((endToEnd / twoHashRate).toFixed(3)),
      [`${dialect}_core_ratio`]: Number((core / twoHashRate).toFixed(3)),
    });
  } finally {
    await bench.destroy();
  }
}

for (const dialect of values.dialects.split(',') as BenchDialect[]) await measure(dialect);
console.log(`BENCH_JSON ${JSON.stringify({ bench: 'audit-verify', events: EVENTS, ...results })}`);
