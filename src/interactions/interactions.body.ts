import { type StoredDocument, type StoredSegment, segmentWithCardTokens } from './interactions.document.ts';

/**
 * The stored document as JSON text, made where it was redacted (a worker thread of `vigil ingest`
 * or of an API batch), so the main thread, which holds the database work, neither rebuilds the
 * document from the message nor serialises it: it only puts in the card tokens, which come from
 * the vault inside the transaction, and encrypts. Segments with a card finding stay objects until
 * then; every other part is text already.
 */
export interface BodyTemplate {
  /** The document's JSON up to and including the segments array's `[`. */
  head: string;
  /**
   * The segments' JSON, comma-separated runs of segments without cards, and the segments where
   * card tokens go into findings as objects, in document order.
   */
  segments: (string | StoredSegment)[];
  /** The document's JSON after the segments array's `]`. */
  tail: string;
}

/**
 * Splits the document's JSON around its segments, in JSON.stringify's key order and form. A few
 * large JSON.stringify calls (the fields before the segments, the runs of segments without
 * cards, the fields after) cost much less than one per field or per segment.
 */
export function bodyTemplate(
  document: StoredDocument,
  cards: readonly (readonly (string | null)[])[],
): BodyTemplate {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  let side = before;
  for (const key of Object.keys(document)) {
    if (key === 'segments') side = after;
    else side[key] = document[key as keyof StoredDocument];
  }
  // `{"a":1,"b":2}` without its closing brace; JSON.stringify drops the same values either way.
  const beforeJson = JSON.stringify(before).slice(0, -1);
  const head = `${beforeJson}${beforeJson === '{' ? '' : ','}"segments":[`;
  const afterJson = JSON.stringify(after).slice(1);
  const tail = afterJson === '}' ? '' : `,${afterJson.slice(0, -1)}`;
  const segments: (string | StoredSegment)[] = [];
  let run: StoredSegment[] = [];
  const endRun = () => {
    if (run.length > 0) segments.push(JSON.stringify(run).slice(1, -1));
    run = [];
  };
  document.segments.forEach((segment, i) => {
    if ((cards[i]?.length ?? 0) === 0) run.push(segment);
    else {
      endRun();
      segments.push(segment);
    }
  });
  endRun();
  return { head, segments, tail };
}

/**
 * The document's JSON with every card finding carrying its vault token: the same text as
 * JSON.stringify(withCardTokens(document, cards, tokens)). The template stays as it was, for a
 * batch stored again alone after its shared transaction failed.
 */
export function renderBody(
  template: BodyTemplate,
  cards: readonly (readonly (string | null)[])[],
  tokens: ReadonlyMap<string, string>,
): string {
  const parts = template.segments.map((segment, i) =>
    typeof segment === 'string' ? segment : JSON.stringify(segmentWithCardTokens(segment, cards[i], tokens)),
  );
  return `${template.head}${parts.join(',')}]${template.tail}}`;
}
