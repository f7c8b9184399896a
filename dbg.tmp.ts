import { redactConversation } from './src/redaction/index.ts';
import { generateConversations } from './bench/redaction/generate.ts';
const convs = generateConversations(2000, 7);
const miss: Record<string, string[]> = {}; const fp: Record<string, string[]> = {};
for (const c of convs) {
  const out = redactConversation(c.segments).segments;
  for (const l of c.labels) {
    const fs = out[l.seg]!.findings;
    if (!fs.some((f) => f.type === l.type && f.start < l.end && l.start < f.end)) {
      (miss[l.type] ??= []).push(`${c.segments[l.seg]!.text}  ==> ${out[l.seg]!.text} [${fs.map(f=>f.type).join(',')}]  prev: ${c.segments[l.seg-1]?.text}`);
    }
  }
  out.forEach((s, si) => { for (const f of s.findings) if (!c.labels.some((l) => l.seg === si && l.type === f.type && f.start < l.end && l.start < f.end)) (fp[f.type] ??= []).push(`${c.segments[si]!.text} ==> ${s.text} (${f.detector}) prev: ${c.segments[si-1]?.text}`); });
}
for (const [t, xs] of Object.entries(miss)) { console.log('MISS', t, xs.length); for (const x of xs.slice(0, 6)) console.log('   ', x); }
for (const [t, xs] of Object.entries(fp)) { console.log('FP', t, xs.length); for (const x of xs.slice(0, 6)) console.log('   ', x); }
