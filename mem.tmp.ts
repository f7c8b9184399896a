import { Readable, Writable } from 'node:stream';
import { runRedactCli } from './src/redaction/index.ts';
const line = Buffer.from(JSON.stringify({ id: 'x', segments: [{ speaker: 'customer', text: 'my card is 4111 1111 1111 1111 and my name is John Smith' }, { speaker: 'agent', text: 'thanks, one moment please while I check that for you' }] }) + '\n');
const plainLine = Buffer.from('four one one one one one one one and some more words about the weather today\n');
for (const jsonl of [true, false]) {
  const total = 150e6;
  let sent = 0; let peak = 0;
  const src = Readable.from((function* () { while (sent < total) { const chunk = Buffer.concat(Array(500).fill(jsonl ? line : plainLine)); sent += chunk.length; yield chunk; } })());
  const sink = new Writable({ write(_c, _e, cb) { peak = Math.max(peak, process.memoryUsage().rss); cb(); } });
  const t0 = Date.now();
  const code = await runRedactCli({ input: src, output: sink, jsonl });
  console.log(jsonl ? 'jsonl' : 'plain', 'MB', (sent / 1e6).toFixed(0), 'peak RSS MB', (peak / 1e6).toFixed(0), 'code', code, 's', (Date.now() - t0) / 1000);
}
