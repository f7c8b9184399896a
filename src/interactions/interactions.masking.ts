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

/**
 * Customers' personal fields are masked unless the reader's role may see that field unmasked;
 * employees (agents, bots) are shown as they are, because they are the contact center's own staff.
 */
export function maskParticipant(p: Participant, unmasked: ReadonlySet<string>): Participant {
  if (p.role !== 'customer' && p.role !== 'unknown') return p;
  const copy = { ...p };
  for (const field of PARTICIPANT_FIELDS) {
    const value = copy[field];
    if (value !== undefined && !unmasked.has(`customer.${field}`)) copy[field] = MASKERS[field](value);
  }
  return copy;
}
