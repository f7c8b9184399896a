/**
 * Hostile single lines: how long the redaction engine takes on text built to make it work hard
 * (a megabyte of digit groups, runs split by punctuation, a context word before every run,
 * placeholders, masks, spoken digits), at two sizes to show the cost stays linear.
 * Run: node --import tsx bench/redaction-hostile.ts [groups]
 */
import { redactText } from '../src/redaction/index.ts';

const groups = Number(process.argv[2] ?? 200_000);

let seed = 7;
function digits4(): string {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return String(seed % 10000).padStart(4, '0');
}

const CASES: [string, (n: number) => string][] = [
  ['4-digit groups', (n) => Array.from({ length: n }, digits4).join(' ')],
  ['groups joined by dashes', (n) => Array.from({ length: n }, digits4).join('-')],
  ['cards back to back', (n) => Array.from({ length: n / 4 }, () => '4111 1111 1111 1111').join(' ')],
  [
    'spoken digits',
    (n) => Array.from({ length: n }, (_, i) => ['one', 'two', 'four', 'oh'][i % 4]).join(' '),
  ],
  ['runs split by "!"', (n) => Array.from({ length: n }, (_, i) => String(i % 10)).join(' ! ')],
  ['"card:" before every run', (n) => Array.from({ length: n / 2 }, () => 'card: 4111').join(' ')],
  ['placeholders and digits', (n) => Array.from({ length: n / 2 }, () => '[CARD_NUMBER] 1111').join(' ')],
];

/** Fastest of three runs, in seconds of CPU time. */
function bestCpuSeconds(text: string): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const c0 = process.cpuUsage();
    redactText(text);
    const cu = process.cpuUsage(c0);
    best = Math.min(best, (cu.user + cu.system) / 1e6);
  }
  return best;
}

const result: Record<string, { mb: number; ms: number; msQuarter: number; ratio: number }> = {};
redactText(CASES[0]![1](10_000));
console.log(`hostile single lines, ${groups} units (MB = 10^6 bytes; CPU ms, best of 3)`);
for (const [name, make] of CASES) {
  const text = make(groups);
  const quarter = make(groups / 4);
  const ms = bestCpuSeconds(text) * 1000;
  const msQuarter = bestCpuSeconds(quarter) * 1000;
  const mb = Buffer.byteLength(text) / 1e6;
  const ratio = ms / msQuarter;
  console.log(
    `${name.padEnd(26)} ${mb.toFixed(2)} MB: ${ms.toFixed(0)} ms (${(mb / (ms / 1000)).toFixed(1)} MB/s); a quarter: ${msQuarter.toFixed(0)} ms; x4 input = x${ratio.toFixed(1)} time`,
  );
  result[name] = {
    mb: +mb.toFixed(2),
    ms: Math.round(ms),
    msQuarter: Math.round(msQuarter),
    ratio: +ratio.toFixed(1),
  };
}
console.log(`BENCH_JSON ${JSON.stringify({ units: groups, cases: result })}`);
