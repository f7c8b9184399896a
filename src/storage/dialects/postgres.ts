import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Kysely, sql } from 'kysely';
import pg from 'pg';
import { type JsonArrayItem, lockKeyToBigint, type StorageDialect } from './dialect.ts';
import { VigilPostgresDialect } from './postgres-introspector.ts';

export interface PostgresOptions {
  url: string;
  poolMax: number;
  sslMode: 'disable' | 'require' | 'verify-full';
  sslCaFile?: string;
  /** Schema to use (tests run each file in its own schema). */
  schema?: string;
}

const INT8_OID = 20;
const sha256 = (data: string) => createHash('sha256').update(data).digest();

// 64-bit integers hold epoch milliseconds and counters, all far below 2^53: parse them as numbers.
const typeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

// json_build_array puts a space after each comma, and to_json of each item costs the server about
// 4 µs per row of seventeen values (it looks up the type's output per call and escapes character
// by character). A text is written instead as '"' || escaped || '"', where only the backslash
// and the quote are escaped: that is JSON.stringify's output for any text without a control
// character (PostgreSQL text holds no NUL and no lone surrogate; JSON.stringify leaves U+007F,
// U+2028 and U+2029 as they are). A text with a control character is written raw, which is
// never JSON.stringify's output, so such a row fails the comparison instead of passing it. The
// escaping keeps the writing one-to-one: unescaped, a text holding \" would be written like a
// recorded " (audit.verify-bulk.test.ts changes a row that way).
function postgresJsonItem(item: JsonArrayItem) {
  if (item.type === 'integer') return sql`coalesce(cast(${item.value} as text), 'null')`;
  const escaped = sql`replace(replace(${item.value}, '\\', '\\\\'), '"', '\\"')`;
  return sql`coalesce('"' || ${escaped} || '"', 'null')`;
}

function sslOption(options: PostgresOptions): pg.PoolConfig['ssl'] {
  if (options.sslMode === 'disable') return undefined;
  if (options.sslMode === 'require') return { rejectUnauthorized: false };
  return {
    rejectUnauthorized: true,
    ...(options.sslCaFile ? { ca: readFileSync(options.sslCaFile, 'utf8') } : {}),
  };
}

/** PostgreSQL: the multi-node production store. Locks are advisory locks, so nodes coordinate. */
export function openPostgres(options: PostgresOptions): { db: Kysely<any>; dialect: StorageDialect } {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax,
    ssl: sslOption(options),
    types: typeParsers,
    // A schema of its own (tests): parallel query workers have been seen to miss the session search_path.
    ...(options.schema
      ? { options: `-c search_path=${options.schema} -c max_parallel_workers_per_gather=0` }
      : {}),
    connectionTimeoutMillis: 5000,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = new Kysely<any>({ dialect: new VigilPostgresDialect({ pool }) });
  const dialect: StorageDialect = {
    name: 'postgres',
    types: { bytes: 'bytea', bigint: 'bigint', boolean: 'boolean', serial: 'bigserial' },
    multiNode: true,
    async lockInTransaction(trx, key) {
      await sql`select pg_advisory_xact_lock(${lockKeyToBigint(key, sha256).toString()}::bigint)`.execute(
        trx,
      );
    },
    async lockManyInTransaction(trx, keys) {
      if (keys.length === 0) return;
      // Sorted numerically, and unnest yields the array's order: every transaction takes
      // overlapping locks in the same order.
      const ids = [...new Set(keys.map((key) => lockKeyToBigint(key, sha256)))]
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
        .map(String);
      await sql`select count(pg_advisory_xact_lock(id)) from unnest(${ids}::bigint[]) as id`.execute(trx);
    },
    withTransactionLock: (kdb, key, fn) =>
      kdb.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(${lockKeyToBigint(key, sha256).toString()}::bigint)`.execute(
          trx,
        );
        return fn(trx);
      }),
    async tryWithJobLock(kdb, key, fn) {
      // Session-level lock held on one dedicated connection for the job's duration.
      return kdb.connection().execute(async (conn) => {
        const lockId = lockKeyToBigint(key, sha256).toString();
        const { rows } = await sql<{
          locked: boolean;
        }>`select pg_try_advisory_lock(${lockId}::bigint) as locked`.execute(conn);
        if (!rows[0]?.locked) return undefined;
        try {
          return await fn();
        } finally {
          await sql`select pg_advisory_unlock(${lockId}::bigint)`.execute(conn);
        }
      });
    },
    async ping(kdb) {
      await sql`select 1`.execute(kdb);
    },
    bulk: {
      async selectRowArrays(_kdb, query) {
        // Straight from the pool: rows as arrays skip pg's per-row objects; the pool's type
        // parsers (int8 as number) still apply, so values match what Kysely returns.
        const result = await pool.query({
          text: query.sql,
          values: [...query.parameters],
          rowMode: 'array',
        });
        return result.rows as unknown[][];
      },
      jsonArrayText: (items) =>
        sql<string>`'[' || concat_ws(',', ${sql.join(items.map(postgresJsonItem))}) || ']'`,
      rowDigester: undefined,
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    destroy: () => db.destroy(),
  };
  return { db, dialect };
}
