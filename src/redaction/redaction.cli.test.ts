import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runRedactCli } from './redaction.cli.ts';
import { compileRedactionPolicy } from './redaction.policy.ts';

async function run(input: string | Buffer[], jsonl: boolean, keepLastFour = false) {
  let out = '';
  const output = new Writable({
    write(chunk: Buffer, _enc, cb) {
      out += chunk.toString('utf8');
      cb();
    },
  });
  const chunks = typeof input === 'string' ? [Buffer.from(input)] : input;
  const code = await runRedactCli({
    input: Readable.from(chunks),
    output,
    jsonl,
    policy: compileRedactionPolicy({ keepLastFour }),
  });
  return { code, out };
}

const PAN = '4111 1111 1111 1111';

describe('vigil redact (plain text)', () => {
  it('writes the redacted text, line endings kept', async () => {
    const r = await run(`card ${PAN}\r\nno secrets here\nlast line`, false);
    expect(r).toEqual({ code: 0, out: 'card [CARD_NUMBER]\r\nno secrets here\nlast line' });
  });

  it('finds a card split over lines', async () => {
    const r = await run('four one one one one one one one\none one one one one one one one\n', false);
    expect(r.out).toBe('[CARD_NUMBER]\n[CARD_NUMBER]\n');
  });
});

describe('vigil redact --jsonl', () => {
  it('redacts text documents and reports findings without the value', async () => {
    const r = await run(`${JSON.stringify({ id: 'a', text: `my card is ${PAN}` })}\n`, true);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc).toEqual({
      id: 'a',
      text: 'my card is [CARD_NUMBER]',
      findings: [{ type: 'CARD_NUMBER', start: 11, end: 30, confidence: 0.97, detector: 'card-luhn' }],
    });
    expect(r.out).not.toContain('4111');
  });

  it('redacts each segment, its words and gives audio ranges', async () => {
    const words = [
      { text: 'pin', start: 0, end: 3, startMs: 0, endMs: 300 },
      { text: '4829', start: 4, end: 8, startMs: 300, endMs: 900 },
    ];
    const line = JSON.stringify({
      id: 'b',
      segments: [
        { speaker: 'agent', text: 'hello' },
        { speaker: 'customer', text: 'pin 4829', words },
      ],
    });
    const doc = JSON.parse((await run(`${line}\n`, true)).out);
    expect(doc.segments[0]).toEqual({ speaker: 'agent', text: 'hello', findings: [] });
    expect(doc.segments[1].text).toBe('pin [PIN]');
    expect(doc.segments[1].words[1].text).toBe('[PIN]');
    expect(doc.segments[1].audioRanges).toEqual([{ startMs: 300, endMs: 900, type: 'PIN' }]);
    expect(JSON.stringify(doc)).not.toContain('4829');
  });

  it('answers a malformed line in its place, goes on, and exits 1', async () => {
    const input = [
      JSON.stringify({ id: 1, text: 'ok' }),
      `{"id":2,"text":"card ${PAN}"`,
      '[1,2]',
      JSON.stringify({ id: 3 }),
      JSON.stringify({ id: 4, segments: [{ text: 5 }] }),
      '',
      JSON.stringify({ id: 5, text: `card ${PAN}` }),
    ].join('\n');
    const r = await run(`${input}\n`, true);
    const lines = r.out.split('\n');
    expect(r.code).toBe(1);
    expect(lines).toHaveLength(8);
    expect(JSON.parse(lines[0]!)).toMatchObject({ id: 1, text: 'ok' });
    expect(JSON.parse(lines[1]!)).toEqual({ line: 2, error: 'invalid JSON' });
    expect(JSON.parse(lines[2]!)).toEqual({ line: 3, error: 'expected a JSON object' });
    expect(JSON.parse(lines[3]!).error).toMatch(/"text"/);
    expect(JSON.parse(lines[4]!)).toEqual({
      line: 5,
      error: 'segments[0] must be an object with a string "text"',
    });
    expect(lines[5]).toBe('');
    expect(JSON.parse(lines[6]!).text).toBe('card [CARD_NUMBER]');
    expect(r.out).not.toContain('4111');
  });

  it('reassembles lines split across input chunks, in order', async () => {
    const body = Array.from({ length: 50 }, (_, i) =>
      JSON.stringify({ id: i, text: `n ${i} card ${PAN}` }),
    ).join('\n');
    const buf = Buffer.from(`${body}\n`);
    const chunks: Buffer[] = [];
    for (let i = 0; i < buf.length; i += 7) chunks.push(buf.subarray(i, i + 7));
    const r = await run(chunks, true, true);
    const docs = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(docs.map((d) => d.id)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(docs.every((d) => d.text.endsWith('card [CARD_NUMBER ****1111]'))).toBe(true);
  });
});
