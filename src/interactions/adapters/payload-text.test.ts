import { describe, expect, it } from 'vitest';
import { rejectionOf } from './adapters.test-support.ts';
import { parseJsonText, readFormParams } from './payload-text.ts';

describe('payload text', () => {
  it('parses strict JSON and, on request, JSONC with comments and trailing commas', () => {
    expect(parseJsonText('{"a":[1,2]}')).toEqual({ a: [1, 2] });
    expect(parseJsonText(Buffer.from('\uFEFF{"a":1}'))).toEqual({ a: 1 });
    expect(parseJsonText('{\n  // note\n  "a": 1, /* more */\n}', { jsonc: true })).toEqual({ a: 1 });
  });

  it('names the line, column and problem of invalid JSON without quoting the text', async () => {
    const secret = '{"card": 4111111111111111x}';
    const { code, message } = await rejectionOf(() => parseJsonText(secret));
    expect(code).toBe('PAYLOAD_INVALID');
    expect(message).toBe('Invalid JSON payload: not valid JSON at line 1, column 26: invalid symbol');
    expect(message).not.toContain('4111');
    expect((await rejectionOf(() => parseJsonText('{"a": 1,\n "b": [1, 2'))).message).toBe(
      'Invalid JSON payload: not valid JSON at line 2, column 12: unexpected end of input (truncated?)',
    );
    expect((await rejectionOf(() => parseJsonText('{"a": 1} // c'))).message).toMatch(
      /line 1, column 10: invalid comment token/,
    );
    expect((await rejectionOf(() => parseJsonText('{"a": 1,}', { what: 'Chatwoot webhook' }))).message).toBe(
      'Invalid Chatwoot webhook: not valid JSON at line 1, column 9: property name expected',
    );
  });

  it('refuses invalid UTF-8 and deeply nested JSONC without crashing', async () => {
    expect((await rejectionOf(() => parseJsonText(Buffer.from([0x7b, 0xff, 0x7d])))).message).toBe(
      'Invalid JSON payload: not valid UTF-8 text',
    );
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const result = await rejectionOf(() => parseJsonText(deep, { jsonc: true })).catch(() => ({
      code: 'none',
      message: '',
    }));
    expect(['PAYLOAD_INVALID', 'none']).toContain(result.code);
  });

  it('reads form parameters from a body, URLSearchParams or a parsed object', async () => {
    expect(Object.fromEntries(readFormParams('A=1&B=two%20words&A=3', 'form'))).toEqual({
      A: '1',
      B: 'two words',
    });
    expect(Object.fromEntries(readFormParams(new URLSearchParams({ X: 'y' }), 'form'))).toEqual({ X: 'y' });
    expect(Object.fromEntries(readFormParams({ X: ['y', 'z'] }, 'form'))).toEqual({ X: 'y' });
    expect((await rejectionOf(() => readFormParams({ X: 1 }, 'form'))).message).toBe(
      'Invalid form: "X": expected a string',
    );
  });
});
