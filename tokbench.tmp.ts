import { generateConversations } from './bench/redaction/generate.ts';
import { tokenize } from './src/redaction/redaction.tokens.ts';
const texts = generateConversations(3000, 99).flatMap((c) => c.segments.map((s) => s.text));
const bytes = texts.reduce((n, t) => n + t.length, 0);
const CL = new Uint8Array(65536); for (let c = 97; c <= 122; c++) CL[c] = 1; for (let c = 65; c <= 90; c++) CL[c] = 1; for (let c = 48; c <= 57; c++) CL[c] = 2; CL[32] = 3;
function scanOnly(text: string) { let h = 0, n = 0; for (let i = 0; i < text.length; i++) { const c = text.charCodeAt(i); if (CL[c] === 1) h = (Math.imul(h, 31) + (c | 32)) | 0; else n++; } return h + n; }
function time(name: string, fn: (t: string) => unknown) {
  for (const t of texts) fn(t);
  const c0 = process.cpuUsage();
  for (let r = 0; r < 5; r++) for (const t of texts) fn(t);
  const cu = process.cpuUsage(c0); const s = (cu.user + cu.system) / 1e6 / 5;
  console.log(name.padEnd(12), (bytes / 1e6 / s).toFixed(1), 'MB/s');
}
time('scanOnly', scanOnly);
time('tokenize', tokenize);
time('JSON', (t) => JSON.stringify(JSON.parse(JSON.stringify({ text: t }))));
