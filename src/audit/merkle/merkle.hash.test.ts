import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';

const sha256 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return h.digest();
};
const left = sha256(Buffer.from('left'));
const right = sha256(Buffer.from('right'));
const want = sha256(Buffer.from([1]), left, right);

type Prototype = { latin1Write?: unknown };
const proto = Buffer.prototype as unknown as Prototype;
const original = proto.latin1Write;

afterEach(() => {
  proto.latin1Write = original;
  vi.resetModules();
});

describe('node hashing on latin1 strings', () => {
  it('matches SHA-256(0x01 || left || right) with the fast writer', async () => {
    const hashing = await import('./merkle.hash.ts');
    const binary = hashing.hashChildrenBinary(left.toString('latin1'), right.toString('latin1'));
    expect(Buffer.from(binary, 'latin1').equals(want)).toBe(true);
    expect(hashing.hashChildren(left, right).equals(want)).toBe(true);
  });

  it('matches it too with the documented write() fallback, when latin1Write is missing at load', async () => {
    // Node's own write() calls latin1Write, so it can only be hidden while the module loads.
    proto.latin1Write = undefined;
    vi.resetModules();
    const hashing = await import('./merkle.hash.ts');
    let calls = 0;
    proto.latin1Write = function (this: Buffer, ...args: unknown[]) {
      calls++;
      return (original as (...a: unknown[]) => number).apply(this, args);
    };
    const [l, r] = [left.toString('latin1'), right.toString('latin1')];
    const binary = hashing.hashChildrenBinary(l, r);
    // The fallback went through write(), which reached the (restored) prototype method twice.
    expect(calls).toBe(2);
    expect(Buffer.from(binary, 'latin1').equals(want)).toBe(true);
  });
});

describe('leaf hashing of text', () => {
  const leafOf = (bytes: Buffer) => sha256(Buffer.from([0]), bytes);

  it('is SHA-256(0x00 || utf8(text)) for ASCII, multi-byte and long text', async () => {
    const hashing = await import('./merkle.hash.ts');
    const texts = ['', '["a",1,null]', 'é€😀 \u2028 \u007f "\\', 'x'.repeat(30_000), '€'.repeat(40_000)];
    for (const text of texts) {
      const binary = hashing.hashLeafText(text);
      expect(Buffer.from(binary, 'latin1').equals(leafOf(Buffer.from(text, 'utf8')))).toBe(true);
    }
  });

  it('writes a lone surrogate as U+FFFD, as Buffer.from does', async () => {
    const hashing = await import('./merkle.hash.ts');
    const text = 'a\ud800b';
    const binary = hashing.hashLeafText(text);
    expect(Buffer.from(binary, 'latin1').equals(leafOf(Buffer.from(text, 'utf8')))).toBe(true);
  });
});
