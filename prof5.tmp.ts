import { generateCalls } from './bench/redaction/generate.ts';
import { redactConversation } from './src/redaction/index.ts';
const calls = generateCalls(600, 99);
for (let r = 0; r < 15; r++) for (const c of calls) redactConversation(c.segments);
