import type { VigilMigration } from './migration.ts';

export const keysMigration: VigilMigration = {
  name: '0003-keys',
  async up(db, types) {
    await db.schema
      .createTable('crypto_root_secrets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('wrapped_key', types.bytes, (c) => c.notNull())
      .addColumn('root_key_id', 'text', (c) => c.notNull())
      .addColumn('created_at', types.bigint, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('crypto_keks')
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('domain', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('wrapped_key', types.bytes)
      .addColumn('root_key_id', 'text')
      .addColumn('created_at', types.bigint, (c) => c.notNull())
      .addColumn('retired_at', types.bigint)
      .addPrimaryKeyConstraint('crypto_keks_pk', ['tenant_id', 'domain', 'version'])
      .execute();
    await db.schema
      .createIndex('crypto_keks_tenant_root')
      .on('crypto_keks')
      .columns(['tenant_id', 'root_key_id'])
      .execute();
    await db.schema
      .createTable('crypto_key_slots')
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('domain', 'text', (c) => c.notNull())
      .addColumn('current_version', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('destroy_after', types.bigint)
      .addColumn('created_at', types.bigint, (c) => c.notNull())
      .addColumn('updated_at', types.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('crypto_key_slots_pk', ['tenant_id', 'key_id'])
      .execute();
    // One live key per name: two writers creating the same subject's key race on this index.
    await db.schema
      .createIndex('crypto_key_slots_tenant_name')
      .unique()
      .on('crypto_key_slots')
      .columns(['tenant_id', 'name'])
      .execute();
    await db.schema
      .createIndex('crypto_key_slots_tenant_due')
      .on('crypto_key_slots')
      .columns(['tenant_id', 'status', 'destroy_after'])
      .execute();
    await db.schema
      .createTable('crypto_data_keys')
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('domain', 'text', (c) => c.notNull())
      .addColumn('kek_version', 'integer', (c) => c.notNull())
      .addColumn('wrapped_key', types.bytes, (c) => c.notNull())
      .addColumn('created_at', types.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('crypto_data_keys_pk', ['tenant_id', 'key_id', 'version'])
      .execute();
    // The re-wrap job walks data keys below the current KEK version of a domain.
    await db.schema
      .createIndex('crypto_data_keys_tenant_kek')
      .on('crypto_data_keys')
      .columns(['tenant_id', 'domain', 'kek_version'])
      .execute();
  },
};
