import { redactConversation } from './src/redaction/index.ts';
import { generateConversations } from './bench/redaction/generate.ts';
const convs = generateConversations(3000, 99);
for (let r = 0; r < 12; r++) for (const c of convs) redactConversation(c.segments);
