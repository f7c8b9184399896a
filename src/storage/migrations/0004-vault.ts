import type { VigilMigration } from './migration.ts';

export const vaultMigration: VigilMigration = {
  name: '0004-vault',
  async up(db, types) {
    await db.schema
      .createTable('vault_tokens')
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('token', 'text', (c) => c.notNull())
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('pan_ciphertext', types.bytes, (c) => c.notNull())
      .addColumn('brand', 'text', (c) => c.notNull())
      .addColumn('last4', 'text', (c) => c.notNull())
      .addColumn('expires_at', types.bigint)
      .addColumn('created_at', types.bigint, (c) => c.notNull())
      .addColumn('updated_at', types.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('vault_tokens_pk', ['tenant_id', 'token'])
      .execute();
    // One token per card and tenant: concurrent tokenizations of the same card race on this index.
    await db.schema
      .createIndex('vault_tokens_tenant_fingerprint')
      .unique()
      .on('vault_tokens')
      .columns(['tenant_id', 'fingerprint'])
      .execute();
    await db.schema
      .createTable('vault_detokenizations')
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('actor_id', 'text', (c) => c.notNull())
      .addColumn('attempted_at', types.bigint, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('vault_detokenizations_actor_time')
      .on('vault_detokenizations')
      .columns(['tenant_id', 'actor_id', 'attempted_at'])
      .execute();
  },
};
