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

/** One value of a JSON array the database writes: its SQL expression and its type. */
export interface JsonArrayItem {
  value: Expression<unknown>;
  type: 'text' | 'integer';
}

/** Reads and digests rows on a second thread (see BulkReads.rowDigester). */
export interface RowDigester {
  /**
   * Whether the thread can take a query now: it is up and not already busy with several. The
   * first call starts it; when it cannot, callers read on their own thread.
   */
  ready(): boolean;
  /**
   * Runs a compiled read-only query whose rows are one text column on the second thread and
   * returns SHA-256(prefix byte || UTF-8 of the text) of each row, concatenated in row order (32
   * bytes each); undefined when a row is not text. Rejects when the query or the thread failed.
   */
  digestRows(query: CompiledQuery, prefix: number): Promise<Buffer | undefined>;
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
   * SQL for the compact JSON array text of `items` (texts, integers, nulls), in the form
   * JSON.stringify gives: no spaces, strings escaped the same way. A value the database writes
   * otherwise (PostgreSQL: a text with a control character) only makes a comparison with
   * JavaScript's encoding fail, never succeed: text equal to JSON.stringify of some values
   * always comes from exactly those values.
   */
  jsonArrayText(items: readonly JsonArrayItem[]): RawBuilder<string>;
  /**
   * A second thread that reads and digests rows beside this one (SQLite on a file: a read-only
   * connection of its own, kept until the storage closes), or undefined where there is none:
   * PostgreSQL, whose server already works beside the client, and an in-memory SQLite database.
   */
  rowDigester: RowDigester | undefined;
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
  /**
   * Takes the locks of many keys at once, in one fixed order (two transactions locking
   * overlapping sets cannot deadlock), in one round trip instead of one per key.
   */
  lockManyInTransaction(trx: Transaction<any>, keys: readonly string[]): Promise<void>;
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
