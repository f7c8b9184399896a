import { defineErrors } from '../shared/errors.ts';

/** Error catalog of the identity feature. Messages never say whether an account exists. */
export const identityError = defineErrors({
  INVALID_CREDENTIALS: {
    kind: 'unauthenticated',
    message: 'email or password is incorrect, or the account is locked or not active',
  },
  MFA_INVALID: { kind: 'unauthenticated', message: 'the verification code or passkey was not accepted' },
  MFA_CHALLENGE_INVALID: { kind: 'unauthenticated', message: 'the sign-in challenge is invalid or expired' },
  MFA_NOT_ENROLLED: { kind: 'invalid', message: 'no second factor of this kind is enrolled' },
  MFA_ENROLLMENT_REQUIRED: {
    kind: 'forbidden',
    message: 'enrol a second factor (authenticator app or passkey) before using Vigil',
  },
  MFA_ALREADY_ENROLLED: {
    kind: 'conflict',
    message: 'an authenticator app is already enrolled; remove it first',
  },
  MFA_LAST_FACTOR: {
    kind: 'conflict',
    message: 'this is your last second factor and your policy requires one; enrol another first',
  },
  PERMISSION_DENIED: { kind: 'forbidden', message: 'you do not have the permission this operation needs' },
  STEP_UP_REQUIRED: { kind: 'forbidden', message: 'this operation needs a fresh second-factor verification' },
  SESSION_INVALID: { kind: 'unauthenticated', message: 'session is invalid or expired; sign in again' },
  CSRF_FAILED: {
    kind: 'forbidden',
    message: 'missing or invalid x-csrf-token header for a cookie-authenticated write',
  },
  ORIGIN_REJECTED: { kind: 'forbidden', message: 'request origin does not match the Vigil console' },
  API_KEY_INVALID: { kind: 'unauthenticated', message: 'API key is invalid, expired or revoked' },
  API_KEY_SCOPE: { kind: 'forbidden', message: 'API key does not carry the scope this route needs' },
  API_KEY_NOT_FOUND: { kind: 'not_found', message: 'API key not found' },
  RATE_LIMITED: {
    kind: 'rate_limited',
    message: 'too many failed sign-ins from this address; try again later',
  },
  BUSY: { kind: 'unavailable', message: 'too many sign-ins in progress; retry in a moment' },
  PASSWORD_TOO_SHORT: { kind: 'invalid', message: 'password is too short' },
  PASSWORD_TOO_LONG: { kind: 'invalid', message: 'password is too long' },
  PASSWORD_COMMON: { kind: 'invalid', message: 'password is in a list of common or breached passwords' },
  PASSWORD_PERSONAL: { kind: 'invalid', message: 'password must not contain your name or email' },
  PASSWORD_REUSED: { kind: 'invalid', message: 'password was used recently; choose another' },
  PASSWORD_INCORRECT: { kind: 'forbidden', message: 'current password is incorrect' },
  LINK_INVALID: { kind: 'gone', message: 'this link is invalid, expired or already used' },
  USER_NOT_FOUND: { kind: 'not_found', message: 'user not found' },
  USER_EXISTS: { kind: 'conflict', message: 'a user with this email already exists in this tenant' },
  USER_STATE: { kind: 'conflict', message: 'the user is not in a state that allows this' },
  ROLE_INVALID: { kind: 'invalid', message: 'role name is not valid' },
  SESSION_NOT_FOUND: { kind: 'not_found', message: 'session not found' },
  PASSKEY_NOT_FOUND: { kind: 'not_found', message: 'passkey not found' },
  PASSKEY_REJECTED: { kind: 'invalid', message: 'the passkey registration could not be verified' },
  SSO_PROVIDER_NOT_FOUND: { kind: 'not_found', message: 'single sign-on provider not found' },
  SSO_FAILED: { kind: 'unauthenticated', message: 'single sign-on did not complete; try again' },
  SSO_NO_ACCOUNT: { kind: 'forbidden', message: 'no Vigil account is linked to this identity' },
  SSO_ISSUER_INSECURE: {
    kind: 'invalid',
    message: 'issuer must be an https URL (plain http only on loopback)',
  },
});
