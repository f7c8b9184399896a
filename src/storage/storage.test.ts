import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { lockKeyToBigint } from './dialects/dialect.ts';
import { migrateToLatest, migrationStatus, TenantScopeError } from './index.ts';
import { MIGRATIONS } from './migrations/index.ts';

describeEachDialect('storage', (get, dialect) => {
  it('applies every migration from empty and is idempotent', async () => {
    const { storage } = get().vigil;
    const status = await migrationStatus(storage);
    expect(status.pending).toEqual([]);
    expect(status.applied).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await migrateToLatest(storage)).toEqual([]);
  });

  it('creates the default tenant once', async () => {
    const { tenancy } = get().vigil;
    const first = await tenancy.ensureDefault();
    const second = await tenancy.ensureDefault();
    expect(second.id).toBe(first.id);
    expect((await tenancy.list()).filter((t) => t.slug === 'default')).toHaveLength(1);
  });

  it('rejects an invalid or duplicate tenant slug', async () => {
    const { tenancy } = get().vigil;
    await tenancy.create({ slug: 'acme-health', name: 'Acme Health' });
    await expect(tenancy.create({ slug: 'acme-health', name: 'Again' })).rejects.toMatchObject({
      code: 'TENANT_SLUG_TAKEN',
    });
    await expect(tenancy.create({ slug: 'Bad Slug!', name: 'x' })).rejects.toMatchObject({
      code: 'TENANT_SLUG_INVALID',
    });
  });

  it('round-trips 64-bit epoch milliseconds as numbers', async () => {
    const { tenancy } = get().vigil;
    const tenant = await tenancy.create({ slug: 'time-check', name: 'Time' });
    expect(typeof (await tenancy.getById(tenant.id)).createdAt).toBe('number');
    expect((await tenancy.getById(tenant.id)).createdAt).toBe(get().clock.now());
  });

  // SQLite has no lock to take: its write transaction is the lock.
  it.runIf(dialect === 'postgres')(
    'takes many transaction locks in one call: a transaction wanting one of them waits for commit',
    async () => {
      const { storage } = get().vigil;
      // Keys of this run only: other test files may take advisory locks on the same server.
      const key = (name: string) => `lock-test:${process.pid}:${Date.now()}:${name}`;
      const [a, b, c] = [key('a'), key('b'), key('c')];
      const id = lockKeyToBigint(a, (data) => createHash('sha256').update(data).digest());
      const order: string[] = [];
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const first = storage.db.transaction().execute(async (trx) => {
        await storage.dialect.lockManyInTransaction(trx as never, [b, a, a]);
        await held;
        order.push('first commits');
      });
      const waitingLocks = async () => {
        // An advisory lock on a bigint shows as its high and low 32 bits.
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_locks
        where locktype = 'advisory' and not granted and objsubid = 1
          and classid = ${String((id >> 32n) & 0xffffffffn)}::oid and objid = ${String(id & 0xffffffffn)}::oid`.execute(
          storage.db,
        );
        return rows[0]!.n;
      };
      // The second transaction is seen waiting on the lock before the first one lets go.
      const second = storage.db.transaction().execute(async (trx) => {
        await storage.dialect.lockManyInTransaction(trx as never, [c, a]);
        order.push('second locked');
      });
      try {
        // Polled, not timed: on a loaded runner the second transaction may take a while to queue.
        for (let i = 0; i < 2000 && (await waitingLocks()) === 0; i++)
          await new Promise((r) => setTimeout(r, 10));
        expect(await waitingLocks()).toBe(1);
      } finally {
        release();
        await Promise.all([first, second]);
      }
      expect(order).toEqual(['first commits', 'second locked']);
    },
  );

  describeTenantGuard(get);
});

function describeTenantGuard(get: Parameters<Parameters<typeof describeEachDialect>[1]>[0]) {
  // biome-ignore lint/suspicious/noExplicitAny: a scratch table outside the typed schema
  const db = () => get().vigil.storage.db as any;
  beforeAll(async () => {
    await db()
      .schema.createTable('guard_notes')
      .addColumn('id', 'text')
      .addColumn('tenant_id', 'text')
      .addColumn('body', 'text')
      .execute();
  });

  it('refuses tenant-table queries that do not constrain tenant_id', async () => {
    await expect(db().selectFrom('guard_notes').selectAll().execute()).rejects.toBeInstanceOf(
      TenantScopeError,
    );
    await expect(
      db().updateTable('guard_notes').set({ body: 'x' }).where('id', '=', '1').execute(),
    ).rejects.toBeInstanceOf(TenantScopeError);
    await expect(db().deleteFrom('guard_notes').where('id', '=', '1').execute()).rejects.toBeInstanceOf(
      TenantScopeError,
    );
    await expect(
      db().insertInto('guard_notes').values({ id: '1', body: 'x' }).execute(),
    ).rejects.toBeInstanceOf(TenantScopeError);
    // A nested query is checked too (Kysely builds it eagerly, so the refusal comes at build time).
    const nested = async () =>
      db()
        .selectFrom('tenants')
        .selectAll()
        .where('id', 'in', db().selectFrom('guard_notes').select('id'))
        .execute();
    await expect(nested()).rejects.toBeInstanceOf(TenantScopeError);
  });

  it('runs tenant-scoped queries and keeps tenants apart', async () => {
    await db()
      .insertInto('guard_notes')
      .values([
        { id: '1', tenant_id: 'a', body: 'alpha' },
        { id: '2', tenant_id: 'b', body: 'beta' },
      ])
      .execute();
    const rows = await db().selectFrom('guard_notes').select('body').where('tenant_id', '=', 'a').execute();
    expect(rows).toEqual([{ body: 'alpha' }]);
    await db()
      .updateTable('guard_notes')
      .set({ body: 'alpha2' })
      .where('tenant_id', '=', 'a')
      .where('id', '=', '1')
      .execute();
    await db().deleteFrom('guard_notes').where('tenant_id', '=', 'b').execute();
    const left = await db()
      .selectFrom('guard_notes')
      .select(['body'])
      .where('tenant_id', 'in', ['a', 'b'])
      .execute();
    expect(left).toEqual([{ body: 'alpha2' }]);
    await sql`select 1`.execute(db());
  });
}
