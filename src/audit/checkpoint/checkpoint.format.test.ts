import { describe, expect, it } from 'vitest';
import {
  formatCheckpointText,
  generateNoteKeyPair,
  parseCheckpoint,
  parseCheckpointText,
  parseSignerKey,
  parseVerifierKey,
  signCheckpoint,
  signNote,
  verifyCheckpoint,
} from './index.ts';

// Signatures computed independently (Python `cryptography`, signed-note algorithm written from the
// spec) with the Go sumdb/note test key; that script reproduces the Go package's own vector.
const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const ORIGIN = 'vigil.example/audit/acme';
const ROOT_8 = Buffer.from('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328', 'hex');
const KNOWN_CHECKPOINT =
  'vigil.example/audit/acme\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\nextension line one\n\n' +
  '— PeterNeumann x08go/BqsBLno7PrLHEg+Y/mR8RoPepQPthwWdbXG+KS1KPKUSEpYV95We+d5GYfdfcUTRc73Fsa55DZuJ+z9aqKgA8=\n';
const KNOWN_ONE_LEAF =
  'vigil.example/audit/acme\n1\nfxTC8Q99BW66izLOhwvWobKzIIGmYWR2447iY4QcsCs=\n\n' +
  '— PeterNeumann x08go3m5zlbNixqVMFaHExz9uC1SawoNC/mz344wWNSwXvFwagw8LTFHQnlVX8Hfab4e3ZdXRepdQJQde3Bu6aMgKg4=\n';

const signer = parseSignerKey(PETER_SKEY);

describe('signCheckpoint', () => {
  it('produces the known-answer signed checkpoints', async () => {
    const signed = await signCheckpoint(
      { origin: ORIGIN, size: 8, rootHash: ROOT_8, extensions: ['extension line one'] },
      signer,
    );
    expect(signed).toBe(KNOWN_CHECKPOINT);
    const oneLeaf = Buffer.from('fxTC8Q99BW66izLOhwvWobKzIIGmYWR2447iY4QcsCs=', 'base64');
    expect(await signCheckpoint({ origin: ORIGIN, size: 1, rootHash: oneLeaf }, signer)).toBe(KNOWN_ONE_LEAF);
  });

  it('signs with several keys at once (rotation), each verifiable alone', async () => {
    const next = generateNoteKeyPair(ORIGIN);
    const signed = await signCheckpoint({ origin: ORIGIN, size: 8, rootHash: ROOT_8 }, [
      signer,
      parseSignerKey(next.signerKey),
    ]);
    expect(verifyCheckpoint(signed, PETER_VKEY).ok).toBe(true);
    expect(verifyCheckpoint(signed, next.verifierKey).ok).toBe(true);
  });

  it.each([
    ['empty origin', { origin: '' }],
    ['origin with a space', { origin: 'a b' }],
    ['origin with a newline', { origin: 'a\nb' }],
    ['negative size', { size: -1 }],
    ['fractional size', { size: 1.5 }],
    ['unsafe size', { size: 2 ** 53 }],
    ['short root', { rootHash: ROOT_8.subarray(1) }],
    ['empty extension', { extensions: [''] }],
    ['multi-line extension', { extensions: ['a\nb'] }],
  ])('refuses to sign a checkpoint with %s', async (_label, change) => {
    const checkpoint = { origin: ORIGIN, size: 8, rootHash: ROOT_8, ...change };
    await expect(signCheckpoint(checkpoint, signer)).rejects.toMatchObject({ code: 'malformed_checkpoint' });
  });
});

