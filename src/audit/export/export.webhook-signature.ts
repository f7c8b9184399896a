import { createHmac, timingSafeEqual } from 'node:crypto';

export const WEBHOOK_SIGNATURE_HEADER = 'x-vigil-signature';
export const WEBHOOK_TIMESTAMP_HEADER = 'x-vigil-timestamp';
/** Receivers should refuse deliveries signed longer ago than this (replay window). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** `v1=<hex HMAC-SHA-256(secret, "<timestamp>.<body>")>`: the timestamp is signed with the body. */
export function signWebhook(secret: Uint8Array, timestampSeconds: number, body: string | Uint8Array): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.`).update(body).digest('hex');
  return `v1=${mac}`;
}

/** What a receiver runs: the signature matches (constant time) and the timestamp is recent. */
export function verifyWebhookSignature(input: {
  secret: Uint8Array;
  timestamp: string | undefined;
  signature: string | undefined;
  body: string | Uint8Array;
  nowSeconds: number;
  toleranceSeconds?: number;
}): boolean {
  const timestamp = Number(input.timestamp);
  if (!Number.isSafeInteger(timestamp) || input.signature === undefined) return false;
  if (Math.abs(input.nowSeconds - timestamp) > (input.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS))
    return false;
  const expected = Buffer.from(signWebhook(input.secret, timestamp, input.body));
  const given = Buffer.from(input.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
