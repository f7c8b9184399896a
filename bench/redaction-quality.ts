/**
 * Quality of the redaction engine on the generated, labeled contact-center set, with the npm
 * peers (redact-pii, @redactpii/node) run on the same segments.
 * Run: node --import tsx bench/redaction-quality.ts [conversations] [seed]
 */
import { compileRedactionPolicy, redactConversation } from '../src/redaction/index.ts';
import { generateConversations } from './redaction/generate.ts';
import { createPeers } from './redaction/peers.ts';
import { scoreConversations, textRecall } from './redaction/score.ts';

const count = Number(process.argv[2] ?? 2000);
const seed = Number(process.argv[3] ?? 42);
const convs = generateConversations(count, seed);
const labels = convs.reduce((n, c) => n + c.labels.length, 0);
console.log(`evaluation set: ${count} conversations, ${labels} labeled entities (seed ${seed})`);

const outputs = convs.map((c) => redactConversation(c.segments).segments);
const score = scoreConversations(convs, outputs);
console.log('\ntype              labels  recall  precision  F2');
for (const [type, s] of Object.entries(score.perType).sort()) {
  console.log(
    `${type.padEnd(16)} ${String(s.labels).padStart(7)}  ${s.recall.toFixed(3)}   ${s.precision.toFixed(3)}      ${s.f2.toFixed(3)}`,
  );
}
console.log(
  `\ncard entities: ${score.cardEntities}, fully redacted: ${score.cardEntitiesFullyRedacted}, card digits leaked: ${score.cardDigitsLeaked}`,
);

const last4 = compileRedactionPolicy({ keepLastFour: true });
const last4Out = convs.map((c) => redactConversation(c.segments, last4).segments);
const last4Score = scoreConversations(convs, last4Out);
console.log(
  `keepLastFour: card digits leaked beyond the placeholder's last four: ${last4Score.cardDigitsLeaked}`,
);

const ours = textRecall(
  convs,
  outputs.map((o) => o.map((s) => s.text)),
);
const peers = createPeers();
const peerRecall: Record<string, Record<string, number>> = {};
for (const peer of peers) {
  const texts = convs.map((c) => c.segments.map((s) => peer.redact(s.text)));
  peerRecall[peer.name] = textRecall(convs, texts);
}
console.log('\nrecall by "label text gone from output" (same rule for every engine)');
console.log(`type              vigil   ${peers.map((p) => p.name.padEnd(16)).join('')}`);
for (const type of Object.keys(ours).sort()) {
  const cols = peers.map((p) => (peerRecall[p.name]![type] ?? 0).toFixed(3).padEnd(16)).join('');
  console.log(`${type.padEnd(16)}  ${ours[type]!.toFixed(3)}   ${cols}`);
}

const perType = Object.fromEntries(
  Object.entries(score.perType).map(([t, s]) => [
    t,
    { recall: +s.recall.toFixed(4), precision: +s.precision.toFixed(4), f2: +s.f2.toFixed(4) },
  ]),
);
console.log(
  `BENCH_JSON ${JSON.stringify({
    conversations: count,
    labels,
    perType,
    cardDigitsLeaked: score.cardDigitsLeaked,
    cardDigitsLeakedKeepLastFour: last4Score.cardDigitsLeaked,
    textRecall: { vigil: ours, ...peerRecall },
  })}`,
);
