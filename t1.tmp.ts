import { redactText, redactConversation } from './src/redaction/index.ts';
const t = '1111 John four four four pin';
const a = redactConversation([{ speaker: 'agent', text: t }]).segments[0]!;
console.log(a.text, a.findings);
const b = redactConversation([{ speaker: 'agent', text: a.text }]).segments[0]!;
console.log(b.text, b.findings);
console.log(redactText(t));
