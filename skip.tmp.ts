import { generateConversations } from './bench/redaction/generate.ts';
import { FILLER_LINES } from './bench/redaction/generate.data.ts';
import { mayHoldEntities } from './src/redaction/redaction.prescan.ts';
import { NameMemory } from './src/redaction/redaction.names.ts';
const m = new NameMemory();
const texts = generateConversations(500, 99).flatMap((c) => c.segments.map((s) => s.text));
console.log('dense set skipped', texts.filter((t) => !mayHoldEntities(t, m, false)).length / texts.length);
for (const f of FILLER_LINES) console.log(mayHoldEntities(f, m) ? 'ANALYZE' : 'skip   ', f);
