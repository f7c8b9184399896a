import type { CompiledQuery, Expression, Kysely, RawBuilder, Transaction } from 'kysely';

/** Column type names for dialect-neutral migrations. */
export interface ColumnTypes {
  /** Binary data (ciphertexts, hashes): bytea | blob. */
  bytes: 'bytea' | 'blob';
  /** 64-bit integers (epoch milliseconds, counters): bigint | integer. */
  bigint: 'bigint' | 'integer';
  /** Booleans are stored as 0/1 integers on SQLite. */
  boolean: 'boolean' | 'integer';
  /** Auto-incrementing 64-bit key, for strictly ordered logs. */
  serial: 'bigserial' | 'integer';
}

/**
 * Fast paths for scans that read every row of a large table (audit verification), where building
 * one object per row and one Buffer per binary value costs more than using them.
 */
export interface BulkReads {
  /**
   * Runs a compiled read-only query (compile it with Kysely, so plugins such as the tenant guard
   * still see it) and returns its rows as arrays of column values in select order, through the
   * driver's cheapest path (better-sqlite3 raw mode; pg rowMode 'array'). Values have the types
   * Kysely would give them. Not inside a transaction: SQLite waits for the one connection.
   */
  selectRowArrays(db: Kysely<any>, query: CompiledQuery): Promise<unknown[][]>;
  /**
   * SQL for the compact JSON array text of `items` (strings, integers, nulls), in the form
   * JSON.stringify gives: no spaces, strings escaped the same way. A value the database would
   * write otherwise only makes a comparison with JavaScript's encoding fail, never succeed.
   */
  jsonArrayText(items: readonly Expression<unknown>[]): RawBuilder<string>;
}

/**
 * Everything that differs between SQLite and PostgreSQL, behind named capabilities, so feature
 * code never asks which database it is on.
 */
export interface StorageDialect {
  readonly name: 'sqlite' | 'postgres';
  readonly types: ColumnTypes;
  /** Whether several Vigil processes may share this database (PostgreSQL) or only one (SQLite). */
  readonly multiNode: boolean;
  /**
   * Takes an exclusive lock named by key inside an open transaction, held until it ends, across
   * nodes (PostgreSQL advisory transaction lock; on SQLite the write transaction is already exclusive).
   */
  lockInTransaction(trx: Transaction<any>, key: string): Promise<void>;
  /** Runs fn in a transaction that holds an exclusive lock named by key until commit, across nodes. */
  withTransactionLock<T>(db: Kysely<any>, key: string, fn: (trx: Transaction<any>) => Promise<T>): Promise<T>;
  /**
   * Runs fn only if no other process holds the job lock named by key (single-run jobs across
   * nodes); returns undefined when another holder has it.
   */
  tryWithJobLock<T>(db: Kysely<any>, key: string, fn: () => Promise<T>): Promise<T | undefined>;
  /** Cheap round trip used by readiness checks. */
  ping(db: Kysely<any>): Promise<void>;
  /** Full-table scans without per-row objects (audit verification). */
  readonly bulk: BulkReads;
  /** Pool statistics for metrics. */
  poolStats(): { total: number; idle: number; waiting: number };
  destroy(): Promise<void>;
}

/** A stable signed 64-bit number from a lock name, for PostgreSQL advisory locks. */
export function lockKeyToBigint(key: string, hash: (data: string) => Buffer): bigint {
  return hash(key).readBigInt64BE(0);
}