describe('parseCheckpoint', () => {
  it('returns origin, size, root, extensions and signatures', () => {
    const parsed = parseCheckpoint(KNOWN_CHECKPOINT);
    expect(parsed.checkpoint.origin).toBe(ORIGIN);
    expect(parsed.checkpoint.size).toBe(8);
    expect(parsed.checkpoint.rootHash.equals(ROOT_8)).toBe(true);
    expect(parsed.checkpoint.extensions).toEqual(['extension line one']);
    expect(parsed.signatures.map((s) => [s.name, s.keyId])).toEqual([['PeterNeumann', 0xc74f20a3]]);
    expect(parsed.text).toBe(formatCheckpointText(parsed.checkpoint));
  });

  it('accepts the c2sp.org/tlog-checkpoint example body and the empty tree', () => {
    const example = parseCheckpointText(
      'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n',
    );
    expect(example).toMatchObject({
      origin: 'example.com/behind-the-sofa',
      size: 20_852_163,
      extensions: [],
    });
    expect(parseCheckpointText('log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n').size).toBe(0);
  });

  const root = 'XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=';
  it.each([
    ['two lines only', `${ORIGIN}\n8\n`],
    ['empty origin', `\n8\n${root}\n`],
    ['leading zero', `${ORIGIN}\n08\n${root}\n`],
    ['sign', `${ORIGIN}\n+8\n${root}\n`],
    ['exponent', `${ORIGIN}\n8e0\n${root}\n`],
    ['size beyond 2^53', `${ORIGIN}\n9007199254740993\n${root}\n`],
    ['root of 31 bytes', `${ORIGIN}\n8\n${Buffer.alloc(31).toString('base64')}\n`],
    ['unpadded root', `${ORIGIN}\n8\n${root.slice(0, -1)}\n`],
    ['non-canonical root bits', `${ORIGIN}\n8\n${root.slice(0, -2)}h=\n`],
    ['root with whitespace', `${ORIGIN}\n8\n ${root}\n`],
    ['empty extension line', `${ORIGIN}\n8\n${root}\n\nx\n`],
    ['no final newline', `${ORIGIN}\n8\n${root}`],
  ])('refuses a body with %s', (_label, text) => {
    expect(() => parseCheckpointText(text)).toThrow(
      expect.objectContaining({ code: 'malformed_checkpoint' }),
    );
  });
});

describe('verifyCheckpoint', () => {
  it('accepts the known checkpoint with the verifier key, parsed or not', () => {
    const result = verifyCheckpoint(KNOWN_CHECKPOINT, PETER_VKEY, { origin: ORIGIN });
    expect(result).toMatchObject({ ok: true, checkpoint: { origin: ORIGIN, size: 8 } });
    expect(verifyCheckpoint(KNOWN_CHECKPOINT, parseVerifierKey(PETER_VKEY)).ok).toBe(true);
    expect(
      verifyCheckpoint(KNOWN_CHECKPOINT, [generateNoteKeyPair('other').verifierKey, PETER_VKEY]).ok,
    ).toBe(true);
  });

  it('refuses a changed size, root or extension: the signature no longer matches', () => {
    const variants = [
      KNOWN_CHECKPOINT.replace('\n8\n', '\n9\n'),
      KNOWN_CHECKPOINT.replace('XcnaeacG', 'XcnaeacH'),
      KNOWN_CHECKPOINT.replace('extension line one', 'extension line two'),
    ];
    for (const note of variants)
      expect(verifyCheckpoint(note, PETER_VKEY)).toMatchObject({ code: 'bad_signature' });
  });

  it('refuses a checkpoint signed by another key, naming who signed it', () => {
    const result = verifyCheckpoint(KNOWN_CHECKPOINT, generateNoteKeyPair(ORIGIN).verifierKey);
    expect(result).toMatchObject({ ok: false, code: 'untrusted' });
    expect(!result.ok && result.reason).toContain('PeterNeumann+c74f20a3');
  });

  it('refuses another origin when one is expected', () => {
    expect(
      verifyCheckpoint(KNOWN_CHECKPOINT, PETER_VKEY, { origin: 'vigil.example/audit/other' }),
    ).toMatchObject({
      ok: false,
      code: 'origin_mismatch',
    });
  });

  it('refuses a signed note whose body is not a checkpoint', async () => {
    const note = await signNote('just some text\n', [signer]);
    expect(verifyCheckpoint(note, PETER_VKEY)).toMatchObject({ ok: false, code: 'malformed_checkpoint' });
  });

  it('ignores an unknown cosignature next to the trusted one', async () => {
    const witness = generateNoteKeyPair('witness.example');
    const cosigned = await signCheckpoint(
      { origin: ORIGIN, size: 8, rootHash: ROOT_8, extensions: ['extension line one'] },
      [signer, parseSignerKey(witness.signerKey)],
    );
    expect(verifyCheckpoint(cosigned, PETER_VKEY)).toMatchObject({ ok: true });
  });

  it('returns a result, not an exception, for a bad verifier key', () => {
    expect(verifyCheckpoint(KNOWN_CHECKPOINT, 'not-a-key')).toMatchObject({ ok: false, code: 'invalid_key' });
  });
});
