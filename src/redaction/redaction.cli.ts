import type { Readable, Writable } from 'node:stream';
import { findingOfWord, placeholderText } from './redaction.output.ts';
import { type CompiledRedactionPolicy, DEFAULT_POLICY } from './redaction.policy.ts';
import { ConversationRedactor } from './redaction.stream.ts';
import type { Finding, RedactedSegment, Segment, SegmentWord } from './redaction.types.ts';

export interface RedactCliOptions {
  input: Readable;
  output: Writable;
  jsonl: boolean;
  policy?: CompiledRedactionPolicy;
}

/** A JSONL line longer than this is refused (its bytes are skipped, memory stays bounded). */
const MAX_LINE_BYTES = 64 * 1024 * 1024;
/** Plain text without line breaks is cut at whitespace into pieces of about this size. */
const MAX_PLAIN_CHARS = 1024 * 1024;
const FLUSH_CHARS = 64 * 1024;

class InputError extends Error {}

/** Findings as the CLI writes them: never the normalized `value`. */
function cliFindings(findings: readonly Finding[]) {
  if (findings.length === 0) return findings;
  return findings.map((f) => ({
    type: f.type,
    start: f.start,
    end: f.end,
    confidence: f.confidence,
    detector: f.detector,
  }));
}

function checkWords(words: unknown, i: number): void {
  if (words === undefined) return;
  if (!Array.isArray(words)) throw new InputError(`segments[${i}].words must be an array`);
  words.forEach((w, j) => {
    const ok =
      w !== null &&
      typeof w === 'object' &&
      typeof w.text === 'string' &&
      ['start', 'end', 'startMs', 'endMs'].every((k) => typeof w[k] === 'number' && Number.isFinite(w[k]));
    if (!ok) throw new InputError(`segments[${i}].words[${j}] needs text, start, end, startMs and endMs`);
  });
}

/** Checks every segment before any is redacted: a bad line is refused whole. */
function checkSegments(value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value)) throw new InputError('"segments" must be an array');
  for (let i = 0; i < value.length; i++) {
    const s = value[i];
    if (s === null || typeof s !== 'object' || typeof s.text !== 'string') {
      throw new InputError(`segments[${i}] must be an object with a string "text"`);
    }
    if (s.speaker !== undefined && typeof s.speaker !== 'string')
      throw new InputError(`segments[${i}].speaker must be a string`);
    checkWords(s.words, i);
  }
  return value;
}

/** Word texts that overlap a finding are replaced too: they repeat the transcript. */
function redactWords(words: readonly SegmentWord[], out: RedactedSegment, policy: CompiledRedactionPolicy) {
  if (out.findings.length === 0) return words;
  return words.map((w) => {
    const k = findingOfWord(out.findings, w);
    return k < 0 ? w : { ...w, text: placeholderText(out.findings[k]!.type, w.text, policy) };
  });
}

/**
 * Redacts a parsed JSONL document in place (it is ours: JSON.parse made it): `text` and each
 * segment's `text` replaced, `findings` (and, with word timings, `audioRanges`) added, every
 * other field kept where it was.
 */
function redactDocument(doc: Record<string, unknown>, policy: CompiledRedactionPolicy): void {
  const hasText = typeof doc.text === 'string';
  if (!hasText && doc.segments === undefined)
    throw new InputError('expected "text" (string) or "segments" (array)');
  if (doc.text !== undefined && !hasText) throw new InputError('"text" must be a string');
  const segments = doc.segments === undefined ? null : checkSegments(doc.segments);
  if (hasText) {
    const redactor = new ConversationRedactor(policy, (_index, r) => {
      doc.text = r.text;
      doc.findings = cliFindings(r.findings);
    });
    redactor.write({ text: doc.text as string });
    redactor.end();
  }
  if (segments) {
    const redactor = new ConversationRedactor(policy, (index, r) => {
      const seg = segments[index]!;
      seg.text = r.text;
      seg.findings = cliFindings(r.findings);
      if (Array.isArray(seg.words)) {
        seg.words = redactWords(seg.words as SegmentWord[], r, policy);
        seg.audioRanges = r.audioRanges ?? [];
      }
    });
    for (let i = 0; i < segments.length; i++) redactor.write(segments[i] as unknown as Segment);
    redactor.end();
  }
}

