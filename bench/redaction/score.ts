/**
 * Scorer for the labeled evaluation set: recall, precision and F2 per type, and the number of
 * card digits (written or spoken) left readable in the output.
 */
import type { EntityType, Finding, RedactedSegment } from '../../src/redaction/index.ts';
import type { Label, LabeledConversation } from './generate.ts';

export interface TypeScore {
  labels: number;
  found: number;
  findings: number;
  correct: number;
  recall: number;
  precision: number;
  f2: number;
}

export interface Score {
  perType: Record<string, TypeScore>;
  cardEntities: number;
  cardEntitiesFullyRedacted: number;
  cardDigitsLeaked: number;
}

const DIGIT_WORD =
  /^(zero|oh|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|double|zéro|un|deux|trois|quatre|cinq|sept|huit|neuf|cero|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve)$/i;

function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Digits readable in [start, end) of a segment once findings are removed (digit chars + digit words). */
function leakedDigits(text: string, start: number, end: number, findings: readonly Finding[]): number {
  let leaked = 0;
  const re = /[0-9]|[\p{L}]+/gu;
  re.lastIndex = start;
  for (let m = re.exec(text); m && m.index < end; m = re.exec(text)) {
    const span = { start: m.index, end: m.index + m[0].length };
    if (findings.some((f) => overlaps(f, span))) continue;
    if (/[0-9]/.test(m[0]) || DIGIT_WORD.test(m[0])) leaked++;
  }
  return leaked;
}

function entry(perType: Record<string, TypeScore>, t: string): TypeScore {
  perType[t] ??= { labels: 0, found: 0, findings: 0, correct: 0, recall: 0, precision: 0, f2: 0 };
  return perType[t];
}

/** Scores engine output (one RedactedSegment list per conversation, same order) against labels. */
export function scoreConversations(
  convs: readonly LabeledConversation[],
  outputs: readonly RedactedSegment[][],
): Score {
  const perType: Record<string, TypeScore> = {};
  let cardEntities = 0;
  let fully = 0;
  let leakedTotal = 0;
  convs.forEach((conv, ci) => {
    const out = outputs[ci]!;
    const labelsBySeg = new Map<number, Label[]>();
    for (const l of conv.labels) labelsBySeg.set(l.seg, [...(labelsBySeg.get(l.seg) ?? []), l]);
    const cardLeaks = new Map<number, number>();
    for (const l of conv.labels) {
      const fs = out[l.seg]!.findings;
      const e = entry(perType, l.type);
      e.labels++;
      if (fs.some((f) => f.type === l.type && overlaps(f, l))) e.found++;
      if (l.type === 'CARD_NUMBER') {
        const leaked = leakedDigits(conv.segments[l.seg]!.text, l.start, l.end, fs);
        cardLeaks.set(l.entity, (cardLeaks.get(l.entity) ?? 0) + leaked);
      }
    }
    for (const leaked of cardLeaks.values()) {
      cardEntities++;
      if (leaked === 0) fully++;
      leakedTotal += leaked;
    }
    out.forEach((seg, si) => {
      for (const f of seg.findings) {
        const e = entry(perType, f.type);
        e.findings++;
        if ((labelsBySeg.get(si) ?? []).some((l) => l.type === f.type && overlaps(f, l))) e.correct++;
      }
    });
  });
  for (const s of Object.values(perType)) {
    s.recall = s.labels ? s.found / s.labels : 1;
    s.precision = s.findings ? s.correct / s.findings : 1;
    s.f2 = s.recall + s.precision > 0 ? (5 * s.precision * s.recall) / (4 * s.precision + s.recall) : 0;
  }
  return { perType, cardEntities, cardEntitiesFullyRedacted: fully, cardDigitsLeaked: leakedTotal };
}

/**
 * Peer recall without findings: a label counts as caught when its exact text no longer appears
 * in the peer's output for that segment. Applied to Vigil too, for a like-for-like comparison.
 */
export function textRecall(
  convs: readonly LabeledConversation[],
  outputs: readonly string[][],
): Record<string, number> {
  const hit: Record<string, [number, number]> = {};
  convs.forEach((conv, ci) => {
    for (const l of conv.labels) {
      const original = conv.segments[l.seg]!.text.slice(l.start, l.end);
      const caught = !outputs[ci]![l.seg]!.includes(original);
      hit[l.type] ??= [0, 0];
      const h = hit[l.type]!;
      h[0] += caught ? 1 : 0;
      h[1]++;
    }
  });
  return Object.fromEntries(Object.entries(hit).map(([t, [a, n]]) => [t, a / n]));
}

export type { EntityType };
