import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  computeKeyId,
  createNoteSigner,
  generateNoteKeyPair,
  openNote,
  parseNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
} from './index.ts';

// Known answers from golang.org/x/mod/sumdb/note (note_test.go) and the c2sp.org/signed-note
// example. Ed25519 is deterministic, so signing the same text must give the same bytes.
const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const TEXT =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG =
  '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_SIG =
  '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';
const SPEC_VKEY = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
const SPEC_NOTE =
  'This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';

const peter = parseVerifierKey(PETER_VKEY);
const enoch = parseVerifierKey(ENOCH_VKEY);

describe('signed-note keys', () => {
  it('derives the published key ID and verifier key from the Go signer key', () => {
    const signer = parseSignerKey(PETER_SKEY);
    expect(signer.name).toBe('PeterNeumann');
    expect(signer.keyId).toBe(0xc74f20a3);
    expect(signer.verifierKey).toBe(PETER_VKEY);
    const raw = Buffer.from('ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', 'base64').subarray(1);
    expect(computeKeyId('PeterNeumann', raw)).toBe(0xc74f20a3);
    expect(peter.keyId).toBe(0xc74f20a3);
  });

  it('rejects every truncation and every single-character change of a verifier key', () => {
    for (let i = 0; i <= PETER_VKEY.length; i++) {
      for (let j = i + 1; j <= PETER_VKEY.length; j++) {
        if (i === 0 && j === PETER_VKEY.length) continue;
        expect(() => parseVerifierKey(PETER_VKEY.slice(i, j)), PETER_VKEY.slice(i, j)).toThrow();
      }
    }
    for (let i = 0; i < PETER_VKEY.length; i++) {
      const changed =
        PETER_VKEY.slice(0, i) + String.fromCharCode(PETER_VKEY.charCodeAt(i) + 1) + PETER_VKEY.slice(i + 1);
      expect(() => parseVerifierKey(changed), changed).toThrow();
    }
  });

  it('rejects every truncation and every single-character change of a signer key, without echoing it', () => {
    for (let i = 0; i < PETER_SKEY.length; i++) {
      const changed =
        PETER_SKEY.slice(0, i) + String.fromCharCode(PETER_SKEY.charCodeAt(i) + 1) + PETER_SKEY.slice(i + 1);
      expect(() => parseSignerKey(changed)).toThrow();
      for (const cut of [PETER_SKEY.slice(0, i), PETER_SKEY.slice(i + 1)])
        expect(() => parseSignerKey(cut)).toThrow();
    }
    try {
      parseSignerKey(`${PETER_SKEY.slice(0, -2)}AA`);
      expect.unreachable();
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('AYEKFALVFGyNhPJEMzD1QIDr');
    }
  });

  it('rejects keys of another algorithm or with a wrong length, even with a matching key ID', () => {
    expect(() =>
      parseVerifierKey('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=='),
    ).toThrow();
    expect(() =>
      parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'),
    ).toThrow();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    expect(() => createNoteSigner('vigil', rsa)).toThrow(/Ed25519/);
    expect(() => createNoteSigner('bad name', generateKeyPairSync('ed25519').privateKey)).toThrow(/key name/);
  });

  it('generates key pairs that sign and verify, and only the matching key verifies', async () => {
    const a = generateNoteKeyPair('vigil.example/audit/acme');
    const b = generateNoteKeyPair('vigil.example/audit/acme');
    expect(a.signerKey).toMatch(/^PRIVATE\+KEY\+vigil\.example\/audit\/acme\+[0-9a-f]{8}\+/);
    const note = await signNote('hello\n', [parseSignerKey(a.signerKey)]);
    expect(openNote(note, [parseVerifierKey(a.verifierKey)]).ok).toBe(true);
    expect(openNote(note, [parseVerifierKey(b.verifierKey)])).toMatchObject({ ok: false, code: 'untrusted' });
  });
});

