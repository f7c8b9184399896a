import type { DbOrTransaction } from '../audit/index.ts';
import { findTotp, listPasskeys } from './mfa.queries.ts';

export interface MfaFactors {
  totp: boolean;
  passkeys: number;
}

/** Which confirmed second factors a user holds. */
export async function loadMfaFactors(
  db: DbOrTransaction,
  tenantId: string,
  userId: string,
): Promise<MfaFactors> {
  const [totp, passkeys] = await Promise.all([
    findTotp(db, tenantId, userId),
    listPasskeys(db, tenantId, userId),
  ]);
  return { totp: Boolean(totp && totp.confirmed_at !== null), passkeys: passkeys.length };
}

export function hasAnyFactor(factors: MfaFactors): boolean {
  return factors.totp || factors.passkeys > 0;
}
