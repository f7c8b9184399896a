// Benchmark of the audit log's Merkle core: raw SHA-256 rate, root recomputation (verification)
// rate, tree build rate and proof latency at 10 million leaves with the in-memory node store.
//   node --import tsx bench/audit-merkle.ts [--leaves 10000000] [--verify-events 1000000]
import { createHash, hash } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  appendLeaves,
  computeRootFromLeafData,
  consistencyProof,
  hashLeaf,
  inclusionProof,
  leafHashAt,
  MemoryNodeStore,
  MerkleFrontier,
  rootHashAt,
  verifyConsistency,
  verifyInclusion,
} from '../src/audit/merkle/index.ts';

const { values } = parseArgs({
  options: {
    leaves: { type: 'string', default: '10000000' },
    'verify-events': { type: 'string', default: '1000000' },
    proofs: { type: 'string', default: '2000' },
  },
});
const TREE_LEAVES = Number(values.leaves);
const VERIFY_EVENTS = Number(values['verify-events']);
const PROOFS = Number(values.proofs);
const BATCH = 65_536;

const seconds = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

// Deterministic PRNG so runs are comparable.
let seed = 0x9e3779b9;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function rawHashRate(label: string, run: () => unknown): number {
  for (let i = 0; i < 200_000; i++) run(); // warm-up
  let best = 0;
  for (let round = 0; round < 3; round++) {
    let count = 0;
    const start = process.hrtime.bigint();
    while (count % 100_000 !== 0 || seconds(start) < 0.7) {
      run();
      count++;
    }
    best = Math.max(best, count / seconds(start));
  }
  console.log(`raw SHA-256 of two 32-byte inputs (${label}): ${fmt(best)} hashes/s`);
  return best;
}

// The baseline is the fastest way Node offers to hash 64 bytes, whatever the output form, so the
// verification ratio is not flattered by a slow baseline.
function measureRawHashing(): number {
  const left = createHash('sha256').update('left').digest();
  const right = createHash('sha256').update('right').digest();
  const joined = Buffer.concat([left, right]);
  const rates = [
    rawHashRate('createHash, 2 updates, Buffer out', () =>
      createHash('sha256').update(left).update(right).digest(),
    ),
    rawHashRate('crypto.hash, 64-byte buffer, Buffer out', () => hash('sha256', joined, 'buffer')),
    rawHashRate('crypto.hash, 64-byte buffer, binary string out', () => hash('sha256', joined, 'binary')),
  ];
  return Math.max(...rates);
}

function syntheticEvent(i: number, padTo: number): Buffer {
  const base = `{"seq":${i},"tenant":"acme","actor":"u${i % 977}","action":"card.reveal","outcome":"success","target":"vault:${i * 7919}"`;
  return Buffer.from(`${base},"pad":"${'x'.repeat(Math.max(0, padTo - base.length - 10))}"}`);
}

const RAW_INPUT = Buffer.alloc(64, 0x5a);
const CHUNK = 20_000;

// Raw hashing and verification alternate in chunks of about the same work (CHUNK events against
// 2 x CHUNK raw hashes), so load from other processes on the machine hits both sides alike. The
// ratio is verification events/s over half the raw hashes/s, from the summed times of all chunks.
function measureVerification(label: string, events: Buffer[]): { rate: number; raw: number; ratio: number } {
  computeRootFromLeafData(events.slice(0, 100_000)); // warm-up
  for (let i = 0; i < 200_000; i++) hash('sha256', RAW_INPUT, 'binary');
  const frontier = new MerkleFrontier();
  let verifySeconds = 0;
  let rawSeconds = 0;
  let rawHashes = 0;
  for (let begin = 0; begin < events.length; begin += CHUNK) {
    const end = Math.min(begin + CHUNK, events.length);
    let start = process.hrtime.bigint();
    for (let i = begin; i < end; i++) frontier.appendLeafData(events[i]!);
    verifySeconds += seconds(start);
    start = process.hrtime.bigint();
    for (let i = 0; i < 2 * (end - begin); i++) hash('sha256', RAW_INPUT, 'binary');
    rawSeconds += seconds(start);
    rawHashes += 2 * (end - begin);
  }
  const start = process.hrtime.bigint();
  const root = frontier.rootHash();
  verifySeconds += seconds(start);
  if (!root.equals(computeRootFromLeafData(events)))
    throw new Error('chunked root differs from one-pass root');
  const rate = events.length / verifySeconds;
  const raw = rawHashes / rawSeconds;
  const ratio = rate / (raw / 2);
  console.log(
    `verification (root recomputed from leaf data), ${label}: ${fmt(rate)} events/s against ${fmt(raw)} raw ` +
      `hashes/s interleaved = ${(ratio * 100).toFixed(1)}% of raw/2 (root ${root.toString('hex').slice(0, 16)}...)`,
  );
  return { rate, raw, ratio };
}

