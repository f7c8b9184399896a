export { vaultError } from './vault.errors.ts';
export { type CardBrand, cardBrand, isValidPan, luhnValid, maskPan, normalizePan } from './vault.pan.ts';
export { type AgedToken, createVaultRetention, type VaultRetention } from './vault.retention.ts';
export { createVaultHttpModule } from './vault.routes.ts';
export { createVaultService, type VaultService } from './vault.service.ts';
export { parseExpiry } from './vault.support.ts';
export type { VaultTables } from './vault.tables.ts';
export {
  DEFAULT_DETOKENIZE_LIMIT,
  type DetokenizeInput,
  type DetokenizeResult,
  TOKEN_PATTERN,
  type TokenizeInput,
  type TokenizeResult,
  type VaultActor,
  type VaultAuthorizer,
  type VaultDeps,
  type VaultRequestContext,
} from './vault.types.ts';
