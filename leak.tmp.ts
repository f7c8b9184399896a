import { redactConversation } from './src/redaction/index.ts';
import { generateConversations } from './bench/redaction/generate.ts';
const convs = generateConversations(2000, 2024);
for (const c of convs) {
  const out = redactConversation(c.segments).segments;
  for (const l of c.labels) if (l.type === 'CARD_NUMBER') {
    const fs = out[l.seg]!.findings;
    const txt = c.segments[l.seg]!.text;
    const cov = (i: number) => fs.some((f) => f.start <= i && i < f.end);
    let leak = false;
    for (let i = l.start; i < l.end; i++) if (/\S/.test(txt[i]!) && !cov(i)) leak = true;
    if (leak) { console.log(c.segments.slice(Math.max(0, l.seg - 3), l.seg + 2).map((s) => s.speaker + ': ' + s.text).join('\n')); console.log('=>', out[l.seg]!.text, JSON.stringify(fs)); }
  }
}
