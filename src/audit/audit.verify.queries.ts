import { type CompiledQuery, sql } from 'kysely';
import type { BulkReads, ColumnTypes, Db, JsonArrayItem } from '../storage/index.ts';
import { CANONICAL_EVENT_FIELDS, ENCODING_VERSION } from './audit.encoding.ts';
import type { AuditEventsTable } from './audit.tables.ts';
import type { DbOrTransaction } from './audit.types.ts';

// Verification reads the log in seq ranges rather than "seq >= x limit n": a range is an index
// range scan whatever the statistics say, while PostgreSQL without fresh statistics (a log just
// written) plans the limit form as a sort of every later row, for every page.

/** The encoded fields stored as integers (the encoding writes them as JSON numbers). */
const INTEGER_FIELDS: ReadonlySet<string> = new Set(['seq', 'occurred_at']);

/** Each event's canonical JSON as the database writes it (see BulkReads.jsonArrayText). */
function canonicalJson(bulk: BulkReads) {
  const items: JsonArrayItem[] = [
    { value: sql.lit(ENCODING_VERSION), type: 'integer' },
    ...CANONICAL_EVENT_FIELDS.map((field) => ({
      value: sql.ref(field),
      type: INTEGER_FIELDS.has(field) ? ('integer' as const) : ('text' as const),
    })),
  ];
  return bulk.jsonArrayText(items).as('canonical');
}

/**
 * The query for events with fromSeq <= seq < toSeq in log order, each as one value: its canonical
 * JSON as the database writes it. One string per event crosses the driver instead of seventeen
 * values, and no JSON is built in JavaScript. No seq: a page holding as many rows as its seq
 * range is wide holds each seq of the range once, in order ((tenant, seq) is unique).
 */
export function canonicalEventJsonQuery(
  db: Db,
  bulk: BulkReads,
  tenantId: string,
  fromSeq: number,
  toSeq: number,
): CompiledQuery {
  return db
    .selectFrom('audit_events')
    .select(canonicalJson(bulk))
    .where('tenant_id', '=', tenantId)
    .where('seq', '>=', fromSeq)
    .where('seq', '<', toSeq)
    .orderBy('seq')
    .compile();
}

/**
 * Puts rows carrying their seq in column `seqColumn` in ascending seq order, in place, unless they
 * already are (the usual case: one pass, no sort). Returns the rows.
 */
export function inSeqOrder<T extends unknown[]>(rows: T[], seqColumn: number): T[] {
  for (let i = 1; i < rows.length; i++) {
    if (!((rows[i - 1]![seqColumn] as number) < (rows[i]![seqColumn] as number))) {
      return rows.sort((a, b) => Number(a[seqColumn]) - Number(b[seqColumn]));
    }
  }
  return rows;
}

/**
 * Each event's canonical JSON, in seq order, read on this thread. Not in a transaction. The
 * database returns the rows in the order it finds them, with their seq, and they are put in seq
 * order here only when they are not in it already (an append-only log is stored in seq order):
 * on PostgreSQL, sorting a page of these wide rows was a sixth of the server's time for the page.
 */
export async function selectCanonicalEventJson(
  db: Db,
  bulk: BulkReads,
  tenantId: string,
  fromSeq: number,
  toSeq: number,
): Promise<unknown[]> {
  const query = db
    .selectFrom('audit_events')
    .select([canonicalJson(bulk), 'seq'])
    .where('tenant_id', '=', tenantId)
    .where('seq', '>=', fromSeq)
    .where('seq', '<', toSeq)
    .compile();
  return inSeqOrder(await bulk.selectRowArrays(db, query), 1).map((row) => row[0]);
}

/** Whole events with fromSeq <= seq < toSeq in log order (checked one by one, MACs included). */
export async function selectEventsInSeqRange(
  db: DbOrTransaction,
  tenantId: string,
  fromSeq: number,
  toSeq: number,
): Promise<AuditEventsTable[]> {
  return db
    .selectFrom('audit_events')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('seq', '>=', fromSeq)
    .where('seq', '<', toSeq)
    .orderBy('seq')
    .execute();
}

/** The smallest seq at or after fromSeq, or undefined: how a scan jumps over a gap in the log. */
export async function findNextEventSeq(
  db: DbOrTransaction,
  tenantId: string,
  fromSeq: number,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.min('seq').as('next_seq'))
    .where('tenant_id', '=', tenantId)
    .where('seq', '>=', fromSeq)
    .executeTakeFirst();
  const next = row?.next_seq;
  return next === null || next === undefined ? undefined : Number(next);
}

/** Recomputed hashes of a range of one stored copy, concatenated in index order. */
export interface HashRange {
  /** Tree level of the nodes, or EVENTS_LEVEL for the events' leaf_hash column (index = seq). */
  level: number;
  fromIdx: number;
  /** Inclusive. */
  toIdx: number;
  hashes: Buffer;
}

/** `level` of a HashRange over the events' leaf_hash column. */
export const EVENTS_LEVEL = -1;

// Row at index i of a range must equal bytes [32 * (i - from), 32 * (i - from + 1)) of the bound
// concatenation. The integer cast: PostgreSQL's substr takes int offsets, and bigint does not
// convert implicitly. The binary cast: PostgreSQL would take an untyped parameter for text.
function matchesRange(column: 'hash' | 'leaf_hash', index: 'idx' | 'seq', range: HashRange, bytes: string) {
  const offset = sql`cast((${sql.ref(index)} - ${range.fromIdx}) * 32 + 1 as integer)`;
  return sql<boolean>`${sql.ref(column)} = substr(cast(${range.hashes} as ${sql.raw(bytes)}), ${offset}, 32)`;
}

/**
 * For each range, how many stored hashes equal the recomputed one at their position, in one
 * round trip: the database compares (thousands of rows), one count per range comes back. A count
 * equal to the range's length means every stored hash is present and equal. Ranges are keyed by
 * level in the result; give at most one range per level.
 */
export async function countMatchingStoredHashes(
  db: Db,
  bytesType: ColumnTypes['bytes'],
  tenantId: string,
  ranges: readonly HashRange[],
): Promise<Map<number, number>> {
  const branches = ranges.map((range) =>
    range.level === EVENTS_LEVEL
      ? db
          .selectFrom('audit_events')
          .select((eb) => [sql.lit(EVENTS_LEVEL).as('level'), eb.fn.countAll().as('matching')])
          .where('tenant_id', '=', tenantId)
          .where('seq', '>=', range.fromIdx)
          .where('seq', '<=', range.toIdx)
          .where(matchesRange('leaf_hash', 'seq', range, bytesType))
      : db
          .selectFrom('audit_tree_nodes')
          .select((eb) => [sql.lit(range.level).as('level'), eb.fn.countAll().as('matching')])
          .where('tenant_id', '=', tenantId)
          .where('level', '=', range.level)
          .where('idx', '>=', range.fromIdx)
          .where('idx', '<=', range.toIdx)
          .where(matchesRange('hash', 'idx', range, bytesType)),
  );
  const [first, ...rest] = branches;
  if (!first) return new Map();
  const rows = await rest.reduce((query, branch) => query.unionAll(branch), first).execute();
  return new Map(rows.map((row) => [Number(row.level), Number(row.matching)]));
}
