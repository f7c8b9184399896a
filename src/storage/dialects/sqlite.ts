import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  SqliteDialect,
  type SqliteDialectConfig,
  sql,
} from 'kysely';
import type { BulkReads, RowDigester, StorageDialect } from './dialect.ts';
import { createSqliteCheckpointer, MAIN_CONNECTION_AUTOCHECKPOINT_PAGES } from './sqlite-checkpoint.ts';
import { createSqliteRowDigester } from './sqlite-digest.ts';

const JOB_LEASE_MS = 6 * 60 * 60 * 1000;
const STATEMENT_CACHE_SIZE = 500;
const BUSY_TIMEOUT_MS = 5000;

/**
 * Transactions start with BEGIN IMMEDIATE: they take the write lock at once, so a second process
 * (the CLI while the server runs) waits on the busy timeout instead of failing when a read
 * transaction tries to become a writer after someone else wrote.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  constructor(
    config: SqliteDialectConfig,
    private readonly afterCommit: () => void,
  ) {
    super(config);
  }

  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection: DatabaseConnection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    driver.commitTransaction = async (connection: DatabaseConnection) => {
      await connection.executeQuery(CompiledQuery.raw('commit'));
      this.afterCommit();
    };
    return driver;
  }
}

/**
 * Kysely prepares every query anew; preparing costs as much as running a small statement. The
 * same SQL text always yields an equivalent statement, so keep the most recent ones. Safe because
 * Kysely runs one query at a time on the connection.
 */
function statementCache(
  prepare: (source: string) => SqliteDatabase.Statement,
): (source: string) => SqliteDatabase.Statement {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return (source) => {
    let statement = cache.get(source);
    if (statement) {
      cache.delete(source);
    } else {
      statement = prepare(source);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    }
    cache.set(source, statement);
    return statement;
  };
}

function withStatementCache(database: SqliteDatabase.Database): SqliteDatabase.Database {
  const prepare = statementCache(database.prepare.bind(database));
  return new Proxy(database, {
    get(target, property, receiver) {
      if (property !== 'prepare') return Reflect.get(target, property, receiver);
      return prepare;
    },
  });
}

/**
 * Bulk reads run on the raw connection while holding Kysely's connection (its mutex), so they never
 * interleave with another query or land inside someone's open transaction. Raw-mode statements
 * are cached apart: raw mode is a property of the statement, and Kysely's must keep returning objects.
 */
function sqliteBulkReads(database: SqliteDatabase.Database, digester: RowDigester | undefined): BulkReads {
  const prepareRaw = statementCache((source) => {
    const statement = database.prepare(source);
    if (!statement.reader) throw new Error('bulk reads run only statements that return rows');
    return statement.raw(true);
  });
  return {
    selectRowArrays: (kdb, query) =>
      kdb.connection().execute(async () => prepareRaw(query.sql).all(...query.parameters) as unknown[][]),
    // json_array writes compact JSON with JSON.stringify's escapes (\b \t \n \f \r, other
    // controls as lowercase \u00xx); it refuses BLOB arguments, failing the query.
    jsonArrayText: (items) => sql<string>`json_array(${sql.join(items.map((item) => item.value))})`,
    rowDigester: digester,
  };
}

export interface SqliteOptions {
  file: string;
  synchronous: 'FULL' | 'NORMAL';
}

/**
 * SQLite is the single-node embedded default. One connection per process: better-sqlite3 is
 * synchronous and Kysely serialises access to it, so a transaction lock is simply the
 * transaction; the busy timeout covers a second process (the CLI) writing to the same file.
 */
export function openSqlite(options: SqliteOptions): { db: Kysely<any>; dialect: StorageDialect } {
  if (options.file !== ':memory:') mkdirSync(path.dirname(options.file), { recursive: true, mode: 0o700 });
  const database = new SqliteDatabase(options.file);
  database.pragma('journal_mode = WAL');
  database.pragma(`synchronous = ${options.synchronous}`);
  database.pragma('foreign_keys = ON');
  database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // Deleted pages are zeroed so shredded or purged data does not linger in the file.
  database.pragma('secure_delete = ON');
  // A purge batch or a large ingest batch touches thousands of scattered index pages; with the
  // default 2 MiB page cache SQLite re-reads them and spills dirty pages mid-transaction.
  database.pragma('cache_size = -65536');
  // A file's WAL is checkpointed on a thread of its own, woken after each commit; this
  // connection checkpoints only if the WAL grows far past SQLite's default (the thread is behind
  // or down). In memory there is no WAL.
  const checkpointer =
    options.file === ':memory:'
      ? undefined
      : createSqliteCheckpointer(options.file, {
          busyTimeoutMs: BUSY_TIMEOUT_MS,
          synchronous: options.synchronous,
        });
  if (checkpointer) database.pragma(`wal_autocheckpoint = ${MAIN_CONNECTION_AUTOCHECKPOINT_PAGES}`);
  const db = new Kysely<any>({
    dialect: new ImmediateSqliteDialect({ database: withStatementCache(database) }, () =>
      checkpointer?.wake(),
    ),
  });
  const holder = `${process.pid}:${randomUUID()}`;
  const digestThread =
    options.file === ':memory:' ? undefined : createSqliteRowDigester(options.file, BUSY_TIMEOUT_MS);
  const dialect: StorageDialect = {
    name: 'sqlite',
    types: { bytes: 'blob', bigint: 'integer', boolean: 'integer', serial: 'integer' },
    multiNode: false,
    lockInTransaction: async () => undefined,
    lockManyInTransaction: async () => undefined,
    withTransactionLock: (kdb, _key, fn) => kdb.transaction().execute(fn),
    async tryWithJobLock(kdb, key, fn) {
      // A lease row, so a CLI process and the server never run the same job at once; a crashed
      // holder's lease simply expires.
      const acquired = await kdb.transaction().execute(async (trx) => {
        const now = Date.now();
        await trx.deleteFrom('job_locks').where('name', '=', key).where('expires_at', '<', now).execute();
        const result = await trx
          .insertInto('job_locks')
          .values({ name: key, holder, expires_at: now + JOB_LEASE_MS })
          .onConflict((oc) => oc.column('name').doNothing())
          .executeTakeFirst();
        return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
      });
      if (!acquired) return undefined;
      try {
        return await fn();
      } finally {
        await kdb.deleteFrom('job_locks').where('name', '=', key).where('holder', '=', holder).execute();
      }
    },
    async ping(kdb) {
      await sql`select 1`.execute(kdb);
    },
    bulk: sqliteBulkReads(database, digestThread?.digester),
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    async destroy() {
      await digestThread?.close();
      await checkpointer?.close();
      await db.destroy();
    },
  };
  return { db, dialect };
}
