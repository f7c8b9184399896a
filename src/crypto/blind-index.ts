import { cryptoError } from './crypto.errors.ts';

/**
 * Kinds of searchable values. Each kind has its own derived key, so equal strings of two kinds
 * (a phone number and an account number) never produce the same index value.
 */
export const BLIND_INDEX_KINDS = ['phone', 'email', 'card', 'name', 'account', 'identifier'] as const;
export type BlindIndexKind = (typeof BLIND_INDEX_KINDS)[number];

export function isBlindIndexKind(kind: string): kind is BlindIndexKind {
  return (BLIND_INDEX_KINDS as readonly string[]).includes(kind);
}

/**
 * The canonical form a value is indexed under, so the forms a person or a platform writes the
 * same value in find each other:
 * - phone: digits only, an international `00` prefix dropped (`+44 20 7946 0958` = `0044-20-7946-0958`);
 *   numbers are matched as written otherwise (a national and an E.164 form do not meet).
 * - card: digits only (`4242 4242-4242 4242`).
 * - email: Unicode NFKC, trimmed, lowercased (dots and `+tags` are provider-specific: kept).
 * - name, account, identifier: NFKC, trimmed, lowercased, inner whitespace collapsed.
 */
export function normalizeForIndex(kind: BlindIndexKind, value: string): string {
  const nfkc = value.normalize('NFKC');
  let out: string;
  switch (kind) {
    case 'phone':
      out = nfkc.replace(/\D/g, '').replace(/^00/, '');
      break;
    case 'card':
      out = nfkc.replace(/\D/g, '');
      break;
    case 'email':
      out = nfkc.trim().toLowerCase();
      break;
    default:
      out = nfkc.trim().toLowerCase().replace(/\s+/g, ' ');
  }
  if (out.length === 0) throw cryptoError('BLIND_INDEX_VALUE_EMPTY');
  return out;
}
