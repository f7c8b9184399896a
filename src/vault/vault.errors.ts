import { defineErrors } from '../shared/errors.ts';

/** Vault error codes. No message ever carries a card number, a token's secret part or a reason text. */
export const vaultError = defineErrors({
  PAN_INVALID: { kind: 'invalid', message: 'card number is not valid' },
  EXPIRY_INVALID: { kind: 'invalid', message: 'card expiry must be MM/YY, MM/YYYY or YYYY-MM' },
  TOKEN_INVALID: { kind: 'invalid', message: 'not a vault token' },
  TOKEN_NOT_FOUND: { kind: 'not_found', message: 'token not found' },
  TOKEN_EXPIRED: { kind: 'gone', message: 'the card behind this token has expired' },
  REASON_REQUIRED: {
    kind: 'invalid',
    message: 'a reason of 10 to 500 characters is required to detokenize a card',
  },
  DETOKENIZE_FORBIDDEN: {
    kind: 'forbidden',
    message: 'you are not allowed to detokenize cards (vault.detokenize)',
  },
  DETOKENIZE_RATE_LIMITED: {
    kind: 'rate_limited',
    message: 'too many detokenizations in a short time; try again later',
  },
});
