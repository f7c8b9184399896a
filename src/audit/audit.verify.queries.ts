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
  withLeafHash = false,
): CompiledQuery {
  const items: JsonArrayItem[] = [
    { value: sql.lit(ENCODING_VERSION), type: 'integer' },
    ...CANONICAL_EVENT_FIELDS.map((field) => ({
      value: sql.ref(field),
      type: INTEGER_FIELDS.has(field) ? ('integer' as const) : ('text' as const),
    })),
  ];
  const canonical = bulk.jsonArrayText(items).as('canonical');
  return db
    .selectFrom('audit_events')
    .select(withLeafHash ? [canonical, 'leaf_hash'] : [canonical])
    .where('tenant_id', '=', tenantId)
    .where('seq', '>=', fromSeq)
    .where('seq', '<', toSeq)
    .orderBy('seq')
    .compile();
}

/** Runs canonicalEventJsonQuery on this thread: each event's canonical JSON, in seq order. Not in a transaction. */
export async function selectCanonicalEventJson(
  db: Db,
  bulk: BulkReads,
  tenantId: string,
  fromSeq: number,
  toSeq: number,
): Promise<unknown[]> {
  const rows = await bulk.selectRowArrays(db, canonicalEventJsonQuery(db, bulk, tenantId, fromSeq, toSeq));
  return rows.map((row) => row[0]);
}

/**
 * canonicalEventJsonQuery with each event's stored leaf hash beside its JSON, for a reader that
 * hashes on this thread: the comparison is then made here, on rows already read, instead of by a
 * second indexed read of the same rows in the database.
 */
export async function selectCanonicalEventJsonAndLeafHash(
  db: Db,
  bulk: BulkReads,
  tenantId: string,
  fromSeq: number,
  toSeq: number,
): Promise<{ texts: unknown[]; leafHashes: unknown[] }> {
  const query = canonicalEventJsonQuery(db, bulk, tenantId, fromSeq, toSeq, true);
  const rows = await bulk.selectRowArrays(db, query);
  return { texts: rows.map((row) => row[0]), leafHashes: rows.map((row) => row[1]) };
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
