/**
 * Identity tables. Times are epoch milliseconds (PostgreSQL returns 64-bit columns as strings, so
 * services convert with Number()); secrets are stored only as hashes or encrypted with a
 * per-tenant key derived from the root key.
 */
export type UserStatus = 'invited' | 'active' | 'suspended' | 'disabled';

export interface UsersTable {
  tenant_id: string;
  id: string;
  email: string;
  /** NFKC + lower-case form, unique per tenant: the login name. */
  email_normalized: string;
  display_name: string;
  status: UserStatus;
  /** Argon2id PHC string; null for invited users and SSO-only users. */
  password_hash: string | null;
  password_changed_at: number | null;
  last_login_at: number | null;
  last_mfa_at: number | null;
  failed_attempts: number;
  locked_until: number | null;
  /** `issuer|subject` of the OpenID Connect identity that provisioned this user, if any. */
  external_id: string | null;
  status_reason: string | null;
  created_at: number;
  updated_at: number;
}

export interface UserRolesTable {
  tenant_id: string;
  user_id: string;
  role: string;
  granted_by: string;
  granted_at: number;
}

export interface PasswordHistoryTable {
  tenant_id: string;
  id: string;
  user_id: string;
  password_hash: string;
  created_at: number;
}

export interface TotpCredentialsTable {
  tenant_id: string;
  user_id: string;
  /** AES-256-GCM ciphertext of the base32 secret (tenant identity key). */
  secret_enc: string;
  confirmed_at: number | null;
  /** Highest time step accepted, so a code is never accepted twice. */
  last_used_step: number | null;
  created_at: number;
}

export interface WebauthnCredentialsTable {
  tenant_id: string;
  id: string;
  user_id: string;
  /** base64url credential id from the authenticator. */
  credential_id: string;
  public_key: Buffer;
  counter: number;
  transports: string | null;
  name: string;
  created_at: number;
  last_used_at: number | null;
}

export interface RecoveryCodesTable {
  tenant_id: string;
  id: string;
  user_id: string;
  code_hash: string;
  used_at: number | null;
  created_at: number;
}

/**
 * `full`: every route the roles allow. A restricted stage serves only the routes that lead out of
 * it: `mfa_enrollment` (MFA required but none enrolled), `mfa_pending` (SSO sign-in whose IdP did
 * not do MFA, by a user with local factors: step-up opens it), `password_change` (rotation due).
 */
export type SessionStage = 'full' | 'mfa_enrollment' | 'mfa_pending' | 'password_change';

export interface SessionsTable {
  tenant_id: string;
  id: string;
  user_id: string;
  token_hash: string;
  stage: SessionStage;
  auth_method: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  mfa_verified_at: number | null;
  ip: string | null;
  user_agent: string | null;
  revoked_at: number | null;
  revoked_reason: string | null;
  /** SSO sessions: provider id, encrypted refresh token and when the IdP was last asked. */
  sso_provider_id: string | null;
  sso_refresh_enc: string | null;
  sso_checked_at: number | null;
}

export type ActionTokenPurpose = 'bootstrap' | 'invite' | 'reset' | 'login_mfa' | 'webauthn' | 'oidc';

export interface ActionTokensTable {
  tenant_id: string;
  id: string;
  /** Null for the first-administrator bootstrap and OIDC login states. */
  user_id: string | null;
  purpose: ActionTokenPurpose;
  token_hash: string;
  /** JSON, encrypted when it holds a secret (PKCE verifier). */
  data: string | null;
  attempts: number;
  expires_at: number;
  used_at: number | null;
  created_at: number;
}

export interface ApiKeysTable {
  tenant_id: string;
  id: string;
  name: string;
  /** First characters of the secret, shown in listings to recognise a key. */
  prefix: string;
  secret_hash: string;
  /** JSON array of scopes. */
  scopes: string;
  created_by: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}

export interface IdentityPoliciesTable {
  tenant_id: string;
  /** JSON of IdentityPolicy; absent fields take the defaults. */
  policy: string;
  updated_at: number;
  updated_by: string;
}

export interface OidcProvidersTable {
  tenant_id: string;
  id: string;
  /** Short name used in the login URL. */
  slug: string;
  display_name: string;
  issuer: string;
  client_id: string;
  client_secret_enc: string | null;
  scopes: string;
  groups_claim: string;
  /** JSON object: IdP group -> array of Vigil roles. */
  group_roles: string;
  /** 1 when unknown users are created at first login. */
  jit_provisioning: number;
  enabled: number;
  created_at: number;
  updated_at: number;
}

export interface AuthThrottleTable {
  tenant_id: string;
  /** What is throttled, e.g. `ip:203.0.113.9`. */
  bucket: string;
  window_start: number;
  failures: number;
}

export interface IdentityTables {
  users: UsersTable;
  user_roles: UserRolesTable;
  password_history: PasswordHistoryTable;
  totp_credentials: TotpCredentialsTable;
  webauthn_credentials: WebauthnCredentialsTable;
  recovery_codes: RecoveryCodesTable;
  sessions: SessionsTable;
  action_tokens: ActionTokensTable;
  api_keys: ApiKeysTable;
  identity_policies: IdentityPoliciesTable;
  oidc_providers: OidcProvidersTable;
  auth_throttle: AuthThrottleTable;
}
