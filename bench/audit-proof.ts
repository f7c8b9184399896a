// Proof generation latency from the SQL node store at 10 million events (SQLite and PostgreSQL).
// The tree is built from synthetic leaf hashes (recording 10M real events would take hours here):
// each leaf is a minimal audit_events row holding its leaf hash (nodes below level 4 are recomputed
// from those) and the nodes from level 4 up go to the node table, as folding writes them. Proofs
// read only leaf hashes and nodes, so their cost is the same as for real events.
//   node --import tsx bench/audit-proof.ts [--leaves 10000000] [--proofs 500] [--dialects sqlite,postgres]
import { hash } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Insertable } from 'kysely';
import { createSqlNodeStore, LOWEST_STORED_LEVEL } from '../src/audit/audit.node-store.ts';
import type { AuditEventsTable } from '../src/audit/audit.tables.ts';
import { insertTreeNodes } from '../src/audit/audit.tree.queries.ts';
import {
  consistencyProof,
  inclusionProof,
  MerkleFrontier,
  type MerkleNode,
  verifyConsistency,
  verifyInclusion,
} from '../src/audit/merkle/index.ts';
import { type BenchDialect, fmt, openBenchVigil, seconds } from './audit-support.ts';

const { values } = parseArgs({
  options: {
    leaves: { type: 'string', default: '10000000' },
    proofs: { type: 'string', default: '500' },
    dialects: { type: 'string', default: 'sqlite,postgres' },
  },
});
const LEAVES = Number(values.leaves);
const PROOFS = Number(values.proofs);
const CHUNK = 50_000;
// 9 values per event row: 3,000 rows stay under SQLite's 32,766 bind parameters.
const EVENT_ROWS_PER_INSERT = 3_000;
const results: Record<string, number> = {};

const leafHash = (i: number) => {
  const input = Buffer.alloc(8);
  input.writeDoubleBE(i);
  return hash('sha256', input, 'buffer');
};

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

async function timeProofs(
  label: string,
  count: number,
  run: (i: number) => Promise<void>,
): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await run(i);
    times.push(seconds(start) * 1000);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${label}: p50 ${percentile(times, 0.5).toFixed(2)} ms, p95 ${percentile(times, 0.95).toFixed(2)} ms, p99 ${percentile(times, 0.99).toFixed(2)} ms`,
  );
  return times;
}

async function measure(dialect: BenchDialect): Promise<void> {
  const bench = await openBenchVigil(dialect);
  try {
    const { vigil } = bench;
    const tenant = await vigil.tenancy.create({ slug: 'bench-proofs', name: 'proofs' });
    const frontier = new MerkleFrontier();
    let start = process.hrtime.bigint();
    for (let from = 0; from < LEAVES; from += CHUNK) {
      const nodes: MerkleNode[] = [];
      const events: Insertable<AuditEventsTable>[] = [];
      for (let i = from; i < Math.min(LEAVES, from + CHUNK); i++) {
        const leaf = leafHash(i);
        events.push({
          id: `bench-${i}`,
          tenant_id: tenant.id,
          seq: i,
          occurred_at: i,
          actor_type: 'system',
          actor_id: 'bench',
          action: 'bench.leaf',
          outcome: 'success',
          leaf_hash: leaf,
        });
        frontier.appendLeafHash(leaf, (level, index, h) => {
          if (level >= LOWEST_STORED_LEVEL) nodes.push({ level, index, hash: h });
        });
      }
      await vigil.storage.db.transaction().execute(async (trx) => {
        for (let at = 0; at < events.length; at += EVENT_ROWS_PER_INSERT) {
          await trx
            .insertInto('audit_events')
            .values(events.slice(at, at + EVENT_ROWS_PER_INSERT))
            .execute();
        }
        await insertTreeNodes(trx, tenant.id, nodes);
      });
    }
    const buildSeconds = seconds(start);
    const root = frontier.rootHash();
    console.log(
      `${dialect}: built a tree of ${fmt(LEAVES)} leaves in the SQL store in ${buildSeconds.toFixed(0)} s`,
    );
    const store = createSqlNodeStore(vigil.storage.db, tenant.id);
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return Math.floor((seed / 2_147_483_648) * n);
    };
    const inclusion = await timeProofs(`${dialect}: inclusion proof at ${fmt(LEAVES)}`, PROOFS, async () => {
      const index = random(LEAVES);
      const proof = await inclusionProof(store, index, LEAVES);
      if (
        !verifyInclusion({
          leafIndex: index,
          treeSize: LEAVES,
          leafHash: leafHash(index),
          proof,
          rootHash: root,
        }).ok
      ) {
        throw new Error('inclusion proof does not verify');
      }
    });
    const consistency = await timeProofs(
      `${dialect}: consistency proof to ${fmt(LEAVES)}`,
      PROOFS,
      async () => {
        const size1 = 1 + random(LEAVES - 1);
        const proof = await consistencyProof(store, size1, LEAVES);
        if (proof.length === 0) throw new Error('empty consistency proof');
      },
    );
    // One consistency proof checked end to end against an independently computed old root.
    const old = new MerkleFrontier();
    for (let i = 0; i < 1_000_003 && i < LEAVES; i++) old.appendLeafHash(leafHash(i));
    const check = verifyConsistency({
      size1: old.size,
      size2: LEAVES,
      root1: old.rootHash(),
      root2: root,
      proof: await consistencyProof(store, old.size, LEAVES),
    });
    if (!check.ok) throw new Error(`consistency proof does not verify: ${check.reason}`);
    if (dialect === 'sqlite') {
      const bytes = statSync(path.join(bench.dataDir, 'vigil.db')).size;
      console.log(
        `${dialect}: database file ${fmt(bytes / 1e6)} MB (${(bytes / LEAVES).toFixed(0)} bytes per leaf)`,
      );
    }
    start = process.hrtime.bigint();
    Object.assign(results, {
      [`${dialect}_build_s`]: Math.round(buildSeconds),
      [`${dialect}_inclusion_p50_ms`]: Number(percentile(inclusion, 0.5).toFixed(3)),
      [`${dialect}_inclusion_p99_ms`]: Number(percentile(inclusion, 0.99).toFixed(3)),
      [`${dialect}_consistency_p50_ms`]: Number(percentile(consistency, 0.5).toFixed(3)),
      [`${dialect}_consistency_p99_ms`]: Number(percentile(consistency, 0.99).toFixed(3)),
    });
  } finally {
    await bench.destroy();
  }
}

for (const dialect of values.dialects.split(',') as BenchDialect[]) await measure(dialect);
console.log(
  `BENCH_JSON ${JSON.stringify({ bench: 'audit-proof', leaves: LEAVES, proofs: PROOFS, ...results })}`,
);
