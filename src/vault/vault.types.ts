import type { AuditRecorder } from '../audit/index.ts';
import type { Keyring } from '../crypto/index.ts';
import { type Clock, HOUR_MS } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { Principal } from '../shared/principal.ts';
import type { Db, StorageDialect } from '../storage/index.ts';
import type { CardBrand } from './vault.pan.ts';

/** Where a request came from: access conditions (network zones, devices) are judged on it. */
export interface VaultRequestContext {
  ip?: string;
  userAgent?: string;
  requestId?: string;
}

/** Decides whether a principal holds a permission now; the access-control layer supplies the policy. */
export type VaultAuthorizer = (
  principal: Principal,
  permission: 'vault.detokenize',
  context: VaultRequestContext,
) => Promise<boolean> | boolean;

export interface VaultDeps {
  db: Db;
  dialect: Pick<StorageDialect, 'lockInTransaction'>;
  clock: Clock;
  ids: IdGenerator;
  keys: Pick<Keyring, 'encryptField' | 'decryptField' | 'blindIndex'>;
  audit: Pick<AuditRecorder, 'record' | 'recordMany'>;
  authorize: VaultAuthorizer;
  /** Detokenizations allowed per actor in a sliding window (default 60 per hour). */
  detokenizeLimit?: { max: number; windowMs: number };
}

/** An actor as the audit log records it (the ingest pipeline passes its integration or job). */
export interface VaultActor {
  type: string;
  id: string;
  name?: string;
}

export interface TokenizeInput {
  tenantId: string;
  /** The card number. There is deliberately no field for a security code or PIN (PCI DSS 3.3.1). */
  pan: string;
  /** Card expiry (`MM/YY`, `MM/YYYY` or `YYYY-MM`): the token stops detokenizing after that month. */
  expiry?: string;
  actor: VaultActor;
  requestId?: string;
}

/** Many card numbers found in one batch (ingest), tokenized in one transaction. */
export interface TokenizeManyInput {
  tenantId: string;
  pans: readonly string[];
  actor: VaultActor;
  requestId?: string;
}

export interface TokenizeResult {
  token: string;
  brand: CardBrand;
  last4: string;
  maskedPan: string;
  /** `MM/YY`, or null. */
  expiry: string | null;
  /** False when the card already had a token (the same token is returned). */
  created: boolean;
}

export interface DetokenizeInput {
  tenantId: string;
  token: string;
  actor: Principal;
  reason: string;
  origin?: { ip?: string; userAgent?: string };
  requestId?: string;
}

export interface DetokenizeResult {
  pan: string;
  brand: CardBrand;
  last4: string;
  expiry: string | null;
}

export const DEFAULT_DETOKENIZE_LIMIT = { max: 60, windowMs: HOUR_MS };
export const TOKEN_PATTERN = /^tok_\d{4}_[A-Za-z0-9_-]{24}$/;