function jsonlLine(line: string, n: number, policy: CompiledRedactionPolicy): [string, boolean] {
  if (line.trim() === '') return ['', true];
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch {
    // The parser's message quotes the input, which may hold a card number: never echo it.
    return [JSON.stringify({ line: n, error: 'invalid JSON' }), false];
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    return [JSON.stringify({ line: n, error: 'expected a JSON object' }), false];
  }
  try {
    redactDocument(doc as Record<string, unknown>, policy);
    return [JSON.stringify(doc), true];
  } catch (err) {
    const message = err instanceof InputError ? err.message : 'internal error while redacting this line';
    return [JSON.stringify({ line: n, error: message }), false];
  }
}

/** Buffered writer that honours back-pressure. */
class Output {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly stream: Writable) {}

  add(s: string): void {
    this.parts.push(s);
    this.size += s.length;
  }

  async flush(force = false): Promise<void> {
    if (this.size === 0 || (!force && this.size < FLUSH_CHARS)) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await new Promise<void>((resolve) => this.stream.once('drain', resolve));
  }
}

/** Splits a byte stream into lines, skipping (and reporting) lines over the limit. */
async function forEachLine(input: Readable, onLine: (line: string | null, last: boolean) => Promise<void>) {
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let overflow = false;
  for await (const raw of input) {
    const chunk: Buffer = typeof raw === 'string' ? Buffer.from(raw) : raw;
    let pos = 0;
    for (let nl = chunk.indexOf(10, pos); nl >= 0; nl = chunk.indexOf(10, pos)) {
      if (overflow || carryBytes + nl - pos > MAX_LINE_BYTES) await onLine(null, false);
      else if (carryBytes === 0) await onLine(chunk.toString('utf8', pos, nl), false);
      else await onLine(Buffer.concat([...carry, chunk.subarray(pos, nl)]).toString('utf8'), false);
      carry = [];
      carryBytes = 0;
      overflow = false;
      pos = nl + 1;
    }
    if (pos < chunk.length && !overflow) {
      carry.push(chunk.subarray(pos));
      carryBytes += chunk.length - pos;
      if (carryBytes > MAX_LINE_BYTES) {
        overflow = true;
        carry = [];
      }
    }
  }
  if (overflow) await onLine(null, true);
  else if (carryBytes > 0) await onLine(Buffer.concat(carry).toString('utf8'), true);
}

async function runJsonl(input: Readable, out: Output, policy: CompiledRedactionPolicy): Promise<number> {
  let n = 0;
  let failed = false;
  await forEachLine(input, async (line) => {
    n++;
    const [text, ok] =
      line === null
        ? [JSON.stringify({ line: n, error: 'line exceeds 64 MiB' }), false]
        : jsonlLine(line, n, policy);
    if (!ok) failed = true;
    out.add(`${text}\n`);
    await out.flush();
  });
  return failed ? 1 : 0;
}

/** Plain text: every line is a segment of one stream, so a number split over lines is still found. */
async function runPlain(input: Readable, out: Output, policy: CompiledRedactionPolicy): Promise<number> {
  // Line endings by segment index, dropped once written: memory stays bounded on huge inputs.
  const endings = new Map<number, string>();
  let next = 0;
  const redactor = new ConversationRedactor(policy, (index, r) => {
    out.add(r.text + (endings.get(index) ?? ''));
    endings.delete(index);
  });
  await forEachLine(input, async (line, last) => {
    const text = line ?? '';
    const pieces: string[] = [];
    let rest = text;
    while (rest.length > MAX_PLAIN_CHARS) {
      const cut = rest.lastIndexOf(' ', MAX_PLAIN_CHARS);
      const at = cut > 0 ? cut + 1 : MAX_PLAIN_CHARS;
      pieces.push(rest.slice(0, at));
      rest = rest.slice(at);
    }
    pieces.push(rest);
    for (let i = 0; i < pieces.length; i++) endings.set(next++, i === pieces.length - 1 && !last ? '\n' : '');
    for (const p of pieces) {
      redactor.write({ text: p });
      await out.flush();
    }
  });
  redactor.end();
  await out.flush();
  return 0;
}

/**
 * `vigil redact`: plain text on stdin → redacted text, or with `jsonl` one JSON document per
 * line → one line per input line, in order. Returns the exit status (1 when a line failed).
 */
export async function runRedactCli(options: RedactCliOptions): Promise<number> {
  const policy = options.policy ?? DEFAULT_POLICY;
  const out = new Output(options.output);
  const code = options.jsonl
    ? await runJsonl(options.input, out, policy)
    : await runPlain(options.input, out, policy);
  await out.flush(true);
  return code;
}
