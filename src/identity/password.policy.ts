import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { dictionary } from '@zxcvbn-ts/language-common';
import { identityError } from './identity.errors.ts';
import type { IdentityPolicy } from './identity.policy.ts';

/**
 * NIST SP 800-63B-4 password rules: length, a blocklist of common and breached passwords, and no
 * context words (the user's name or email). No composition rules: they push people to
 * predictable patterns without adding strength.
 */
let commonPasswords: Set<string> | undefined;

function isCommon(password: string): boolean {
  commonPasswords ??= new Set([...dictionary['passwords-common'], 'vigil', 'password123456']);
  return commonPasswords.has(password.toLowerCase());
}

const LINE_PROBE_BYTES = 512;

/**
 * Looks a password up in an operator-supplied Have I Been Pwned "ordered by hash" SHA-1 file
 * (`HEX:COUNT` lines sorted by hash) by binary search on disk: the file is 30+ GB, so it is never
 * loaded, and a lookup reads about log2(lines) small chunks.
 */
export async function isInPwnedFile(file: string, password: string): Promise<boolean> {
  const target = createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase();
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(LINE_PROBE_BYTES);
    // Invariant: the line holding target, if any, starts in [lo, hi).
    let lo = 0;
    let hi = size;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const readFrom = mid === 0 ? 0 : mid - 1;
      const { bytesRead } = await handle.read(buffer, 0, LINE_PROBE_BYTES, readFrom);
      const chunk = buffer.subarray(0, bytesRead).toString('latin1');
      const newline = mid === 0 ? -1 : chunk.indexOf('\n');
      if (mid !== 0 && newline === -1) {
        hi = mid;
        continue;
      }
      const start = readFrom + newline + 1;
      const lineOffset = newline + 1;
      if (start >= hi || lineOffset + 40 > chunk.length) {
        hi = mid;
        continue;
      }
      const candidate = chunk.slice(lineOffset, lineOffset + 40).toUpperCase();
      if (candidate === target) return true;
      if (candidate < target) lo = start + 1;
      else hi = mid;
    }
    return false;
  } finally {
    await handle.close();
  }
}

export interface PasswordContext {
  email: string;
  displayName: string;
  hasMfa: boolean;
}

function personalWords(context: PasswordContext): string[] {
  const email = context.email.toLowerCase();
  const local = email.split('@')[0] ?? '';
  const words = [email, local, ...local.split(/[._+-]+/), ...context.displayName.toLowerCase().split(/\s+/)];
  return words.filter((word) => word.length >= 3);
}

/** Throws the first rule the password breaks; never echoes the password. */
export async function checkPasswordPolicy(
  password: string,
  policy: IdentityPolicy,
  context: PasswordContext,
  pwnedFile?: string,
): Promise<void> {
  const length = [...password.normalize('NFC')].length;
  const minimum = context.hasMfa ? policy.minLengthWithMfa : policy.minLengthSingleFactor;
  if (length < minimum)
    throw identityError('PASSWORD_TOO_SHORT', `password must be at least ${minimum} characters`);
  if (length > policy.maxLength)
    throw identityError('PASSWORD_TOO_LONG', `password must be at most ${policy.maxLength} characters`);
  if (isCommon(password)) throw identityError('PASSWORD_COMMON');
  const lower = password.toLowerCase();
  if (personalWords(context).some((word) => lower.includes(word))) throw identityError('PASSWORD_PERSONAL');
  if (pwnedFile && (await isInPwnedFile(pwnedFile, password))) throw identityError('PASSWORD_COMMON');
}
