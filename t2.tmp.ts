import { redactConversation } from './src/redaction/index.ts';
for (const segs of [[{"speaker":"agent","text":"expires four is 14 four John order"}],[{"speaker":"agent","text":"account four"},{"speaker":"agent","text":"four"},{"speaker":"agent","text":"1111 123 John order"}],[{"speaker":"agent","text":"Mr digits"},{"speaker":"agent","text":"four 4242 4111 four digits"}]]) {
  const out = redactConversation(segs).segments;
  const again = redactConversation(out.map((s, i) => ({ speaker: segs[i]!.speaker, text: s.text }))).segments;
  console.log(JSON.stringify(out.map((s) => [s.text, s.findings.map((f) => f.type + ':' + f.detector)])));
  console.log(JSON.stringify(again.map((s) => [s.text, s.findings.map((f) => f.type + ':' + f.detector)])));
}
