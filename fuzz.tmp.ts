import fc from 'fast-check';
import { redactText, redactConversation } from './src/redaction/index.ts';
const words = fc.constantFrom(
  'four', 'two', 'oh', 'double', 'forty', 'card', 'cvv', 'pin', 'my', 'name', 'is', 'John', 'Smith', 'at', 'dot',
  'com', 'street', '123', '4242', '-', '.', ',', '@', '$', ':', '4111', '1111', 'quatre', 'cuatro', 'expires', '12/26',
  'social', 'um', 'this', "'", 'Mr', 'box', 'rue', 'H2X', '1Y4', 'GB82', 'WEST', '[CARD_NUMBER]', '****', '\n', 'account', 'routing', 'birth', 'March', '14', '1985', 'phone', 'call', 'one', 'nine', 'twenty', 'zip', 'apt', 'Main', 'Ave', 'sarah', 'jennifer', 'I', 'm', 'security', 'code', 'back', 'digits', 'three', 'order', 'ending',
);
const mixed = fc.array(words, { maxLength: 40 }).map((w) => w.join(' '));
for (const seed of [1, 2, 3]) {
  const r = fc.check(fc.property(fc.array(fc.record({ speaker: fc.constantFrom('agent', 'customer'), text: mixed }), { maxLength: 6 }), (segs) => {
    const out = redactConversation(segs).segments;
    const again = redactConversation(out.map((s, i) => ({ speaker: segs[i]!.speaker, text: s.text }))).segments;
    return JSON.stringify(again.map((s) => s.text)) === JSON.stringify(out.map((s) => s.text));
  }), { numRuns: 20000, seed });
  console.log(seed, r.failed ? JSON.stringify(r.counterexample) : 'ok');
}
