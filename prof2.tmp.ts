import { redactConversation } from './src/redaction/index.ts';
import { generateConversations } from './bench/redaction/generate.ts';
const convs = generateConversations(3000, 99);
const c0 = process.cpuUsage();
for (let r = 0; r < 5; r++) for (const c of convs) redactConversation(c.segments);
const cu = process.cpuUsage(c0);
const bytes = convs.reduce((n, c) => n + c.segments.reduce((m, s) => m + s.text.length, 0), 0) * 5;
console.log('cpu ms', (cu.user + cu.system) / 1000, 'MB/s of segment text', (bytes / 1e6 / ((cu.user + cu.system) / 1e6)).toFixed(1));
