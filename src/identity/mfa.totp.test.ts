import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { matchTotpStep, newTotpSecret, totpCode, totpStep } from './mfa.totp.ts';

interface Vectors {
  seedsHex: Record<'sha1' | 'sha256' | 'sha512', string>;
  totp: { unixTime: number; algorithm: 'sha1' | 'sha256' | 'sha512'; digits: number; code: string }[];
}

const vectorsFile = path.resolve(import.meta.dirname, '../../../shared/vectors/otp/rfc6238-rfc4226.json');
const vectors = JSON.parse(readFileSync(vectorsFile, 'utf8')) as Vectors;

describe('TOTP (RFC 6238)', () => {
  it('reproduces every RFC 6238 Appendix B vector with the library Vigil uses', () => {
    expect(vectors.totp).toHaveLength(18);
    for (const v of vectors.totp) {
      const code = TOTP.generate({
        secret: Secret.fromHex(vectors.seedsHex[v.algorithm]),
        algorithm: v.algorithm.toUpperCase(),
        digits: v.digits,
        period: 30,
        timestamp: v.unixTime * 1000,
      });
      expect(code, `${v.algorithm} @ ${v.unixTime}`).toBe(v.code);
    }
  });

  it('agrees with the independent oathtool for fresh secrets at many times', () => {
    for (let i = 0; i < 5; i++) {
      const secret = newTotpSecret();
      const at = Date.UTC(2026, 0, 1) + i * 7_919_000;
      const theirs = execFileSync(
        'oathtool',
        ['--totp', '-b', '-d', '6', '-N', `@${Math.floor(at / 1000)}`, secret],
        {
          encoding: 'utf8',
        },
      ).trim();
      expect(totpCode(secret, at)).toBe(theirs);
      expect(matchTotpStep(secret, theirs, at)).toBe(totpStep(at));
    }
  });

  it('accepts one step of drift either way and nothing further', () => {
    const secret = newTotpSecret();
    const now = Date.UTC(2026, 5, 1, 12, 0, 10);
    expect(matchTotpStep(secret, totpCode(secret, now - 30_000), now)).toBe(totpStep(now) - 1);
    expect(matchTotpStep(secret, totpCode(secret, now + 30_000), now)).toBe(totpStep(now) + 1);
    expect(matchTotpStep(secret, totpCode(secret, now - 60_000), now)).toBeNull();
    expect(matchTotpStep(secret, totpCode(secret, now + 60_000), now)).toBeNull();
    expect(matchTotpStep(secret, 'abcdef', now)).toBeNull();
  });
});
