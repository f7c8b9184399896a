import { randomBytes } from 'node:crypto';
import type { AuditEventInput } from '../audit/index.ts';
import type { Principal } from '../shared/principal.ts';
import type { Db } from '../storage/index.ts';
import { vaultError } from './vault.errors.ts';
import type { VaultTokensTable } from './vault.tables.ts';
import type { VaultActor, VaultDeps } from './vault.types.ts';

// The token shows the last four digits (allowed by PCI DSS) and 144 random bits: never derived from the PAN.
export const newToken = (last4: string) => `tok_${last4}_${randomBytes(18).toString('base64url')}`;

/**
 * A new token's row for a card: a fresh token, the PAN encrypted under the tenant's vault key and
 * bound to that token's row, and the keyed fingerprint that finds the card again.
 */
export async function newTokenRow(
  keys: VaultDeps['keys'],
  trx: Db,
  card: {
    tenantId: string;
    fingerprint: string;
    digits: string;
    brand: string;
    expiresAt: number | null;
    now: number;
  },
): Promise<VaultTokensTable> {
  const token = newToken(card.digits.slice(-4));
  return {
    tenant_id: card.tenantId,
    token,
    fingerprint: card.fingerprint,
    pan_ciphertext: await keys.encryptField(trx, {
      tenantId: card.tenantId,
      domain: 'vault',
      table: 'vault_tokens',
      column: 'pan',
      rowId: token,
      plaintext: card.digits,
    }),
    brand: card.brand,
    last4: card.digits.slice(-4),
    expires_at: card.expiresAt,
    created_at: card.now,
    updated_at: card.now,
  };
}

const EXPIRY_FORMATS = [
  /^(?<m>\d{1,2})\/(?<y>\d{2})$/,
  /^(?<m>\d{1,2})\/(?<y>\d{4})$/,
  /^(?<y>\d{4})-(?<m>\d{2})$/,
];

/** The first instant after the card's expiry month (cards are valid through their last day). */
export function parseExpiry(expiry: string): number {
  for (const format of EXPIRY_FORMATS) {
    const match = format.exec(expiry.trim());
    if (!match?.groups) continue;
    const month = Number(match.groups['m']);
    const year =
      match.groups['y']!.length === 2 ? 2000 + Number(match.groups['y']) : Number(match.groups['y']);
    if (month >= 1 && month <= 12 && year >= 2000 && year <= 2099) return Date.UTC(year, month, 1);
  }
  throw vaultError('EXPIRY_INVALID');
}

/** `MM/YY` of the card's last valid month, or null. */
export function formatExpiry(expiresAt: number | null): string | null {
  if (expiresAt === null) return null;
  const last = new Date(expiresAt - 1);
  return `${String(last.getUTCMonth() + 1).padStart(2, '0')}/${String(last.getUTCFullYear() % 100).padStart(2, '0')}`;
}

/** The audit actor of a vault caller (unknown kinds are recorded as `system`). */
export const actorOf = (actor: VaultActor): AuditEventInput['actor'] => ({
  type:
    actor.type === 'user' || actor.type === 'api_key' || actor.type === 'anonymous' ? actor.type : 'system',
  id: actor.id,
  ...(actor.name ? { name: actor.name } : {}),
});

export const principalActor = (p: Principal): VaultActor => ({ type: p.kind, id: p.id, name: p.displayName });

/** Runs fn in the caller's transaction, or in a new one when given the plain database. */
export const inTransaction = <T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> =>
  db.isTransaction ? fn(db) : db.transaction().execute(fn);
