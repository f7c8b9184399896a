import type { StoredDocument } from './interactions.document.ts';
import type { Participant } from './model/index.ts';

/** Masked forms shown to readers without the right to see a personal field in full. */
export function maskPhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  return digits.length <= 2 ? '••' : `${'•'.repeat(Math.max(0, digits.length - 2))}${digits.slice(-2)}`;
}

export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 1) return '•••';
  const domain = value.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${value[0]}•••@${domain[0] ?? ''}•••${tld}`;
}

export function maskName(value: string): string {
  return value
    .split(/\s+/)
    .filter(Boolean)
    .map((part) => `${part[0]}.`)
    .join(' ');
}

export const PARTICIPANT_FIELDS = ['name', 'handle', 'phone', 'email', 'address'] as const;
export type ParticipantField = (typeof PARTICIPANT_FIELDS)[number];

const MASKERS: Record<ParticipantField, (v: string) => string> = {
  name: maskName,
  handle: () => '•••',
  phone: maskPhone,
  email: maskEmail,
  address: () => '[ADDRESS]',
};

export type FieldVisibility = 'unmasked' | 'masked' | 'omitted';

/** The access layer's field name for a customer's participant field. */
const FIELD_OF: Record<ParticipantField, string> = {
  name: 'customer.name',
  handle: 'customer.name',
  phone: 'customer.phone',
  email: 'customer.email',
  address: 'customer.address',
};

/**
 * Customers' personal fields show as the reader's role allows (masked when the role says nothing);
 * employees (agents, bots) are shown as they are, because they are the contact center's own staff.
 */
export function maskParticipant(
  p: Participant,
  fields: Readonly<Record<string, FieldVisibility>>,
): Participant {
  if (p.role !== 'customer' && p.role !== 'unknown') return p;
  const copy = { ...p };
  for (const field of PARTICIPANT_FIELDS) {
    const value = copy[field];
    if (value === undefined) continue;
    const visibility = fields[FIELD_OF[field]] ?? 'masked';
    if (visibility === 'omitted') delete copy[field];
    else if (visibility === 'masked') copy[field] = MASKERS[field](value);
  }
  return copy;
}

/** Applies a reader's field visibility to a decrypted document, in place. */
export function applyFieldVisibility(
  document: StoredDocument,
  fields: Readonly<Record<string, FieldVisibility>>,
): void {
  document.participants = document.participants.map((p) => maskParticipant(p, fields));
  // Where the platform keeps the recording is itself personal data.
  document.media = document.media.map(({ uri, ...m }) =>
    fields['recording.audio'] === 'unmasked' && uri ? { ...m, uri } : m,
  );
  if (fields['transcript.text'] === 'omitted') {
    document.segments = document.segments.map((s) => ({ ...s, text: '', words: [], findings: [] }));
  }
}
