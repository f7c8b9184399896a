/**
 * Throughput of `vigil redact --jsonl` on conversation JSON Lines (JSON.parse and stringify
 * included), with the npm peers run on the same bytes in the same process, one core.
 * Run: node --import tsx bench/redaction-throughput.ts [megabytes]
 */
import { Readable, Writable } from 'node:stream';
import { runRedactCli } from '../src/redaction/index.ts';
import { generateCalls, generateConversations } from './redaction/generate.ts';
import { createPeers, type Peer } from './redaction/peers.ts';

const targetMb = Number(process.argv[2] ?? 32);
const PEER_SECONDS = 6;

/** `calls`: whole calls, mostly small talk; `dense`: the quality set, every few lines sensitive. */
function buildInput(kind: 'calls' | 'dense'): Buffer {
  const convs = kind === 'calls' ? generateCalls(600, 99) : generateConversations(3000, 99);
  const lines = convs.map((c) => JSON.stringify({ id: c.id, segments: c.segments }));
  const unit = Buffer.from(`${lines.join('\n')}\n`);
  const copies = Math.max(1, Math.ceil((targetMb * 1e6) / unit.length));
  return Buffer.concat(Array.from({ length: copies }, () => unit));
}

interface Timing {
  wallSeconds: number;
  cpuSeconds: number;
}

function timed<T>(fn: () => T): [T, Timing] {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const r = fn();
  const cu = process.cpuUsage(c0);
  return [
    r,
    { wallSeconds: Number(process.hrtime.bigint() - t0) / 1e9, cpuSeconds: (cu.user + cu.system) / 1e6 },
  ];
}

async function runVigil(input: Buffer): Promise<Timing & { code: number }> {
  const sink = new Writable({
    write(_chunk: Buffer, _enc, cb) {
      cb();
    },
  });
  const chunks = function* () {
    for (let i = 0; i < input.length; i += 65536) yield input.subarray(i, i + 65536);
  };
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const code = await runRedactCli({ input: Readable.from(chunks()), output: sink, jsonl: true });
  const cu = process.cpuUsage(c0);
  return {
    wallSeconds: Number(process.hrtime.bigint() - t0) / 1e9,
    cpuSeconds: (cu.user + cu.system) / 1e6,
    code,
  };
}

/** Same JSONL work for a peer: parse, redact each segment, stringify; time-boxed. */
function runPeer(peer: Peer, lines: readonly string[]): { timing: Timing; bytes: number } {
  let bytes = 0;
  const deadline = Date.now() + PEER_SECONDS * 1000;
  const [, timing] = timed(() => {
    for (const line of lines) {
      const doc = JSON.parse(line) as { id: string; segments: { speaker: string; text: string }[] };
      JSON.stringify({ ...doc, segments: doc.segments.map((s) => ({ ...s, text: peer.redact(s.text) })) });
      bytes += Buffer.byteLength(line) + 1;
      if (Date.now() > deadline) break;
    }
  });
  return { timing, bytes };
}

const mbps = (bytes: number, seconds: number) => bytes / 1e6 / seconds;
const result: Record<string, unknown> = {};
const peers = createPeers();

for (const kind of ['calls', 'dense'] as const) {
  const input = buildInput(kind);
  const lines = input.toString('utf8').split('\n').filter(Boolean);
  console.log(
    `\n[${kind}] ${(input.length / 1e6).toFixed(1)} MB of conversation JSONL, ${lines.length} lines (MB = 10^6 bytes)`,
  );
  await runVigil(input.subarray(0, input.indexOf(10, 2e6) + 1));
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await runVigil(input));
  const best = runs.reduce((a, b) => (a.cpuSeconds < b.cpuSeconds ? a : b));
  const vigilCpu = mbps(input.length, best.cpuSeconds);
  const vigilWall = mbps(input.length, best.wallSeconds);
  console.log(
    `vigil redact --jsonl: ${vigilCpu.toFixed(1)} MB/s per CPU second (${vigilWall.toFixed(1)} MB/s wall), exit ${best.code}`,
  );
  const entry: Record<string, unknown> = {
    inputMb: +(input.length / 1e6).toFixed(1),
    vigil: +vigilCpu.toFixed(1),
  };
  for (const peer of peers) {
    runPeer(peer, lines.slice(0, 300));
    const r = runPeer(peer, lines);
    const cpu = mbps(r.bytes, r.timing.cpuSeconds);
    console.log(
      `${peer.name}: ${cpu.toFixed(1)} MB/s per CPU second on ${(r.bytes / 1e6).toFixed(1)} MB; vigil/peer = ${(vigilCpu / cpu).toFixed(2)}`,
    );
    entry[peer.name] = +cpu.toFixed(1);
    entry[`ratio ${peer.name}`] = +(vigilCpu / cpu).toFixed(2);
  }
  result[kind] = entry;
}
console.log(
  `BENCH_JSON ${JSON.stringify({ unit: 'MB/s per CPU second, JSONL incl. parse+stringify', ...result })}`,
);
