import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from './identity.policy.ts';
import { checkPasswordPolicy, isInPwnedFile } from './password.policy.ts';

const person = { email: 'maria.lopez@example.test', displayName: 'Maria Lopez' };
const code = async (password: string, hasMfa = true, file?: string) => {
  try {
    await checkPasswordPolicy(password, DEFAULT_POLICY, { ...person, hasMfa }, file);
    return 'ok';
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe('password policy', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-pwned-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('needs 12 characters with MFA, 15 without, and allows at least 128', async () => {
    expect(await code('tangerine42x')).toBe('ok');
    expect(await code('tangerine4x')).toBe('PASSWORD_TOO_SHORT');
    expect(await code('tangerine42x', false)).toBe('PASSWORD_TOO_SHORT');
    expect(await code('tangerine42xyzw', false)).toBe('ok');
    expect(await code('q'.repeat(64) + 'w'.repeat(64))).toBe('ok');
    expect(await code('x'.repeat(129))).toBe('PASSWORD_TOO_LONG');
  });

  it('has no composition rules: all-lowercase passphrases pass', async () => {
    expect(await code('velvet thunder orchard')).toBe('ok');
  });

  it('refuses common passwords from the zxcvbn-ts dictionary and context words', async () => {
    expect(await code('qwerty123456')).toBe('PASSWORD_COMMON');
    expect(await code('LeaveMeAlone')).toBe('PASSWORD_COMMON');
    expect(await code('1qaz2wsx3edc')).toBe('PASSWORD_COMMON');
    expect(await code('maria.lopez rocks!')).toBe('PASSWORD_PERSONAL');
    expect(await code('my name is lopez 1')).toBe('PASSWORD_PERSONAL');
  });

  it('finds breached passwords in a sorted HIBP SHA-1 file by binary search', async () => {
    const breached = ['hunter2 but longer', 'breached passphrase one', 'zebra crossing 1999'];
    const filler = Array.from({ length: 5000 }, (_, i) => `filler-${i}`);
    const lines = [...breached, ...filler]
      .map((p) => `${createHash('sha1').update(p).digest('hex').toUpperCase()}:${(p.length * 7) % 1000}`)
      .sort();
    const file = path.join(dir, 'pwned.txt');
    writeFileSync(file, `${lines.join('\r\n')}\r\n`);
    for (const p of [...breached, 'filler-0', 'filler-4999', 'filler-2500'])
      expect(await isInPwnedFile(file, p), p).toBe(true);
    for (const p of ['never breached phrase', 'filler-5000', ''])
      expect(await isInPwnedFile(file, p), p).toBe(false);
    expect(await code('breached passphrase one', true, file)).toBe('PASSWORD_COMMON');
    expect(await code('not in the breach file', true, file)).toBe('ok');
  });
});