async function buildTree(
  size: number,
): Promise<{ store: MemoryNodeStore; leafRate: number; appendRate: number }> {
  const store = new MemoryNodeStore();
  const counter = Buffer.alloc(8);
  let hashSeconds = 0;
  let appendSeconds = 0;
  for (let begin = 0; begin < size; begin += BATCH) {
    const count = Math.min(BATCH, size - begin);
    let start = process.hrtime.bigint();
    const leaves = new Array<Buffer>(count);
    for (let i = 0; i < count; i++) {
      counter.writeUInt32BE(Math.floor((begin + i) / 2 ** 32), 0);
      counter.writeUInt32BE((begin + i) % 2 ** 32, 4);
      leaves[i] = hashLeaf(counter);
    }
    hashSeconds += seconds(start);
    start = process.hrtime.bigint();
    const result = await appendLeaves(store, begin, leaves);
    await store.putNodes(result.nodes);
    appendSeconds += seconds(start);
  }
  const total = hashSeconds + appendSeconds;
  console.log(
    `build ${fmt(size)} leaves in batches of ${fmt(BATCH)}: ${total.toFixed(1)} s, ${fmt(size / total)} leaves/s ` +
      `(leaf hashing ${hashSeconds.toFixed(1)} s, appendLeaves + putNodes ${appendSeconds.toFixed(1)} s = ${fmt(size / appendSeconds)} leaves/s)`,
  );
  const memory = process.memoryUsage();
  console.log(
    `memory after build: rss ${fmt(memory.rss / 2 ** 20)} MiB, buffers ${fmt(memory.arrayBuffers / 2 ** 20)} MiB`,
  );
  return { store, leafRate: size / total, appendRate: size / appendSeconds };
}

function percentiles(samples: number[]): {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
} {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.at(-1)!, mean };
}

const describe = (name: string, p: ReturnType<typeof percentiles>): string =>
  `${name}: p50 ${p.p50.toFixed(1)} us, p95 ${p.p95.toFixed(1)} us, p99 ${p.p99.toFixed(1)} us, max ${p.max.toFixed(1)} us`;

async function measureProofs(store: MemoryNodeStore, size: number) {
  const root = await rootHashAt(store, size);
  const inclusion: number[] = [];
  const verify: number[] = [];
  for (let i = 0; i < PROOFS; i++) {
    const index = Math.floor(random() * size);
    const start = process.hrtime.bigint();
    const proof = await inclusionProof(store, index, size);
    inclusion.push(seconds(start) * 1e6);
    const leafHash = await leafHashAt(store, index);
    const vStart = process.hrtime.bigint();
    const check = verifyInclusion({ leafIndex: index, treeSize: size, leafHash, proof, rootHash: root });
    verify.push(seconds(vStart) * 1e6);
    if (!check.ok) throw new Error(`inclusion proof for ${index} did not verify: ${check.reason}`);
  }
  const consistency: number[] = [];
  for (let i = 0; i < PROOFS; i++) {
    const size1 = 1 + Math.floor(random() * (size - 1));
    const start = process.hrtime.bigint();
    const proof = await consistencyProof(store, size1, size);
    consistency.push(seconds(start) * 1e6);
    const root1 = await rootHashAt(store, size1);
    const check = verifyConsistency({ size1, size2: size, root1, root2: root, proof });
    if (!check.ok) throw new Error(`consistency proof ${size1} -> ${size} did not verify: ${check.reason}`);
  }
  const result = {
    inclusion: percentiles(inclusion),
    verifyInclusion: percentiles(verify),
    consistency: percentiles(consistency),
  };
  console.log(
    describe(`inclusion proof generation at ${fmt(size)} leaves (${PROOFS} random leaves)`, result.inclusion),
  );
  console.log(describe('inclusion proof verification', result.verifyInclusion));
  console.log(describe(`consistency proof generation to ${fmt(size)} leaves`, result.consistency));
  return result;
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
  const rawRate = measureRawHashing();
  const small = Array.from({ length: VERIFY_EVENTS }, (_, i) =>
    createHash('sha256').update(String(i)).digest(),
  );
  const smallResult = measureVerification('32-byte leaves', small);
  small.length = 0;
  const events = Array.from({ length: VERIFY_EVENTS }, (_, i) => syntheticEvent(i, 256));
  const eventResult = measureVerification('256-byte JSON events', events);
  events.length = 0;

  const built = await buildTree(TREE_LEAVES);
  const proofs = await measureProofs(built.store, TREE_LEAVES);
  console.log(
    `BENCH_JSON ${JSON.stringify({
      rawSha256PairsPerSecondBest: Math.round(rawRate),
      rawSha256PerSecondInterleaved32B: Math.round(smallResult.raw),
      rawSha256PerSecondInterleaved256B: Math.round(eventResult.raw),
      verifyEventsPerSecond32B: Math.round(smallResult.rate),
      verifyRatio32B: Number(smallResult.ratio.toFixed(3)),
      verifyEventsPerSecond256B: Math.round(eventResult.rate),
      verifyRatio256B: Number(eventResult.ratio.toFixed(3)),
      buildLeaves: TREE_LEAVES,
      buildLeavesPerSecond: Math.round(built.leafRate),
      appendLeavesPerSecond: Math.round(built.appendRate),
      inclusionProofP50Us: Number(proofs.inclusion.p50.toFixed(1)),
      inclusionProofP99Us: Number(proofs.inclusion.p99.toFixed(1)),
      inclusionVerifyP50Us: Number(proofs.verifyInclusion.p50.toFixed(1)),
      consistencyProofP50Us: Number(proofs.consistency.p50.toFixed(1)),
      consistencyProofP99Us: Number(proofs.consistency.p99.toFixed(1)),
    })}`,
  );
}

await main();
