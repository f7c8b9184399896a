import { generateConversations } from './bench/redaction/generate.ts';
import { tokenize } from './src/redaction/redaction.tokens.ts';
import { detectStructured } from './src/redaction/redaction.segment.ts';
import { findDigitRuns } from './src/redaction/redaction.runs.ts';
import { findNames, NameMemory } from './src/redaction/redaction.names.ts';
import { DEFAULT_POLICY } from './src/redaction/redaction.policy.ts';
import { redactConversation } from './src/redaction/index.ts';
const convs = generateConversations(3000, 99);
const texts = convs.flatMap((c) => c.segments.map((s) => s.text));
const bytes = texts.reduce((n, t) => n + t.length, 0);
function time(name: string, fn: () => void) {
  fn();
  const c0 = process.cpuUsage();
  for (let r = 0; r < 3; r++) fn();
  const cu = process.cpuUsage(c0);
  const s = (cu.user + cu.system) / 1e6 / 3;
  console.log(name.padEnd(20), (bytes / 1e6 / s).toFixed(1), 'MB/s', (s * 1e6 / texts.length).toFixed(2), 'us/seg');
}
time('tokenize', () => { for (const t of texts) tokenize(t); });
time('+structured', () => { for (const t of texts) { const tk = tokenize(t); detectStructured({ tokens: tk, history: [] }, DEFAULT_POLICY, []); } });
time('+runs', () => { for (const t of texts) { const tk = tokenize(t); detectStructured({ tokens: tk, history: [] }, DEFAULT_POLICY, []); findDigitRuns(tk, 7); } });
const mem = new NameMemory();
time('+names', () => { for (const t of texts) { const tk = tokenize(t); detectStructured({ tokens: tk, history: [] }, DEFAULT_POLICY, []); findDigitRuns(tk, 7); findNames(tk, mem, [], []); } });
time('conversation', () => { for (const c of convs) redactConversation(c.segments); });
console.log('segments', texts.length, 'avg chars', (bytes / texts.length).toFixed(0));
