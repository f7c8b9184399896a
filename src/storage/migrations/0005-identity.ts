import type { ColumnTypes } from '../dialects/dialect.ts';
import type { VigilMigration } from './migration.ts';

type MigrationDb = Parameters<VigilMigration['up']>[0];

async function createUsers(db: MigrationDb, types: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_normalized', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('password_changed_at', types.bigint)
    .addColumn('last_login_at', types.bigint)
    .addColumn('last_mfa_at', types.bigint)
    .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', types.bigint)
    .addColumn('external_id', 'text')
    .addColumn('status_reason', 'text')
    .addColumn('created_at', types.bigint, (c) => c.notNull())
    .addColumn('updated_at', types.bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('users_tenant_email')
    .unique()
    .on('users')
    .columns(['tenant_id', 'email_normalized'])
    .execute();
  await db.schema
    .createIndex('users_tenant_external')
    .on('users')
    .columns(['tenant_id', 'external_id'])
    .execute();
  await db.schema
    .createTable('user_roles')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('granted_by', 'text', (c) => c.notNull())
    .addColumn('granted_at', types.bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('user_roles_pk', ['tenant_id', 'user_id', 'role'])
    .execute();
  await db.schema
    .createTable('password_history')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', types.bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('password_history_user')
    .on('password_history')
    .columns(['tenant_id', 'user_id', 'created_at'])
    .execute();
}

async function createMfa(db: MigrationDb, types: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('totp_credentials')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('secret_enc', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', types.bigint)
    .addColumn('last_used_step', types.bigint)
    .addColumn('created_at', types.bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('webauthn_credentials')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('credential_id', 'text', (c) => c.notNull())
    .addColumn('public_key', types.bytes, (c) => c.notNull())
    .addColumn('counter', types.bigint, (c) => c.notNull())
    .addColumn('transports', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', types.bigint, (c) => c.notNull())
    .addColumn('last_used_at', types.bigint)
    .execute();
  await db.schema
    .createIndex('webauthn_credentials_credential')
    .unique()
    .on('webauthn_credentials')
    .columns(['tenant_id', 'credential_id'])
    .execute();
  await db.schema
    .createTable('recovery_codes')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', types.bigint)
    .addColumn('created_at', types.bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('recovery_codes_user')
    .on('recovery_codes')
    .columns(['tenant_id', 'user_id'])
    .execute();
}

async function createSessionsAndTokens(db: MigrationDb, types: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('sessions')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('auth_method', 'text', (c) => c.notNull())
    .addColumn('created_at', types.bigint, (c) => c.notNull())
    .addColumn('last_seen_at', types.bigint, (c) => c.notNull())
    .addColumn('expires_at', types.bigint, (c) => c.notNull())
    .addColumn('mfa_verified_at', types.bigint)
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('revoked_at', types.bigint)
    .addColumn('revoked_reason', 'text')
    .addColumn('sso_provider_id', 'text')
    .addColumn('sso_refresh_enc', 'text')
    .addColumn('sso_checked_at', types.bigint)
    .execute();
  await db.schema
    .createIndex('sessions_token')
    .unique()
    .on('sessions')
    .columns(['tenant_id', 'token_hash'])
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').columns(['tenant_id', 'user_id']).execute();
  await db.schema
    .createTable('action_tokens')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('data', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', types.bigint, (c) => c.notNull())
    .addColumn('used_at', types.bigint)
    .addColumn('created_at', types.bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('action_tokens_hash')
    .unique()
    .on('action_tokens')
    .columns(['tenant_id', 'token_hash'])
    .execute();
  await db.schema
    .createTable('api_keys')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', types.bigint, (c) => c.notNull())
    .addColumn('expires_at', types.bigint)
    .addColumn('revoked_at', types.bigint)
    .addColumn('last_used_at', types.bigint)
    .execute();
  await db.schema
    .createIndex('api_keys_secret')
    .unique()
    .on('api_keys')
    .columns(['tenant_id', 'secret_hash'])
    .execute();
}

async function createSettings(db: MigrationDb, types: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('identity_policies')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id'))
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('updated_at', types.bigint, (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('oidc_providers')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('client_secret_enc', 'text')
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('groups_claim', 'text', (c) => c.notNull())
    .addColumn('group_roles', 'text', (c) => c.notNull())
    .addColumn('jit_provisioning', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('created_at', types.bigint, (c) => c.notNull())
    .addColumn('updated_at', types.bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('oidc_providers_slug')
    .unique()
    .on('oidc_providers')
    .columns(['tenant_id', 'slug'])
    .execute();
  await db.schema
    .createTable('auth_throttle')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('window_start', types.bigint, (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('auth_throttle_pk', ['tenant_id', 'bucket'])
    .execute();
}

export const identityMigration: VigilMigration = {
  name: '0005-identity',
  async up(db, types) {
    await createUsers(db, types);
    await createMfa(db, types);
    await createSessionsAndTokens(db, types);
    await createSettings(db, types);
  },
};
