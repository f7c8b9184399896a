import { INTERACTION_LIMITS as L, type Participant, type ParticipantRole } from '../model/index.ts';
import { compact } from './adapter.support.ts';
import type { PayloadNode } from './payload-reader.ts';

export const TWILIO_WHAT = 'Twilio webhook';

/** `whatsapp:+1555…` or `+1555…`: the phone number part of a Twilio address. */
export function phoneOf(address: string | undefined): string | undefined {
  if (address === undefined) return undefined;
  const bare = address.replace(/^[a-z]+:/i, '');
  return /^\+?[\d\s().-]{3,}$/.test(bare) ? bare : undefined;
}

/** The medium prefix of a Twilio address (`whatsapp`, `messenger`), if any. */
export function mediumOf(address: string | undefined): string | undefined {
  const match = address?.match(/^([a-z]+):/i);
  return match?.[1]?.toLowerCase();
}

/**
 * A caller or callee from Twilio's `From…`/`To…` parameters: the number, the caller name and the
 * geographic fields Twilio looks up (city, state, zip, country), which together are personal data.
 */
export function partyFrom(
  params: PayloadNode,
  prefix: 'From' | 'To',
  role: ParticipantRole,
): Participant | undefined {
  const address = params.optText(prefix, L.phoneChars);
  if (address === undefined) return undefined;
  const place = [`${prefix}City`, `${prefix}State`, `${prefix}Zip`, `${prefix}Country`]
    .map((key) => params.optText(key, 128))
    .filter((part) => part !== undefined)
    .join(', ');
  const phone = phoneOf(address);
  return compact({
    ref: prefix.toLowerCase(),
    role,
    phone,
    handle: phone === undefined ? address : undefined,
    name: prefix === 'From' ? params.optText('CallerName', L.nameChars) : undefined,
    address: place === '' ? undefined : place,
  });
}

/** Twilio's `Timestamp` (RFC 2822) plus the callback's sequence number, as a monotonic revision. */
export function callbackRevision(params: PayloadNode, receivedAtMs: number): number {
  const at = params.optTime('Timestamp');
  if (at === undefined) return receivedAtMs;
  const sequence = params.optNumeric('SequenceNumber') ?? 0;
  // Timestamps have second precision: the sequence number orders callbacks within one second.
  return at + Math.min(Math.max(0, Math.trunc(sequence)), 999);
}
