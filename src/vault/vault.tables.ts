/**
 * Card tokens. The PAN is stored only as a vault-key ciphertext; the fingerprint is a keyed HMAC
 * (PCI DSS 3.5.1.1), so equal cards find each other without any unkeyed hash of a PAN at rest.
 */
export interface VaultTokensTable {
  tenant_id: string;
  token: string;
  fingerprint: string;
  pan_ciphertext: Buffer;
  brand: string;
  last4: string;
  /** First instant after the card's expiry month (epoch ms); null when no expiry was given. */
  expires_at: number | null;
  created_at: number;
  updated_at: number;
}

/** Sliding-window log of detokenizations per actor, for the per-actor rate limit across nodes. */
export interface VaultDetokenizationsTable {
  tenant_id: string;
  id: string;
  actor_id: string;
  attempted_at: number;
}

export interface VaultTables {
  vault_tokens: VaultTokensTable;
  vault_detokenizations: VaultDetokenizationsTable;
}