describe('signNote and openNote', () => {
  it('reproduces the Go sumdb/note signature byte for byte', async () => {
    expect(await signNote(TEXT, [parseSignerKey(PETER_SKEY)])).toBe(`${TEXT}\n${PETER_SIG}`);
  });

  it('opens the c2sp.org/signed-note example', () => {
    expect(openNote(SPEC_NOTE, [parseVerifierKey(SPEC_VKEY)])).toMatchObject({
      ok: true,
      text: 'This is an example message.\n',
    });
  });

  it('ignores unknown keys, records them, and needs one trusted signature', () => {
    const note = `${TEXT}\n${PETER_SIG}${ENOCH_SIG}`;
    const one = openNote(note, [peter]);
    expect(one).toMatchObject({ ok: true, text: TEXT });
    expect(one.ok && one.verified.map((s) => s.name)).toEqual(['PeterNeumann']);
    expect(one.ok && one.unverified.map((s) => [s.name, s.keyId])).toEqual([['EnochRoot', 0xaf0cfe78]]);
    const both = openNote(note, [peter, enoch]);
    expect(both.ok && both.verified.map((s) => s.name)).toEqual(['PeterNeumann', 'EnochRoot']);
    expect(openNote(note, [])).toMatchObject({ ok: false, code: 'untrusted' });
  });

  it('refuses ambiguous trust lists only when the ambiguous key signed', () => {
    expect(openNote(`${TEXT}\n${ENOCH_SIG}`, [enoch, peter, enoch])).toMatchObject({
      ok: false,
      code: 'ambiguous_key',
    });
    expect(openNote(`${TEXT}\n${PETER_SIG}`, [enoch, peter, enoch]).ok).toBe(true);
  });

  it('rejects the whole note when a trusted key signature fails', () => {
    const bad = `${PETER_SIG.slice(0, 60)}ABCD${PETER_SIG.slice(60)}`;
    expect(openNote(`${TEXT}\n${bad}`, [peter])).toMatchObject({ ok: false, code: 'bad_signature' });
    const altered = `${TEXT.replace('problem', 'Problem')}\n${PETER_SIG}`;
    expect(openNote(`${TEXT}\n— PeterNeumann x08go/Y=\n`, [peter])).toMatchObject({ code: 'bad_signature' });
    expect(openNote(altered, [peter])).toMatchObject({ ok: false, code: 'bad_signature' });
  });

  it('checks a repeated trusted signature once and drops repeated unknown ones', () => {
    const enochBad = `${ENOCH_SIG.slice(0, 60)}ABCD${ENOCH_SIG.slice(60)}`;
    const result = openNote(`${TEXT}\n${PETER_SIG}${PETER_SIG}${ENOCH_SIG}${ENOCH_SIG}${enochBad}`, [peter]);
    expect(result.ok && result.verified).toHaveLength(1);
    expect(result.ok && result.unverified).toHaveLength(2);
  });

  it.each([
    ['no signature block', TEXT],
    ['blank line only', `${TEXT}\n`],
    ['signature without final newline', `${TEXT}\n${PETER_SIG.slice(0, -1)}`],
    ['control character', `\u0001${TEXT}\n${PETER_SIG}`],
    ['carriage return', `${TEXT.replace('\n', '\r\n')}\n${PETER_SIG}`],
    ['lone surrogate', `\ud800${TEXT}\n${PETER_SIG}`],
    [
      'name with a space',
      `${TEXT}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`,
    ],
    ['trailing text line', `${TEXT}\n${PETER_SIG}Unexpected line.\n`],
    ['hyphen instead of em dash', `${TEXT}\n${PETER_SIG.replace('—', '-')}`],
    ['signature shorter than key ID + 1 byte', `${TEXT}\n— PeterNeumann x08g\n`],
    ['signature without padding', `${TEXT}\n${PETER_SIG.replace('=\n', '\n')}`],
    ['101 signatures', `${TEXT}\n${PETER_SIG.repeat(101)}`],
  ])('refuses a malformed note: %s', (_label, note) => {
    expect(() => parseNote(note)).toThrow(expect.objectContaining({ code: 'malformed_note' }));
    expect(openNote(note, [peter])).toMatchObject({ ok: false, code: 'malformed_note' });
  });

  it('refuses invalid UTF-8 bytes and accepts the same note as bytes', () => {
    const bytes = Buffer.from(`${TEXT}\n${PETER_SIG}`, 'utf8');
    expect(openNote(bytes, [peter]).ok).toBe(true);
    expect(openNote(Buffer.concat([Buffer.from([0xff]), bytes]), [peter])).toMatchObject({
      code: 'malformed_note',
    });
  });

  it('refuses to sign text that does not end in a newline or holds control characters', async () => {
    const signer = parseSignerKey(PETER_SKEY);
    await expect(signNote('abc', [signer])).rejects.toMatchObject({ code: 'malformed_note' });
    await expect(signNote('a\tb\n', [signer])).rejects.toMatchObject({ code: 'malformed_note' });
    await expect(signNote('abc\n', [])).rejects.toMatchObject({ code: 'invalid_key' });
  });
});
