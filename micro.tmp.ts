import { redactConversation, redactText } from './src/redaction/index.ts';
import { tokenize } from './src/redaction/redaction.tokens.ts';
const s = 'I understand, that must be frustrating. Let me check what happened with the charge on your account.';
const segs = Array.from({ length: 20 }, (_, i) => ({ speaker: i % 2 ? 'agent' : 'customer', text: s }));
const N = 5000;
for (const [name, fn] of [
  ['tokenize', () => { for (const x of segs) tokenize(x.text); }],
  ['redactText', () => { for (const x of segs) redactText(x.text); }],
  ['conversation', () => { redactConversation(segs); }],
] as const) {
  fn();
  const c0 = process.cpuUsage();
  for (let i = 0; i < N; i++) fn();
  const cu = process.cpuUsage(c0); const ms = (cu.user + cu.system) / 1000;
  console.log(name, (s.length * 20 * N / 1e6 / (ms / 1000)).toFixed(1), 'MB/s', (ms * 1000 / (N * 20)).toFixed(2), 'us/seg');
}
