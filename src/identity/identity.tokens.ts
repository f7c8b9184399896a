import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { parse as parseUuid, stringify as stringifyUuid } from 'uuid';

/**
 * Bearer secrets (session cookies, API keys, one-time links) carry their tenant id in clear, then
 * 32 random bytes: the tenant lets every lookup stay tenant-scoped (invariant 4) and the random
 * part gives 256 bits an attacker cannot guess. Only a SHA-256 of the whole token is stored: a fast
 * hash is enough for a full-entropy secret, and a database leak yields nothing replayable.
 */
export type TokenKind = 'vgs' | 'vgl' | 'vgt';

const RANDOM_BYTES = 32;

export interface ParsedToken {
  tenantId: string;
  token: string;
}

/** A fresh token of the given kind for a tenant. */
export function newToken(kind: TokenKind, tenantId: string): string {
  const body = Buffer.concat([Buffer.from(parseUuid(tenantId)), randomBytes(RANDOM_BYTES)]);
  return `${kind}_${body.toString('base64url')}`;
}

/** Splits a presented token; null when it is not well formed (never throws on attacker input). */
export function parseToken(kind: TokenKind, presented: string): ParsedToken | null {
  if (presented.length > 200 || !presented.startsWith(`${kind}_`)) return null;
  const body = Buffer.from(presented.slice(kind.length + 1), 'base64url');
  if (body.length !== 16 + RANDOM_BYTES) return null;
  if (body.toString('base64url') !== presented.slice(kind.length + 1)) return null;
  return { tenantId: stringifyUuid(body.subarray(0, 16)), token: presented };
}

/** The stored form of a token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Constant-time equality of two strings of possibly different length. */
export function safeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right) && a.length === b.length;
}

/** HMAC-SHA-256 as base64url. */
export function hmac(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value).digest('base64url');
}

/**
 * Secrets we must read back (TOTP seeds, IdP refresh tokens, PKCE verifiers) are sealed with
 * AES-256-GCM under a per-tenant key; the associated data binds a ciphertext to its purpose and
 * owner, so one cannot be swapped into another row.
 */
export function sealSecret(key: Buffer, plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

export function openSecret(key: Buffer, sealed: string, context: string): string {
  if (!sealed.startsWith('v1.')) throw new Error('unknown sealed secret version');
  const raw = Buffer.from(sealed.slice(3), 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

/** Login names compare in one canonical form. */
export function normalizeEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
}
