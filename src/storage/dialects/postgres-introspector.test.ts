import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from '../../../test/harness/test-vigil.ts';
import { migrateToLatest, migrationStatus } from '../migrate.ts';
import { MIGRATIONS } from '../migrations/index.ts';
import { openPostgres } from './postgres.ts';

const schemaName = (prefix: string) => `${prefix}_${randomBytes(6).toString('hex')}`;

describe('PostgreSQL introspection stays on Vigil’s search path [postgres]', () => {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  const ours = schemaName('vigil_i');
  const theirs = schemaName('vigil_other');
  let storage: ReturnType<typeof openPostgres>;

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`create schema ${ours}`);
    await admin.query(`create schema ${theirs}`);
    await admin.query(`create table ${theirs}.stranger (id int)`);
    storage = openPostgres({ url: TEST_DATABASE_URL, poolMax: 2, sslMode: 'disable', schema: ours });
    await migrateToLatest({ ...storage, schema: ours });
  });

  afterAll(async () => {
    await storage.dialect.destroy();
    await admin.query(`drop schema if exists ${ours} cascade`);
    await admin.query(`drop schema if exists ${theirs} cascade`);
    await admin.end();
  });

  it('lists the tables of its own schema only, Kysely bookkeeping only on request', async () => {
    const tables = await storage.db.introspection.getTables();
    expect(new Set(tables.map((t) => t.schema))).toEqual(new Set([ours]));
    expect(tables.map((t) => t.name)).toContain('interactions');
    expect(tables.map((t) => t.name)).not.toContain('stranger');
    expect(tables.map((t) => t.name)).not.toContain('kysely_migration');
    const withInternal = await storage.db.introspection.getTables({ withInternalKyselyTables: true });
    expect(withInternal.map((t) => t.name)).toContain('kysely_migration');
    const interactions = tables.find((t) => t.name === 'interactions');
    expect(interactions?.columns.find((c) => c.name === 'tenant_id')).toMatchObject({
      isNullable: false,
      isAutoIncrementing: false,
    });
  });

  it('reads migration status while other schemas are created and dropped around it', async () => {
    // The stock introspector failed here with `schema "…" does not exist` when a parallel test
    // dropped its schema mid-query; churn schemas while asking for status many times.
    let churning = true;
    const churn = (async () => {
      const churner = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await churner.connect();
      let rounds = 0;
      while (churning) {
        const name = schemaName('vigil_churn');
        await churner.query(`create schema ${name}; create table ${name}.t (id serial primary key)`);
        await churner.query(`drop schema ${name} cascade`);
        rounds += 1;
      }
      await churner.end();
      return rounds;
    })();
    try {
      for (let i = 0; i < 40; i += 1) {
        const status = await migrationStatus({ ...storage, schema: ours });
        expect(status.pending).toEqual([]);
        expect(status.applied).toHaveLength(MIGRATIONS.length);
      }
    } finally {
      churning = false;
    }
    expect(await churn).toBeGreaterThan(0);
  });
});
