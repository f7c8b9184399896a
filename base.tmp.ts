import { generateCalls } from './bench/redaction/generate.ts';
import { redactConversation } from './src/redaction/index.ts';
import { mayHoldEntities } from './src/redaction/redaction.prescan.ts';
import { NameMemory } from './src/redaction/redaction.names.ts';
const calls = generateCalls(600, 99);
const lines = calls.map((c) => JSON.stringify({ id: c.id, segments: c.segments }));
const bytes = lines.reduce((n, l) => n + l.length + 1, 0);
function time(name: string, fn: () => void) {
  fn();
  const c0 = process.cpuUsage();
  for (let r = 0; r < 3; r++) fn();
  const cu = process.cpuUsage(c0); const s = (cu.user + cu.system) / 1e6 / 3;
  console.log(name.padEnd(14), (bytes / 1e6 / s).toFixed(1), 'MB/s of JSONL');
}
time('json only', () => { for (const l of lines) { const d = JSON.parse(l); JSON.stringify({ ...d, segments: d.segments.map((s: any) => ({ ...s, findings: [] })) }); } });
time('engine only', () => { for (const c of calls) redactConversation(c.segments); });
const m = new NameMemory();
time('prescan only', () => { for (const c of calls) for (const s of c.segments) mayHoldEntities(s.text, m, false); });
const segs = calls.flatMap((c) => c.segments);
console.log('skip ratio', segs.filter((s) => !mayHoldEntities(s.text, m, false)).length / segs.length, 'avg chars', segs.reduce((n, s) => n + s.text.length, 0) / segs.length);
const skipCalls = calls.map((c) => c.segments.filter((s) => !mayHoldEntities(s.text, m, false)));
const skipBytes = skipCalls.reduce((n, c) => n + JSON.stringify(c).length, 0);
{
  const c0 = process.cpuUsage();
  for (let r = 0; r < 3; r++) for (const c of skipCalls) redactConversation(c);
  const cu = process.cpuUsage(c0); const s = (cu.user + cu.system) / 1e6 / 3;
  console.log('skipped-only engine', (skipBytes / 1e6 / s).toFixed(1), 'MB/s', (s * 1e6 / skipCalls.reduce((n, c) => n + c.length, 0)).toFixed(2), 'us/seg');
}
