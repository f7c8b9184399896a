import { redactConversation } from './src/redaction/index.ts';
import { generateConversations } from './bench/redaction/generate.ts';
const convs = generateConversations(3000, 99);
const t0 = Date.now();
for (let r = 0; r < 5; r++) for (const c of convs) redactConversation(c.segments);
console.log('ms', Date.now() - t0, 'bytes', convs.reduce((n, c) => n + JSON.stringify(c.segments).length, 0) * 5);
